"""The statutory rules of the case workflow (信访工作条例).

``transition_problems(case, transition)`` returns the reasons why a transition
may not happen now, as translatable messages.  The same function serves the
workflow guards (an allowed transition has no problems), the REST endpoint and
the transition form, so a refused transition always says why.
"""

from xinfang_archive import _
from xinfang_archive.controlpanel.settings import get_settings
from xinfang_archive.localtime import local_today
from xinfang_archive.privacy.units import is_unit_member
from xinfang_archive.vocabularies.registry import title_of
from xinfang_archive.workflow.clocks import handling_deadline
from xinfang_archive.workflow.replies import latest_reply
from xinfang_archive.workflow.replies import replies

import datetime


def _opinion_problems(case, kind, since, label):
    reply = latest_reply(case, kind, since=since)
    if reply is None:
        return [
            _(
                "problem_missing_reply",
                default="A ${kind} dated on or after ${since} is required first.",
                mapping={"kind": label, "since": since.isoformat() if since else "-"},
            )
        ]
    problems = []
    if not reply.outcome:
        problems.append(
            _(
                "problem_reply_without_outcome",
                default="The ${kind} must state its outcome (支持 / 解释说明 / 不予支持).",
                mapping={"kind": label},
            )
        )
    if reply.reply_date and reply.reply_date > local_today():
        problems.append(_("The reply date cannot be in the future."))
    return problems


def _concluded_related(case):
    """Related earlier cases whose matter ended with a re-review opinion."""
    concluded = []
    for relation in getattr(case, "related_cases", None) or []:
        other = getattr(relation, "to_object", None)
        if other is not None and replies(other, "rereview_opinion"):
            concluded.append(other)
    return concluded


def _accept(case, settings, today):
    concluded = _concluded_related(case)
    if concluded:
        numbers = "、".join(c.registration_number or c.getId() for c in concluded)
        return [
            _(
                "problem_rereview_final",
                default="The same matter was concluded by a re-review (复核) in ${numbers}; "
                "it is not accepted again (信访工作条例 第三十五条).",
                mapping={"numbers": numbers},
            )
        ]
    return []


def _reject(case, settings, today):
    if not replies(case, "rejection_notice"):
        return [
            _(
                "A rejection notice (不予受理告知书) must be issued before the case is not accepted."
            )
        ]
    return []


def _assign(case, settings, today):
    if not case.responsible_unit:
        return [_("Choose the responsible unit before routing the case.")]
    handler = getattr(case, "case_handler", None)
    if handler and not is_unit_member(handler, case.responsible_unit):
        # need-to-know by unit: a handler outside the unit would not see the case
        return [
            _(
                "The handler ${handler} is not a member of the responsible unit ${unit}: "
                "add them to the unit's group or choose another handler.",
                mapping={
                    "handler": handler,
                    "unit": title_of("units", case.responsible_unit),
                },
            )
        ]
    return []


def _extend(case, settings, today):
    problems = []
    if case.extended_on:
        problems.append(_("The handling period can be extended only once."))
    days = case.extension_days
    if not days or days < 1 or days > settings.max_extension_days:
        problems.append(
            _(
                "problem_extension_days",
                default="The extension must be between 1 and ${max} days.",
                mapping={"max": settings.max_extension_days},
            )
        )
    if not (case.extension_reason or "").strip():
        problems.append(_("The reason for the extension is required."))
    if not (case.extension_approved_by or "").strip():
        problems.append(_("Name the unit head who approved the extension."))
    deadline = handling_deadline(case, settings)
    if not case.extended_on and deadline and today > deadline:
        problems.append(
            _(
                "problem_extension_late",
                default="The handling period ended on ${deadline}; it can no longer be extended.",
                mapping={"deadline": deadline.isoformat()},
            )
        )
    return problems


def _reply(case, settings, today):
    return _opinion_problems(
        case, "handling_opinion", case.accepted_on, _("handling opinion (处理意见书)")
    )


def _request_window(requested_on, replied_on, days, today, already, nothing, late):
    """A petitioner's request (复查/复核) is possible once, within ``days`` of
    the reply; ``late(mapping)`` is the message when the window has passed."""
    if requested_on:
        return [already]
    if not replied_on:
        return [nothing]
    last = replied_on + datetime.timedelta(days=days)
    if today > last:
        return [late({"days": days, "last": last.isoformat()})]
    return []


def _request_review(case, settings, today):
    return _request_window(
        case.review_requested_on,
        case.replied_on,
        settings.review_request_days,
        today,
        _("A review was already requested for this case."),
        _("There is no handling opinion to review."),
        lambda mapping: _(
            "problem_review_window",
            default="A review must be requested within ${days} days of the reply (by ${last}).",
            mapping=mapping,
        ),
    )


def _reply_review(case, settings, today):
    return _opinion_problems(
        case,
        "review_opinion",
        case.review_requested_on,
        _("review opinion (复查意见书)"),
    )


def _request_rereview(case, settings, today):
    return _request_window(
        case.rereview_requested_on,
        case.review_replied_on,
        settings.rereview_request_days,
        today,
        _("A re-review was already requested for this case."),
        _("A re-review can only follow a review opinion (复查意见书)."),
        lambda mapping: _(
            "problem_rereview_window",
            default="A re-review must be requested within ${days} days of the review opinion (by ${last}).",
            mapping=mapping,
        ),
    )


def _reply_rereview(case, settings, today):
    return _opinion_problems(
        case,
        "rereview_opinion",
        case.rereview_requested_on,
        _("re-review opinion (复核意见书)"),
    )


def _close(case, settings, today):
    return []


CHECKS = {
    "accept": _accept,
    "reject": _reject,
    "assign": _assign,
    "extend": _extend,
    "reply": _reply,
    "request_review": _request_review,
    "reply_review": _reply_review,
    "request_rereview": _request_rereview,
    "reply_rereview": _reply_rereview,
    "close": _close,
}


def transition_problems(case, transition, today=None):
    """Reasons (messages) why ``transition`` cannot happen on ``case`` now."""
    check = CHECKS.get(transition)
    if check is None:
        return []
    return check(case, get_settings(), today or local_today())
