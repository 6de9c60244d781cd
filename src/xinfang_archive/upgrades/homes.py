"""Upgrade to 1016: the role homes are the front page; hearings are indexed
by their date (Plone's ``start``) for the hearings ahead; the archive's logo
and favicon where the bureau has none (the bureau's name and contact line
are registry records of the settings)."""

from plone import api
from xinfang_archive.face import set_logo_and_favicon
from xinfang_archive.setuphandlers import set_front_page


def role_homes(context):
    portal = api.portal.get()
    set_front_page(portal)
    set_logo_and_favicon()
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Hearing"):
        brain._unrestrictedGetObject().reindexObject(idxs=["start"])
