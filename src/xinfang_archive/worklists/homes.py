"""The blocks of each home, in the order the page shows them."""

from plone import api
from xinfang_archive.worklists import archive
from xinfang_archive.worklists import handling
from xinfang_archive.worklists import hearings
from xinfang_archive.worklists import intake
from xinfang_archive.worklists import oversight
from xinfang_archive.worklists import public


BLOCKS = {
    "registrar": intake.BLOCKS,
    "handler": handling.BLOCKS,
    "organizer": hearings.BLOCKS,
    "archivist": archive.BLOCKS,
    "inspector": oversight.BLOCKS,
    "public": public.BLOCKS,
}


def blocks_of(home, request, today):
    catalog = api.portal.get_tool("portal_catalog")
    portal_url = api.portal.get().absolute_url()
    return [block(catalog, request, today, portal_url) for block in BLOCKS[home]]
