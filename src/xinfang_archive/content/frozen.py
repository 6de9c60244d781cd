"""Zope's management methods refuse to change a filed record.

The freeze (``archival.freeze``) refuses changes that arrive through events.
The ZMI's property, security, ownership and WebDAV methods change an object
without any event (a Manager could retitle a filed case with
``manage_changeProperties`` and nothing reached the audit trail).  The
archive's record classes take the ``frozen_guard`` decorator: on a filed
record each of these methods is refused, outside an amendment or an approved
disposition.
"""

from xinfang_archive import _
from xinfang_archive.archival.freeze import allowed_for
from xinfang_archive.archival.freeze import FrozenRecord
from xinfang_archive.archival.freeze import is_frozen


# Every public method of OFS.PropertyManager, AccessControl's RoleManager and
# Owned, and WebDAV, that writes to the object it is called on.
MANAGEMENT_CHANGES = (
    "manage_addProperty",
    "manage_editProperties",
    "manage_changeProperties",
    "manage_changePropertyTypes",
    "manage_delProperties",
    "manage_role",
    "manage_acquiredPermissions",
    "manage_permission",
    "manage_changePermissions",
    "manage_defined_roles",
    "manage_addLocalRoles",
    "manage_setLocalRoles",
    "manage_delLocalRoles",
    "manage_takeOwnership",
    "manage_changeOwnershipType",
    "changeOwnership",
    "PUT",
    "manage_FTPput",
)


def _guarded(cls, name):
    def method(self, *args, **kwargs):
        if is_frozen(self) and not allowed_for(self, ("amend", "dispose")):
            raise FrozenRecord(
                self, _("A filed record cannot be edited; amend it with a reason.")
            )
        return getattr(super(cls, self), name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = (
        f"{name}, refused on a filed record."  # a docstring: still publishable
    )
    return method


def frozen_guard(cls):
    """Class decorator for the classes of filable records: their management
    methods (``MANAGEMENT_CHANGES``) refuse to change a filed record.  (The
    methods are set on the class itself: a mixin base would change the
    class's bases, which Dexterity's schema lookup does not take.)"""
    for name in MANAGEMENT_CHANGES:
        setattr(cls, name, _guarded(cls, name))
    return cls
