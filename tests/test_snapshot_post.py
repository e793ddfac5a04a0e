"""The snapshot server answers ASP.NET postbacks: routed by target and event argument,
refused (500, as ASP.NET does) when the view state is missing or not the page's."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from tinmoi.snapshot import HostServer

TARGET = "/vn/chuyen-muc/12/tin-tuc.aspx"


@pytest.fixture
def server(tmp_path):
    (tmp_path / "page2.html").write_text("<p>Trang 2</p>", encoding="utf-8")
    (tmp_path / "page1.html").write_text("<p>Trang 1</p>", encoding="utf-8")
    routes = {
        TARGET: "page1.html",
        f"POST {TARGET} Page$2": {
            "file": "page2.html",
            "type": "text/html; charset=windows-1258",
            "viewstate": "VS-PAGE-1",
        },
    }
    (tmp_path / "routes.json").write_text(json.dumps(routes), encoding="utf-8")
    host = HostServer(tmp_path)
    thread = threading.Thread(target=host.serve_forever, daemon=True)
    thread.start()
    yield host
    host.shutdown()
    host.server_close()


def post(server: HostServer, form: dict[str, str]) -> tuple[int, str, bytes]:
    request = urllib.request.Request(
        server.url + TARGET,
        data=urlencode(form).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_valid_postback_is_routed_by_target_and_argument(server):
    form = {"__EVENTTARGET": "ctl00$main$pager", "__EVENTARGUMENT": "Page$2"}
    status, content_type, body = post(server, form | {"__VIEWSTATE": "VS-PAGE-1"})
    assert (status, content_type, body) == (
        200,
        "text/html; charset=windows-1258",
        b"<p>Trang 2</p>",
    )
    assert server.requests == [f"POST {TARGET} Page$2"]


@pytest.mark.parametrize("viewstate", [None, "VS-PAGE-7"], ids=["missing", "other-page"])
def test_postback_without_the_pages_viewstate_is_a_server_error(server, viewstate):
    form = {"__EVENTTARGET": "ctl00$main$pager", "__EVENTARGUMENT": "Page$2"}
    if viewstate is not None:
        form["__VIEWSTATE"] = viewstate
    status, _, body = post(server, form)
    assert status == 500
    assert b"The state information is invalid for this page" in body


def test_unknown_page_is_not_found(server):
    form = {"__EVENTTARGET": "ctl00$main$pager", "__EVENTARGUMENT": "Page$9"}
    status, _, _ = post(server, form | {"__VIEWSTATE": "VS-PAGE-1"})
    assert status == 404
    assert server.requests == [f"POST {TARGET} Page$9"]


def test_get_routes_are_unchanged(server):
    with urllib.request.urlopen(server.url + TARGET, timeout=5) as response:
        assert response.read() == b"<p>Trang 1</p>"
    assert server.requests == [TARGET]
