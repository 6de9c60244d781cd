"""Where an object sits: the case (信访件) it belongs to."""

from Acquisition import aq_inner
from Acquisition import aq_parent
from xinfang_archive.content.interfaces import IPetitionCase


def case_of(obj):
    """The case ``obj`` is in (``obj`` itself for a case), None outside one."""
    current = aq_inner(obj) if obj is not None else None
    while current is not None and not IPetitionCase.providedBy(current):
        current = aq_parent(current)
    return current
