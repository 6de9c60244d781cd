"""Workflow events of cases: record the statutory dates a transition fixes.

Refusing what the rules forbid is the guards' job (``transition_allowed``
calls ``rules.transition_problems``): a refused transition fires no event."""

from plone import api
from xinfang_archive.localtime import local_today
from xinfang_archive.workflow.replies import latest_reply
from xinfang_archive.workflow.states import OPEN_STATES


def after_transition(case, event):
    if event.transition is None:
        return
    tid = event.transition.getId()
    today = local_today()
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
    if (event.old_state.getId() in OPEN_STATES) != (
        event.new_state.getId() in OPEN_STATES
    ):
        _reindex_supervisions(case)


def _reindex_supervisions(case):
    """A supervision is due only while its case is open (its ``case_deadline``)."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="Supervision",
        path={"query": "/".join(case.getPhysicalPath()), "depth": 1},
    ):
        brain._unrestrictedGetObject().reindexObject(idxs=["case_deadline"])
