"""1000 → 1001: the full-text search (settings, portal tab, control panel)
and an index built from what the site already holds."""
from plone import api
from xinfang_archive.search.maintenance import rebuild
from xinfang_archive.search.site import current_segmenter
from xinfang_archive.search.site import current_store

import logging


logger = logging.getLogger("xinfang_archive.upgrades")


def build_search_index(context):
    site = api.portal.get()
    count = rebuild(site, current_store(site), current_segmenter(), fresh=False)
    logger.info("Full-text index built: %d objects", count)
