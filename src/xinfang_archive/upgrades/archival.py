"""Upgrade to 1002: filing, retention and the audit trail."""
from plone import api
from xinfang_archive.setuphandlers import add_catalog_indexes


def add_archival_indexes(context):
    """The archival catalog indexes, and the new workflow permissions applied
    to existing cases."""
    portal = api.portal.get()
    add_catalog_indexes(portal)
    api.portal.get_tool("portal_workflow").updateRoleMappings()
