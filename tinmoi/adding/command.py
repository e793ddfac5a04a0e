"""``tinmoi add URL``: fetch, recognise, find sections, fit, write, check, and say so.

The file is written whatever the check says; when the check fails it is written with
``enabled = false`` (no run crawls it) and the verdict names the fields that need a hand.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from parsel import Selector

from crawler.errors import TinmoiError
from crawler.portal_files import ENV_VAR, NAME_RE, platform_classes
from crawler.text import clean_line
from crawler.urls import OriginMap, origin
from tinmoi.adding import province as provinces
from tinmoi.adding.discover import Discovery, Site, discover
from tinmoi.adding.fetch import POLITE_DELAY, Fetched, Fetcher
from tinmoi.adding.fit import fit
from tinmoi.adding.recognise import recognise
from tinmoi.adding.writer import Proposal, python_text, toml_text

#: "Trang chủ - " before (or " | Trang chủ" after) a portal's name in its ``<title>``.
_TITLE_NOISE_RE = re.compile(
    r"^\s*(?:trang chủ|trang nhất|home)\s*[-|–:]\s*|\s*[-|–:]\s*(?:trang chủ|trang nhất|home)\s*$",
    re.I,
)


class AddError(TinmoiError):
    """The portal cannot be added (unreachable, already defined, nothing to read)."""


@dataclass
class AddRequest:
    """What ``tinmoi add`` was asked."""

    url: str
    name: str | None = None
    title: str | None = None
    province: str | None = None
    python: bool = False
    url_map: dict[str, str] = field(default_factory=dict)
    base_url: str | None = None
    profile: str = "polite"
    now: str | None = None
    force: bool = False
    folder: Path = Path("portals")


@dataclass
class Outcome:
    """What one ``tinmoi add`` did: the portal, its file, platform and verdict."""

    url: str
    name: str
    path: Path | None
    platform: str
    sections: int
    ok: bool
    problem: str = ""


def portal_name(url: str) -> str:
    """A portal name from a host: ``sxd.dongnai.gov.vn`` → ``sxd_dongnai``."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    host = re.sub(r"\.(?:gov|com|org|edu|net)?\.?vn$|\.(?:com|org|net)$", "", host)
    name = re.sub(r"[^a-z0-9]+", "_", host).strip("_")
    return name if name[:1].isalpha() else f"p_{name}"


def defined_hosts(exclude: str = "") -> dict[str, str]:
    """Every public host (base URL and aliases) a portal defines → that portal."""
    from tinmoi.portals import portal_names, spider_class

    found: dict[str, str] = {}
    for name in portal_names():
        if name == exclude:
            continue
        cls = spider_class(name)
        for url in (cls.base_url, *cls.domain_aliases):
            host = (urlsplit(url).hostname or "").lower()
            found.setdefault(host, name)
    return found


def site_title(home: Fetched) -> str:
    """The portal's name as its home page prints it (``og:site_name``, else the
    ``<title>`` without "Trang chủ")."""
    selector = Selector(text=home.text())
    named = clean_line(selector.css('meta[property="og:site_name"]::attr(content)').get(""))
    if named:
        return named
    title = clean_line(" ".join(selector.css("title ::text").getall()))
    return _TITLE_NOISE_RE.sub("", title).strip() or title


#: The province written when the home page names none (the file is written disabled).
UNKNOWN_PROVINCE = "?"
#: Words of a link's text past which it is a headline (a story's place, not the portal's).
HEADLINE_WORDS = 6


def _own_text(home: Fetched) -> str:
    """The home page's text but its headlines: what the portal says of itself (header,
    menu, footer, address), not where its stories happen."""
    page = Selector(text=home.text())
    for link in page.css("body a"):
        if len(clean_line(" ".join(link.css("::text").getall())).split()) > HEADLINE_WORDS:
            link.root.drop_tree()
    return clean_line(" ".join(page.css("body ::text").getall()))


