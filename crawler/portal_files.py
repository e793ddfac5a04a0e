"""Portals defined in TOML files, for operators who do not write Python.

A file names a platform and gives the portal's attributes; it becomes a spider class on
that platform, exactly as a Python portal file would::

    name = "baclieu_sxd"                      # optional: the file name without .toml
    portal_title = "Sở Xây dựng tỉnh Bạc Liêu"
    province = "Bạc Liêu"
    platform = "generic"
    base_url = "https://sxd.baclieu.gov.vn"
    domain_aliases = ["https://www.sxd.baclieu.gov.vn"]     # optional
    enabled = false          # optional: no run crawls it (tinmoi add writes it so when
                             # its check fails)

    [[sections]]
    slug = "tin-tuc"
    title = "Tin tức"
    path = "/tin-tuc.html"

    [selectors]                                # optional: only what differs (CSS or XPath)
    next_page_selector = ".pagination a.next::attr(href)"
    chrome_selectors = [".share-bar", "#tin-lien-quan"]

    [options]                                  # optional: other attributes of the platform
    article_pattern = '/tin-tuc/[\\w-]+-(\\d+)\\.html$'

Every key is the name of the attribute it sets. The names of earlier releases (``title``,
``aliases``, ``[selectors]`` keys without ``_selector``, ``chrome``) are still read; the
class lists them in ``portal_file_warnings``, which ``tinmoi sites`` and ``tinmoi check``
print.

Files are looked up in the bundled ``crawler/portals/``, in ``portals/`` under the working
directory, and in the files or folders ``TINMOI_PORTALS`` lists (``tinmoi --portals``).
A malformed file raises :class:`PortalFileError` naming the file, the field and the line.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from crawler import platforms
from crawler.cleanhtml import check_selector
from crawler.platforms.base import PortalSpider, Section

ENV_VAR = "TINMOI_PORTALS"
BUNDLED = Path(str(files("crawler") / "portals"))
NAME_RE = re.compile(r"[a-z][a-z0-9_]{1,63}")
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")

#: ``[selectors]`` keys: the selector attributes a portal file may set.
SELECTORS = (
    "listing_entry_selector",
    "listing_link_selector",
    "listing_title_selector",
    "listing_date_selector",
    "next_page_selector",
    "title_selector",
    "date_selector",
    "meta_date_selector",
    "body_selector",
    "author_selector",
)
TOP_LEVEL = {
    "name",
    "portal_title",
    "province",
    "platform",
    "base_url",
    "domain_aliases",
    "cdn_url",
    "enabled",
}
#: Keys of earlier releases and the keys that replaced them, per table ("" is the top level).
OLD_KEYS = {
    "": {"title": "portal_title", "aliases": "domain_aliases"},
    "selectors": {
        "chrome": "chrome_selectors",
        **{key.removesuffix("_selector"): key for key in SELECTORS},
    },
}
TABLES = {"sections", "selectors", "options"}
#: What a warning about a selector the platform does not read says (``tinmoi check`` fails).
UNUSED_SELECTOR = "not used by the"
#: Top-level keys every portal file sets.
REQUIRED = ("portal_title", "province", "platform", "base_url")


class PortalFileError(Exception):
    """A portal file that cannot be used: which file, which field, which line."""

    def __init__(self, path: Path, message: str, field: str = "", line: int | None = None):
        where = str(path) + (f":{line}" if line else "")
        super().__init__(f"{where}: {field + ': ' if field else ''}{message}")
        self.path, self.field, self.line = path, field, line


@dataclass(frozen=True)
class _Source:
    path: Path
    text: str
    #: Fields as the file wrote them, by their current name (``portal_title``: ``title``).
    written: dict[str, str] = field(default_factory=dict)

    def error(self, field: str, message: str) -> PortalFileError:
        field = self.written.get(field, field)
        return PortalFileError(self.path, message, field, self.line_of(field))

    def renamed(self, table: dict[str, Any], where: str, warnings: list[str]) -> dict[str, Any]:
        """``table`` with its old keys under their current names, each noted in ``warnings``."""
        found = dict(table)
        prefix = f"{where}." if where else ""
        for old in list(found):
            if (new := OLD_KEYS[where].get(old)) is None:
                continue
            if new in found:
                raise self.error(prefix + old, f"set twice (as {old} and as {new})")
            found[new] = found.pop(old)
            self.written[prefix + new] = prefix + old
            line = self.line_of(prefix + old)
            warnings.append(f"{self.path}{f':{line}' if line else ''}: {prefix}{old}: now {new}")
        return found

    def line_of(self, field: str) -> int | None:
        """The line where ``field`` (``table.key`` or ``sections[2].path``) is set."""
        match = re.fullmatch(r"(?:(\w+)(?:\[(\d+)\])?\.)?(\w+)", field)
        if not match:
            return None
        table, index, key = match.groups()
        seen = -1
        current = ""
        for number, raw in enumerate(self.text.splitlines(), start=1):
            line = raw.strip()
            if header := re.fullmatch(r"\[\[?\s*([\w.]+)\s*\]\]?", line):
                current = header.group(1)
                if current == table and line.startswith("[["):
                    seen += 1
                continue
            if not re.match(rf"{re.escape(key)}\s*=", line):
                continue
            if table is None and current == "":
                return number
            if current == table and (index is None or seen == int(index)):
                return number
        return None


def platform_classes() -> dict[str, type[PortalSpider]]:
    """Every platform base class (a ``platform`` and no ``name``), by platform slug."""
    found: dict[str, type[PortalSpider]] = {}
    for module in pkgutil.iter_modules(platforms.__path__):
        loaded = importlib.import_module(f"{platforms.__name__}.{module.name}")
        for value in vars(loaded).values():
            if (
                isinstance(value, type)
                and issubclass(value, PortalSpider)
                and value.platform
                and not getattr(value, "name", None)
                and value.__module__ == loaded.__name__
            ):
                found.setdefault(value.platform, value)
    return found


def portal_paths(extra: str | None = None) -> list[Path]:
    """The TOML files to load: bundled, ``./portals``, then ``TINMOI_PORTALS`` entries."""
    places = [BUNDLED, Path("portals")]
    listed = extra if extra is not None else os.environ.get(ENV_VAR, "")
    places += [Path(p) for p in listed.split(os.pathsep) if p]
    found: list[Path] = []
    for place in places:
        candidates = sorted(place.glob("*.toml")) if place.is_dir() else [place]
        for path in candidates:
            if path.suffix == ".toml" and path.is_file() and path.resolve() not in found:
                found.append(path.resolve())
    return found


def load_portal_file(path: Path) -> type[PortalSpider]:
    """The spider class a portal file defines (raises :class:`PortalFileError`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PortalFileError(path, f"cannot read it ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        raise PortalFileError(
            path, f"not valid TOML ({exc})", line=int(line.group(1)) if line else None
        ) from None
    return _spider_class(_Source(path, text), data)


def _spider_class(src: _Source, data: dict[str, Any]) -> type[PortalSpider]:
    warnings: list[str] = []
    data = src.renamed(data, "", warnings)
    if isinstance(data.get("selectors"), dict):
        data["selectors"] = src.renamed(data["selectors"], "selectors", warnings)
    unknown = sorted(set(data) - TOP_LEVEL - TABLES)
    if unknown:
        raise src.error(unknown[0], "unknown field (see crawler/portal_files.py)")
    missing = [key for key in REQUIRED if data.get(key) is None]
    if len(missing) > 1:
        raise PortalFileError(src.path, f"missing {', '.join(missing)}")
    name = _text(src, data, "name", required=False) or src.path.stem
    if not NAME_RE.fullmatch(name):
        raise src.error(
            "name", f"{name!r} must be 2 to 64 of lowercase letters, digits and _, "
            "starting with a letter",
        )  # fmt: skip
    known = platform_classes()
    platform = _text(src, data, "platform")
    if platform not in known:
        raise src.error("platform", f"{platform!r} is not one of {', '.join(sorted(known))}")
    base = known[platform]
    attrs: dict[str, Any] = {
        "name": name,
        "portal_title": _text(src, data, "portal_title"),
        "province": _text(src, data, "province"),
        "base_url": _url(src, data, "base_url"),
        "domain_aliases": tuple(_urls(src, data, "domain_aliases")),
        "sections": _sections(src, data),
        "source_file": str(src.path),
        "__doc__": f"{_text(src, data, 'portal_title')} (defined in {src.path.name}).",
        "__module__": __name__,
    }
    if "cdn_url" in data:
        attrs["cdn_url"] = _url(src, data, "cdn_url")
    if "enabled" in data:
        if not isinstance(data["enabled"], bool):
            raise src.error("enabled", "must be true or false")
        attrs["enabled"] = data["enabled"]
    attrs |= _selectors(src, data.get("selectors", {}))
    attrs |= _options(src, data.get("options", {}), base)
    for option in base.required_options:
        if not attrs.get(option):
            raise src.error(f"options.{option}", f"missing: the {platform} platform needs it")
    for key in sorted(set(attrs) & set(base.ignored_selectors)):
        line = src.line_of(f"selectors.{key}")
        warnings.append(
            f"{src.path}{f':{line}' if line else ''}: selectors.{key}: {UNUSED_SELECTOR} "
            f"{platform} platform ({base.ignored_selectors[key]})"
        )
    attrs["portal_file_warnings"] = tuple(warnings)
    return type(f"{name.title().replace('_', '')}Spider", (base,), attrs)


def _text(src: _Source, data: dict[str, Any], key: str, required: bool = True) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise src.error(key, "missing")
        return ""
    if not isinstance(value, str) or not value.strip():
        raise src.error(key, "must be a non-empty string")
    return value.strip()


def _url(src: _Source, data: dict[str, Any], key: str) -> str:
    value = _text(src, data, key)
    if not re.fullmatch(r"https?://[^/\s]+", value.rstrip("/")):
        raise src.error(key, f"{value!r} is not an origin like https://example.gov.vn")
    return value.rstrip("/")


def _urls(src: _Source, data: dict[str, Any], key: str) -> list[str]:
    values = data.get(key, [])
    if not isinstance(values, list):
        raise src.error(key, "must be a list of URLs")
    return [_url(src, {key: value}, key) for value in values]


def _sections(src: _Source, data: dict[str, Any]) -> tuple[Section, ...]:
    raw = data.get("sections", [])
    if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
        raise src.error("sections", "must be [[sections]] tables")
    found = []
    for index, section in enumerate(raw):
        where = f"sections[{index}]"
        extra = sorted(set(section) - {"slug", "title", "path"})
        if extra:
            raise src.error(f"{where}.{extra[0]}", "unknown field (slug, title, path)")
        slug = _text(src, section, "slug") if "slug" in section else ""
        if not SLUG_RE.fullmatch(slug):
            raise src.error(f"{where}.slug", f"{slug!r} must be lowercase letters, digits, -")
        path = section.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            raise src.error(f"{where}.path", "must be a path starting with /")
        title = section.get("title")
        if not isinstance(title, str) or not title.strip():
            raise src.error(f"{where}.title", "must be a non-empty string")
        found.append(Section(slug, title.strip(), path))
    if len({s.slug for s in found}) != len(found):
        raise src.error("sections", "two sections share a slug")
    return tuple(found)


def _selectors(src: _Source, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise src.error("selectors", "must be a table")
    attrs: dict[str, Any] = {}
    for key, value in table.items():
        field = f"selectors.{key}"
        if key == "chrome_selectors":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise src.error(field, "must be a list of CSS or XPath selectors")
            for selector in value:
                try:
                    check_selector(selector)
                except ValueError as exc:
                    raise src.error(field, str(exc)) from None
            attrs[key] = tuple(value)
            continue
        if key not in SELECTORS:
            raise src.error(
                field, f"unknown selector (one of {', '.join(SELECTORS)}, chrome_selectors)"
            )
        if not isinstance(value, str):
            raise src.error(field, "must be a CSS or XPath string")
        if value == "":  # none: the platform's selector switched off
            attrs[key] = value
            continue
        try:
            check_selector(value)
        except ValueError as exc:
            raise src.error(field, f"bad selector ({exc})") from None
        attrs[key] = value
    return attrs


def _options(src: _Source, table: Any, base: type[PortalSpider]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise src.error("options", "must be a table")
    attrs: dict[str, Any] = {}
    for key, value in table.items():
        field = f"options.{key}"
        current = getattr(base, key, None)
        settable = not key.startswith("_") and isinstance(current, str | int | float | tuple)
        if not settable or callable(current) or key in {"name", "platform", "required_options"}:
            raise src.error(field, f"{base.platform} has no setting {key!r}")
        if isinstance(current, tuple):
            if not isinstance(value, list):
                raise src.error(field, "must be a list")
            value = tuple(value)
        elif type(value) is not type(current) and not (
            isinstance(current, float) and isinstance(value, int)
        ):
            raise src.error(field, f"must be a {type(current).__name__}")
        attrs[key] = value
    return attrs


def load_portals(
    extra: str | None = None,
) -> Iterator[tuple[Path, type[PortalSpider] | PortalFileError]]:
    """Each portal file with its spider class, or the error that file gives."""
    for path in portal_paths(extra):
        try:
            yield path, load_portal_file(path)
        except PortalFileError as exc:
            yield path, exc
