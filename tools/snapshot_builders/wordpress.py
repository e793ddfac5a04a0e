"""WordPress snapshots: a classic theme (Twenty Twenty-One markup) or a block theme
(Twenty Twenty-Four markup), with the plugins provincial sites run (Yoast SEO, Jetpack
sharing and related posts, AddToAny, YARPP, lazy-loading).

The content JSON's ``site`` says which: ``theme`` (``classic``/``block``), ``permalink``
(``/{slug}/`` or ``/{section}/{slug}``), ``per_page``, ``seo`` (``yoast`` adds the
``article:published_time`` meta, in UTC as Yoast writes it), ``related`` (``jetpack`` or
``yarpp``) and ``share`` (``sharedaddy`` or ``addtoany``). Article flags: ``sticky``
(shown first on every page of its category), ``hide_date`` (no date on the page, only the
meta), ``no_date`` (a block template without the post-meta part and no meta either),
``lazy`` (``data-src``, ``srcset`` or ``native``) for the in-content image.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from html import escape
from pathlib import Path
from urllib.parse import quote

from .common import Host, fresh_dir, png, write_expected, write_site

TZ = timezone(timedelta(hours=7))
MONTHS = (
    "Một", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Mười Một", "Mười Hai",
)  # fmt: skip
GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
SVG = "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%201200%20800'%3E%3C/svg%3E"
ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: {base}/wp-sitemap.xml\n"


class Site:
    """One portal's configuration and articles, with the URL shapes of its permalinks."""

    def __init__(self, content: dict) -> None:
        self.portal = content["portal"]
        self.conf = content["site"]
        self.base = self.conf["base"]
        self.block = self.conf["theme"] == "block"
        self.slash = self.conf["permalink"].endswith("/")
        self.sections = content["sections"]
        self.section_title = {s["slug"]: s["title"] for s in self.sections}
        self.arts = sorted(content["articles"], key=self.when, reverse=True)
        self.by_id = {a["id"]: a for a in self.arts}

    @staticmethod
    def when(art: dict) -> datetime:
        return datetime.fromisoformat(f"{art['date']}T{art['time']}:00+07:00")

    def iso(self, art: dict) -> str:
        return self.when(art).isoformat()

    def utc(self, art: dict, later: timedelta = timedelta(0)) -> str:
        return (self.when(art) + later).astimezone(UTC).isoformat()

    def shown_date(self, art: dict) -> str:
        day = self.when(art)
        if self.block:
            return day.strftime("%d/%m/%Y")
        return f"{day.day} Tháng {MONTHS[day.month - 1]}, {day.year}"

    def path(self, art: dict) -> str:
        return self.conf["permalink"].format(slug=art["slug"], section=art["section"])

    def url(self, art: dict) -> str:
        return self.base + self.path(art)

    def listing(self, section: dict, page: int) -> str:
        path = section["path"]
        if page == 1:
            return path
        return f"{path.rstrip('/')}/page/{page}" + ("/" if self.slash else "")

    def image(self, art: dict, size: str = "") -> str:
        day = self.when(art)
        name = art["image"].removesuffix(".png") + (f"-{size}" if size else "") + ".png"
        return f"{self.conf['uploads']}/{day.year}/{day.month:02d}/{name}"

    def srcset(self, art: dict) -> str:
        return (
            f"{self.base}{self.image(art)} 1200w, {self.base}{self.image(art, '300x200')} 300w, "
            f"{self.base}{self.image(art, '768x512')} 768w"
        )


# Classic theme (Twenty Twenty-One markup) ---------------------------------------------------


