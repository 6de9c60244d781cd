"""Upgrade to 1010: coordination meetings (会议) at /meetings, their catalog
indexes, and the supervision method their decisions are issued under."""

from plone import api
from xinfang_archive.setuphandlers import add_catalog_indexes
from xinfang_archive.setuphandlers import add_meeting_folder


METHOD = "meeting|会议交办"


def add_meetings(context):
    portal = api.portal.get()
    add_catalog_indexes(portal)
    add_meeting_folder(portal)
    name = "xinfang_archive.supervision_methods"
    methods = list(api.portal.get_registry_record(name, default=None) or [])
    if not any(line.split("|", 1)[0].strip() == "meeting" for line in methods):
        api.portal.set_registry_record(name, [*methods, METHOD])
