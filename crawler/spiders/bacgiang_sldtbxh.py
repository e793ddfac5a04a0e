from crawler.platforms.base import Section
from crawler.platforms.liferay import LiferaySpider


class BacgiangSldtbxhSpider(LiferaySpider):
    """Sở Lao động - Thương binh và Xã hội tỉnh Bắc Giang (sldtbxh.bacgiang.gov.vn, Liferay 6.2)."""

    name = "bacgiang_sldtbxh"
    portal_title = "Sở Lao động - Thương binh và Xã hội tỉnh Bắc Giang"
    province = "Bắc Giang"
    base_url = "https://sldtbxh.bacgiang.gov.vn"
    sections = (
        Section("tin-tuc-su-kien", "Tin tức - Sự kiện", "/tin-tuc-su-kien"),
        Section("lao-dong-viec-lam", "Lao động - Việc làm", "/lao-dong-viec-lam"),
    )