def classic_page(site: Site, title: str, head: str, body_class: str, main: str) -> str:
    menu = "".join(
        f'<li id="menu-item-{90 + n}" class="menu-item menu-item-type-taxonomy menu-item-object-category menu-item-{90 + n}"><a href="{site.base}{s["path"]}">{escape(s["title"])}</a></li>'
        for n, s in enumerate(site.sections)
    )
    recent = "".join(
        f'<li><a href="{site.url(a)}">{escape(a["title"])}</a><span class="post-date">{site.shown_date(a)}</span></li>'
        for a in site.arts[:4]
    )
    return f"""<!doctype html>
<html lang="vi" class="no-js">
<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<title>{escape(title)}</title>
{head}<link rel='stylesheet' id='twenty-twenty-one-style-css' href='{site.base}/wp-content/themes/twentytwentyone/style.css?ver=2.2' media='all' />
<link rel='stylesheet' id='jetpack_css-css' href='{site.base}/wp-content/plugins/jetpack/css/jetpack.css?ver=13.5' media='all' />
<script src="{site.base}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<link rel="https://api.w.org/" href="{site.base}/wp-json/" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{site.base}/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress 6.5.5" />
</head>
<body class="{body_class} wp-embed-responsive is-light-theme no-js has-main-navigation">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Chuyển đến nội dung</a>
<div class="top-bar"><span class="top-bar-date">{escape(site.conf["today"])}</span> <a href="{site.base}/lien-he/">Liên hệ</a></div>
<header id="masthead" class="site-header has-logo has-title-and-tagline has-menu">
<div class="site-branding">
<p class="site-title"><a href="{site.base}/" rel="home">{escape(site.conf["name"])}</a></p>
<p class="site-description">{escape(site.conf["tagline"])}</p>
</div>
<nav id="site-navigation" class="primary-navigation" aria-label="Menu chính">
<div class="primary-menu-container"><ul id="primary-menu-list" class="menu-wrapper"><li id="menu-item-89" class="menu-item menu-item-type-custom menu-item-object-custom menu-item-home menu-item-89"><a href="{site.base}/">Trang chủ</a></li>{menu}</ul></div>
</nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
{main}
</main><!-- #main -->
</div><!-- #primary -->
</div><!-- #content -->
<aside class="widget-area">
<section id="recent-posts-2" class="widget widget_recent_entries">
<h2 class="widget-title">Bài viết mới</h2><nav aria-label="Bài viết mới"><ul>{recent}</ul></nav>
</section>
<section id="text-3" class="widget widget_text"><h2 class="widget-title">Liên kết</h2><div class="textwidget"><p><a href="https://hanoi.gov.vn">Cổng Giao tiếp điện tử Hà Nội</a></p></div></section>
</aside><!-- .widget-area -->
<footer id="colophon" class="site-footer">
<div class="site-info"><div class="site-name">{escape(site.conf["name"])}</div><div class="powered-by">Địa chỉ: 47 Hàng Dầu, Hoàn Kiếm, Hà Nội · Điện thoại: 024.3825.1432</div></div>
</footer>
</div><!-- #page -->
<script id="jetpack-stats-js">_stq = window._stq || []; _stq.push([ "view", {{"v":"ext","blog":"123456","post":"0"}} ]);</script>
</body>
</html>
"""


def yoast_head(site: Site, art: dict | None, title: str, url: str) -> str:
    lines = [
        "<!-- This site is optimized with the Yoast SEO plugin v22.9 - https://yoast.com/wordpress/plugins/seo/ -->",
        f'<link rel="canonical" href="{url}" />',
        '<meta property="og:locale" content="vi_VN" />',
        f'<meta property="og:type" content="{"article" if art else "website"}" />',
        f'<meta property="og:title" content="{escape(title)}" />',
        f'<meta property="og:url" content="{url}" />',
        f'<meta property="og:site_name" content="{escape(site.conf["name"])}" />',
    ]
    if art:
        lines.append(f'<meta property="article:published_time" content="{site.utc(art)}" />')
        lines.append(
            f'<meta property="article:modified_time" content="{site.utc(art, timedelta(days=2, hours=3))}" />'
        )
        if art.get("image"):
            lines.append(f'<meta property="og:image" content="{site.base}{site.image(art)}" />')
        lines.append(f'<meta name="author" content="{escape(art["author"])}" />')
    lines.append("<!-- / Yoast SEO plugin. -->")
    return "\n".join(lines) + "\n"


def content_image(site: Site, art: dict) -> str:
    full = site.base + site.image(art)
    caption = escape(art.get("image_caption", ""))
    lazy = art.get("lazy", "native")
    if lazy == "data-src":  # a3 Lazy Load / Smush: placeholder src, real one in data-src
        img = (
            f'<img decoding="async" width="1200" height="800" src="{site.base}/wp-content/plugins/a3-lazy-load/assets/images/lazy_placeholder.gif" '
            f'data-lazy-type="image" data-src="{full}" alt="{caption}" class="lazy lazy-hidden wp-image-{art["id"] + 1}" '
            f'srcset="" data-srcset="{site.srcset(art)}" sizes="(max-width: 1200px) 100vw, 1200px" />'
            f'<noscript><img decoding="async" width="1200" height="800" src="{full}" alt="{caption}" class="wp-image-{art["id"] + 1}" /></noscript>'
        )
    elif lazy == "srcset":  # lazysizes with only data-srcset, a data: URI as src
        img = (
            f'<img decoding="async" width="1200" height="800" src="{GIF}" data-srcset="{site.srcset(art)}" '
            f'data-sizes="auto" alt="{caption}" class="lazyload wp-image-{art["id"] + 1}" />'
        )
    else:  # WordPress core: native lazy loading with a srcset
        img = (
            f'<img loading="lazy" decoding="async" width="1200" height="800" src="{full}" alt="{caption}" '
            f'class="wp-image-{art["id"] + 1}" srcset="{site.srcset(art)}" sizes="(max-width: 1200px) 100vw, 1200px" />'
        )
    return (
        f'<figure class="wp-block-image size-full">{img}'
        f'<figcaption class="wp-element-caption">{caption}</figcaption></figure>'
    )


