"""Content events: repeat flags and the seal of accusation material."""

from xinfang_archive.privacy import accusation


def flag_repeat_when_linked(case, event):
    """A case linked to earlier cases is a repeat petition (重复访)."""
    if getattr(case, "related_cases", None):
        flags = set(case.flags or ())
        if "repeat" not in flags:
            flags.add("repeat")
            case.flags = flags
            case.reindexObject(idxs=["case_flags"])


def protect_accusation(document, event):
    """Accusation (举报) material is sealed (``privacy.accusation``) when it
    is added, moved, copied or its flag changes."""
    if getattr(event, "newParent", True) is None:
        return  # removed
    accusation.apply(document)


def reseal_accusation(case, event):
    """The case's workflow moved its permissions: its sealed documents follow."""
    accusation.reseal_inside(case)
