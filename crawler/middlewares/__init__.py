"""Scrapy middlewares: incremental crawls, conditional GET and politeness, one per module."""
