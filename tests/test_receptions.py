"""领导信访接待日: reception days, their workflow (published in advance,
never in the past), the public schedule and feed (no petitioner data), the
cases received (channel 领导接待日) with the leader's instructions and
follow-ups, masking, and the upgrade."""
from conftest import case_data
from conftest import render
from datetime import date
from datetime import time
from datetime import timedelta
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.WorkflowCore import WorkflowException
from tests.archival_support import do
from types import SimpleNamespace
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.i18n import translate
from zope.interface import Invalid
from zope.intid.interfaces import IIntIds

import lxml.etree
import pytest
import transaction


LEADER = "周建国"
PETITIONER = "张三"
PHONE = "13812345678"
INSTRUCTION = f"请住建局一周内答复，联系电话{PHONE}。"


def zh(message):
    return translate(message, target_language="zh_CN")


def relation(obj):
    return RelationValue(getUtility(IIntIds).getId(obj))


def add_reception(portal, day=None, **fields):
    values = dict(
        leader=LEADER, post="副县长", responsibilities="分管住房城乡建设、自然资源",
        reception_date=day or date.today() + timedelta(days=7),
        start_time=time(9, 0), end_time=time(11, 30),
        place="县信访局一楼接待大厅", notes="请携带身份证件及相关材料。",
    )
    values.update(fields)
    # As the add form and REST do: the name chooser names it after its date.
    return createContentInContainer(portal["receptions"], "LeaderReception", **values)


def received_case(portal, reception, **overrides):
    data = case_data(channel="reception_day", received_date=date.today(), **overrides)
    return api.content.create(container=portal["cases"], type="PetitionCase",
                              reception=relation(reception), **data)


def as_manager(portal):
    login(portal, TEST_USER_NAME)
    setRoles(portal, TEST_USER_ID, ["Manager"])


def schema_problems(schema, **data):
    problems = []
    for check in schema.getTaggedValue("invariants"):
        try:
            check(SimpleNamespace(**data))
        except Invalid as error:
            problems.append(zh(error.args[0]))
    return problems


# --- the record and its workflow --------------------------------------------------------


def test_the_registrar_schedules_and_publishes_a_reception(portal, staff):
    folder = portal["receptions"]
    assert folder.portal_type == "ReceptionFolder"
    assert folder.getLayout() == "receptions"
    login(portal, "registrar")
    assert api.user.has_permission("xinfang_archive: Add LeaderReception", obj=folder)
    reception = add_reception(portal)
    day = reception.reception_date.isoformat()
    assert reception.getId() == f"jdr-{day}"
    assert reception.Title() == f"{day} {LEADER} 副县长 信访接待日"
    assert api.content.get_state(reception) == "planned"
    logout()
    assert not api.user.has_permission("View", obj=reception)
    login(portal, "registrar")
    do(reception, "publish")
    assert api.content.get_state(reception) == "published"
    logout()
    assert api.user.has_permission("View", obj=reception)
    assert api.user.has_permission("View", obj=folder)
    login(portal, "handler")
    assert not api.user.has_permission("xinfang_archive: Add LeaderReception", obj=folder)


def test_a_reception_in_the_past_is_not_published(portal, staff):
    login(portal, "registrar")
    reception = add_reception(portal, day=date.today() - timedelta(days=1))
    with pytest.raises(WorkflowException):
        do(reception, "publish")
    assert api.content.get_state(reception) == "planned"
    from xinfang_archive.receptions.rules import transition_problems

    (problem,) = transition_problems(reception, "publish")
    assert "已过" in zh(problem) and "不能作为预告公布" in zh(problem)
    # It may be recorded as held; a coming one may not.
    do(reception, "hold")
    assert api.content.get_state(reception) == "held"
    coming = add_reception(portal, day=date.today() + timedelta(days=3))
    do(coming, "publish")
    with pytest.raises(WorkflowException):
        do(coming, "hold")
    assert "尚未到来" in zh(transition_problems(coming, "hold")[0])


def test_the_page_says_why_a_past_reception_cannot_be_published(portal, staff, request_):
    login(portal, "registrar")
    reception = add_reception(portal, day=date.today() - timedelta(days=2))
    html = render("view", reception, request_)
    assert "不能作为预告公布" in html


def test_an_end_time_before_the_start_is_refused(portal, staff):
    from xinfang_archive.content.reception import ILeaderReceptionSchema

    (problem,) = schema_problems(ILeaderReceptionSchema, start_time=time(10), end_time=time(9))
    assert problem == "结束时间必须晚于开始时间。"
    assert schema_problems(ILeaderReceptionSchema, start_time=time(9), end_time=time(10)) == []
    login(portal, "registrar")
    with pytest.raises(Invalid):
        add_reception(portal, start_time=time(15), end_time=time(14))


def test_the_record_of_the_day_is_written_once_held_and_read_by_the_bureau(portal, staff):
    login(portal, "registrar")
    reception = add_reception(portal, day=date.today())
    assert not api.user.has_permission("xinfang_archive: Record reception minutes", obj=reception)
    do(reception, "hold")
    assert api.user.has_permission("xinfang_archive: Record reception minutes", obj=reception)
    assert api.user.has_permission("xinfang_archive: View reception minutes", obj=reception)
    logout()
    assert not api.user.has_permission("View", obj=reception)
    assert not api.user.has_permission("xinfang_archive: View reception minutes", obj=reception)
    login(portal, "handler")
    assert not api.user.has_permission("xinfang_archive: View reception minutes", obj=reception)