def sharedaddy(site: Site, art: dict) -> str:
    url = site.url(art)
    buttons = "".join(
        f'<li class="share-{net}"><a rel="nofollow noopener noreferrer" data-shared="sharing-{net}-{art["id"]}" '
        f'class="share-{net} sd-button share-icon" href="{url}?share={net}" target="_blank" '
        f'title="Nhấp để chia sẻ trên {label}"><span>{label}</span></a></li>'
        for net, label in (("facebook", "Facebook"), ("x", "X"), ("email", "Email"))
    )
    likes = (
        f"<div class='sharedaddy sd-block sd-like jetpack-likes-widget-wrapper jetpack-likes-widget-unloaded' "
        f"id='like-post-wrapper-123456-{art['id']}-66a1' data-src='https://widgets.wp.com/likes/?ver=13.5#blog_id=123456&amp;post_id={art['id']}' "
        f"data-name='like-post-frame-123456-{art['id']}'><h3 class=\"sd-title\">Thích điều này:</h3>"
        "<div class='likes-widget-placeholder post-likes-widget-placeholder' style='height: 55px;'>"
        "<span class='button'><span>Thích</span></span> <span class=\"loading\">Đang tải...</span></div>"
        "<span class='sd-text-color'></span><a class='sd-link-color'></a></div>"
    )
    return (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing">'
        f'<h3 class="sd-title">Chia sẻ:</h3><div class="sd-content"><ul>{buttons}<li class="share-end"></li></ul></div></div></div>'
        + likes
    )


def jetpack_related(site: Site, art: dict, related: list[dict]) -> str:
    items = "".join(
        f'<div class="jp-relatedposts-post jp-relatedposts-post{n}" data-post-id="{r["id"]}" data-post-format="false">'
        f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" '
        f'href="{site.url(r)}?relatedposts_hit=1&amp;relatedposts_origin={art["id"]}&amp;relatedposts_position={n}" '
        f'title="{escape(r["title"])}" rel="nofollow" data-origin="{art["id"]}" data-position="{n}">{escape(r["title"])}</a></h4>'
        f'<p class="jp-relatedposts-post-date" style="display: block;">{site.shown_date(r)}</p>'
        f'<p class="jp-relatedposts-post-context">Trong &quot;{escape(site.section_title[r["section"]])}&quot;</p></div>'
        for n, r in enumerate(related)
    )
    return (
        "<div id='jp-relatedposts' class='jp-relatedposts' >"
        '<h3 class="jp-relatedposts-headline"><em>Có liên quan</em></h3>'
        f'<div class="jp-relatedposts-items jp-relatedposts-items-minimal jp-relatedposts-grid">{items}</div></div>'
    )


def classic_article(site: Site, art: dict, related: list[dict], older: dict | None) -> str:
    section = art["section"]
    paragraphs = [f"<p>{escape(p)}</p>" for p in art["paragraphs"]]
    thumb = ""
    if art.get("image"):
        if art.get("lazy", "native") == "native":  # the featured image, in the entry header
            thumb = (
                f'<figure class="post-thumbnail"><img width="1200" height="800" src="{site.base}{site.image(art)}" '
                f'class="attachment-post-thumbnail size-post-thumbnail wp-post-image" alt="{escape(art["image_caption"])}" '
                f'decoding="async" fetchpriority="high" srcset="{site.srcset(art)}" sizes="(max-width: 1200px) 100vw, 1200px" />'
                f'<figcaption class="wp-caption aligncenter">{escape(art["image_caption"])}</figcaption></figure>'
            )
        else:
            paragraphs.insert(1, content_image(site, art))
    posted_on = (
        ""
        if art.get("hide_date")
        else f'<span class="posted-on">Đăng ngày <time class="entry-date published" datetime="{site.iso(art)}">{site.shown_date(art)}</time>'
        f'<time class="updated" datetime="{(site.when(art) + timedelta(days=2, hours=3)).isoformat()}">{site.shown_date(art)}</time></span>'
    )
    nav = ""
    if older:
        nav = (
            '<nav class="navigation post-navigation" aria-label="Bài viết"><h2 class="screen-reader-text">Điều hướng bài viết</h2>'
            f'<div class="nav-links"><div class="nav-previous"><a href="{site.url(older)}" rel="prev"><p class="meta-nav">Bài viết trước</p>'
            f'<p class="post-title">{escape(older["title"])}</p></a></div></div></nav>'
        )
    main = f"""<article id="post-{art["id"]}" class="post-{art["id"]} post type-post status-publish format-standard{" has-post-thumbnail" if thumb else ""} hentry category-{section} entry">
<header class="entry-header alignwide">
<h1 class="entry-title">{escape(art["title"])}</h1>
{thumb}
</header><!-- .entry-header -->
<div class="entry-content">
{"".join(paragraphs)}
{sharedaddy(site, art)}
{jetpack_related(site, art, related)}
</div><!-- .entry-content -->
<footer class="entry-footer default-max-width">
<div class="posted-by">{posted_on}<span class="byline">Bởi <a href="{site.base}/author/{art["id"] % 7 + 2}/" rel="author">{escape(art["author"])}</a></span></div>
<div class="post-taxonomies"><span class="cat-links">Chuyên mục <a href="{site.base}/category/{section}/" rel="category tag">{escape(site.section_title[section])}</a></span></div>
</footer><!-- .entry-footer -->
</article><!-- #post-{art["id"]} -->
{nav}"""
    url = site.url(art)
    head = yoast_head(site, art, art["title"], url)
    head += f"<link rel='shortlink' href='{site.base}/?p={art['id']}' />\n"
    body_class = f"post-template-default single single-post postid-{art['id']} single-format-standard singular"
    return classic_page(site, f"{art['title']} – {site.conf['name']}", head, body_class, main)


