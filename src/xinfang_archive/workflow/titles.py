"""State titles as a person reads them.

A workflow names each state in its GenericSetup definition; Plone keeps the
translations of those titles in the ``plone`` domain, so every page, list,
feed and record description asks here and gets the same words.
"""

from plone import api
from zope.i18n import translate
from zope.i18nmessageid import Message


def state_msgid(state, portal_type):
    """The title the workflow of ``portal_type`` gives ``state``, untranslated."""
    if not state:
        return ""
    wftool = api.portal.get_tool("portal_workflow")
    return wftool.getTitleForStateOnType(state, portal_type)


def object_state_msgid(obj):
    """The untranslated title of the state ``obj`` is in ("" without one)."""
    return state_msgid(api.content.get_state(obj, default=None), obj.portal_type)


def state_text(state, portal_type, request=None, target_language=None):
    """The title of ``state`` in the reader's language (or ``target_language``)."""
    title = state_msgid(state, portal_type)
    if not title:
        return ""
    return translate(
        Message(title, domain="plone"),
        context=request,
        target_language=target_language,
    )


def object_state_text(obj, request=None, target_language=None):
    """The title of the state ``obj`` is in, in the reader's language."""
    return state_text(
        api.content.get_state(obj, default=None),
        obj.portal_type,
        request,
        target_language,
    )
