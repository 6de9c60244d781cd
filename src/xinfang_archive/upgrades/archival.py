"""Upgrade to 1002: filing, retention and the audit trail."""

from plone import api
from xinfang_archive.privacy.accusation import apply
from xinfang_archive.setuphandlers import add_archive_office
from xinfang_archive.setuphandlers import add_catalog_indexes


def add_archival_indexes(context):
    """The archival catalog indexes, the archive office, and the new workflow
    permissions applied to existing cases."""
    portal = api.portal.get()
    add_catalog_indexes(portal)
    add_archive_office(portal)
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    reprotect_accusation_material(portal)


def reprotect_accusation_material(portal):
    """Accusation material is sealed again from the site's rolemap (archivists
    see it since 1002; every permission is sealed since 1005)."""

    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="CaseDocument"):
        document = brain._unrestrictedGetObject()
        if getattr(document, "accusation", False):
            apply(document)


def seal_accusation_material(context):
    """1005: cases take the workflow's new mappings (the Owner of a new
    document saves its first version); every permission of accusation
    material is sealed, not only View."""
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    reprotect_accusation_material(api.portal.get())
