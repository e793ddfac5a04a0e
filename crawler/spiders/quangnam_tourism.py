from crawler.platforms.base import Section
from crawler.platforms.vnpt_tourism import VnptTourismSpider


class QuangnamTourismSpider(VnptTourismSpider):
    """Trung tâm Xúc tiến Du lịch Quảng Nam."""

    name = "quangnam_tourism"
    portal_title = "Trung tâm Xúc tiến Du lịch Quảng Nam"
    province = "Quảng Nam"
    base_url = "https://quangnamtourism.com.vn"
    sections = (
        Section("tin-du-lich", "Tin du lịch", "/vi/news/?id=cat_5&t=tin-du-lich"),
        Section("su-kien", "Sự kiện", "/vi/news/?id=cat_6&t=su-kien"),
    )
