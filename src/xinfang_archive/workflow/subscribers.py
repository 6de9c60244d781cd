"""Workflow events of cases: refuse what the rules forbid, record the dates."""
from datetime import date
from Products.CMFCore.WorkflowCore import WorkflowException
from xinfang_archive.workflow.replies import latest_reply
from xinfang_archive.workflow.rules import transition_problems
from zope.i18n import translate
from zope.globalrequest import getRequest


class TransitionRefused(WorkflowException):
    """A transition the statutory rules forbid; the message says why."""


def explain(problems):
    request = getRequest()
    return " ".join(translate(p, context=request) for p in problems)


def before_transition(case, event):
    """Last line of defence: the guards hide forbidden transitions, this refuses them."""
    if event.transition is None:
        return
    problems = transition_problems(case, event.transition.getId())
    if problems:
        raise TransitionRefused(explain(problems))


def after_transition(case, event):
    if event.transition is None:
        return
    tid = event.transition.getId()
    today = date.today()
    if tid == "accept":
        case.accepted_on = today
    elif tid == "assign":
        case.assigned_on = today
    elif tid == "extend":
        case.extended_on = today
    elif tid == "reply":
        opinion = latest_reply(case, "handling_opinion", case.accepted_on)
        case.replied_on = opinion.reply_date
        case.outcome = opinion.outcome
    elif tid == "request_review":
        case.review_requested_on = today
    elif tid == "reply_review":
        opinion = latest_reply(case, "review_opinion", case.review_requested_on)
        case.review_replied_on = opinion.reply_date
        case.outcome = opinion.outcome
    elif tid == "request_rereview":
        case.rereview_requested_on = today
    elif tid == "reply_rereview":
        opinion = latest_reply(case, "rereview_opinion", case.rereview_requested_on)
        case.outcome = opinion.outcome
        case.closed_on = opinion.reply_date
    elif tid == "close":
        case.closed_on = today
    case.reindexObject()