def classic_entry(site: Site, art: dict, sticky: bool = False) -> str:
    label = "<p>Bài viết nổi bật</p>" if sticky else ""
    excerpt = escape(art["paragraphs"][0][:150].rsplit(" ", 1)[0])
    return f"""<article id="post-{art["id"]}" class="post-{art["id"]} post type-post status-publish format-standard{" sticky" if sticky else ""} hentry category-{art["section"]} entry">
<header class="entry-header"><h2 class="entry-title default-max-width"><a href="{site.url(art)}">{escape(art["title"])}</a></h2></header>
<div class="entry-content"><p>{excerpt} [&hellip;]</p></div>
<footer class="entry-footer default-max-width">{label}<span class="posted-on">Đăng ngày <time class="entry-date published updated" datetime="{site.iso(art)}">{site.shown_date(art)}</time></span>
<div class="post-taxonomies"><span class="cat-links">Chuyên mục <a href="{site.base}/category/{art["section"]}/" rel="category tag">{escape(site.section_title[art["section"]])}</a></span></div></footer>
</article><!-- #post-{art["id"]} -->"""


def classic_pagination(site: Site, section: dict, page: int, pages: int) -> str:
    links = []
    if page > 1:
        links.append(
            f'<a class="prev page-numbers" href="{site.base}{site.listing(section, page - 1)}">Trang trước</a>'
        )
    for n in range(1, pages + 1):
        if n == page:
            links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            links.append(
                f'<a class="page-numbers" href="{site.base}{site.listing(section, n)}">{n}</a>'
            )
    if page < pages:
        links.append(
            f'<a class="next page-numbers" href="{site.base}{site.listing(section, page + 1)}">Trang sau</a>'
        )
    return (
        '<nav class="navigation pagination" aria-label="Bài viết"><h2 class="screen-reader-text">Điều hướng bài viết</h2>'
        f'<div class="nav-links">{"".join(links)}</div></nav>'
    )


def classic_listing(site: Site, section: dict, page: int, pages: int, chunk, sticky) -> str:
    entries = [classic_entry(site, sticky, sticky=True)] if sticky else []
    entries += [classic_entry(site, a) for a in chunk]
    main = (
        f'<header class="page-header alignwide"><h1 class="page-title">Chuyên mục: <span>{escape(section["title"])}</span></h1></header>\n'
        + "\n".join(entries)
        + "\n"
        + (classic_pagination(site, section, page, pages) if pages > 1 else "")
    )
    url = site.base + site.listing(section, page)
    head = yoast_head(site, None, section["title"], url)
    body_class = f"archive paged category category-{section['slug']} paged-{page}"
    return classic_page(site, f"{section['title']} – {site.conf['name']}", head, body_class, main)


# Block theme (Twenty Twenty-Four markup) ----------------------------------------------------


