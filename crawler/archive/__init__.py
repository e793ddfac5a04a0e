"""The archive: every article ever seen, behind one storage interface."""

from crawler.archive.reads import ArchivedArticle
from crawler.archive.store import Archive, PortalInfo, UpsertResult

__all__ = ["Archive", "ArchivedArticle", "PortalInfo", "UpsertResult"]
