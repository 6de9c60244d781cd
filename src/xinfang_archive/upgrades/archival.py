"""Upgrade to 1002: filing, retention and the audit trail."""
from plone import api
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
    """Archivists now see accusation material (they file and keep it): the
    documents' own View settings are recomputed from the site's rolemap."""
    from xinfang_archive.content.subscribers import protect_accusation

    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="CaseDocument"):
        document = brain._unrestrictedGetObject()
        if getattr(document, "accusation", False):
            protect_accusation(document, None)
