from crawler.platforms.base import Section
from crawler.platforms.vnpt_tourism import VnptTourismSpider


class VinhlongTouristSpider(VnptTourismSpider):
    """Trung tâm Xúc tiến Du lịch Vĩnh Long."""

    name = "vinhlong_tourist"
    portal_title = "Trung tâm Xúc tiến Du lịch Vĩnh Long"
    province = "Vĩnh Long"
    base_url = "https://vinhlongtourist.vn"
    sections = (
        Section("tin-tuc", "Tin tức", "/vi/news/?id=cat_21&t=tin-tuc"),
        Section("am-thuc", "Ẩm thực", "/vi/news/?id=cat_22&t=am-thuc"),
    )
