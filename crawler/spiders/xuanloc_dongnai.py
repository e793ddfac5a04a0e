from crawler.platforms.base import Section
from crawler.platforms.feed import FeedSpider


class XuanlocDongnaiSpider(FeedSpider):
    """Cổng thông tin điện tử Xuân Lộc (Đồng Nai), NukeViet, read through its RSS module."""

    name = "xuanloc_dongnai"
    portal_title = "Cổng thông tin điện tử Xuân Lộc"
    province = "Đồng Nai"
    base_url = "https://xuanloc.dongnai.gov.vn"
    sections = (
        Section("van-hoa-xa-hoi", "Văn hóa - Xã hội", "/vi/news/rss/van-hoa-xa-hoi/"),
        Section("kinh-te", "Kinh tế", "/vi/news/rss/kinh-te/"),
        Section("thong-bao", "Thông báo", "/vi/news/rss/thong-bao/"),
    )
