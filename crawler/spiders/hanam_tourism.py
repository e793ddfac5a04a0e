from crawler.platforms.base import Section
from crawler.platforms.vnpt_tourism import VnptTourismSpider


class HanamTourismSpider(VnptTourismSpider):
    """Trung tâm Thông tin Xúc tiến Du lịch tỉnh Hà Nam (merged into Ninh Bình in 2025)."""

    name = "hanam_tourism"
    portal_title = "Trung tâm Thông tin Xúc tiến Du lịch tỉnh Hà Nam"
    province = "Hà Nam"
    base_url = "https://hanamtourism.vn"
    # Where the platform moves the portal after the 2025 merger (assumed domain).
    domain_aliases = ("https://dulichninhbinh.vn",)
    sections = (
        Section("tin-tuc-su-kien", "Tin tức - Sự kiện", "/vi/news/?id=cat_1&t=tin-tuc-su-kien"),
        Section("diem-den", "Điểm đến", "/vi/news/?id=cat_2&t=diem-den"),
        Section("le-hoi-van-hoa", "Lễ hội - Văn hóa", "/vi/news/?id=cat_3&t=le-hoi-van-hoa"),
    )
