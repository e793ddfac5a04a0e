from crawler.platforms.base import Section
from crawler.platforms.generic import GenericSpider


class DongthapGovSpider(GenericSpider):
    """Cổng thông tin điện tử tỉnh Đồng Tháp (dongthap.gov.vn), news pages."""

    name = "dongthap_gov"
    portal_title = "Cổng thông tin điện tử tỉnh Đồng Tháp"
    province = "Đồng Tháp"
    base_url = "https://dongthap.gov.vn"
    sections = (
        Section("tin-hoat-dong", "Tin hoạt động", "/tin-tuc/danh-sach?chuyenmuc=12"),
        Section("kinh-te-xa-hoi", "Kinh tế - Xã hội", "/tin-tuc/danh-sach?chuyenmuc=15"),
    )
    article_pattern = r"^/tin-tuc/chi-tiet\?id=(\d+)$"
