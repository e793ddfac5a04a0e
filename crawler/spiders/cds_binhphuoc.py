from crawler.platforms.base import Section
from crawler.platforms.generic import GenericSpider


class CdsBinhphuocSpider(GenericSpider):
    """Trung tâm Chuyển đổi số tỉnh Bình Phước (cds.binhphuoc.gov.vn)."""

    name = "cds_binhphuoc"
    portal_title = "Trung tâm Chuyển đổi số tỉnh Bình Phước"
    province = "Bình Phước"
    base_url = "https://cds.binhphuoc.gov.vn"
    sections = (
        Section("tin-chuyen-doi-so", "Tin chuyển đổi số", "/Danh-muc/Tin-chuyen-doi-so-5.html"),
        Section("an-toan-thong-tin", "An toàn thông tin", "/Danh-muc/An-toan-thong-tin-7.html"),
    )
    article_pattern = r"^/Tin-tuc/[\w-]+-(\d+)\.html$"
    next_page_css = ".pagination a.next::attr(href)"
