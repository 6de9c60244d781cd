"""Content events: repeat flags and the protection of accusation material."""
from plone import api
from xinfang_archive.permissions import ViewAccusation


PROTECTED = ("View", "Access contents information")


def flag_repeat_when_linked(case, event):
    """A case linked to earlier cases is a repeat petition (重复访)."""
    if getattr(case, "related_cases", None):
        flags = set(case.flags or ())
        if "repeat" not in flags:
            flags.add("repeat")
            case.flags = flags
            case.reindexObject(idxs=["case_flags"])


def protect_accusation(document, event):
    """Accusation (举报) material is readable only by roles allowed to see it.

    The document stops acquiring View from its case and grants it to the roles
    that hold "View accusation material" at the site root.
    """
    portal = api.portal.get()
    if getattr(document, "accusation", False):
        roles = [
            r["name"]
            for r in portal.rolesOfPermission(ViewAccusation)
            if r["selected"]
        ]
        for permission in PROTECTED:
            document.manage_permission(permission, roles=roles, acquire=False)
    else:
        for permission in PROTECTED:
            document.manage_permission(permission, roles=[], acquire=True)
    document.reindexObjectSecurity()
