"""Serve the feeds' output directory over HTTP, for feed readers.

A small static file server built on :mod:`asyncio` (one event loop, no thread per
connection) with a hand-written HTTP/1.1 parser, because feed readers poll a lot and
most of their requests are conditional: the 304 path costs one ``os.stat`` and a few
dictionary look-ups. The libraries measured against it (aiohttp, uvicorn, granian,
hypercorn, waitress, cheroot; figures in the README) either fall short of three times
:mod:`http.server` on 304s or do not answer slow, oversized or HTTP/2.0 requests as
this server does (408, 431, 505).

What it does: content types with charsets for the feed formats, ``index.html`` for
directories (no listings), ``ETag``/``Last-Modified``/``Cache-Control``/``Vary``,
``If-None-Match`` and ``If-Modified-Since`` (304), gzip negotiation, ``HEAD``, 405 for
other methods, HTTP/1.1 keep-alive with an idle timeout, and no way out of the root
(dot segments, encoded separators, backslashes, NUL bytes and symlinks leaving the root
are refused). Its modules: ``files`` (types, the cache of bodies and validators, path
resolution), ``replies`` (HTTP semantics), ``connection`` (one client), ``server``
(socket, event loop, start and stop).

``python -m tinmoi.serve --root public --port 8080`` serves a folder until Ctrl-C.
"""

from tinmoi.serve.files import content_type
from tinmoi.serve.server import (
    DEFAULT_MAX_AGE,
    FeedServer,
    ServeError,
    main,
    make_server,
    port_number,
    serve,
)

__all__ = [
    "DEFAULT_MAX_AGE",
    "FeedServer",
    "ServeError",
    "content_type",
    "main",
    "make_server",
    "port_number",
    "serve",
]
