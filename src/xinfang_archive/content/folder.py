"""信访件库 CaseFolder: the container of petition cases.

It holds every case of the bureau (100,000 and more), so it is built for
size: it keeps no explicit order (an ordered folder rewrites its whole list
of ids on every addition), and adding a case does not count as modifying the
registry itself, which would reindex the folder in the catalog once per
registration for nothing.
"""

from OFS.event import ObjectWillBeAddedEvent
from plone.dexterity.content import Container
from plone.supermodel import model
from xinfang_archive.content.interfaces import ICaseFolder
from zope.event import notify
from zope.interface import implementer
from zope.lifecycleevent import ObjectAddedEvent


class ICaseFolderSchema(model.Schema):
    """No fields of its own: title and description come from plone.dublincore."""


class LargeFolder(Container):
    """A folder of many records added by many people at once: unordered,
    and an addition does not modify (nor reindex) the folder."""

    _ordering = "unordered"

    def _setObject(  # OFS's signature
        self,
        id,  # noqa: A002
        object,  # noqa: A002
        roles=None,
        user=None,
        set_owner=1,
        suppress_events=False,
    ):
        if suppress_events:
            return super()._setObject(
                id, object, roles, user, set_owner, suppress_events=True
            )
        notify(ObjectWillBeAddedEvent(object, self, id))
        id = super()._setObject(  # noqa: A001
            id, object, roles, user, set_owner, suppress_events=True
        )
        notify(ObjectAddedEvent(self._getOb(id), self, id))
        return id


@implementer(ICaseFolder)
class CaseFolder(LargeFolder):
    """Holds the petition cases of the bureau."""
