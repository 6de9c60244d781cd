"""领导信访接待日: reception days, their workflow (published in advance,
never in the past), the public schedule and feed (no petitioner data), the
cases received (channel 领导接待日) with the leader's instructions and
follow-ups, masking, and the upgrade."""

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
from tests.helpers.archival import do
from tests.helpers.cases import case_data
from tests.helpers.views import render
from types import SimpleNamespace
from xinfang_archive.localtime import local_today
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
    values = {
        "leader": LEADER,
        "post": "副县长",
        "responsibilities": "分管住房城乡建设、自然资源",
        "reception_date": day or local_today() + timedelta(days=7),
        "start_time": time(9, 0),
        "end_time": time(11, 30),
        "place": "县信访局一楼接待大厅",
        "notes": "请携带身份证件及相关材料。",
    }
    values.update(fields)
    # As the add form and REST do: the name chooser names it after its date.
    return createContentInContainer(portal["receptions"], "LeaderReception", **values)


def received_case(portal, reception, **overrides):
    data = case_data(channel="reception_day", received_date=local_today(), **overrides)
    return api.content.create(
        container=portal["cases"],
        type="PetitionCase",
        reception=relation(reception),
        **data,
    )


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
    assert not api.user.has_permission(
        "xinfang_archive: Add LeaderReception", obj=folder
    )


def test_a_reception_in_the_past_is_not_published(portal, staff):
    login(portal, "registrar")
    reception = add_reception(portal, day=local_today() - timedelta(days=1))
    with pytest.raises(WorkflowException):
        do(reception, "publish")
    assert api.content.get_state(reception) == "planned"
    from xinfang_archive.receptions.rules import transition_problems

    (problem,) = transition_problems(reception, "publish")
    assert "已过" in zh(problem) and "不能作为预告公布" in zh(problem)
    # It may be recorded as held; a coming one may not.
    do(reception, "hold")
    assert api.content.get_state(reception) == "held"
    coming = add_reception(portal, day=local_today() + timedelta(days=3))
    do(coming, "publish")
    with pytest.raises(WorkflowException):
        do(coming, "hold")
    assert "尚未到来" in zh(transition_problems(coming, "hold")[0])


def test_the_page_says_why_a_past_reception_cannot_be_published(
    portal, staff, request_
):
    login(portal, "registrar")
    reception = add_reception(portal, day=local_today() - timedelta(days=2))
    html = render("view", reception, request_)
    assert "不能作为预告公布" in html


def test_an_end_time_before_the_start_is_refused(portal, staff):
    from xinfang_archive.content.reception import ILeaderReceptionSchema

    (problem,) = schema_problems(
        ILeaderReceptionSchema, start_time=time(10), end_time=time(9)
    )
    assert problem == "结束时间必须晚于开始时间。"
    assert (
        schema_problems(ILeaderReceptionSchema, start_time=time(9), end_time=time(10))
        == []
    )
    login(portal, "registrar")
    with pytest.raises(Invalid):
        add_reception(portal, start_time=time(15), end_time=time(14))


def test_the_record_of_the_day_is_written_once_held_and_read_by_the_bureau(
    portal, staff
):
    login(portal, "registrar")
    reception = add_reception(portal, day=local_today())
    assert not api.user.has_permission(
        "xinfang_archive: Record reception minutes", obj=reception
    )
    do(reception, "hold")
    assert api.user.has_permission(
        "xinfang_archive: Record reception minutes", obj=reception
    )
    assert api.user.has_permission(
        "xinfang_archive: View reception minutes", obj=reception
    )
    logout()
    assert not api.user.has_permission("View", obj=reception)
    assert not api.user.has_permission(
        "xinfang_archive: View reception minutes", obj=reception
    )
    login(portal, "handler")
    assert not api.user.has_permission(
        "xinfang_archive: View reception minutes", obj=reception
    )


# --- the public schedule and its feed ----------------------------------------------------


def test_the_public_page_lists_coming_published_receptions_only(
    portal, staff, request_
):
    login(portal, "registrar")
    coming = add_reception(portal, leader="李明", day=local_today() + timedelta(days=5))
    do(coming, "publish")
    add_reception(
        portal, leader="王强", day=local_today() + timedelta(days=6)
    )  # planned only
    past = add_reception(portal, leader="赵刚", day=local_today() - timedelta(days=30))
    do(past, "hold")
    logout()
    html = render("receptions", portal["receptions"], request_)
    assert "李明" in html and "副县长" in html and "分管住房城乡建设" in html
    assert "县信访局一楼接待大厅" in html and "09:00–11:30" in html
    assert "王强" not in html and "赵刚" not in html
    assert "++add++LeaderReception" not in html


