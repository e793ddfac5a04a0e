"""The one base of the errors that tinmoi reports as a one-line message and an exit code.

Each package keeps its own error classes (ArchiveError, ConfigError, …), all derived from
:class:`TinmoiError`; the ``tinmoi`` command catches this base alone. This module imports
nothing, so reading the archive loads no Scrapy or Twisted module for it.
"""

from __future__ import annotations


class TinmoiError(Exception):
    """An error the ``tinmoi`` command prints as ``tinmoi: MESSAGE`` and exits ``exit_code``."""

    exit_code: int = 1
