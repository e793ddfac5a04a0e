from crawler.platforms.base import Section
from crawler.platforms.sitemap import SitemapSpider


class BudangDongnaiSpider(SitemapSpider):
    """Cổng thông tin điện tử Bù Đăng (Đồng Nai), NukeViet, found through its feed link."""

    name = "budang_dongnai"
    portal_title = "Cổng thông tin điện tử Bù Đăng"
    province = "Đồng Nai"
    base_url = "https://budang.dongnai.gov.vn"
    sections = (
        Section(
            "hoat-dong-chinh-quyen-nha-nuoc",
            "Hoạt động chính quyền",
            "/vi/news/hoat-dong-chinh-quyen-nha-nuoc/",
        ),
        Section("van-hoa-xa-hoi", "Văn hóa - Xã hội", "/vi/news/van-hoa-xa-hoi/"),
    )
