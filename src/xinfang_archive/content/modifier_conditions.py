"""CMFEditions' modifier conditions, evaluated once per kind of object in a
transaction.

Every version saved asks each modifier of ``portal_modifier`` three times
whether it applies: a TALES expression, each with a fresh expression context
(member, portal, request…), about a third of the cost of a save.  The
conditions Plone and this archive ship depend on what the object is (its
``portal_type``, its class and interfaces, and whether a folder is empty:
``python: object and …``), never on its data, so their answer is kept for the
rest of the transaction under exactly that key.  A condition written to
depend on an object's data would need this cache removed
(``uninstall()``).
"""

from Acquisition import aq_base
from Products.CMFCore.utils import getToolByName
from Products.CMFEditions.interfaces.IModifier import IConditionalModifier
from Products.CMFEditions.ModifierRegistryTool import ModifierRegistryTool
from zope.interface import providedBy

import transaction


_original = ModifierRegistryTool._collectModifiers


def _kind(tool, obj):
    base = aq_base(obj)
    return (
        id(aq_base(tool)),
        getattr(base, "portal_type", None),
        providedBy(base),
        bool(base),
    )


def _applicable(tool, obj):
    """``[(id, modifier)]`` of the enabled modifiers whose condition holds
    for ``obj``, in the tool's order: what Plone's method computes before
    it filters by interface."""
    portal = getToolByName(tool, "portal_url").getPortalObject()
    return [
        (id_, o.getModifier())
        for id_, o in tool.objectItems()
        if IConditionalModifier.providedBy(o) and o.isApplicable(obj, portal)
    ]


def collect_modifiers(self, obj, interface, reversed=False):  # noqa: A002
    """``ModifierRegistryTool._collectModifiers`` with the conditions'
    answer kept for the transaction, by kind of object (``_kind``)."""
    try:
        kind = _kind(self, obj)
        hash(kind)
    except Exception:  # an object without a usable kind: ask as Plone does
        return _original(self, obj, interface, reversed)
    current = transaction.get()
    try:
        answers = current.data(collect_modifiers)
    except KeyError:
        answers = {}
        current.set_data(collect_modifiers, answers)
    found = answers.get(kind)
    if found is None:  # the tool is kept with its answer: its id stays its own
        found = answers[kind] = (aq_base(self), _applicable(self, obj))
    modifiers = [(id_, mod) for id_, mod in found[1] if interface.providedBy(mod)]
    if reversed:
        modifiers.reverse()
    return modifiers


def install():
    ModifierRegistryTool._collectModifiers = collect_modifiers


def uninstall():
    ModifierRegistryTool._collectModifiers = _original


install()