def _province(request: AddRequest, home: Fetched, title: str, out: TextIO) -> str:
    if request.province:
        return request.province
    named = provinces.named_in(title, _own_text(home))
    if named is None:
        print("province: not found on the page (set it with --province)", file=out)
        return UNKNOWN_PROVINCE
    now = provinces.current(named)
    if now != named:
        print(f"province: the page names {named}, part of {now} since 2025-07-01", file=out)
    else:
        print(f"province: {now}", file=out)
    return now


def _aliases(request: AddRequest, base_url: str, found: Discovery, home: Fetched) -> list[str]:
    """The other public origins ``--url-map`` names that the portal's pages link to (not
    the platform's CDN): the domain it moved to."""
    cdn = platform_classes()[found.platform].cdn_url or ""
    texts = [home.text(), *(page.text() for page in found.pages.values())]
    return [
        origin(public)
        for public in request.url_map
        if origin(public) not in (origin(base_url), origin(cdn) if cdn else "")
        and any(f"//{urlsplit(public).netloc}/" in text for text in texts)
    ]


def _print_sections(found: Discovery, out: TextIO) -> None:
    print(f"platform: {found.why}", file=out)
    for section in found.candidates:
        mark = "+" if not section.reason else "-"
        where = f"{section.articles} articles"
        if section.page2:
            where += f", page 2 {section.page2_articles} more ({section.page2})"
        print(f"  {mark} {section.title}  {section.path}  [{section.via}: {where}]", file=out)
        if section.reason:
            print(f"      left out: {section.reason}", file=out)


def propose_portal(request: AddRequest, out: TextIO) -> tuple[Proposal, Discovery]:
    """Fetch the portal and decide its definition (nothing written yet)."""
    base_url = origin(request.url)
    hosts = {(urlsplit(base_url).hostname or "").lower()}
    hosts |= {(urlsplit(u).hostname or "").lower() for u in request.url_map}
    url_map = dict(request.url_map)
    if request.base_url:
        url_map[base_url] = request.base_url
    delay = 0.0 if request.profile == "loopback" else POLITE_DELAY
    fetcher = Fetcher(OriginMap(url_map), delay=delay)
    home = fetcher.get(request.url)
    if home is None or not home.ok:
        status = f"HTTP {home.status}" if home is not None else "no answer or robots.txt forbids"
        raise AddError(f"cannot read {request.url} ({status})")
    recognised = recognise([home])
    for line in recognised.evidence:
        print(f"evidence: {line}", file=out)
    scores = ", ".join(f"{p} {s}" for p, s in sorted(recognised.scores.items()))
    print(f"recognised: {recognised.platform or 'no known platform'}"
          + (f" (scores: {scores})" if scores else ""), file=out)  # fmt: skip
    now = datetime.fromisoformat(request.now) if request.now else None
    site = Site(fetcher, home, base_url, hosts, url_map, now)
    found = discover(site, recognised.platform)
    if found is None:
        raise AddError(f"{request.url}: no section found (no menu page lists articles, "
                       "no feed, no sitemap)")  # fmt: skip
    _print_sections(found, out)
    selectors, options = fit(site, found, out)
    title = request.title or site_title(home) or base_url
    proposal = Proposal(
        name=request.name or portal_name(base_url),
        title=title,
        province=_province(request, home, title, out),
        platform=found.platform,
        base_url=base_url,
        domain_aliases=_aliases(request, base_url, found, home),
        sections=found.sections,
        left_out=[c for c in found.candidates if c.reason],
        selectors=selectors,
        options=found.options | options,
    )
    proposal.notes = [
        f"Written by tinmoi add {request.url} ({fetcher.requests} requests).",
        f"Platform: {found.why}.",
        *(f"Evidence: {line}" for line in recognised.evidence),
    ]
    return proposal, found


