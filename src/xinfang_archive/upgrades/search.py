"""1000 → 1001: the full-text search (settings, portal tab, control panel)
and an index built from what the site already holds; 1007 → 1008: the same
index rebuilt in its new schema."""

from plone import api
from xinfang_archive.search.maintenance import rebuild
from xinfang_archive.search.shared_maintenance import republish_at_commit
from xinfang_archive.search.shared_maintenance import shared_dsn
from xinfang_archive.search.site import current_segmenter
from xinfang_archive.search.site import current_store

import logging


logger = logging.getLogger("xinfang_archive.upgrades")


def _fill(fresh):
    site = api.portal.get()
    if shared_dsn(site):  # an archive in PostgreSQL: into the log every host follows
        count = republish_at_commit(site, current_store(site), current_segmenter())
    else:
        count = rebuild(site, current_store(site), current_segmenter(), fresh=fresh)
    logger.info("Full-text index built: %d objects", count)


def build_search_index(context):
    _fill(fresh=False)


def rebuild_search_index(context):
    """An index of the old schema is moved aside when opened; fill the new one."""
    _fill(fresh=True)
