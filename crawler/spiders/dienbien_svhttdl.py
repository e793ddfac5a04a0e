from crawler.platforms.base import Section
from crawler.platforms.sharepoint import SharePointSpider


class DienbienSvhttdlSpider(SharePointSpider):
    """Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên (svhttdl.dienbien.gov.vn, SharePoint)."""

    name = "dienbien_svhttdl"
    portal_title = "Sở Văn hóa, Thể thao và Du lịch tỉnh Điện Biên"
    province = "Điện Biên"
    base_url = "https://svhttdl.dienbien.gov.vn"
    sections = (
        Section(
            "van-hoa-the-thao",
            "Văn hóa - Thể thao",
            "/portal/pages/NewsGroups.aspx?cid=6a1f0c2e-4b7d-4e2a-9c51-3d8e7f20b914",
        ),
        Section(
            "du-lich",
            "Du lịch",
            "/portal/pages/NewsGroups.aspx?cid=c2d94e71-0a3f-4b86-8e17-95b2f6a0d3c8",
        ),
    )
    listing_entry_selector = '[id$="pnGroupNews"] li.news-item'
    listing_link_selector = "a.title::attr(href)"
    listing_title_selector = "a.title ::text"
    listing_date_selector = ""
    title_selector = '[id$="pnHide"] .news-title ::text'
