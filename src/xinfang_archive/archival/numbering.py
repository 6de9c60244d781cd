"""Gap-free item numbers (件号) per numbering group.

Each group (fonds/category/year/period/organisation) is one persistent
object without conflict resolution: two transactions numbering in the same
group at once conflict, the loser is retried (by the publisher, the batch
runner or the caller) and numbers again from the committed state. So a
number is never handed out twice and, once committed, never skipped.

The group also remembers which record holds each number (destroyed records
keep theirs, as tombstones), which is what the gap check reads.
"""

from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from xinfang_archive.archival.codes import MAX_ITEM
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import getSite


ANNOTATION_KEY = "xinfang_archive.archival_groups"


class NumberingExhausted(Exception):
    """A group ran out of four-digit item numbers."""


class ItemGroup(Persistent):
    def __init__(self):
        self.last = 0
        self.items = IOBTree()  # item number → UID of the record holding it

    def take(self, uid):
        if self.last >= MAX_ITEM:
            raise NumberingExhausted()
        self.last += 1
        self.items[self.last] = uid
        return self.last

    def gaps(self):
        """Numbers between 1 and ``last`` that no record holds."""
        held = set(self.items.keys())
        return [n for n in range(1, self.last + 1) if n not in held]


def _groups(site=None, create=False):
    site = site if site is not None else getSite()
    annotations = IAnnotations(site)
    groups = annotations.get(ANNOTATION_KEY)
    if groups is None and create:
        groups = annotations[ANNOTATION_KEY] = OOBTree()
    return groups


def group_state(group, site=None):
    """The ``ItemGroup`` of ``group`` (a ``codes.Group``), or None."""
    groups = _groups(site)
    return groups.get(group.key) if groups is not None else None


def _state(group, site=None):
    """The ``ItemGroup`` of ``group``, made if it has none yet."""
    groups = _groups(site, create=True)
    state = groups.get(group.key)
    if state is None:
        state = groups[group.key] = ItemGroup()
    return state


def take_number(group, uid, site=None):
    return _state(group, site).take(uid)


def reserve_item(group, item, site=None):
    """Raise ``group`` to an item number made elsewhere (imported), so that
    no filing takes it; the group is not written when it is already that
    high (parallel import workers).  Returns the group's ``ItemGroup``."""
    state = _state(group, site)
    if state.last < item:
        state.last = item
    return state


def next_number(group, site=None):
    """The number the next filing in ``group`` would get (for previews)."""
    state = group_state(group, site)
    return (state.last if state is not None else 0) + 1


def all_groups(site=None):
    groups = _groups(site)
    return dict(groups.items()) if groups is not None else {}
