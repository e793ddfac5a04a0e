"""Redirects stay on the portal's own origins (ports included) and no request reaches an
internal address the portal was not configured on, judged on the resolved address."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from scrapy.http import Request, Response
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.middlewares.redirects import OffsiteRedirect, PortalRedirectMiddleware
from tests.conftest import tinmoi
from tests.test_attachments import PDF_URL
from tests.test_runs import run_args, site  # noqa: F401 (the fixture)
from tinmoi.snapshot import HostServer

LOADER = get_spider_loader(get_project_settings())
FETCH = "http://127.0.0.1:5000"


def middleware(**kwargs: str) -> PortalRedirectMiddleware:
    spidercls = LOADER.load("hanam_tourism")
    crawler = get_crawler(spidercls)
    crawler.spider = spidercls.from_crawler(crawler, **kwargs)
    return PortalRedirectMiddleware(crawler)


def followed(mw: PortalRedirectMiddleware, source: str, target: str) -> bool:
    request = Request(source)
    response = Response(source, status=302, headers={"Location": target}, request=request)
    try:
        return mw.process_response(request, response) is response
    except OffsiteRedirect:
        return False


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (f"{FETCH}/vi/detailnews/?id=news_1", True),  # the portal, where it is fetched from
        ("/vi/detailnews/?id=news_1", True),
        ("http://127.0.0.1:5001/vi/detailnews/?id=news_1", False),  # another port
        ("https://hanamtourism.vn/files/a.pdf", True),  # its public origin
        ("https://hanamtourism.vn:8443/files/a.pdf", False),
        ("http://hanamtourism.vn/files/a.pdf", False),  # https -> http
        ("https://dulichninhbinh.vn/a", True),  # a domain alias
        ("https://dltm-cdn.vnptit3.vn/a.pdf", True),  # its CDN
        ("https://old.hanamtourism.vn/a", True),  # an alias given as http, upgraded
        ("http://old.hanamtourism.vn/a", True),
        ("http://old.hanamtourism.vn:8080/a", False),
        ("https://sub.hanamtourism.vn/a", False),  # another host
        ("http://127.0.0.3:9/elsewhere", False),
    ],
)
def test_a_redirect_is_followed_only_to_one_of_the_portals_origins(target, expected):
    mw = middleware(base_url=FETCH, aliases="http://old.hanamtourism.vn")
    assert followed(mw, f"{FETCH}/vi/news/?id=cat_1", target) is expected


#: Runs the middleware's request check on a real reactor and resolver; prints a JSON list
#: of "ok" or the refusal, per URL.
CHECK = textwrap.dedent(
    """
    import asyncio, json, sys
    from scrapy.utils.reactor import install_reactor
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import defer, reactor
    from scrapy.http import Request
    from scrapy.resolver import CachingThreadedResolver
    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.project import get_project_settings
    from scrapy.utils.test import get_crawler
    from crawler.middlewares.redirects import ForbiddenAddress, PortalRedirectMiddleware

    base, urls = sys.argv[1], sys.argv[2:]
    reactor.installResolver(CachingThreadedResolver(reactor, 100, 60))
    spidercls = get_spider_loader(get_project_settings()).load("hanam_tourism")
    crawler = get_crawler(spidercls)
    crawler.spider = spidercls.from_crawler(crawler, base_url=base)
    mw = PortalRedirectMiddleware(crawler)
    found = []

    async def main():
        for url in urls:
            try:
                await mw.process_request(Request(url))
                found.append("ok")
            except ForbiddenAddress as exc:
                found.append(str(exc))

    done = defer.Deferred.fromFuture(asyncio.ensure_future(main()))
    done.addBoth(lambda _: reactor.stop())
    reactor.run()
    print(json.dumps(found))
    """
)


def checked(base: str, *urls: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", CHECK, base, *urls],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout)


def test_no_request_reaches_an_internal_address_the_portal_is_not_on():
    assert checked(
        "http://127.0.0.2:5000",
        "http://127.0.0.2:5000/vi/",  # where the portal is configured: a snapshot
        "http://127.0.0.2:6000/vi/",  # the same address (ports are the redirects' rule)
        "http://127.0.0.1:5000/vi/",
        "http://localhost:5000/vi/",  # judged on the address the name resolves to
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:5000/",
        "http://93.184.216.34/",  # a public address
    ) == [
        "ok",
        "ok",
        "127.0.0.1 resolves to the internal address 127.0.0.1",
        "localhost resolves to the internal address 127.0.0.1",
        "10.1.2.3 resolves to the internal address 10.1.2.3",
        "169.254.169.254 resolves to the internal address 169.254.169.254",
        "::1 resolves to the internal address ::1",
        "ok",
    ]
    # A portal configured on 127.0.0.1 reaches it under another name too.
    assert checked("http://127.0.0.1:5000", "http://localhost:5000/vi/") == ["ok"]


def test_an_own_host_document_redirecting_to_another_port_is_not_fetched(site, tmp_path):  # noqa: F811
    other = HostServer(site.root / "main")  # the same files, on another port of 127.0.0.1
    other_port = other.server_address[1]
    import threading

    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        pdf = "/resources/portal/files/ke-hoach-125-kh-ubnd.pdf"
        site.servers["main"].faults = {pdf: [f"redirect-port:{other_port}"] * 4}
        tinmoi(*run_args(site, tmp_path), check=True)
        assert other.requests == []
    finally:
        other.shutdown()
        other.server_close()
    with sqlite3.connect(tmp_path / "tinmoi.sqlite3") as conn:
        dropped = conn.execute("select url, reason from dropped where url = ?", (PDF_URL,))
        stored = conn.execute("select count(*) from attachments").fetchone()[0]
        assert dropped.fetchall() == [(PDF_URL, "attachment moved off-site")]
    assert stored == 1  # the DOCX only