def test_the_schedule_is_bounded_in_size(portal, staff):
    from xinfang_archive.receptions import schedule

    login(portal, "registrar")
    for offset in range(1, 5):
        do(add_reception(portal, day=local_today() + timedelta(days=offset)), "publish")
    logout()
    total, page = schedule.upcoming(portal["receptions"], limit=10**9, start=0)
    assert total == 4 and len(page) == 4
    total, page = schedule.upcoming(portal["receptions"], limit=2, start=10**12)
    assert page == []
    assert [
        r.reception_date for r in schedule.upcoming(portal["receptions"], limit=2)[1]
    ] == [local_today() + timedelta(days=1), local_today() + timedelta(days=2)]


@pytest.fixture()
def site_request(site):
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.interface import alsoProvides

    alsoProvides(site.REQUEST, IXinfangArchiveLayer)
    return site.REQUEST


@pytest.fixture()
def held_reception(site, staff_users):
    """A reception held today with a case received (of 住建局, JSJ) and the
    leader's instruction and follow-up on it; another published for next week."""
    from plone.app.textfield.value import RichTextValue

    reception = add_reception(site, day=local_today())
    case = received_case(site, reception, responsible_unit="JSJ")
    do(reception, "hold")
    number = case.registration_number
    reception.minutes = RichTextValue(
        f"<p>{PETITIONER}反映征地补偿问题，住浙江省杭州市西湖区文三路100号，电话{PHONE}。</p>",
        "text/html",
        "text/html",
    )
    reception.instructions = [
        {
            "case_number": number,
            "instructed_on": local_today(),
            "instruction": INSTRUCTION,
        }
    ]
    reception.follow_ups = [
        {"case_number": number, "day": local_today(), "note": "电话过问办理进度。"}
    ]
    coming = add_reception(site, leader="李明", day=local_today() + timedelta(days=7))
    do(coming, "publish")
    transaction.commit()
    return {"reception": reception, "case": case, "coming": coming}


def assert_no_petitioner_data(text):
    for secret in (
        PETITIONER,
        PHONE,
        "110101199003074514",
        "文三路",
        INSTRUCTION[:6],
        "电话过问",
    ):
        assert secret not in text, secret