def block_page(site: Site, title: str, head: str, body_class: str, main: str) -> str:
    menu = "".join(
        f'<li class="wp-block-navigation-item wp-block-navigation-link"><a class="wp-block-navigation-item__content" href="{site.base}{s["path"]}"><span class="wp-block-navigation-item__label">{escape(s["title"])}</span></a></li>'
        for s in site.sections
    )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{escape(title)}</title>
{head}<link rel='stylesheet' id='wp-block-library-css' href='{site.base}/wp-includes/css/dist/block-library/style.min.css?ver=6.6.1' media='all' />
<link rel='stylesheet' id='addtoany-css' href='{site.base}/wp-content/plugins/add-to-any/addtoany.min.css?ver=1.16' media='all' />
<link rel='stylesheet' id='yarppRelatedCss-css' href='{site.base}/wp-content/plugins/yet-another-related-posts-plugin/style/related.css?ver=5.30.10' media='all' />
<script defer src="https://static.addtoany.com/menu/page.js" id="addtoany-core-js"></script>
<link rel="https://api.w.org/" href="{site.base}/wp-json/" />
<meta name="generator" content="WordPress 6.6.1" />
</head>
<body class="{body_class} wp-embed-responsive">
<div class="wp-site-blocks">
<header class="wp-block-template-part">
<div class="wp-block-group alignwide is-content-justification-space-between is-layout-flex wp-block-group-is-layout-flex">
<p class="wp-block-site-title"><a href="{site.base}" target="_self" rel="home">{escape(site.conf["name"])}</a></p>
<p class="wp-block-site-tagline">{escape(site.conf["tagline"])}</p>
<nav class="is-responsive items-justified-right wp-block-navigation is-horizontal is-content-justification-right is-layout-flex wp-block-navigation-is-layout-flex" aria-label="Menu chính">
<ul class="wp-block-navigation__container is-responsive items-justified-right wp-block-navigation"><li class="wp-block-navigation-item wp-block-navigation-link"><a class="wp-block-navigation-item__content" href="{site.base}"><span class="wp-block-navigation-item__label">Trang chủ</span></a></li>{menu}</ul>
</nav>
</div>
</header>
{main}
<footer class="wp-block-template-part">
<div class="wp-block-group has-global-padding is-layout-constrained wp-block-group-is-layout-constrained">
<p class="has-small-font-size">Bản quyền © Sở Du lịch thành phố Đà Nẵng · Đường dây nóng du lịch: 0236.3550.111</p>
</div>
</footer>
</div>
<script id="wp-rocket-lazyload-js">window.lazyLoadOptions = {{elements_selector: "img[data-lazy-src]", data_src: "lazy-src", data_srcset: "lazy-srcset"}};</script>
</body>
</html>
"""


def rocket_img(site: Site, art: dict, cls: str) -> str:
    """An image as WP Rocket's lazy-load rewrites it: SVG placeholder, data-lazy-*."""
    full = site.base + site.image(art)
    alt = escape(art.get("image_caption", ""))
    return (
        f'<img width="1200" height="800" src="{SVG}" class="{cls}" alt="{alt}" decoding="async" '
        f'data-lazy-srcset="{site.srcset(art)}" data-lazy-sizes="(max-width: 1200px) 100vw, 1200px" data-lazy-src="{full}" />'
        f'<noscript><img width="1200" height="800" src="{full}" class="{cls}" alt="{alt}" decoding="async" /></noscript>'
    )


def post_date(site: Site, art: dict) -> str:
    return (
        f'<div class="wp-block-post-date"><time datetime="{site.iso(art)}">'
        f'<a href="{site.url(art)}">{site.shown_date(art)}</a></time></div>'
    )


def post_meta(site: Site, art: dict) -> str:
    return (
        '<div class="wp-block-template-part"><div class="wp-block-group is-layout-flex wp-block-group-is-layout-flex">'
        f'{post_date(site, art)}<p class="has-contrast-2-color has-text-color">—</p>'
        f'<div class="taxonomy-category wp-block-post-terms"><span class="wp-block-post-terms__prefix">trong </span>'
        f'<a href="{site.base}/{art["section"]}" rel="tag">{escape(site.section_title[art["section"]])}</a></div></div></div>'
    )


def addtoany(site: Site, art: dict) -> str:
    url, title = quote(site.url(art), safe=""), quote(art["title"], safe="")
    buttons = "".join(
        f'<a class="a2a_button_{net}" href="https://www.addtoany.com/add_to/{net}?linkurl={url}&amp;linkname={title}" '
        f'title="{label}" rel="nofollow noopener" target="_blank"></a>'
        for net, label in (("facebook", "Facebook"), ("zalo", "Zalo"), ("email", "Email"))
    )
    return (
        '<div class="addtoany_share_save_container addtoany_content addtoany_content_bottom">'
        '<div class="addtoany_header">Chia sẻ bài viết</div>'
        f'<div class="a2a_kit a2a_kit_size_32 addtoany_list" data-a2a-url="{site.url(art)}" data-a2a-title="{escape(art["title"])}">'
        f'{buttons}<a class="a2a_dd addtoany_share_save addtoany_share" href="https://www.addtoany.com/share"></a></div></div>'
    )


def yarpp(site: Site, related: list[dict]) -> str:
    items = "".join(
        f'<li><a href="{site.url(r)}" rel="bookmark" title="{escape(r["title"])}">{escape(r["title"])}</a> '
        f"<small>({site.shown_date(r)})</small></li>"
        for r in related
    )
    return (
        "<div class='yarpp yarpp-related yarpp-related-website yarpp-template-list'>\n<!-- YARPP List -->\n"
        f"<h3>Bài viết liên quan:</h3><ol>{items}</ol>\n</div>"
    )


