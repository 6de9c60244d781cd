"""Acknowledging a warning (签收): a person of the bureau, or a head of the
unit it concerns, takes note of it with a note of what is done; who and when
are kept on the warning, in its workflow history, a version and the audit
trail (the transition's own entry)."""

from datetime import datetime
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException
from xinfang_archive import _
from xinfang_archive.content.validators import TEXT_CHARS
from xinfang_archive.earlywarning.raising import _system_user
from xinfang_archive.i18n import record_text
from xinfang_archive.localtime import LOCAL_TIME
from zope.interface import Invalid


TRANSITION = "acknowledge"
RAISED = "raised"


def may_acknowledge(warning):
    if api.content.get_state(warning, default=None) != RAISED:
        return False
    workflow = api.portal.get_tool("portal_workflow")
    return any(t["id"] == TRANSITION for t in workflow.getTransitionsFor(warning))


class AcknowledgementMissing(WorkflowException):
    """The ``acknowledge`` transition taken without a note (another path
    than ``acknowledge``: a generic workflow call)."""


def acknowledgement_problems(warning, note):
    """Why ``warning`` cannot be acknowledged with ``note`` now (empty: it can)."""
    note = (note or "").strip()
    if not note:
        return [_("Write a note: what is known or done about the warning.")]
    if len(note) > TEXT_CHARS:
        return [_("The note is too long.")]
    if api.content.get_state(warning, default=None) != RAISED:
        return [_("This warning has already been acknowledged.")]
    if not may_acknowledge(warning):
        return [_("You may not acknowledge this warning.")]
    return []


def prepare(warning, note):
    """Write who, when and the note on ``warning`` and keep it as a version,
    before the transition (which ``before_transition`` lets through then)."""
    user = api.user.get_current()
    warning.acknowledged_by = user.getId()
    warning.acknowledged_on = datetime.now(LOCAL_TIME).replace(
        tzinfo=None
    )  # local time (versions are pickled)
    warning.acknowledgement = note.strip()
    _save_version(
        warning, user.getId()
    )  # while raised: the acknowledged warning is read-only


def acknowledge(warning, note):
    """Acknowledge ``warning`` as the current user; Invalid (nothing changed)
    without a note, once acknowledged, or for someone who may not."""
    problems = acknowledgement_problems(warning, note)
    if problems:
        raise Invalid(problems[0])
    prepare(warning, note)
    api.content.transition(obj=warning, transition=TRANSITION, comment=note.strip())
    warning.reindexObject()
    return warning


def before_transition(warning, event):
    """Whatever path takes ``acknowledge`` (a page, REST, a script), the
    warning holds its note and who wrote it first (``prepare``)."""
    if event.transition is None or event.transition.getId() != TRANSITION:
        return
    if not (
        (getattr(warning, "acknowledgement", None) or "").strip()
        and getattr(warning, "acknowledged_by", None)
    ):
        raise AcknowledgementMissing(
            record_text(_("Write a note: what is known or done about the warning."))
        )


def _save_version(warning, user_id):
    """The acknowledged warning as a version, saved by the system (the
    acknowledger need not hold "Save new version")."""

    repository = api.portal.get_tool("portal_repository")
    if not repository.isVersionable(warning):
        return
    with api.env.adopt_user(user=_system_user(api.portal.get())):
        repository.save(obj=warning, comment=f"acknowledged by {user_id}")
