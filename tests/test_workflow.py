"""The statutory case lifecycle: order, guards, windows and recorded dates."""

from datetime import date
from datetime import timedelta
from plone import api
from plone.app.textfield.value import RichTextValue
from Products.CMFCore.WorkflowCore import WorkflowException
from xinfang_archive.localtime import local_today
from xinfang_archive.workflow.clocks import current_deadline
from xinfang_archive.workflow.clocks import days_left
from xinfang_archive.workflow.clocks import review_window_end
from xinfang_archive.workflow.rules import transition_problems
from zope.i18n import translate

import pytest


TODAY = local_today()


def state(case):
    return api.content.get_state(case)


def add_reply(case, kind, outcome=None, reply_date=None, number="信〔2024〕1号"):
    return api.content.create(
        container=case,
        type="Reply",
        id=f"{kind}-{len(case.objectIds())}",
        kind=kind,
        document_number=number,
        reply_date=reply_date or TODAY,
        outcome=outcome,
        body=RichTextValue("<p>经调查核实……</p>", "text/html", "text/x-html-safe"),
    )


def do(case, transition):
    api.portal.get_tool("portal_workflow").doActionFor(case, transition)


def problems_zh(case, transition):
    return [
        translate(p, target_language="zh_CN")
        for p in transition_problems(case, transition)
    ]


def to_in_progress(case):
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")


def test_new_case_is_registered_with_acceptance_clock(make_case):
    case = make_case(received_date=TODAY - timedelta(days=3))
    assert state(case) == "registered"
    deadline, kind = current_deadline(case)
    assert kind == "accept"
    assert deadline == TODAY + timedelta(days=12)
    assert days_left(deadline) == 12


def test_full_lifecycle_through_review_and_rereview(make_case):
    case = make_case()
    do(case, "accept")
    assert case.accepted_on == TODAY
    assert current_deadline(case) == (TODAY + timedelta(days=60), "handle")

    case.responsible_unit = "JSJ"
    do(case, "assign")
    assert state(case) == "in_progress"

    add_reply(case, "handling_opinion", outcome="not_supported")
    do(case, "reply")
    assert state(case) == "replied"
    assert case.outcome == "not_supported"
    assert current_deadline(case) == (None, None)
    assert review_window_end(case) == TODAY + timedelta(days=30)

    do(case, "request_review")
    assert current_deadline(case) == (TODAY + timedelta(days=30), "review")
    add_reply(case, "review_opinion", outcome="explain")
    do(case, "reply_review")
    assert state(case) == "replied"
    assert case.outcome == "explain"

    do(case, "request_rereview")
    assert state(case) == "in_rereview"
    assert current_deadline(case) == (TODAY + timedelta(days=30), "rereview")
    add_reply(case, "rereview_opinion", outcome="explain")
    do(case, "reply_rereview")
    assert state(case) == "closed"
    assert case.closed_on == TODAY


def test_catalog_tracks_state_and_deadline(make_case):
    case = make_case()
    catalog = api.portal.get_tool("portal_catalog")
    (brain,) = catalog(UID=case.UID())
    assert brain.review_state == "registered"
    assert brain.case_deadline is not None
    do(case, "accept")
    (brain,) = catalog(UID=case.UID())
    assert brain.review_state == "accepted"
    overdue = catalog(
        portal_type="PetitionCase", case_deadline={"query": TODAY, "range": "max"}
    )
    assert case.UID() not in [b.UID for b in overdue]


def test_out_of_order_transition_is_refused(make_case):
    case = make_case()
    with pytest.raises(WorkflowException):
        do(case, "reply")
    assert state(case) == "registered"


def test_reject_needs_rejection_notice(make_case):
    case = make_case()
    assert "不予受理告知书" in problems_zh(case, "reject")[0]
    with pytest.raises(WorkflowException):
        do(case, "reject")
    add_reply(case, "rejection_notice")
    do(case, "reject")
    assert state(case) == "rejected"
    do(case, "close")
    assert state(case) == "closed"


def test_assign_needs_unit(make_case):
    case = make_case()
    do(case, "accept")
    assert problems_zh(case, "assign")
    with pytest.raises(WorkflowException):
        do(case, "assign")
    case.responsible_unit = "CGZ-DC"
    do(case, "assign")
    assert state(case) == "in_progress"