def query_loop_item(site: Site, art: dict, heading: str = "h3") -> str:
    figure = ""
    if art.get("image"):
        figure = (
            f'<figure class="wp-block-post-featured-image"><a href="{site.url(art)}" target="_self">'
            f'<img width="300" height="200" src="{site.base}{site.image(art, "300x200")}" '
            'class="attachment-medium size-medium wp-post-image" alt="" decoding="async" loading="lazy" /></a></figure>'
        )
    return (
        f'<li class="wp-block-post post-{art["id"]} post type-post status-publish format-standard hentry category-{art["section"]}">{figure}'
        f'<{heading} class="wp-block-post-title"><a href="{site.url(art)}" target="_self">{escape(art["title"])}</a></{heading}>'
        f"{post_date(site, art)}</li>"
    )


def block_article(site: Site, art: dict, related: list[dict], others: list[dict]) -> str:
    featured = ""
    if art.get("image"):
        featured = (
            f'<figure class="wp-block-post-featured-image">{rocket_img(site, art, "attachment-post-thumbnail size-post-thumbnail wp-post-image")}'
            "</figure>"
        )
    meta = "" if art.get("no_date") else post_meta(site, art)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in art["paragraphs"])
    caption = (
        f'<p class="has-small-font-size"><em>Ảnh: {escape(art["image_caption"])}</em></p>'
        if art.get("image")
        else ""
    )
    template = "single-no-meta" if art.get("no_date") else "default"
    main = f"""<main class="wp-block-group alignfull is-layout-flow wp-block-group-is-layout-flow">
<div class="wp-block-group has-global-padding is-layout-constrained wp-block-group-is-layout-constrained">
{featured}
<div class="wp-block-group is-vertical is-content-justification-stretch is-layout-flex wp-container-core-group-is-layout-2 wp-block-group-is-layout-flex">
<h1 class="wp-block-post-title has-x-large-font-size">{escape(art["title"])}</h1>
{meta}
</div>
</div>
<div class="entry-content alignfull wp-block-post-content has-global-padding is-layout-constrained wp-block-post-content-is-layout-constrained">
{caption}{paragraphs}
{addtoany(site, art)}
{yarpp(site, related)}
</div>
<div class="wp-block-group has-global-padding is-layout-constrained wp-block-group-is-layout-constrained">
<h2 class="wp-block-heading">Tin khác</h2>
<div class="wp-block-query is-layout-flow wp-block-query-is-layout-flow"><ul class="wp-block-post-template is-layout-flow wp-block-post-template-is-layout-flow">{"".join(query_loop_item(site, o) for o in others)}</ul></div>
</div>
</main>"""
    head = (
        f'<link rel="canonical" href="{site.url(art)}" />\n'
        f"<link rel='shortlink' href='{site.base}/?p={art['id']}' />\n"
    )
    body_class = (
        f"post-template-{template} single single-post postid-{art['id']} single-format-standard"
    )
    return block_page(site, f"{art['title']} – {site.conf['name']}", head, body_class, main)


def block_listing(site: Site, section: dict, page: int, pages: int, chunk) -> str:
    items = []
    for art in chunk:
        figure = ""
        if art.get("image"):
            figure = (
                f'<figure class="wp-block-post-featured-image"><a href="{site.url(art)}" target="_self">'
                f"{rocket_img(site, art, 'attachment-post-thumbnail size-post-thumbnail wp-post-image')}</a></figure>"
            )
        excerpt = escape(art["paragraphs"][0][:140].rsplit(" ", 1)[0])
        items.append(
            f'<li class="wp-block-post post-{art["id"]} post type-post status-publish format-standard hentry category-{art["section"]}">'
            f'{figure}<div class="wp-block-group is-vertical is-layout-flex wp-block-group-is-layout-flex">'
            f'<h2 class="wp-block-post-title has-large-font-size"><a href="{site.url(art)}" target="_self">{escape(art["title"])}</a></h2>'
            f"{post_meta(site, art)}"
            f'<div class="wp-block-post-excerpt has-small-font-size"><p class="wp-block-post-excerpt__excerpt">{excerpt} … </p></div>'
            "</div></li>"
        )
    nav = []
    if page > 1:
        nav.append(
            f'<a href="{site.base}{site.listing(section, page - 1)}" class="wp-block-query-pagination-previous">'
            '<span class="wp-block-query-pagination-previous-arrow is-arrow-arrow" aria-hidden="true">←</span>Trang trước</a>'
        )
    if page < pages:
        nav.append(
            f'<a href="{site.base}{site.listing(section, page + 1)}" class="wp-block-query-pagination-next">'
            'Trang sau<span class="wp-block-query-pagination-next-arrow is-arrow-arrow" aria-hidden="true">→</span></a>'
        )
    main = f"""<main class="wp-block-group alignfull has-global-padding is-layout-constrained wp-block-group-is-layout-constrained">
<h1 class="alignwide wp-block-query-title">Chuyên mục: <span>{escape(section["title"])}</span></h1>
<div class="wp-block-query alignwide is-layout-flow wp-block-query-is-layout-flow">
<div class="wp-block-group">
<ul class="columns-3 wp-block-post-template is-layout-grid wp-container-core-post-template-is-layout-1 wp-block-post-template-is-layout-grid">{"".join(items)}</ul>
<div style="margin-top:0;margin-bottom:0;height:var(--wp--preset--spacing--40)" aria-hidden="true" class="wp-block-spacer"></div>
<nav class="wp-block-query-pagination is-content-justification-space-between is-layout-flex wp-block-query-pagination-is-layout-flex" aria-label="Phân trang">{"".join(nav)}</nav>
</div>
</div>
</main>"""
    body_class = f"archive category category-{section['slug']}" + (
        f" paged paged-{page} category-paged-{page}" if page > 1 else ""
    )
    return block_page(site, f"{section['title']} – {site.conf['name']}", "", body_class, main)


