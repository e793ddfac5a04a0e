from crawler.platforms.aspnet import AspNetSpider
from crawler.platforms.base import Section


class GdnnGovSpider(AspNetSpider):
    """Tổng cục Giáo dục nghề nghiệp (gdnn.gov.vn, DotNetNuke, postback paging)."""

    name = "gdnn_gov"
    portal_title = "Tổng cục Giáo dục nghề nghiệp"
    province = "Toàn quốc"
    base_url = "https://gdnn.gov.vn"
    paging = "postback"
    sections = (
        Section("tin-tuc-su-kien", "Tin tức - Sự kiện", "/Default.aspx?tabid=89"),
        Section("thong-bao", "Thông báo", "/Default.aspx?tabid=92"),
    )
