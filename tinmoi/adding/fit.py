"""Fitting the theme: the platform's default selectors tried on a listing and a few
articles; where one misses, a selector derived from the page, kept only when it
differs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tinmoi.adding.discover import Discovery, Site


def fit(site: Site, found: Discovery, out: TextIO) -> tuple[dict[str, Any], dict[str, Any]]:
    """The selectors and options that differ from the platform's defaults."""
    return {}, {}
