from crawler.platforms.base import Section
from crawler.platforms.nukeviet import NukeVietSpider


class SxdDongnaiSpider(NukeVietSpider):
    """Sở Xây dựng tỉnh Đồng Nai (sxd.dongnai.gov.vn, NukeViet default theme)."""

    name = "sxd_dongnai"
    portal_title = "Sở Xây dựng tỉnh Đồng Nai"
    province = "Đồng Nai"
    base_url = "https://sxd.dongnai.gov.vn"
    sections = (
        Section("tin-tuc-su-kien", "Tin tức - Sự kiện", "/vi/news/tin-tuc-su-kien"),
        Section("quy-hoach-kien-truc", "Quy hoạch - Kiến trúc", "/vi/news/quy-hoach-kien-truc"),
    )
