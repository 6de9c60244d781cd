"""The freeze of filed records: nothing changes them except an amendment.

The workflow's ``filed`` state already withholds the permissions to edit,
delete, move, add or version from every role, Manager included.  These
subscribers are the second lock, for code that does not check permissions
(scripts, ``plone.api`` calls, the ZMI): every modification, move, rename,
removal, copy or addition that reaches a filed record through the usual
events is refused, unless it happens inside ``amending(obj)`` (an explicit,
traced amendment) or ``disposing(obj)`` (an approved destruction).
"""

from contextlib import contextmanager
from plone.app.workflow.interfaces import ILocalrolesModifiedEvent
from xinfang_archive import _
from xinfang_archive.archival.interfaces import IFiledRecord
from zope.interface import alsoProvides
from zope.interface import noLongerProvides

import threading


_allowed = threading.local()


class FrozenRecord(Exception):
    """A change of a filed record outside an amendment."""

    def __init__(self, obj, message):
        super().__init__(f"{'/'.join(obj.getPhysicalPath())}: {message}")
        self.message = message


def _paths():
    if not hasattr(_allowed, "paths"):
        _allowed.paths = {}
    return _allowed.paths


@contextmanager
def allowing(obj, kind):
    """``kind`` of change is allowed to ``obj`` and what is inside it while
    this lasts (in this thread); ``allowed_for`` asks."""
    key = obj.getPhysicalPath()
    paths = _paths()
    paths[key] = kind
    try:
        yield
    finally:
        paths.pop(key, None)


def amending(obj):
    """Changes to ``obj`` (and inside it) are an amendment while this lasts."""
    return allowing(obj, "amend")


def disposing(obj):
    """``obj`` (and what is inside it) may be removed while this lasts."""
    return allowing(obj, "dispose")


def allowed_for(obj, kinds):
    path = obj.getPhysicalPath()
    return any(
        path[: len(key)] == key and kind in kinds for key, kind in _paths().items()
    )


def is_frozen(obj):
    return IFiledRecord.providedBy(obj)


def freeze(obj):
    """Mark ``obj`` and everything inside it as filed."""
    alsoProvides(obj, IFiledRecord)
    for child in getattr(obj, "objectValues", tuple)():
        freeze(child)


def thaw(obj):
    noLongerProvides(obj, IFiledRecord)
    for child in getattr(obj, "objectValues", tuple)():
        thaw(child)


def refuse_modification(obj, event):
    if ILocalrolesModifiedEvent.providedBy(event):
        return  # sharing is access control, not the record
    if not allowed_for(obj, ("amend",)):
        raise FrozenRecord(
            obj, _("A filed record cannot be edited; amend it with a reason.")
        )


def refuse_move(obj, event):
    """Removal, rename and move (``IObjectWillBeMovedEvent`` covers all three)."""
    if event.oldParent is None:
        return  # being added: handled by refuse_addition on its container
    if not allowed_for(obj, ("dispose",)):
        if event.newParent is None:
            message = _(
                "A filed record cannot be deleted; only an approved appraisal destroys it."
            )
        else:
            message = _("A filed record cannot be moved or renamed.")
        raise FrozenRecord(obj, message)


def refuse_copy(obj, event):
    raise FrozenRecord(
        event.original,
        _("A filed record cannot be copied: its archival code is unique."),
    )


def refuse_addition(obj, event):
    """Nothing new goes into a filed case, except as part of an amendment."""
    container = event.newParent
    if container is None or container is event.oldParent:
        return  # a removal, or a rename (refused on the record itself)
    if is_frozen(container) and not allowed_for(container, ("amend",)):
        raise FrozenRecord(container, _("Nothing can be added to a filed record."))
