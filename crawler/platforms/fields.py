"""What a platform reads from an article page, and the one choice of its date.

A platform turns a response into one :class:`PageFields` in one pass
(:meth:`~crawler.platforms.base.PortalSpider.page_fields`); the base spider turns that
record and the listing entry into an article, choosing the date with
:func:`choose_date` among the candidates, each read with :func:`crawler.dates.dated`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from crawler.dates import TZ, ChosenDate, dated

#: Where a date may come from, best first: machine-readable meta dates, the page's date
#: line, the listing's date, trafilatura's date, a date in the URL, the lead sentence.
DATE_SOURCES = ("meta", "page", "listing", "trafilatura", "url", "lead")

#: A date candidate: a text to parse (or a datetime already read) and its source.
DateCandidate = tuple[str | datetime, str]


@dataclass
class PageFields:
    """An article page's fields, as its platform reads them."""

    title: str | None
    #: Where the title came from: ``page``, ``meta``, ``listing`` or ``none``.
    title_source: str
    #: The page's own date candidates (sources ``meta``, ``page``, ``trafilatura``), best
    #: first within a source; the listing's, the URL's and the lead's are added on choosing.
    dates: list[DateCandidate] = field(default_factory=list)
    body: str = ""
    author: str | None = None
    #: Lead images shown above the body (absolute URLs), when the body has none.
    images: list[str] = field(default_factory=list)
    #: Documents the page links to outside its body (absolute URLs); those its body links
    #: to are found by the base spider.
    attachments: list[str] = field(default_factory=list)

    def content_html(self) -> str:
        """The body, its lead images first."""
        images = (f'<p><img src="{escape(url, quote=True)}" alt=""></p>' for url in self.images)
        return "".join(images) + self.body


def _rank(candidate: DateCandidate) -> int:
    return DATE_SOURCES.index(candidate[1])


def choose_date(
    candidates: list[DateCandidate], listed_text: str, now: datetime, *, feed: bool = False
) -> ChosenDate:
    """The publication date from the best candidate (see :data:`DATE_SOURCES`).

    Year-less and relative forms are anchored to the best absolute evidence (the listing's
    or the URL's date), else to ``now``; such a date is marked ``relative``. A meta date is
    machine-readable: one that reads as relative is not taken. trafilatura's date is
    refused when it is ``now``'s day (page headers print today's date).

    With ``feed`` the listing is a feed whose machine date competes with the page's:

    * the page's date (meta or visible) wins when it carries a time of day;
    * a page date that is only a day takes the feed's time when the feed gives the same
      local day; on another day the page's day wins;
    * with no absolute page date, the feed's date wins over the URL and the lead.
    """
    if feed:
        listed = dated(listed_text, now)
        if listed is not None and listed.value is not None and not listed.relative:
            listed_day = listed.value.astimezone(TZ).date()
            listed = listed._replace(source="listing")
            page = choose_date(candidates, "", now)
            if page.source in ("meta", "page") and page.value is not None and not page.relative:
                if (page.value.hour, page.value.minute, page.value.second) != (0, 0, 0):
                    return page
                return listed if page.value.date() == listed_day else page
            return listed
    listing = dated(listed_text, now)
    url_dates = [value for value, source in candidates if source == "url"]
    url_date = url_dates[0] if url_dates and isinstance(url_dates[0], datetime) else None
    evidence = (listing.value if listing and not listing.relative else None) or url_date
    anchor = evidence + timedelta(days=1) if evidence else now
    ranked = sorted([*candidates, (listed_text, "listing")], key=_rank)
    for value, source in ranked:
        if source == "listing":
            found = listing
        elif isinstance(value, datetime):
            return ChosenDate(value, source, relative=False)
        else:
            found = dated(value, anchor, at_start=source == "lead")
            if found and source == "meta" and found.relative:
                found = None
            if found and source == "trafilatura":
                today = found.value is not None and found.value.date() == now.date()
                found = None if today else found
        if found:
            return found._replace(source=source)
    return ChosenDate(None, None, relative=False)
