"""A portal's news sections: the menu links whose pages list articles, with the titles
the portal prints, ranked news-like first; the rest left out, each with its reason.

A section is proposed when its page lists at least :data:`MIN_ARTICLES` article links (a
feed of its own, one).
The home page and aggregate lists ("Tin mới nhất", "Tin nổi bật") are left out: an
aggregate section would own every article's section for good, since an article keeps the
section it was first archived under. Pages that are not news (contact, site map,
procedures, documents) are left out by their title, before any request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.text import clean_line, slugify
from tinmoi.adding.fetch import Fetched, same_site

#: Sections proposed at most.
MOST = 8
#: Article links a page must list to be a section.
MIN_ARTICLES = 2
#: Titles of aggregate lists (folded), never proposed.
AGGREGATE = (
    "trang chu", "trang nhat", "home", "tin moi nhat", "tin moi", "tin noi bat",
    "tin tieu diem", "tat ca", "tin hot", "tin xem nhieu", "xem nhieu",
)  # fmt: skip
#: Title words of pages that are not news (folded), never fetched.
NOT_NEWS = (
    "lien he", "gioi thieu", "so do", "thu tuc hanh chinh", "dich vu cong", "hoi dap",
    "van ban", "lich cong tac", "bang gia", "tim kiem", "dang nhap", "english",
    "tieng viet", "co cau to chuc", "danh ba", "gop y", "thu vien anh", "video",
    "bieu mau", "cong khai", "chuc nang nhiem vu",
)  # fmt: skip
#: Title words that make a section more news-like (folded), ranked first.
NEWSY = ("tin", "su kien", "thong bao", "hoat dong", "thoi su", "bao chi")
#: Words a portal's name has at least (fewer: it may be a section's title).
SITE_NAME_WORDS = 4
#: Words a menu entry has at most (more: an article's title).
MENU_WORDS = 9
#: A home page's path: ``/``, ``/vi/``, ``/portal/Pages/default.aspx``, a SharePoint
#: sub-site's ``/sites/stttt/Pages/default.aspx``, a Liferay site's ``/web/guest``.
_HOME_RE = re.compile(
    r"^(?:/[a-z]{2})?/?$|^/web/[\w-]+/?$"
    r"|^(?:/sites/[\w-]+|/web/[\w-]+|/[a-z]{2})?/(?:portal/)?(?:pages/)?(?:index|default|home|trang-chu)(?:\.\w+)?$",
    re.I,
)
#: A menu entry's text has a word (not a date, a number or a symbol alone).
_MENU_TEXT_RE = re.compile(r"[^\W\d_]{2}")
#: A URL numbering a listing's pages.
PAGER_RE = re.compile(r"[?&](?:page|trang|p|pageindex|paged)=\d+|/page[/-]\d+|_cur=\d+", re.I)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#")
_FILE_RE = re.compile(r"\.(?:pdf|docx?|xlsx?|zip|rar|jpe?g|png|gif)$", re.I)


@dataclass
class Candidate:
    """A link that may be a news section."""

    title: str
    url: str
    slug: str
    #: ``"menu"``, ``"feed"`` or ``"sitemap"``.
    via: str = "menu"
    articles: int = 0
    #: Why it is not proposed (empty: proposed).
    reason: str = ""
    page2: str = ""
    page2_articles: int = 0

    @property
    def path(self) -> str:
        """The path (and query) the section's listing is at."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def folded(text: str) -> str:
    """``text`` without diacritics, lower case, words separated by single spaces."""
    return slugify(text).replace("-", " ")


def section_slug(title: str, url: str) -> str:
    """The slug of a section: the portal's own last path segment when it is a clean slug
    that starts with the title's words (``hoat-dong-chinh-quyen-nha-nuoc``) or the title's
    first words (``phong-chay`` for ``Phòng cháy chữa cháy rừng``), else the title's
    (``Tin tức - Sự kiện`` → ``tin-tuc-su-kien``)."""
    from_title = slugify(title) or "tin-tuc"
    last = [part for part in urlsplit(url).path.split("/") if part]
    segment = re.sub(r"\.\w+$", "", last[-1]) if last else ""
    clean = re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", segment)
    if clean and (segment.startswith(from_title) or from_title.startswith(f"{segment}-")):
        return segment
    return from_title


