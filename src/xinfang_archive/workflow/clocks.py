"""Statutory clocks (法定期限) of a petition case.

Every open case has one current deadline that the bureau must meet:

* 登记 registered: accept (or reject) and notify within ``accept_days`` of receipt;
* 受理 / 办理中: handle within ``handle_days`` of acceptance, plus the one extension;
* 复查中: reply to the review within ``review_reply_days`` of the request;
* 复核中: reply to the re-review within ``rereview_reply_days`` of the request,
  the days of the case's hearings not counted.

已答复 replied has no deadline of the bureau's, but a window in which the
petitioner may ask for a review (or re-review); it is reported as ``window``.
All lengths are calendar days, read from the registry.
"""

from datetime import timedelta
from plone import api
from xinfang_archive.controlpanel.settings import get_settings
from xinfang_archive.hearings.clock import count_days
from xinfang_archive.hearings.clock import hearing_days
from xinfang_archive.localtime import local_today


def _plus(start, days):
    return start + timedelta(days=days) if start else None


def handling_deadline(case, settings=None):
    settings = settings or get_settings()
    start = case.accepted_on
    if start is None:
        return None
    extension = (case.extension_days or 0) if case.extended_on else 0
    return _plus(start, settings.handle_days + extension)


def rereview_deadline(case, settings=None):
    """The re-review reply is due ``rereview_reply_days`` after the request,
    hearing days not counted (信访条例 Art. 35)."""

    settings = settings or get_settings()
    start = case.rereview_requested_on
    if start is None:
        return None
    return count_days(start, settings.rereview_reply_days, hearing_days(case))


def review_window_end(case, settings=None):
    """Last day the petitioner may ask for a review / re-review, or None."""
    settings = settings or get_settings()
    if case.review_replied_on:
        if case.rereview_requested_on:
            return None
        return _plus(case.review_replied_on, settings.rereview_request_days)
    if case.replied_on and not case.review_requested_on:
        return _plus(case.replied_on, settings.review_request_days)
    return None


def current_deadline(case, state=None, settings=None):
    """``(deadline, kind)``: what the bureau must do by when, or ``(None, None)``."""
    settings = settings or get_settings()
    state = state or api.content.get_state(case, default=None)
    if state == "registered":
        return _plus(case.received_date, settings.accept_days), "accept"
    if state in ("accepted", "in_progress"):
        return handling_deadline(case, settings), "handle"
    if state == "in_review":
        return _plus(case.review_requested_on, settings.review_reply_days), "review"
    if state == "in_rereview":
        return rereview_deadline(case, settings), "rereview"
    return None, None


def days_left(deadline, today=None):
    """Calendar days until ``deadline``; negative when overdue."""
    if deadline is None:
        return None
    return (deadline - (today or local_today())).days


def statutory_clock(case):
    """The clock as the case page and the REST API show it."""
    deadline, kind = current_deadline(case)
    left = days_left(deadline)
    window = review_window_end(case)
    return {
        "deadline": deadline.isoformat() if deadline else None,
        "kind": kind,
        "days_left": left,
        "overdue": left is not None and left < 0,
        "review_window_end": window.isoformat() if window else None,
    }
