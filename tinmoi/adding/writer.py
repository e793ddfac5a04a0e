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


def py_value(value: Any) -> str:
    """A Python literal in the project's style: double-quoted strings, tuples for lists."""
    if isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        items = [py_value(item) for item in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    return json.dumps(str(value), ensure_ascii=False)


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
        f"    name = {py_value(proposal.name)}",
        f"    portal_title = {py_value(proposal.title)}",
        f"    province = {py_value(proposal.province)}",
        f"    base_url = {py_value(proposal.base_url)}",
    ]
    if proposal.domain_aliases:
        lines.append(f"    domain_aliases = {py_value(proposal.domain_aliases)}")
    if not proposal.enabled:
        lines.append("    enabled = False")
    lines.append("    sections = (")
    for s in proposal.sections:
        lines.append(
            f"        Section({py_value(s.slug)}, {py_value(s.title)}, {py_value(s.path)}),"
        )
    lines.append("    )")
    for key, value in {**proposal.selectors, **proposal.options}.items():
        lines.append(f"    {key} = {py_value(value)}")
    return "\n".join(lines) + "\n"
