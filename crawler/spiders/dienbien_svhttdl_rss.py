from crawler.platforms.base import Section
from crawler.platforms.feed import FeedSpider


class DienbienSvhttdlRssSpider(FeedSpider):
    """Sở VHTTDL tỉnh Điện Biên, read through its SharePoint list feeds (RSS)."""

    name = "dienbien_svhttdl_rss"
    portal_title = "Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên (kênh RSS)"
    province = "Điện Biên"
    base_url = "https://svhttdl.dienbien.gov.vn"
    sections = (
        Section(
            "tin-tuc-su-kien",
            "Tin tức - Sự kiện",
            "/_layouts/15/listfeed.aspx?List=%7B7E1C2B4A-93D5-4F0B-8A61-2C5D9E3F7A10%7D"
            "&View=%7B0B3A1F62-5C8E-4D97-A2B4-6E1F9C3D8A25%7D",
        ),
        Section(
            "du-lich",
            "Du lịch",
            "/_layouts/15/listfeed.aspx?List=%7BC4F8A2D1-6B3E-49A7-9D15-8E2B7C0F4A36%7D"
            "&View=%7B5D9E3B71-2A4C-4F86-B0D3-7C1E8A9F2B44%7D",
        ),
    )
