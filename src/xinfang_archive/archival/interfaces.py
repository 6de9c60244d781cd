"""Marker interfaces of the archival layer."""

from zope.interface import Interface


class IFiledRecord(Interface):
    """A filed case or anything inside it: frozen (see ``freeze``)."""


class IFileableRecord(Interface):
    """A record filed on its own, not inside a case (``archival.records``):
    its workflow's ``file`` transition numbers and freezes it."""


class ITombstone(Interface):
    """What remains of a destroyed case file (销毁记录)."""