def test_reply_needs_opinion_with_outcome(make_case):
    case = make_case()
    to_in_progress(case)
    assert transition_problems(case, "reply")
    add_reply(case, "acceptance_notice")  # the wrong kind does not count
    assert transition_problems(case, "reply")
    reply = add_reply(case, "handling_opinion", outcome=None)
    assert transition_problems(case, "reply")
    reply.outcome = "support"
    assert not transition_problems(case, "reply")


def test_extension_once_at_most_30_days_with_reason(make_case):
    case = make_case()
    to_in_progress(case)
    case.extension_days = 31
    case.extension_reason = "需要补充调查"
    case.extension_approved_by = "李局长"
    assert any("30" in p for p in problems_zh(case, "extend"))
    case.extension_days = 30
    case.extension_reason = ""
    assert problems_zh(case, "extend")
    case.extension_reason = "需要补充调查"
    do(case, "extend")
    assert case.extended_on == TODAY
    assert current_deadline(case)[0] == TODAY + timedelta(days=90)
    assert any("一次" in p or "once" in p for p in problems_zh(case, "extend"))
    with pytest.raises(WorkflowException):
        do(case, "extend")


def test_extension_refused_after_the_deadline(make_case):
    case = make_case(received_date=TODAY - timedelta(days=90))
    to_in_progress(case)
    case.accepted_on = TODAY - timedelta(days=61)
    case.extension_days = 10
    case.extension_reason = "补充调查"
    case.extension_approved_by = "李局长"
    assert transition_problems(case, "extend")


def test_review_only_within_30_days_of_reply(make_case):
    case = make_case(received_date=TODAY - timedelta(days=100))
    to_in_progress(case)
    add_reply(case, "handling_opinion", outcome="support")
    do(case, "reply")
    case.replied_on = TODAY - timedelta(days=31)
    problems = problems_zh(case, "request_review")
    assert problems and "30" in problems[0]
    with pytest.raises(WorkflowException):
        do(case, "request_review")
    case.replied_on = TODAY - timedelta(days=30)
    assert not transition_problems(case, "request_review")


def test_rereview_only_after_review_and_within_30_days(make_case):
    case = make_case()
    to_in_progress(case)
    add_reply(case, "handling_opinion", outcome="support")
    do(case, "reply")
    assert transition_problems(case, "request_rereview")
    do(case, "request_review")
    add_reply(case, "review_opinion", outcome="support")
    do(case, "reply_review")
    case.review_replied_on = TODAY - timedelta(days=31)
    assert transition_problems(case, "request_rereview")
    case.review_replied_on = TODAY - timedelta(days=2)
    assert not transition_problems(case, "request_rereview")


def test_matter_concluded_by_rereview_is_not_accepted_again(make_case):
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    old = make_case()
    to_in_progress(old)
    add_reply(old, "handling_opinion", outcome="not_supported")
    do(old, "reply")
    do(old, "request_review")
    add_reply(old, "review_opinion", outcome="not_supported")
    do(old, "reply_review")
    do(old, "request_rereview")
    add_reply(old, "rereview_opinion", outcome="not_supported")
    do(old, "reply_rereview")

    new = make_case()
    new.related_cases = [RelationValue(getUtility(IIntIds).getId(old))]
    problems = problems_zh(new, "accept")
    assert problems and old.registration_number in problems[0]
    assert "复核" in problems[0]
    with pytest.raises(WorkflowException):
        do(new, "accept")
    assert state(new) == "registered"


def test_registration_numbers_are_sequential_per_year(make_case):
    first = make_case(received_date=date(2024, 5, 1))
    second = make_case(received_date=date(2024, 6, 1))
    other_year = make_case(received_date=date(2023, 6, 1))
    assert first.registration_number == "XF-2024-000001"
    assert second.registration_number == "XF-2024-000002"
    assert other_year.registration_number == "XF-2023-000001"


def test_registration_number_format_is_configurable(make_case):
    api.portal.set_registry_record(
        "xinfang_archive.registration_number_format", "信-{year}-{seq:05d}"
    )
    case = make_case(received_date=date(2025, 1, 2))
    assert case.registration_number == "信-2025-00001"


def test_clock_lengths_come_from_the_registry(make_case):
    case = make_case(received_date=TODAY - timedelta(days=3))
    api.portal.set_registry_record("xinfang_archive.accept_days", 10)
    assert current_deadline(case) == (TODAY + timedelta(days=7), "accept")
    do(case, "accept")
    api.portal.set_registry_record("xinfang_archive.handle_days", 45)
    assert current_deadline(case) == (TODAY + timedelta(days=45), "handle")
