from crawler.platforms.base import Section
from crawler.platforms.nukeviet import NukeVietSpider


class KsbtDanangSpider(NukeVietSpider):
    """Trung tâm Kiểm soát bệnh tật thành phố Đà Nẵng (ksbtdanang.vn, custom NukeViet theme)."""

    name = "ksbt_danang"
    portal_title = "Trung tâm Kiểm soát bệnh tật thành phố Đà Nẵng"
    province = "Đà Nẵng"
    base_url = "https://ksbtdanang.vn"
    news_modules = ("news", "cam-nang-vac-xin")
    sections = (
        Section("suc-khoe", "Sức khỏe", "/news/suc-khoe"),
        Section(
            "cam-nang-vac-xin",
            "Cẩm nang vắc xin",
            "/cam-nang-vac-xin/quy-trinh-tiem-chung-tai-cdc-da-nang",
        ),
    )
    listing_entry_selector = ".tms_list_tin > ul > li"
    listing_link_selector = "h4 a::attr(href)"
    listing_title_selector = "h4 a ::text"
    listing_date_selector = ".tms_date ::text"
    title_selector = ".tms_tintuc_titlle h1 ::text"
    date_selector = ".tms_tintuc_date ::text"
    hometext_selector = ".tms_tintuc_sapo"
