"""Demo filing: the closed cases of earlier years are filed, as the bureau's
archivists file each year's closed cases early in the next."""

from AccessControl.users import SimpleUser
from datetime import date
from plone import api
from xinfang_archive.archival.filing import file_cases
from xinfang_archive.localtime import local_today


DEMO_ARCHIVIST = "demo-archivist"


def file_earlier_years(portal, today=None):
    """File every closed case closed before this year; returns the ``BatchResult``."""
    today = today or local_today()
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="PetitionCase",
        review_state="closed",
        closed_on={"query": date(today.year - 1, 12, 31), "range": "max"},
        sort_on="closed_on",
    )
    cases = [brain._unrestrictedGetObject() for brain in brains]
    # The workflow guard asks for the Archivist *role* of a user (proxy roles
    # would not do): a transient user of the site's user folder holds it.
    archivist = SimpleUser(DEMO_ARCHIVIST, "", ["Archivist"], []).__of__(
        portal.acl_users
    )
    with api.env.adopt_user(user=archivist):
        return file_cases(cases)
