"""Upgrade to 1017: a supervision is due only while its case is open; the
supervisions of closed and filed cases leave the lists of what is due."""

from plone import api


def due_while_open(context):
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Supervision"):
        brain._unrestrictedGetObject().reindexObject(idxs=["case_deadline"])
