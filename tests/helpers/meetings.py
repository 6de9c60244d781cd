"""Coordination meetings (会议) with their decisions on cases."""

from datetime import timedelta
from plone import api
from tests.helpers.archival import do
from tests.helpers.cases import case_data
from xinfang_archive.localtime import local_today


TODAY = local_today()


def new_case(portal, **overrides):
    return api.content.create(
        container=portal["cases"], type="PetitionCase", **case_data(**overrides)
    )


def decision(case, **overrides):
    row = {
        "case_number": case.registration_number,
        "unit": "JSJ",
        "due_date": TODAY + timedelta(days=20),
        "instructions": "由住建局牵头，一个月内拿出补偿方案。",
        "settled": False,
    }
    row.update(overrides)
    return row


def add_meeting(portal, decisions, kind="joint", day=TODAY, **fields):
    values = {
        "kind": kind,
        "meeting_date": day,
        "chair": "李建国（副县长）",
        "attendee_units": ["JSJ", "ZRZY"],
        "attendees": ["王强（住建局局长）", "陈明（自然资源局副局长）"],
        "decisions": decisions,
    }
    values.update(fields)
    return api.content.create(
        container=portal["meetings"], type="CoordinationMeeting", title="", **values
    )


def finalize(meeting):
    """Submitted by the registrar, finalized by an inspector (the test user as Manager here)."""
    do(meeting, "submit")
    do(meeting, "finalize")