# The snapshot --------------------------------------------------------------------------------


def build(content: dict, out_root: Path, expected_root: Path) -> dict:
    site = Site(content)
    out = fresh_dir(out_root / site.portal)
    main = Host(out / "main")
    main.add("/robots.txt", "robots.txt", ROBOTS.format(base=site.base))
    per_page = site.conf["per_page"]
    requested = []
    for section in site.sections:
        in_section = [a for a in site.arts if a["section"] == section["slug"]]
        sticky = next((a for a in in_section if a.get("sticky")), None)
        chunks = [in_section[i : i + per_page] for i in range(0, len(in_section), per_page)]
        for page, chunk in enumerate(chunks, start=1):
            if site.block:
                html = block_listing(site, section, page, len(chunks), chunk)
            else:
                html = classic_listing(site, section, page, len(chunks), chunk, sticky)
            target = site.listing(section, page)
            main.add(target, f"listing/{section['slug']}-{page}.html", html)
        requested.append(site.listing(section, len(chunks)))
    for index, art in enumerate(site.arts):
        same = [a for a in site.arts if a["section"] == art["section"] and a is not art]
        related = same[:3]
        if site.block:
            others = [a for a in site.arts if a is not art][:3]
            html = block_article(site, art, related, others)
        else:
            older = site.arts[index + 1] if index + 1 < len(site.arts) else None
            html = classic_article(site, art, related, older)
        main.add(site.path(art), f"articles/{art['id']}.html", html)
        if art.get("image"):
            for n, size in enumerate(("", "300x200", "768x512")):
                name = site.image(art, size).rsplit("/", 1)[1]
                main.add(
                    site.image(art, size),
                    f"images/{name}",
                    png(12, 8, (60 + index * 9 % 180, 110 + n * 20, 90)),
                )
    home = [query_loop_item(site, a, "h2") for a in site.arts[:5]]
    if site.block:
        main.add(
            "/",
            "index.html",
            block_page(
                site, site.conf["name"], "", "home blog", f"<main><ul>{''.join(home)}</ul></main>"
            ),
        )
    else:
        main.add(
            "/",
            "index.html",
            classic_page(
                site,
                site.conf["name"],
                "",
                "home blog",
                "".join(classic_entry(site, a) for a in site.arts[:5]),
            ),
        )
    main.close()
    (out / "README.md").write_text(readme(site, requested), encoding="utf-8")
    write_expected(expected_root, site.portal, expected(site, requested))
    return write_site(out, site.portal, {"main": site.base}, len(site.arts))


def expected(site: Site, requested: list[str]) -> dict:
    """What a backfill must archive, from the content (not from what the spider finds)."""
    articles = [
        {
            "key": f"{site.portal}:{art['slug']}",
            "url": site.url(art),
            "section": art["section"],
            "title": art["title"],
            "published": site.iso(art),
            "body_contains": [art["paragraphs"][0], art["paragraphs"][-1]],
        }
        for art in site.arts
    ]
    newest = [a["title"] for a in site.arts[:4]]
    if site.block:
        absent = [
            "Chia sẻ bài viết",
            "Bài viết liên quan",
            "Tin khác",
            "Trang sau",
            "YARPP",
            "addtoany",
        ]
    else:
        absent = [
            "Chia sẻ:", "Thích điều này", "Có liên quan", "Bài viết mới", "Bài viết nổi bật",
            "Đăng ngày", "Chuyên mục", "Bài viết trước", site.conf["today"], "relatedposts",
        ]  # fmt: skip
    return {
        "articles": articles,
        "dropped": [],
        "absent": absent + newest,
        "requested": requested,
    }


