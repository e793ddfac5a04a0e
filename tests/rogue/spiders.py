"""Two copies of the Hà Nam portal whose code misbehaves on their first article."""

from typing import Any

from crawler.spiders.hanam_tourism import HanamTourismSpider

#: What the hog keeps, so its memory stays taken.
_HELD: list[bytes] = []


class HanamLoopSpider(HanamTourismSpider):
    """Its hook never returns."""

    name = "hanam_loop"

    def post_process_fields(self, fields: Any, response: Any) -> Any:
        """Loop forever."""
        while True:
            pass


class HanamHogSpider(HanamTourismSpider):
    """Its hook takes a gigabyte and keeps it."""

    name = "hanam_hog"

    def post_process_fields(self, fields: Any, response: Any) -> Any:
        """Take 1 GB (written, so resident) on the first article."""
        if not _HELD:
            _HELD.append(b"x" * (1 << 30))
        return fields
