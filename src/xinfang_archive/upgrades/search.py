"""1000 → 1001: the full-text search (settings, portal tab, control panel)
and an index built from what the site already holds; 1007 → 1008: the same
index rebuilt in its new schema."""
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


def rebuild_search_index(context):
    """An index of the old schema is moved aside when opened; fill the new one."""
    site = api.portal.get()
    count = rebuild(site, current_store(site), current_segmenter())
    logger.info("Full-text index rebuilt: %d objects", count)