def _write(request: AddRequest, proposal: Proposal) -> Path:
    if request.python:
        from tinmoi.scaffold import project_root

        root = project_root(Path.cwd())
        if root is None:
            raise AddError("not inside a tinmoi source tree: write a TOML file instead")
        path = root / "crawler" / "spiders" / f"{proposal.name}.py"
        text = python_text(proposal, platform_classes()[proposal.platform])
    else:
        path = request.folder / f"{proposal.name}.toml"
        text = toml_text(proposal)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _check(request: AddRequest, proposal: Proposal, path: Path, out: TextIO) -> tuple[bool, str]:
    from crawler.check import verdict
    from crawler.portal_files import PortalFileError, load_portal_file
    from tinmoi.checking import CheckError, print_check, run_check
    from tinmoi.portals import reload

    if not request.python:
        try:
            load_portal_file(path)
        except PortalFileError as exc:
            return False, str(exc)
        listed = os.environ.get(ENV_VAR, "")
        os.environ[ENV_VAR] = os.pathsep.join(filter(None, [str(path.resolve()), listed]))
        reload()
    spider_args: dict[str, str] = {}
    if request.base_url:
        spider_args["base_url"] = request.base_url
    if request.url_map:
        spider_args["url_map"] = ",".join(f"{k}={v}" for k, v in request.url_map.items())
    print(f"\nchecking {proposal.name}:", file=out)
    try:
        found = run_check(proposal.name, spider_args, profile=request.profile, now=request.now)
    except CheckError as exc:
        print(f"  {exc}", file=out)
        return False, str(exc)
    ok = print_check(found, out)
    _, problems = verdict(found)
    return ok, "; ".join(problems)


#: What a check problem says → the field of the portal file to look at.
_FIELDS = (
    ("no listing page with articles", "sections (or listing_entry_selector)"),
    ("no article could be extracted", "listing_link_selector (or the article URLs)"),
    ("title", "title_selector"),
    ("date", "date_selector"),
    ("body", "body_selector"),
    ("chrome leaked", "chrome_selectors"),
    ("dropped", "the articles' pages (dropped)"),
    ("check crawl failed", "the portal file (it does not load or crawl)"),
    ("names no province", "province"),
)


def needs_a_hand(problem: str) -> list[str]:
    """The portal file's fields a failed check points at, in the file's order."""
    said = re.sub(r"https?://\S+", "", problem)
    found = [field for words, field in _FIELDS if words in said]
    return found or ["the portal file"]


def _guessed(proposal: Proposal, out: TextIO) -> None:
    """What was guessed, in one block at the end."""
    fitted = [*proposal.selectors, *proposal.options]
    print(f"  platform {proposal.platform}; sections "
          + ", ".join(s.slug for s in proposal.sections)
          + f"; province {proposal.province}; title {proposal.title!r}"
          + (f"; fitted {', '.join(fitted)}" if fitted else ""), file=out)  # fmt: skip


def add_portal(request: AddRequest, out: TextIO) -> Outcome:
    """Add one portal: its file written, checked, and enabled only when the check passes."""
    from tinmoi.portals import portal_names

    if request.name and not NAME_RE.fullmatch(request.name):
        raise AddError(f"{request.name!r}: a portal name is lowercase letters, digits and _")
    host = (urlsplit(request.url).hostname or "").lower()
    owner = defined_hosts().get(host)
    if owner and not request.force:
        raise AddError(f"{host} is already defined by portal {owner} (--force adds it anyway)")
    name = request.name or portal_name(request.url)
    if name in portal_names():
        raise AddError(f"portal {name} exists already (give another --name)")
    request.name = name
    proposal, found = propose_portal(request, out)
    path = _write(request, proposal)
    print(f"\nwrote {path}", file=out)
    ok, problem = _check(request, proposal, path, out)
    if ok and proposal.province == UNKNOWN_PROVINCE:
        ok, problem = False, "the home page names no province (give --province)"
    if not ok:
        proposal.enabled = False
        proposal.notes.append(f"Disabled: the check failed ({problem}).")
        path.write_text(
            python_text(proposal, platform_classes()[proposal.platform])
            if request.python
            else toml_text(proposal),
            encoding="utf-8",
        )
        print(f"\nadded {name} DISABLED (enabled = false in {path}): {problem}", file=out)
        print(f"  needs a hand: {', '.join(needs_a_hand(problem))}", file=out)
    else:
        print(f"\nadded {name}: {found.why}; {len(found.sections)} sections", file=out)
    _guessed(proposal, out)
    return Outcome(request.url, name, path, found.platform, len(found.sections), ok, problem)
