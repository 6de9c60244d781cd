"""Upgrade steps of need-to-know by unit."""

from plone import api
from xinfang_archive.privacy import units
from xinfang_archive.upgrades.archival import reprotect_accusation_material

import logging


logger = logging.getLogger("xinfang_archive.upgrades")


def units_need_to_know(context):
    """1006: case handlers lose their case-wide role (they keep the folders
    through UnitStaff); every unit gets its groups; every case and hearing
    grants its unit's groups their roles."""
    api.group.revoke_roles(groupname="case_handlers", roles=[units.HANDLER_ROLE])
    api.group.grant_roles(groupname="case_handlers", roles=[units.STAFF_ROLE])
    units.ensure_unit_groups()
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    catalog = api.portal.get_tool("portal_catalog")
    parents = units.unit_parents()
    changed = 0
    for portal_type, sync in (("PetitionCase", None), ("Hearing", units.sync_hearing)):
        for brain in catalog.unrestrictedSearchResults(portal_type=portal_type):
            obj = brain._unrestrictedGetObject()
            if sync is None:
                changed += units.apply_unit_roles(
                    obj, [getattr(obj, "responsible_unit", None)], parents
                )
            else:
                changed += sync(obj, parents)
    reprotect_accusation_material(api.portal.get())
    logger.info("Unit grants set on %d cases and hearings", changed)
