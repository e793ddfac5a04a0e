"""Scrapy commands of a Scrapyd node (``COMMANDS_MODULE`` of :mod:`tinmoi.scrapyd.settings`)."""
