from crawler.platforms.base import Section
from crawler.platforms.liferay import LiferaySpider


class HochiminhcitySpider(LiferaySpider):
    """Cổng Thông tin điện tử Thành phố Hồ Chí Minh (hochiminhcity.gov.vn, Liferay 7.x)."""

    name = "hochiminhcity"
    portal_title = "Cổng Thông tin điện tử Thành phố Hồ Chí Minh"
    province = "TP. Hồ Chí Minh"
    base_url = "https://hochiminhcity.gov.vn"
    sections = (
        Section(
            "tin-tuc-su-kien", "Tin tức - Sự kiện", "/tin-t%E1%BB%A9c-s%E1%BB%B1-ki%E1%BB%87n-all-"
        ),
        Section("thong-bao", "Thông báo", "/web/hcm/thong-bao"),
    )
    listing_date_selector = ".text-date-sklh, .asset-publish-date"
