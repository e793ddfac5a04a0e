"""The project's settings, with the rogue portals beside the bundled ones."""

from crawler.settings import *  # noqa: F403
from crawler.settings import SPIDER_MODULES

SPIDER_MODULES = [*SPIDER_MODULES, "tests.rogue.spiders"]
