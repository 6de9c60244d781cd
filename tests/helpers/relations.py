"""Relation values pointing at content, as relation fields hold them."""

from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds


def relation(obj):
    return RelationValue(getUtility(IIntIds).getId(obj))
