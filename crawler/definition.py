"""The digest of a portal's definition: what tells a selector change from an editor's."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from typing import Any

_PLAIN = (str, int, float, bool, type(None))
#: Attributes that say where a definition was read from, not what it is: a portal file
#: copied elsewhere (a Scrapyd node's, another checkout) defines the same portal.
_WHERE = frozenset({"source_file"})


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data, or :data:`NotImplemented` when it is not data (a
    method, a property, a logger)."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, re.Pattern):
        return {"pattern": value.pattern, "flags": value.flags}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(item) for item in value]
        if NotImplemented in items:
            return NotImplemented
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        pairs = {str(key): _plain(item) for key, item in value.items()}
        return NotImplemented if NotImplemented in pairs.values() else pairs
    return NotImplemented


def definition(spidercls: type) -> dict[str, Any]:
    """A portal spider's definition: its classes' names and every public data attribute
    (selectors, sections, platform, origins), as the last class in the chain sets it."""
    found: dict[str, Any] = {}
    chain = [cls for cls in reversed(spidercls.__mro__) if cls.__module__ != "builtins"]
    for cls in chain:
        if cls.__module__.startswith("scrapy."):
            continue
        for name, value in vars(cls).items():
            if name.startswith("_") or name in _WHERE:
                continue
            plain = _plain(value)
            if plain is not NotImplemented:
                found[name] = plain
    names = [c.__qualname__ for c in chain if not c.__module__.startswith("scrapy.")]
    return {"classes": names, "attributes": dict(sorted(found.items()))}


def definition_hash(spidercls: type) -> str:
    """SHA-256 (hex) of :func:`definition`: the same for the same selectors and attributes
    in every process, different as soon as one of them changes."""
    text = json.dumps(definition(spidercls), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
