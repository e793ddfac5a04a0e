from crawler.platforms.aspnet import AspNetSpider
from crawler.platforms.base import Section


class MtGovSpider(AspNetSpider):
    """Cổng thông tin điện tử Bộ Giao thông vận tải (mt.gov.vn, custom ASP.NET CMS)."""

    name = "mt_gov"
    portal_title = "Cổng thông tin điện tử Bộ Giao thông vận tải"
    province = "Toàn quốc"
    base_url = "https://mt.gov.vn"
    domain_aliases = ("https://www.mt.gov.vn",)
    sections = (
        Section(
            "tin-hoat-dong-nganh",
            "Tin hoạt động ngành",
            "/vn/chuyen-muc/855/tin-hoat-dong-nganh.aspx",
        ),
        Section(
            "hoat-dong-lanh-dao",
            "Hoạt động lãnh đạo",
            "/vn/chuyen-muc/856/hoat-dong-lanh-dao-.aspx",
        ),
    )
