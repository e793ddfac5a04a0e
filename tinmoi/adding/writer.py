"""The portal file ``tinmoi add`` writes: TOML with comments saying what was guessed and
why (the sections left out are there, commented, each with its reason), or the same
portal as a Python spider."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tinmoi.adding.sections import Candidate


@dataclass
class Proposal:
    """Everything ``tinmoi add`` decided about a portal."""

    name: str
    title: str
    province: str
    platform: str
    base_url: str
    domain_aliases: list[str] = field(default_factory=list)
    sections: list[Candidate] = field(default_factory=list)
    left_out: list[Candidate] = field(default_factory=list)
    selectors: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    #: Lines of the file's heading comment (evidence, former province, what needs a hand).
    notes: list[str] = field(default_factory=list)


def toml_value(value: Any) -> str:
    """A TOML literal: strings with backslashes as literal strings, lists inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    text = str(value)
    if "\\" in text and "'" not in text and "\n" not in text:
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def _table(name: str, values: dict[str, Any]) -> list[str]:
    if not values:
        return []
    return ["", f"[{name}]", *(f"{key} = {toml_value(v)}" for key, v in values.items())]


def toml_text(proposal: Proposal) -> str:
    """The portal file, in TOML."""
    lines = [f"# {note}" for note in proposal.notes]
    lines += [
        f"name = {toml_value(proposal.name)}",
        f"portal_title = {toml_value(proposal.title)}",
        f"province = {toml_value(proposal.province)}",
        f"platform = {toml_value(proposal.platform)}",
        f"base_url = {toml_value(proposal.base_url)}",
    ]
    if proposal.domain_aliases:
        lines.append(f"domain_aliases = {toml_value(proposal.domain_aliases)}")
    if not proposal.enabled:
        lines.append("enabled = false   # no run crawls it: fix what the check names, then")
        lines.append("                  # remove this line")
    for section in proposal.sections:
        found = f"{section.articles} articles on page 1"
        if section.page2:
            found += f", {section.page2_articles} on page 2"
        lines += [
            "",
            f"[[sections]]   # {section.via}: {found}",
            f"slug = {toml_value(section.slug)}",
            f"title = {toml_value(section.title)}",
            f"path = {toml_value(section.path)}",
        ]
    for section in proposal.left_out:
        lines += [
            "",
            f"# left out: {section.reason}",
            "# [[sections]]",
            f"# slug = {toml_value(section.slug)}",
            f"# title = {toml_value(section.title)}",
            f"# path = {toml_value(section.path)}",
        ]
    lines += _table("selectors", proposal.selectors)
    lines += _table("options", proposal.options)
    return "\n".join(lines) + "\n"


def python_text(proposal: Proposal, base: type) -> str:
    """The same portal as a spider module on the platform's base class."""
    camel = "".join(part.title() for part in proposal.name.split("_"))
    lines = [f"# {note}" for note in proposal.notes]
    lines += [
        "from crawler.platforms.base import Section",
        f"from {base.__module__} import {base.__name__}",
        "",
        "",
        f"class {camel}Spider({base.__name__}):",
        f'    """{proposal.title}."""',
        "",
        f"    name = {proposal.name!r}",
        f"    portal_title = {proposal.title!r}",
        f"    province = {proposal.province!r}",
        f"    base_url = {proposal.base_url!r}",
    ]
    if proposal.domain_aliases:
        lines.append(f"    domain_aliases = {tuple(proposal.domain_aliases)!r}")
    if not proposal.enabled:
        lines.append("    enabled = False")
    lines.append("    sections = (")
    for section in proposal.sections:
        lines.append(f"        Section({section.slug!r}, {section.title!r}, {section.path!r}),")
    lines.append("    )")
    for key, value in {**proposal.selectors, **proposal.options}.items():
        shown = tuple(value) if isinstance(value, list) else value
        lines.append(f"    {key} = {shown!r}")
    return "\n".join(lines) + "\n"
