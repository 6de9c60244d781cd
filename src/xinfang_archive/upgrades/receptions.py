"""Upgrade to 1011: leader reception days (领导信访接待日)."""

from plone import api
from xinfang_archive.content.reception_links import RECEPTION_CHANNEL
from xinfang_archive.setuphandlers import add_reception_folder


CHANNELS = "xinfang_archive.channels"
CHANNEL_LINE = f"{RECEPTION_CHANNEL}|领导接待日"


def ensure_reception_channel():
    """The bureau's channels list keeps its own entries; the 领导接待日 line
    is appended when no line has its code."""
    lines = list(api.portal.get_registry_record(CHANNELS, default=None) or [])
    if any(line.split("|", 1)[0].strip() == RECEPTION_CHANNEL for line in lines):
        return False
    api.portal.set_registry_record(CHANNELS, [*lines, CHANNEL_LINE])
    return True


def add_receptions(context):
    portal = api.portal.get()
    add_reception_folder(portal)
    ensure_reception_channel()
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="LeaderReception"):
        brain._unrestrictedGetObject().reindexObject(idxs=["start", "end"])
