"""Which platform a portal runs on, from the evidence its home page gives.

Each signal is a named regular expression on one part of the answer (the HTML, the
headers, the cookies) with a weight; a platform's score is the sum of its signals found.
The platform with the highest score wins when it reaches :data:`ENOUGH`; the evidence is
printed either way, so a wrong guess can be seen and overridden (``--platform``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tinmoi.adding.fetch import Fetched

#: The score a platform needs to be taken.
ENOUGH = 3


@dataclass(frozen=True)
class Signal:
    """Evidence of one platform: where to look (``html``, ``header``, ``cookie``), what
    for, and how much it weighs."""

    platform: str
    name: str
    where: str
    pattern: str
    weight: int


SIGNALS = (
    Signal("nukeviet", "generator meta NukeViet", "html", r'<meta[^>]+content="NukeViet', 5),
    Signal("nukeviet", "theme assets /themes/…", "html", r'["\']/themes/[\w-]+/(?:css|js)/', 2),
    Signal("nukeviet", "nv_ script variables", "html", r"\bnv_(?:base_siteurl|lang_data)\b", 3),
    Signal("nukeviet", "nv cookie", "cookie", r"^nv\w*_", 2),
    Signal("nukeviet", "RSS generator NukeViet", "html", r"<generator>[^<]*NukeViet", 3),
    Signal("sharepoint", "SharePoint header", "header", r"^microsoftsharepointteamservices:", 6),
    Signal("sharepoint", "/_layouts/ paths", "html", r"/_layouts/(?:15/)?", 3),
    Signal("sharepoint", "ms-core-listMenu markup", "html", r"\bms-core-listMenu", 3),
    Signal("sharepoint", "/Pages/….aspx URLs", "html", r'href="[^"]*/Pages/[\w.-]+\.aspx', 2),
    Signal("sharepoint", "_spPageContextInfo", "html", r"_spPageContextInfo", 3),
    Signal("liferay", "p_p_id portlet ids", "html", r"\bp_p_id", 3),
    Signal("liferay", "/web/<site>/ pages", "html", r'href="/web/[\w-]+/', 2),
    Signal("liferay", "Liferay scripts", "html", r"\bLiferay\.", 3),
    Signal("liferay", "asset publisher links", "html", r"/-/asset_publisher/", 2),
    Signal("liferay", "lfr- classes", "html", r'class="[^"]*\blfr-', 1),
    Signal("wordpress", "generator meta WordPress", "html", r'<meta[^>]+content="WordPress', 5),
    Signal("wordpress", "wp-content assets", "html", r"/wp-content/", 3),
    Signal("wordpress", "wp-json API link", "html", r"/wp-json/", 3),
    Signal("wordpress", "wp-block markup", "html", r'class="[^"]*\bwp-block-', 1),
    Signal("aspnet", "DotNetNuke dnn_ ids", "html", r'id="dnn_', 4),
    Signal("aspnet", "DotNetNuke /Portals/ paths", "html", r"/Portals/\d+/", 2),
    Signal("aspnet", "tabid URLs", "html", r"[?&/]tabid[=/]\d+", 2),
    Signal("aspnet", "ASP.NET view state", "html", r"__VIEWSTATE", 1),
    Signal("aspnet", "ASP.NET .aspx links", "html", r'href="[^"]*\.aspx(?:[?"#])', 2),
    Signal("aspnet", "__doPostBack pager", "html", r"__doPostBack\(", 1),
    Signal("aspnet", "X-AspNet-Version header", "header", r"^x-aspnet-version:", 1),
    Signal("aspnet", "ASP.NET session cookie", "cookie", r"^ASP\.NET_SessionId", 1),
    Signal("vnpt-smart-tourism", "VNPT /vi/news/?id=cat_ lists", "html", r"/news/\?id=cat_\d+", 4),
    Signal("vnpt-smart-tourism", "VNPT article links", "html", r"/detailnews/\?id=news_", 3),
    Signal("vnpt-smart-tourism", "VNPT CDN", "html", r"dltm-cdn\.vnptit3\.vn", 3),
    Signal("vnpt-smart-tourism", "VNPT /Content/portal/ assets", "html", r"/Content/portal/", 1),
)  # fmt: skip


@dataclass
class Recognition:
    """The platform guessed (``""``: none known), each platform's score and the evidence."""

    platform: str
    scores: dict[str, int] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)


def _haystacks(page: Fetched) -> dict[str, list[str]]:
    headers = [f"{name}: {value}" for name, value in page.headers.items()]
    cookies = [
        line.split("=", 1)[0].strip()
        for line in page.headers.get("set-cookie", "").splitlines()
        if "=" in line
    ]
    return {"html": [page.text()], "header": headers, "cookie": cookies}


def recognise(pages: list[Fetched]) -> Recognition:
    """The platform the pages (the home page first) show the most evidence of."""
    found = Recognition("")
    for page in pages:
        places = _haystacks(page)
        for signal in SIGNALS:
            if f"{signal.platform}: {signal.name}" in found.evidence:
                continue
            flags = re.I if signal.where != "html" else 0
            if any(re.search(signal.pattern, text, flags | re.M) for text in places[signal.where]):
                found.scores[signal.platform] = found.scores.get(signal.platform, 0) + signal.weight
                found.evidence.append(f"{signal.platform}: {signal.name}")
    if found.scores:
        best = max(found.scores, key=lambda name: found.scores[name])
        if found.scores[best] >= ENOUGH:
            found.platform = best
    return found
