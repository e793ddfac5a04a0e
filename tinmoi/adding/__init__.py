"""``tinmoi add URL``: read a portal's home page and write its definition.

One concern per module: :mod:`~tinmoi.adding.fetch` (the few polite requests),
:mod:`~tinmoi.adding.recognise` (which platform, from evidence),
:mod:`~tinmoi.adding.discover` (the platform, else feed, sitemap or generic, with its
sections), :mod:`~tinmoi.adding.sections` (which menu links are news sections, and why
the others are not), :mod:`~tinmoi.adding.patterns` (article URL shapes for the generic
platform), :mod:`~tinmoi.adding.probe` (a trial spider run on fetched pages),
:mod:`~tinmoi.adding.fit` (selectors derived where the platform's defaults miss),
:mod:`~tinmoi.adding.province` (the provinces before and after the 2025 merger),
:mod:`~tinmoi.adding.writer` (the TOML or Python text) and
:mod:`~tinmoi.adding.command` (the whole flow, with its verdict).
"""
