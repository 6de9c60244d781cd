"""The seal of accusation material (举报): a policy over every permission.

A document flagged as accusation material acquires nothing from its case.
Every permission defined on it is held by the roles that hold it on the case
*now* and may see accusation material ("View accusation material" at the
site root), and by nobody else: reading, listing, editing, versioning and
reverting, copying, moving, deleting, its versions and its history alike, so
a view or service added later is sealed without being listed here.  The seal
is made again whenever the case's permissions change (its workflow moves it)
and whenever the flag changes.

Once set, the flag itself is not editable by anyone (its write permission is
sealed to nobody): clearing it takes two people, a request and an approval by
someone else (``xinfang_archive.privacy.clearing``), and is audited.
"""

from AccessControl.Permission import getPermissions
from AccessControl.Permission import Permission
from AccessControl.PermissionRole import rolesForPermissionOn
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from plone import api
from xinfang_archive.archival.freeze import allowed_for
from xinfang_archive.archival.freeze import allowing
from xinfang_archive.permissions import FlagAccusation
from xinfang_archive.permissions import ViewAccusation


# Roles that code adopts for one call and no user holds: an amendment saves
# the amended version of a sealed document under this one.
ADOPTED_ROLES = frozenset({"ArchiveAmender"})
# Roles every user holds: a permission granted to them (using the REST API,
# say) is held on sealed material by the allowed roles alone.
EVERYONE = frozenset({"Anonymous", "Authenticated"})
SEALED = "_xinfang_accusation_sealed"
SAVE_VERSION = "CMFEditions: Save new version"
CLEARING = "clear_accusation"  # the kind of change ``archival.freeze.allowing`` allows


def is_accusation(obj):
    return bool(getattr(aq_base(obj), "accusation", False))


# The categories of 举报 cases: the case itself accuses (纪检举报).
ACCUSATION_CATEGORIES = ("discipline",)


def is_accusation_case(case):
    """Whether ``case`` is about an accusation (举报): its category, its flag
    ``accusation``, or accusation material among its documents.  What is
    shown of it to a unit (a meeting's decision, a warning, the reception's
    instructions) needs "View accusation material", which no unit holds."""
    if getattr(case, "category", None) in ACCUSATION_CATEGORIES:
        return True
    if "accusation" in (getattr(case, "flags", None) or ()):
        return True
    return any(is_accusation(child) for child in aq_base(case).objectValues())


def may_read_about(case):
    """Whether the current user may read what a record says about ``case``
    (it may View the case, and an accusation case's material too)."""
    if case is None or not api.user.has_permission("View", obj=case):
        return False
    return not is_accusation_case(case) or bool(
        api.user.has_permission(ViewAccusation, obj=case)
    )


def is_sealed(obj):
    return bool(getattr(aq_base(obj), SEALED, False))


def accusation_roles(portal=None):
    """The roles that may see accusation material (at the site root)."""
    portal = portal if portal is not None else api.portal.get()
    roles = {
        r["name"] for r in portal.rolesOfPermission(ViewAccusation) if r["selected"]
    }
    return roles | ADOPTED_ROLES


def all_permissions(document):
    """Every permission registered with Zope (the ones the add-ons and Plone
    define by ZCML too), and those the document's class declares."""
    names = {entry[0] for entry in getPermissions()}
    names.update(entry[0] for entry in document.ac_inherited_permissions(1))
    return sorted(names)


def _set(document, name, roles):
    """``roles`` (a tuple: not acquired) or ``[]`` (acquired, nothing added),
    written only when different.  Set through ``Permission`` as DCWorkflow
    does: ``manage_permission`` knows only the class's own permissions."""
    permission = Permission(name, (), document)
    current = getattr(aq_base(document), permission._p, None)
    if isinstance(roles, tuple):
        if isinstance(current, tuple) and sorted(current) == sorted(roles):
            return
    elif current is None or current == []:
        return
    permission.setRoles(roles)


def seal(document, allowed=None):
    """Restrict every permission on ``document`` as the module says."""
    allowed = allowed if allowed is not None else accusation_roles()
    parent = aq_parent(aq_inner(document))
    for name in all_permissions(document):
        if name == FlagAccusation:
            roles = ()  # the flag is cleared by request and approval only
        else:
            held = set(rolesForPermissionOn(name, parent) or ())
            if held & EVERYONE:
                held |= allowed  # granted to everybody: now to the allowed roles only
            roles = held & allowed
            if name == SAVE_VERSION and "Owner" in held:
                roles |= {
                    "Owner"
                }  # who adds it saves its first version (and reads nothing by it)
            roles = tuple(sorted(roles))
        _set(document, name, roles)
    setattr(document, SEALED, True)


def unseal(document):
    """``document`` acquires its permissions from its case again."""
    for name in all_permissions(document):
        _set(document, name, [])
    if SEALED in document.__dict__:
        delattr(document, SEALED)


def apply(document):
    """Seal or unseal ``document`` by its flag; reindex its security if that changed anything."""
    was = is_sealed(document)
    if is_accusation(document):
        seal(document)
    elif was:
        unseal(document)
    else:
        return
    document.reindexObjectSecurity()


def reseal_inside(container):
    """Seal again the accusation material inside ``container`` (its roles moved)."""
    allowed = None
    for child in container.objectValues():
        if is_accusation(child):
            allowed = allowed if allowed is not None else accusation_roles()
            seal(child, allowed)
            child.reindexObjectSecurity()


def clearing_approved(document):
    """While this lasts, the flag of ``document`` may be cleared (the second
    person approved it)."""
    return allowing(document, CLEARING)


def clearing_is_approved(document):
    return allowed_for(document, (CLEARING,))
