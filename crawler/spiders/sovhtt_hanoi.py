from crawler.platforms.base import Section
from crawler.platforms.wordpress import WordPressSpider


class SovhttHanoiSpider(WordPressSpider):
    """Sở Văn hóa và Thể thao thành phố Hà Nội (sovhtt.hanoi.gov.vn, WordPress)."""

    name = "sovhtt_hanoi"
    portal_title = "Sở Văn hóa và Thể thao Hà Nội"
    province = "Hà Nội"
    base_url = "https://sovhtt.hanoi.gov.vn"
    sections = (
        Section("tin-tuc-su-kien", "Tin tức - Sự kiện", "/category/tin-tuc-su-kien/"),
        Section("di-san-van-hoa", "Di sản văn hóa", "/category/di-san-van-hoa/"),
    )
