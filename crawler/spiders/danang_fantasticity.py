from crawler.platforms.base import Section
from crawler.platforms.wordpress import WordPressSpider


class DanangFantasticitySpider(WordPressSpider):
    """Danang FantastiCity, Đà Nẵng's official tourism portal (danangfantasticity.com)."""

    name = "danang_fantasticity"
    portal_title = "Danang FantastiCity – Cổng thông tin du lịch Đà Nẵng"
    province = "Đà Nẵng"
    base_url = "https://danangfantasticity.com"
    # Category base stripped: lists at /tin-tuc, posts at /tin-tuc/<slug>.
    sections = (
        Section("tin-tuc", "Tin tức", "/tin-tuc"),
        Section("su-kien", "Sự kiện", "/su-kien"),
    )
