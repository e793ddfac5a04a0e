"""Durations as operators write them: ``90s``, ``15m``, ``6h``, ``1d``, ``1h30m``."""

from __future__ import annotations

import re
from datetime import timedelta

#: Days, hours, minutes and seconds, each optional, in that order.
DURATION_RE = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def parse_duration(text: str) -> timedelta | None:
    """``text`` (``6h``, ``1h30m``, ``2 h``, ``1D``) as a duration, or None when it is not one."""
    match = DURATION_RE.fullmatch(text.replace(" ", "").lower())
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
