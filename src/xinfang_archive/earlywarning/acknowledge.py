"""Acknowledging a warning (签收): a person of the bureau, or a head of the
unit it concerns, takes note of it with a note of what is done; who and when
are kept on the warning, in its workflow history, a version and the audit
trail (the transition's own entry)."""
from datetime import datetime
from plone import api
from xinfang_archive import _
from xinfang_archive.content.validators import TEXT_CHARS
from xinfang_archive.localtime import LOCAL_TIME
from zope.interface import Invalid


TRANSITION = "acknowledge"
RAISED = "raised"


def may_acknowledge(warning):
    if api.content.get_state(warning, default=None) != RAISED:
        return False
    workflow = api.portal.get_tool("portal_workflow")
    return any(t["id"] == TRANSITION for t in workflow.getTransitionsFor(warning))


def acknowledge(warning, note):
    """Acknowledge ``warning`` as the current user; Invalid (nothing changed)
    without a note, once acknowledged, or for someone who may not."""
    note = (note or "").strip()
    if not note:
        raise Invalid(_("Write a note: what is known or done about the warning."))
    if len(note) > TEXT_CHARS:
        raise Invalid(_("The note is too long."))
    if api.content.get_state(warning, default=None) != RAISED:
        raise Invalid(_("This warning has already been acknowledged."))
    if not may_acknowledge(warning):
        raise Invalid(_("You may not acknowledge this warning."))
    user = api.user.get_current()
    warning.acknowledged_by = user.getId()
    warning.acknowledged_on = datetime.now(LOCAL_TIME).replace(tzinfo=None)  # local time (versions are pickled)
    warning.acknowledgement = note
    _save_version(warning, user.getId())  # while raised: the acknowledged warning is read-only
    api.content.transition(obj=warning, transition=TRANSITION, comment=note)
    warning.reindexObject()
    return warning


def _save_version(warning, user_id):
    """The acknowledged warning as a version, saved by the system (the
    acknowledger need not hold "Save new version")."""
    from xinfang_archive.earlywarning.raising import _system_user

    repository = api.portal.get_tool("portal_repository")
    if not repository.isVersionable(warning):
        return
    with api.env.adopt_user(user=_system_user(api.portal.get())):
        repository.save(obj=warning, comment=f"acknowledged by {user_id}")
