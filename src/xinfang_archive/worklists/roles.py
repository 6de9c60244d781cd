"""Which homes a user has: one per role of petition work the user holds."""

from plone import api
from xinfang_archive.privacy.units import units_of


# In the order a home shows them (a user may hold several).
HOMES = ("registrar", "handler", "organizer", "archivist", "inspector")

_ROLE_HOMES = {
    "Registrar": "registrar",
    "UnitStaff": "handler",
    "HearingOrganizer": "organizer",
    "Archivist": "archivist",
    "Inspector": "inspector",
}


def homes_of(user, portal):
    """The homes of ``user`` (a member), in ``HOMES`` order; a Manager has all.
    A unit's handler or head has the handler's home."""
    roles = set(api.user.get_roles(user=user, obj=portal))
    if "Manager" in roles or "Site Administrator" in roles:
        return list(HOMES)
    homes = {home for role, home in _ROLE_HOMES.items() if role in roles}
    handled, headed = units_of(user.getId())
    if handled or headed:
        homes.add("handler")
    return [home for home in HOMES if home in homes]
