from crawler.platforms.base import Section
from crawler.platforms.sharepoint import SharePointSpider


class NinhthuanPortalSpider(SharePointSpider):
    """Cổng thông tin điện tử tỉnh Ninh Thuận (ninhthuan.gov.vn, SharePoint)."""

    name = "ninhthuan_portal"
    portal_title = "Cổng thông tin điện tử tỉnh Ninh Thuận"
    province = "Ninh Thuận"
    base_url = "https://ninhthuan.gov.vn"
    sections = (
        Section("tin-tuc-su-kien", "Tin tức - Sự kiện", "/portal/Pages/Tin-tuc-su-kien.aspx"),
        Section("kinh-te-xa-hoi", "Kinh tế - Xã hội", "/portal/Pages/Kinh-te-xa-hoi.aspx"),
    )