def _matches(title: str, words: tuple[str, ...]) -> bool:
    text = f" {folded(title)} "
    return any(f" {word} " in text for word in words)


def site_names(page: Fetched) -> set[str]:
    """The names a home page gives its portal (``og:site_name``; the ``<title>``'s parts
    when the page is at a home path), of :data:`SITE_NAME_WORDS` words or more, folded: a
    menu link titled so leads home."""
    selector = Selector(text=page.text())
    names = selector.css('meta[property="og:site_name"]::attr(content)').getall()
    title = clean_line(" ".join(selector.css("title ::text").getall()))
    if title and _HOME_RE.match(urlsplit(page.url).path):  # else the title may be a section's
        names += re.split(r"\s+[-–|]\s+", title)
    # a section's title is short; a portal's name ("Sở Y tế tỉnh Bắc Kạn") is not
    return {folded(name) for name in names if len(folded(name).split()) >= SITE_NAME_WORDS}


def left_out_by_title(
    title: str, url: str, home: str, names: frozenset[str] | set[str] = frozenset()
) -> str:
    """Why a menu link is not a section whatever its page lists ("" when it may be);
    ``names``: the portal's own (:func:`site_names`)."""
    parts = urlsplit(url)
    if (not parts.query and _HOME_RE.match(parts.path)) or folded(title) in names:
        return "the home page (an aggregate section would own every article's section)"
    if PAGER_RE.search(url):
        return "another page of a listing (a pager link)"
    if folded(title) in AGGREGATE:
        return "an aggregate list (it would own every article's section for good)"
    if _matches(title, NOT_NEWS):
        return "not a news page (by its title)"
    return ""


def menu_links(page: Fetched, hosts: set[str]) -> list[Candidate]:
    """The portal's own links on ``page`` (not files), in page order, each
    once, with the text the portal prints (or its ``title``); a text of more than
    :data:`MENU_WORDS` words is an article's title, not a menu entry."""
    selector = Selector(text=page.text())
    seen: set[str] = set()
    found: list[Candidate] = []
    for anchor in selector.css("a[href]"):
        href = (anchor.attrib.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            continue
        url = urljoin(page.url, href).split("#", 1)[0]
        if not same_site(url, hosts) or _FILE_RE.search(urlsplit(url).path):
            continue
        title = clean_line(" ".join(anchor.css("::text").getall()))
        title = title or clean_line(anchor.attrib.get("title", ""))
        key = url.rstrip("/")
        if not _MENU_TEXT_RE.search(title) or key in seen or len(title.split()) > MENU_WORDS:
            continue
        seen.add(key)
        found.append(Candidate(title, url, section_slug(title, url)))
    return found


def newsy(candidate: Candidate) -> bool:
    """A title that says news (``Tin …``, ``Sự kiện``, ``Thông báo``, ``Hoạt động …``)."""
    return _matches(candidate.title, NEWSY)


def propose(candidates: list[Candidate]) -> list[Candidate]:
    """Mark the sections proposed: those listing articles, news-like ones first, at most
    :data:`MOST`; the others get their reason. Returns every candidate, proposed first."""
    usable = [c for c in candidates if not c.reason]
    for candidate in usable:
        if candidate.articles < (1 if candidate.via == "feed" else MIN_ARTICLES):
            candidate.reason = (
                f"lists {candidate.articles} article link"
                f"{'' if candidate.articles == 1 else 's'} (not a news listing)"
            )
    ranked = sorted(
        (c for c in usable if not c.reason), key=lambda c: (not newsy(c), usable.index(c))
    )
    for extra in ranked[MOST:]:
        extra.reason = f"beyond the {MOST} sections proposed"
    slugs: set[str] = set()
    for candidate in ranked[:MOST]:
        if candidate.slug in slugs:
            candidate.reason = f"same slug as another section ({candidate.slug})"
        slugs.add(candidate.slug)
    chosen = [c for c in ranked if not c.reason]
    chosen.sort(key=candidates.index)
    return chosen + [c for c in candidates if c.reason]
