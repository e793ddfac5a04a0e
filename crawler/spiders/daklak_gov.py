from crawler.platforms.base import Section
from crawler.platforms.sitemap import SitemapSpider


class DaklakGovSpider(SitemapSpider):
    """Cổng thông tin điện tử tỉnh Đắk Lắk (discovered through its sitemap index)."""

    name = "daklak_gov"
    portal_title = "Cổng thông tin điện tử tỉnh Đắk Lắk"
    province = "Đắk Lắk"
    base_url = "https://daklak.gov.vn"
    sections = (
        Section("tin-tuc-su-kien", "Tin tức - Sự kiện", "/tin-tuc-su-kien/"),
        Section("kinh-te", "Kinh tế", "/kinh-te/"),
        Section("van-hoa-xa-hoi", "Văn hóa - Xã hội", "/van-hoa-xa-hoi/"),
    )
    title_selector = "h1.article-title ::text"
    date_selector = ".article-detail .article-date ::text"
    body_selector = ".article-detail .article-sapo, .article-detail .article-content"
    chrome_selectors = (".box-related",)
