"""Runs across several machines with Scrapyd: deploy the project to nodes (``deploy.py``),
talk to their JSON API (``client.py``), run a host's portals in one Scrapyd job
(``batch.py``, behind the ``crawl`` command in ``commands/``) and coordinate a run over the
nodes (``coordinator.py``)."""

#: The Scrapyd project tinmoi is deployed as.
PROJECT = "tinmoi"
#: The spider name a multi-portal job is scheduled under.
BATCH_SPIDER = "tinmoi_batch"
