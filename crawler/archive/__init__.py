"""The archive: every article ever seen, behind one storage interface."""

from crawler.archive.store import Archive, ArchivedArticle, PortalInfo, UpsertResult

__all__ = ["Archive", "ArchivedArticle", "PortalInfo", "UpsertResult"]