CLASSIC_README = """\
Modelled on the default classic theme's public templates, repository WordPress/twentytwentyone:
`template-parts/content/content-single.php` (`article#post-N`, `header.entry-header` with
`h1.entry-title` and the `figure.post-thumbnail`, `div.entry-content`, `footer.entry-footer`),
`template-parts/content/content-excerpt.php` (list entries), `inc/template-tags.php`
(`twenty_twenty_one_posted_on`: `time.entry-date.published[datetime]` in ISO 8601;
`twenty_twenty_one_entry_meta_footer`: the "Featured post" label of sticky posts, here
"Bài viết nổi bật"), `the_posts_pagination` (`a.next.page-numbers`, `/page/N/`). Core's
`wp_head` gives `link rel=shortlink` (`/?p=N`), the recent-posts widget gives the
"Bài viết mới" sidebar. Plugins, from their public page shape (not their source): Yoast
SEO head (canonical, `og:*`, `article:published_time` in UTC `+00:00`), Jetpack sharing
(`div.sharedaddy`, "Chia sẻ:"), likes ("Thích điều này:") and related posts
(`#jp-relatedposts`, "Có liên quan", entries with their own dates), a3 Lazy Load
(`data-src` + placeholder GIF + `<noscript>` copy), lazysizes (`data-srcset` only, a `data:`
GIF as `src`), core native `loading="lazy"` with `srcset`.
"""

BLOCK_README = """\
Modelled on the default block theme's public templates, repository WordPress/twentytwentyfour:
`templates/single.html` (featured image, `h1.wp-block-post-title`, the post-meta part,
`div.entry-content.wp-block-post-content`, post navigation), `templates/archive.html` +
`patterns/posts-3-col.php` (`div.wp-block-query`, `li.wp-block-post` entries,
`nav.wp-block-query-pagination` with previous/next links only, `/page/N`),
`patterns/hidden-post-meta.php` (`div.wp-block-post-date > time[datetime]` in ISO 8601,
shown `d/m/Y`, `wp-block-post-terms`). The site has no SEO plugin: no
`article:published_time`; core gives `link rel=canonical` and `link rel=shortlink`.
Plugins, from their public page shape: AddToAny (`addtoany_share_save_container`,
"Chia sẻ bài viết"), YARPP list template (`div.yarpp`, "Bài viết liên quan:", dates in
`<small>`), WP Rocket lazy-load (SVG `data:` placeholder, `data-lazy-src`,
`data-lazy-srcset`, `<noscript>` copy). The real site's category base is stripped, so
lists (`/tin-tuc`, `/tin-tuc/page/2`) and posts (`/tin-tuc/<slug>`) share a prefix, with no
trailing slash (the permalink structure `/%category%/%postname%` has none).
"""


def readme(site: Site, requested: list[str]) -> str:
    sections = ", ".join(f"`{s['path']}`" for s in site.sections)
    if site.block:
        cases = [
            "a post using a block template without the post-meta part (`post-template-single-no-meta`): "
            "no date on the page and no meta; its date comes from the listing's `time[datetime]`, "
            'never from the "Tin khác" query loop under the content (`li.wp-block-post` dates)',
            "WP Rocket lazy images (featured image outside the content, SVG placeholder `src`)",
            "AddToAny and YARPP blocks inside `.wp-block-post-content` (must be removed)",
            "section lists share the `/tin-tuc/` prefix with posts; `/tin-tuc/page/N` is not a post",
            "three pages in `tin-tuc`, previous/next links only: a backfill must follow them to the end",
        ]
    else:
        cases = [
            'a sticky post ("Bài viết nổi bật") shown first on every page of `tin-tuc-su-kien` and '
            "again at its own place on the last page: archived once",
            "a post with no visible date (its entry meta is hidden): only Yoast's "
            "`article:published_time`, in UTC, gives it (08:15 +07:00 = 01:15 +00:00)",
            'a top bar showing today\'s date ("Thứ Năm, 31/07/2025") on every page, never a date',
            "lazy images three ways: `data-src` + placeholder GIF + `<noscript>`, `data-srcset` only "
            "with a `data:` GIF, native `loading=lazy` featured image (outside `.entry-content`)",
            "Jetpack sharing, likes and related posts (with dates) inside `.entry-content`",
            "three pages in `tin-tuc-su-kien` (`/page/N/` with numbered links and `a.next`)",
        ]
    return (
        f"# {site.conf['name']} ({site.base}) — WordPress snapshot\n\n"
        "Rendered by `tools/snapshot_builders/wordpress.py` from "
        f"`tools/snapshot_content/{site.portal}.json` (article text written for tinmoi).\n\n"
        f"{site.conf['real']}\n\n"
        "## Markup\n\n"
        + (BLOCK_README if site.block else CLASSIC_README)
        + f"\nPermalinks: `{site.conf['permalink']}`; sections {sections}; "
        f"{site.conf['per_page']} posts a page; last pages {', '.join(f'`{r}`' for r in requested)}.\n\n"
        "## Special cases\n\n" + "".join(f"- {c}\n" for c in cases)
    )