def test_page_feed_and_rest_as_an_anonymous_visitor(
    site, held_reception, request_factory
):
    anonymous = request_factory()
    anonymous.headers.update({"Accept-Language": "zh-CN"})
    folder_url = site["receptions"].absolute_url()
    page = anonymous.get(folder_url, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "李明" in page.text
    assert_no_petitioner_data(page.text)
    feed = anonymous.get(folder_url + "/@@receptions-feed")
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("application/rss+xml")
    root = lxml.etree.fromstring(feed.content)
    (item,) = root.findall("channel/item")
    assert "李明" in item.findtext("title")
    assert "县信访局一楼接待大厅" in item.findtext("description")
    assert_no_petitioner_data(feed.text)
    coming = held_reception["coming"]
    rest = anonymous.get(coming.absolute_url(), headers={"Accept": "application/json"})
    assert rest.status_code == 200
    data = rest.json()
    assert data["leader"] == "李明"
    assert not {"minutes", "instructions", "follow_ups"} & set(data)
    held = anonymous.get(
        held_reception["reception"].absolute_url(),
        headers={"Accept": "application/json"},
    )
    assert held.status_code in (401, 403, 404)


# --- the cases received ---------------------------------------------------------------------


def test_a_case_on_that_channel_names_its_reception_and_only_then(portal, staff):
    from xinfang_archive.content.case import IPetitionCaseSchema

    as_manager(portal)
    reception = add_reception(portal, day=local_today())
    problems = schema_problems(
        IPetitionCaseSchema, **case_data(channel="reception_day")
    )
    assert "领导接待日接谈的信访件必须选择其所属的接待日。" in problems
    problems = schema_problems(
        IPetitionCaseSchema, **case_data(channel="letter", reception=reception)
    )
    assert any("只有渠道为“领导接待日”的信访件才能关联接待日" in p for p in problems)
    assert not any(
        "接待日" in p
        for p in schema_problems(
            IPetitionCaseSchema,
            **case_data(channel="reception_day", reception=reception),
        )
    )
    case = received_case(portal, reception)
    from xinfang_archive.content.reception_links import received_cases
    from xinfang_archive.content.reception_links import reception_of

    assert reception_of(case) == reception
    assert received_cases(reception) == [case]
    # However a case is added (REST, code, import): refused.
    with pytest.raises(Invalid):
        api.content.create(
            container=portal["cases"],
            type="PetitionCase",
            **case_data(channel="reception_day"),
        )
    with pytest.raises(Invalid):
        api.content.create(
            container=portal["cases"],
            type="PetitionCase",
            reception=relation(reception),
            **case_data(channel="visit"),
        )


def test_instructions_name_cases_received_at_the_reception(portal, staff):
    from xinfang_archive.content.reception import ILeaderReceptionSchema

    as_manager(portal)
    reception = add_reception(portal, day=local_today())
    case = received_case(portal, reception)
    other = api.content.create(
        container=portal["cases"], type="PetitionCase", **case_data()
    )
    row = {"case_number": other.registration_number, "instruction": "阅。"}
    (problem,) = schema_problems(
        ILeaderReceptionSchema, __context__=reception, instructions=[row]
    )
    assert other.registration_number in problem and "不是在本次接待日受理的" in problem
    row = {"case_number": case.registration_number, "instruction": "阅。"}
    assert (
        schema_problems(
            ILeaderReceptionSchema, __context__=reception, instructions=[row]
        )
        == []
    )


def test_the_reception_page_lists_its_cases_with_instructions_and_follow_ups(
    site, held_reception, site_request
):
    reception, case = held_reception["reception"], held_reception["case"]
    login(site, "registrar")
    html = render("view", reception, site_request)
    assert case.registration_number in html
    assert INSTRUCTION in html and "电话过问办理进度。" in html
    assert PHONE in html  # the registrar may see personal data
    case_html = render("view", case, site_request)
    assert reception.Title() in case_html and INSTRUCTION in case_html


def test_instructions_are_masked_without_view_personal_data(
    site, held_reception, site_request
):
    reception, case = held_reception["reception"], held_reception["case"]
    login(site, "inspector")
    assert not api.user.has_permission("xinfang_archive: View personal data", obj=case)
    html = render("view", reception, site_request)
    assert case.registration_number in html and "请住建局一周内答复" in html
    import re

    assert PHONE not in html, re.findall(".{200}" + PHONE + ".{50}", html, re.S)
    assert "***********" in html
    assert "征地补偿问题" in html  # the minutes, their numbers masked
    assert "文三路100号" not in html  # nor the petitioner's address they name


def test_cases_are_listed_only_to_those_who_may_view_them(
    site, held_reception, site_request
):
    from tests.helpers.staff import member_of

    reception, case = held_reception["reception"], held_reception["case"]
    other_unit = member_of("unit-MZJ", "mzj-staff")
    login(site, other_unit)
    assert not api.user.has_permission("View", obj=case)
    from xinfang_archive.receptions.schedule import received

    assert received(reception) == []
    login(site, "handler")  # 住建局: the case's unit
    (entry,) = received(reception)
    assert entry["number"] == case.registration_number
    case_html = render("view", case, site_request)
    assert INSTRUCTION in case_html


# --- upgrade --------------------------------------------------------------------------------


def test_upgrade_1010_adds_receptions_and_keeps_the_bureaus_channels(manager):
    portal = manager
    portal.manage_delObjects(["receptions"])
    portal.portal_workflow.manage_delObjects(["xf_reception_workflow"])
    own = ["letter|来信", "visit|来访", "wechat|微信公众号"]
    api.portal.set_registry_record("xinfang_archive.channels", own)
    setup = portal.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1010")
    setup.upgradeProfile("xinfang_archive:default")
    assert setup.getLastVersionForProfile("xinfang_archive:default") == ("1017",)
    assert portal["receptions"].portal_type == "ReceptionFolder"
    assert portal.portal_workflow.getChainForPortalType("LeaderReception") == (
        "xf_reception_workflow",
    )
    assert api.portal.get_registry_record("xinfang_archive.channels") == [
        *own,
        "reception_day|领导接待日",
    ]
    from xinfang_archive.upgrades.receptions import ensure_reception_channel

    assert ensure_reception_channel() is False  # once only


# --- versions, audit ------------------------------------------------------------------------


def test_versions_are_saved_exactly_where_the_reception_may_be_modified(portal, staff):
    from zope.lifecycleevent import modified

    workflow = api.portal.get_tool("portal_workflow")["xf_reception_workflow"]
    for state in workflow.states.objectValues():
        modify = set(state.getPermissionInfo("Modify portal content")["roles"])
        save = set(state.getPermissionInfo("CMFEditions: Save new version")["roles"])
        assert save == modify | ({"Owner"} if state.getId() == "planned" else set()), (
            state.getId()
        )
    login(portal, "registrar")
    reception = add_reception(portal)
    reception.place = "县行政服务中心三楼"
    modified(reception)
    repository = api.portal.get_tool("portal_repository")
    assert repository.getHistoryMetadata(reception).getLength(countPurged=False) == 2
    assert repository.retrieve(reception, 1).object.place == "县行政服务中心三楼"


def test_reception_changes_are_audited(site):
    from tests.helpers.audit import actions_of

    reception = add_reception(site)
    transaction.commit()
    do(reception, "publish")
    transaction.commit()
    assert actions_of(reception) == ["create", "transition"]


# --- REST ------------------------------------------------------------------------------------


def test_rest_masks_the_record_and_says_why_publishing_is_refused(
    site, held_reception, session_for
):
    url = held_reception["reception"].absolute_url()
    number = held_reception["case"].registration_number
    inspector = session_for("inspector").get(url).json()
    (row,) = inspector["instructions"]
    assert row["case_number"] == number and PHONE not in row["instruction"]
    assert PHONE not in inspector["minutes"]["data"]
    registrar = session_for("registrar").get(url).json()
    assert registrar["instructions"][0]["instruction"] == INSTRUCTION
    assert PHONE in registrar["minutes"]["data"]
    assert session_for("organizer").get(url).status_code in (
        401,
        403,
        404,
    )  # staff of the bureau only
    past = add_reception(site, day=local_today() - timedelta(days=3))
    transaction.commit()
    answer = session_for("registrar").post(past.absolute_url() + "/@workflow/publish")
    assert answer.status_code == 400
    assert "不能作为预告公布" in answer.json()["error"]["message"]
    transaction.begin()
    assert api.content.get_state(past) == "planned"


# --- search -----------------------------------------------------------------------------------


def test_search_finds_receptions_and_keeps_the_record_to_staff(site, held_reception):
    from xinfang_archive.search.searching import archive_search

    def found(text, **kwargs):
        return {
            item["uid"]
            for item in archive_search(site.REQUEST, text=text, **kwargs)["items"]
        }

    held, coming = held_reception["reception"], held_reception["coming"]
    held.reindexObject()
    transaction.commit()
    with api.env.adopt_user(username="registrar"):
        assert held.UID() in found("征地补偿问题")  # the minutes
        assert held.UID() in found("一周内答复")  # an instruction
        answer = archive_search(
            site.REQUEST, text=LEADER, filters={"portal_type": "LeaderReception"}
        )
        assert {i["uid"] for i in answer["items"]} == {held.UID()}
        channels = {o["value"] for o in answer["facets"]["channel"]["options"]}
        assert channels == {"reception_day"}
        assert {o["value"] for o in answer["facets"]["portal_type"]["options"]} == {
            "LeaderReception"
        }
    with api.env.adopt_user(username="inspector"):
        assert held.UID() in found("一周内答复")
        assert held.UID() not in found(PHONE)  # a number in the record is personal data
        snippets = " ".join(
            i["snippet"]
            for i in archive_search(site.REQUEST, text="征地补偿问题")["items"]
        )
        assert (
            "征地补偿问题" in snippets
            and "文三路100号" not in snippets
            and PHONE not in snippets
        )
    # A record written on a public day (by code) is not indexed while it is public.
    coming.follow_ups = [
        {"case_number": "XF-0", "day": local_today(), "note": "专项过问拆迁安置进度"}
    ]
    coming.reindexObject()
    transaction.commit()
    logout()
    assert found("李明") == {coming.UID()}  # the public schedule is public
    assert found("征地补偿问题") == set() and found("一周内答复") == set()
    assert found("拆迁安置进度") == set()


# --- filing ---------------------------------------------------------------------------------


def test_filing_waits_for_the_reception_and_keeps_its_instructions(portal, staff):
    from tests.helpers.archival import add_document
    from tests.helpers.archival import as_archivist
    from tests.helpers.archival import close_case
    from xinfang_archive.archival.filing import make_plan
    from xinfang_archive.archival.retention import case_facts

    as_manager(portal)
    reception = add_reception(portal, day=local_today())
    case = received_case(portal, reception)
    add_document(case)
    close_case(case)
    problems = [zh(p.message) for p in make_plan(case).problems]
    assert any("尚未记录为已接待" in p for p in problems), problems
    do(reception, "hold")
    assert case_facts(case)["reception"] == {"received"}
    reception.instructions = [
        {
            "case_number": case.registration_number,
            "instructed_on": local_today(),
            "instruction": INSTRUCTION,
        }
    ]
    assert case_facts(case)["reception"] == {"received", "instructed"}
    assert make_plan(case).problems == []
    as_archivist(portal)
    do(case, "file")
    assert case.reception_record["instructions"][0]["instruction"] == INSTRUCTION
    assert case.reception_record["reception"] == reception.Title()
    assert "reception=instructed|D30|领导接待日批示的信访事项" in case.retention_rules


# --- exchange -------------------------------------------------------------------------------


def test_a_received_case_is_exchanged_with_its_reception(portal, staff):
    from xinfang_archive.exchange.writer import exchange_bytes

    as_manager(portal)
    reception = add_reception(portal, day=local_today())
    case = received_case(portal, reception)
    root = lxml.etree.fromstring(exchange_bytes([case]))
    ns = {"x": "urn:xinfang-archive:exchange:1"}
    (ref,) = root.findall("x:case/x:metadata/x:reception/x:ref", ns)
    assert (
        ref.get("uid") == reception.UID() and ref.get("identifier") == reception.getId()
    )
    from xinfang_archive.exchange.safexml import load_schema

    assert load_schema("exchange.xsd").validate(root), load_schema(
        "exchange.xsd"
    ).error_log


def test_a_published_day_is_not_moved_into_the_past(portal, staff):
    from xinfang_archive.content.reception import ILeaderReceptionSchema

    login(portal, "registrar")
    reception = add_reception(portal)
    do(reception, "publish")
    past = {
        "__context__": reception,
        "reception_date": local_today() - timedelta(days=1),
        "start_time": time(9),
        "end_time": time(10),
    }
    (problem,) = schema_problems(ILeaderReceptionSchema, **past)
    assert "已公布的接待日不能改到已过的时间" in problem
    later = dict(past, reception_date=local_today() + timedelta(days=9))
    assert schema_problems(ILeaderReceptionSchema, **later) == []


def test_the_history_shows_the_record_of_the_day_only_to_who_may_read_it(
    site, held_reception, site_request
):
    from zope.lifecycleevent import modified

    reception = held_reception["reception"]
    reception.follow_ups = [
        *list(reception.follow_ups),
        {
            "case_number": held_reception["case"].registration_number,
            "day": local_today(),
            "note": f"再次过问，电话{PHONE}",
        },
    ]
    modified(reception)
    transaction.commit()
    login(site, "inspector")
    html = render("record-history", reception, site_request)
    assert "再次过问" in html and PHONE not in html
    from xinfang_archive.browser.history import RecordHistoryView

    login(site, "organizer")
    view = RecordHistoryView(reception, site_request)
    assert "follow_ups" not in dict(view._fields()) and "leader" in dict(view._fields())


def test_the_forms(portal, staff, request_):
    login(portal, "registrar")
    request_["AUTHENTICATED_USER"] = (
        api.user.get_current()
    )  # as published: field permissions checked
    reception = add_reception(portal)
    edit_html = reception.restrictedTraverse("@@edit")()
    assert "form.widgets.place" in edit_html
    assert "form.widgets.instructions" not in edit_html  # recorded once the day is held
    form_html = portal["receptions"].restrictedTraverse("++add++LeaderReception")()
    for field in (
        "leader",
        "post",
        "responsibilities",
        "reception_date",
        "start_time",
        "end_time",
        "place",
    ):
        assert f"form.widgets.{field}" in form_html, field
    assert "接待领导" in form_html and "分管工作" in form_html
    case_form = portal["cases"].restrictedTraverse("++add++PetitionCase")()
    assert "form.widgets.reception" in case_form and "领导接待日" in case_form
