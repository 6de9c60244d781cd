"""Clearing the accusation flag (撤销举报标记): a request and a second person.

Nobody edits the flag of sealed accusation material (``accusation``).  One
person holding "Clear accusation flag" asks for the clearing with a reason;
another one approves it or rejects it, as an appraisal is approved; nobody
approves their own request.  Each step is in the audit trail.  The approval
clears the flag, which unseals the document; on a filed record it is an
amendment (更正) with the reason and both names.
"""

from AccessControl import Unauthorized
from datetime import datetime
from datetime import UTC
from persistent.mapping import PersistentMapping
from plone import api
from xinfang_archive import _
from xinfang_archive.archival.amend import amend
from xinfang_archive.archival.freeze import is_frozen
from xinfang_archive.audit.recorder import record
from xinfang_archive.content.document import ICaseDocumentSchema
from xinfang_archive.permissions import ClearAccusation
from xinfang_archive.privacy.accusation import clearing_approved
from xinfang_archive.privacy.accusation import is_accusation
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import ObjectModifiedEvent


ANNOTATION = "xinfang_archive.accusation_clearing"
MAX_REASON = 2000


class ClearingRefused(Exception):
    """The step was not taken; ``message`` (translatable) says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def pending_request(document):
    """The open request to clear the flag of ``document`` (a dict), or None."""
    request = IAnnotations(document).get(ANNOTATION)
    return dict(request) if request else None


def _actor():
    return api.user.get_current().getId()


def _check(document):
    if not api.user.has_permission(ClearAccusation, obj=document):
        raise Unauthorized("clear accusation flag")
    if not is_accusation(document):
        raise ClearingRefused(_("This document is not flagged as accusation material."))


def request_clearing(document, reason):
    """Ask for the flag of ``document`` to be cleared, with ``reason``."""
    _check(document)
    reason = (reason or "").strip()
    if not reason:
        raise ClearingRefused(_("Clearing the accusation flag needs a reason."))
    if len(reason) > MAX_REASON:
        raise ClearingRefused(
            _(
                "The reason is too long (at most ${count} characters).",
                mapping={"count": MAX_REASON},
            )
        )
    if pending_request(document):
        raise ClearingRefused(
            _("A request to clear this flag is already waiting for approval.")
        )
    request = PersistentMapping(
        requested_by=_actor(),
        requested_at=datetime.now(UTC).isoformat(),
        reason=reason,
    )
    IAnnotations(document)[ANNOTATION] = request
    record("accusation.request", document, details={"reason": reason})
    return dict(request)


def reject_clearing(document, note=""):
    """Close the open request without clearing (the requester withdraws it,
    or a second person rejects it)."""
    _check(document)
    request = pending_request(document)
    if not request:
        raise ClearingRefused(_("No request to clear this flag is waiting."))
    note = (note or "").strip()[:MAX_REASON]
    del IAnnotations(document)[ANNOTATION]
    withdrawn = request["requested_by"] == _actor()
    record(
        "accusation.withdraw" if withdrawn else "accusation.reject",
        document,
        details={
            "reason": request["reason"],
            "requested_by": request["requested_by"],
            "note": note,
        },
    )


def approve_clearing(document):
    """A second person approves the open request: the flag is cleared."""
    _check(document)
    request = pending_request(document)
    if not request:
        raise ClearingRefused(_("No request to clear this flag is waiting."))
    approver = _actor()
    if request["requested_by"] == approver:
        raise ClearingRefused(
            _("A second person must approve: nobody approves their own request.")
        )
    reason = request["reason"]
    with clearing_approved(document):
        if is_frozen(document):
            amend(
                document,
                {"accusation": False},
                f"撤销举报标记：{reason}（申请：{request['requested_by']}，批准：{approver}）",
            )
        else:
            document.accusation = False
            # The approver may not edit the case in its present state; the
            # change is theirs (the trail names them) but saving its version
            # and reindexing are the archive's, checked above.
            with api.env.adopt_roles(["Manager"]):
                notify(
                    ObjectModifiedEvent(
                        document, Attributes(ICaseDocumentSchema, "accusation")
                    )
                )
    del IAnnotations(document)[ANNOTATION]
    record(
        "accusation.clear",
        document,
        details={
            "reason": reason,
            "requested_by": request["requested_by"],
            "approved_by": approver,
        },
    )
