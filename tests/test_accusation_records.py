"""Whatever a record says about a 举报 case (its category 纪检举报, its flag
``accusation`` or accusation material in it) reaches no unit: meeting
decisions, the records behind a warning and a reception day's instructions
all use ``privacy.accusation.is_accusation_case``; and the version history of
a meeting or a screening report is the archive's masked one."""

from plone import api
from plone.app.testing import login
from tests.helpers.archival import do
from tests.helpers.meetings import add_meeting
from tests.helpers.meetings import decision
from tests.helpers.meetings import finalize
from tests.helpers.meetings import new_case
from tests.helpers.screening import dispute
from tests.helpers.screening import file_report
from tests.helpers.views import render
from xinfang_archive.localtime import local_today
from xinfang_archive.privacy.accusation import is_accusation_case

import pytest


def routed(portal, **overrides):
    case = new_case(portal, **overrides)
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    return case


@pytest.mark.parametrize(
    "accused",
    [{"category": "discipline"}, {"flags": {"accusation"}}],
    ids=["category", "flag"],
)
def test_meeting_decisions_on_a_case_accusing_by_category_or_flag_stay_from_the_unit(
    manager, staff, request_, accused
):
    portal = manager
    case = routed(portal, title="工程招标问题反映", **accused)
    assert is_accusation_case(case)
    meeting = add_meeting(
        portal, [decision(case, unit="JW", instructions="转纪委监委调查核实。")]
    )
    finalize(meeting)
    login(portal, "handler")  # 住建局, the accused unit, handles the case
    assert api.user.has_permission("View", obj=case)
    assert "转纪委监委调查核实" not in render("view", case, request_)
    login(portal, "inspector")
    assert "转纪委监委调查核实" in render("view", case, request_)


def test_the_leaders_instructions_on_an_accusation_case_stay_from_the_unit(
    manager, staff
):
    from datetime import time
    from plone.dexterity.utils import createContentInContainer
    from xinfang_archive.receptions.schedule import received
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    portal = manager
    reception = createContentInContainer(
        portal["receptions"],
        "LeaderReception",
        leader="周建国",
        post="副县长",
        reception_date=local_today(),
        start_time=time(9),
        end_time=time(11),
        place="接待大厅",
    )
    relation = RelationValue(getUtility(IIntIds).getId(reception))
    plain = routed(portal, channel="reception_day", reception=relation)
    accused = routed(
        portal,
        channel="reception_day",
        category="discipline",
        reception=RelationValue(getUtility(IIntIds).getId(reception)),
    )
    do(reception, "hold")
    reception.instructions = [
        {
            "case_number": case.registration_number,
            "instructed_on": local_today(),
            "instruction": text,
        }
        for case, text in ((plain, "请住建局核实。"), (accused, "转纪委监委核查。"))
    ]
    login(portal, "handler")
    assert [entry["case"] for entry in received(reception)] == [plain]
    login(portal, "inspector")
    assert {entry["case"] for entry in received(reception)} == {plain, accused}


@pytest.mark.parametrize("make", ["meeting", "screening"])
def test_the_history_of_meetings_and_screening_reports_is_the_masked_one(
    manager, staff, request_, make
):
    from xinfang_archive.browser.history import RecordHistoryView

    portal = manager
    if make == "meeting":
        obj = add_meeting(portal, [decision(new_case(portal))])
    else:
        obj = file_report(disputes=[dispute(parties="赵某（电话13912345678）等30户")])
    for name in ("history", "version-view"):
        view = api.content.get_view(name=name, context=obj, request=request_)
        assert isinstance(view, RecordHistoryView), name
    login(portal, "inspector")
    page = render("history", obj, request_)
    assert "13912345678" not in page
