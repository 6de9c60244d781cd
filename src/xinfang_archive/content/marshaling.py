"""A record's WebDAV/FTP representation is read as personal data.

plone.dexterity publishes ``manage_FTPget`` and ``manage_DAVget`` (an RFC 822
dump of every field in clear) under View: the leak crawler read a case's ID
number and phone in it as the inspector.  On the archive's records they need
"View personal data", which a page or REST answer would mask for the others.
"""

from AccessControl.PermissionRole import PermissionRole
from xinfang_archive.permissions import ViewPersonalData


RAW_DUMPS = ("manage_FTPget", "manage_DAVget")


def personal_dump(cls):
    """Class decorator: the raw dumps of ``cls`` need "View personal data"
    (set on the class itself, as ``frozen_guard`` does, for the same reason)."""
    for name in RAW_DUMPS:
        setattr(cls, f"{name}__roles__", PermissionRole(ViewPersonalData, ("Manager",)))
    return cls
