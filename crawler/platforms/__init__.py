"""Platform base spiders: one per portal platform, with no ``name`` so Scrapy never lists them."""
