"""责任追究: accountability records against a unit (and a person in it),
their checks, workflow, need-to-know by unit, masking of the person, the
step from the screening status page, and the bulletin's use of them."""

from datetime import date
from datetime import timedelta
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.helpers.archival import do
from tests.helpers.relations import relation
from tests.helpers.staff import member_of
from tests.helpers.workflows import diagram_edges_missing
from types import SimpleNamespace
from xinfang_archive.localtime import local_today
from zope.i18n import translate
from zope.interface import Invalid

import pytest


UNITS = [
    "CXX|城西县||county",
    "JSJ|住房和城乡建设局|CXX|department",
    "CGZ|城关镇|CXX|township",
    "MZJ|民政局|CXX|department",
]


def zh(message):
    return translate(message, target_language="zh_CN")


def as_manager(portal):
    login(portal, TEST_USER_NAME)
    setRoles(portal, TEST_USER_ID, ["Manager"])


def add_record(**overrides):
    data = {
        "unit": "JSJ",
        "cause": "supervision_ignored",
        "measure": "talk",
        "facts": "督办件逾期未反馈，经催办仍未落实。",
        "authority": "县信访工作联席会议",
        "decision_date": local_today() - timedelta(days=3),
        "person_name": "李四",
        "person_post": "副局长",
    }
    data.update(overrides)
    return api.content.create(
        container=api.portal.get()["accountability"],
        type="AccountabilityRecord",
        title="",
        **data,
    )


def invariant_problems(**data):
    from xinfang_archive.content.accountability import IAccountabilityRecordSchema

    problems = []
    for check in IAccountabilityRecordSchema.getTaggedValue("invariants"):
        try:
            check(SimpleNamespace(**data))
        except Invalid as error:
            problems.append(zh(error.args[0]))
    return problems


GOOD = {
    "unit": "JSJ",
    "cause": "other",
    "measure": "talk",
    "facts": "事实",
    "authority": "县信访局",
    "decision_date": date(2026, 1, 5),
}


# --- the type, the folder and its number -------------------------------------------------


def test_the_folder_and_a_record(portal, staff):
    folder = portal["accountability"]
    assert folder.portal_type == "AccountabilityFolder"
    login(portal, "registrar")
    record = add_record()
    year = record.decision_date.year
    assert (
        record.getId() == f"zr-{year}-0001"
        and record.record_number == f"ZR-{year}-0001"
    )
    assert record.Title() == "住房和城乡建设局 约谈（督办不力）"
    assert "李四" not in record.Title()
    assert api.content.get_state(record) == "draft"
    workflow = api.portal.get_tool("portal_workflow")
    assert workflow.getChainForPortalType("AccountabilityRecord") == (
        "xf_accountability_workflow",
    )


def test_an_inspector_drafts_and_the_registrar_decides(portal, staff):
    login(portal, "inspector")
    assert api.user.has_permission(
        "xinfang_archive: Add AccountabilityRecord", obj=portal["accountability"]
    )
    assert api.user.has_permission("Add portal content", obj=portal["accountability"])
    record = add_record()
    assert api.user.has_permission("Modify portal content", obj=record)
    assert "decide" not in [
        t["id"]
        for t in api.portal.get_tool("portal_workflow").getTransitionsFor(record)
    ]
    login(portal, "registrar")
    do(record, "decide")
    assert api.content.get_state(record) == "decided"
    for user_id in ("registrar", "inspector", "archivist", "head"):
        login(portal, user_id)
        assert api.user.has_permission("View", obj=record), user_id
        assert not api.user.has_permission("Modify portal content", obj=record), user_id
        assert not api.user.has_permission("Delete objects", obj=record), user_id
    login(portal, "handler")
    assert not api.user.has_permission(
        "Add portal content", obj=portal["accountability"]
    )


# --- bad input ------------------------------------------------------------------------------


def test_bad_input_gets_a_chinese_message(portal):
    assert invariant_problems(**GOOD) == []
    (problem,) = invariant_problems(**dict(GOOD, cause="overdue", linked_cases=[]))
    assert problem == "逾期办理：请关联逾期的信访件。"
    (problem,) = invariant_problems(
        **dict(GOOD, cause="missing_report", screening_reports=[])
    )
    assert "漏报零报告" in problem
    assert (
        invariant_problems(
            **dict(GOOD, cause="missing_report", screening_periods=["2026-11"])
        )
        == []
    )
    (problem,) = invariant_problems(
        **dict(GOOD, decision_date=local_today() + timedelta(days=1))
    )
    assert problem == "决定日期不能晚于今天。"
    (problem,) = invariant_problems(**dict(GOOD, unit=None, person_name="李四"))
    assert problem == "追究个人责任的，须同时写明其所在单位。"
    (problem,) = invariant_problems(**dict(GOOD, person_post="副局长"))
    assert "姓名" in problem


def test_bad_input_saves_nothing_on_add(portal, staff):
    login(portal, "registrar")
    folder = portal["accountability"]
    with pytest.raises(Invalid):
        add_record(cause="overdue")
    with pytest.raises(Invalid):
        add_record(decision_date=local_today() + timedelta(days=2))
    with pytest.raises(Invalid):
        add_record(unit=None)
    assert folder.objectIds() == []


def test_periods_are_checked(portal):
    from xinfang_archive.content.accountability import IAccountabilityRecordSchema
    from zope.schema import ValidationError

    field = IAccountabilityRecordSchema["screening_periods"]
    field.validate(["2026-11", "2026-Q4"])
    with pytest.raises(ValidationError) as raised:
        field.validate(["2026/11"])
    assert "2026-11" in zh(raised.value.doc())


# --- who sees it ----------------------------------------------------------------------------


def test_need_to_know_by_unit(portal, staff):
    api.portal.set_registry_record("xinfang_archive.units", UNITS)
    login(portal, "registrar")
    record = add_record()
    local = record.__ac_local_roles__
    assert local["unit-JSJ-heads"] == ["Reader"] and local["unit-CXX-heads"] == [
        "Reader"
    ]
    jsj_head = member_of("unit-JSJ-heads", "jsj-head")
    cgz_head = member_of("unit-CGZ-heads", "cgz-head")
    login(portal, jsj_head)
    assert not api.user.has_permission("View", obj=record)  # a draft is the bureau's
    login(portal, "registrar")
    do(record, "decide")
    login(portal, jsj_head)
    assert api.user.has_permission("View", obj=record)
    assert [b.getId for b in api.content.find(portal_type="AccountabilityRecord")] == [
        record.getId()
    ]
    for user_id in (cgz_head, "handler", member_of("unit-CGZ", "cgz-staff")):
        login(
            portal, user_id
        )  # another unit's head; the unit's own staff; another unit's staff
        assert not api.user.has_permission("View", obj=record), user_id
        assert list(api.content.find(portal_type="AccountabilityRecord")) == [], user_id


def test_the_person_is_personal_data(portal, staff, request_):
    from plone.restapi.interfaces import ISerializeToJson
    from zope.component import getMultiAdapter

    login(portal, "registrar")
    record = add_record()
    do(record, "decide")
    serialized = getMultiAdapter((record, request_), ISerializeToJson)()
    assert serialized["person_name"] == "李四" and serialized["person_post"] == "副局长"
    for user_id in ("inspector", "archivist", "head"):
        login(portal, user_id)
        serialized = getMultiAdapter((record, request_), ISerializeToJson)()
        dumped = str(serialized)
        assert "李四" not in dumped and "副局长" not in dumped, user_id
        assert serialized["facts"].startswith("督办件逾期")


def test_the_history_masks_the_person(portal, staff, request_):
    login(portal, "registrar")
    record = add_record()
    login(portal, "inspector")
    view = api.content.get_view(
        "history", record, request_
    )  # the archive's masked history
    values = view._values(record)
    assert values["person_name"] == "李**" and "副局长" not in values["person_post"]
    assert "李四" not in str(view.versions())
    login(portal, "registrar")
    assert (
        api.content.get_view("history", record, request_)._values(record)["person_name"]
        == "李四"
    )


def test_versions_are_saved_while_it_is_a_draft_only(portal, staff):
    workflow = api.portal.get_tool("portal_workflow")["xf_accountability_workflow"]
    for state in workflow.states.objectValues():
        modify = set(state.getPermissionInfo("Modify portal content")["roles"])
        save = set(state.getPermissionInfo("CMFEditions: Save new version")["roles"])
        assert save == modify, state.getId()
    assert (
        workflow.states["decided"].getPermissionInfo("Modify portal content")["roles"]
        == []
    )
    from zope.lifecycleevent import modified

    login(portal, "inspector")
    record = add_record()
    record.facts = "补充：经核实，督办件已逾期二十日。"
    modified(record)
    repository = api.portal.get_tool("portal_repository")
    assert repository.getHistoryMetadata(record).getLength(countPurged=False) == 2


def test_the_diagram_follows_the_definition(portal):
    assert diagram_edges_missing("xf_accountability_workflow") == []


def test_audited(portal, staff):
    from xinfang_archive.audit.subscribers import AUDITED_TYPES

    assert "AccountabilityRecord" in AUDITED_TYPES


# --- upgrade --------------------------------------------------------------------------------


def test_upgrade_1010_adds_accountability(manager):
    portal = manager
    portal.manage_delObjects(["accountability"])
    portal.portal_workflow.manage_delObjects(["xf_accountability_workflow"])
    portal.portal_types.manage_delObjects(["AccountabilityRecord"])
    setup = portal.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1011")
    setup.upgradeProfile("xinfang_archive:default")
    assert setup.getLastVersionForProfile("xinfang_archive:default") == ("1017",)
    assert portal["accountability"].portal_type == "AccountabilityFolder"
    assert "AccountabilityRecord" in portal.portal_types.objectIds()
    workflow = portal.portal_workflow
    assert workflow.getChainForPortalType("AccountabilityRecord") == (
        "xf_accountability_workflow",
    )
    assert (
        "AccountabilityRecord" in portal.portal_repository.getVersionableContentTypes()
    )
    roles = {
        r["name"]
        for r in portal["accountability"].rolesOfPermission("Add portal content")
        if r["selected"]
    }
    assert "Inspector" in roles


# --- one step from the screening status page ------------------------------------------------


def test_the_screening_status_page_starts_accountability_for_late_units(
    portal, staff, request_
):
    from html import unescape
    from tests.helpers.screening import file_report
    from tests.helpers.screening import submitted_on
    from tests.helpers.views import render
    from urllib.parse import parse_qsl
    from urllib.parse import urlsplit
    from xinfang_archive.reports import screening

    import re

    api.portal.set_registry_record("xinfang_archive.units", UNITS)
    today = local_today()
    period = screening.last_due_period(today, "month", 5)
    deadline = screening.deadline_of(period, 5)
    as_manager(portal)
    on_time = file_report("JSJ", period)
    do(on_time, "submit")
    tardy = file_report("MZJ", period)
    do(tardy, "submit")
    submitted_on(on_time, deadline.replace(day=1))
    submitted_on(tardy, deadline + timedelta(days=1))

    login(portal, "registrar")
    html = render("screening-status", portal["screening"], request_)
    links = [
        unescape(href)
        for href in re.findall(
            r'class="xf-start-accountability"\s+href="([^"]+)"', html
        )
    ]
    assert (
        len(links) == 3
    )  # 城西县 and 城关镇 missing, 民政局 late; 住建局 on time has none
    assert "追究责任" in html
    queries = [dict(parse_qsl(urlsplit(link).query)) for link in links]
    assert {q["form.widgets.unit:list"] for q in queries} == {"CXX", "CGZ", "MZJ"}
    assert all(q["form.widgets.cause:list"] == "missing_report" for q in queries)
    by_unit = {q["form.widgets.unit:list"]: q for q in queries}
    assert by_unit["CXX"]["form.widgets.screening_periods"] == period
    assert by_unit["MZJ"]["form.widgets.screening_reports"] == tardy.UID()
    assert urlsplit(links[0]).path.endswith(
        "/accountability/++add++AccountabilityRecord"
    )

    # The add form opens pre-filled with the cause, the unit and the period.
    for key, value in by_unit["CXX"].items():
        request_.form[key.replace(":list", "")] = (
            [value] if key.endswith(":list") else value
        )
    form = portal["accountability"].restrictedTraverse("++add++AccountabilityRecord")
    page = form()
    assert 'selected="selected" value="missing_report"' in page
    assert 'selected="selected" value="CXX"' in page
    assert period in page

    # Who may not add a record gets no link: a unit head.
    for key in list(request_.form):
        del request_.form[key]
    login(portal, member_of("unit-CXX-heads", "cxx-head"))
    assert "xf-start-accountability" not in render(
        "screening-status", portal["screening"], request_
    )


# --- the bulletin's unit ranking ----------------------------------------------------------


def test_the_bulletin_reads_screening_punctuality_and_decided_records(portal, staff):
    from tests.helpers.screening import file_report
    from tests.helpers.screening import submitted_on
    from xinfang_archive.reports import screening
    from xinfang_archive.reports.assessment import periods_due
    from xinfang_archive.reports.issue import make_bulletin
    from xinfang_archive.reports.issue import Period

    api.portal.set_registry_record("xinfang_archive.units", UNITS)
    today = local_today()
    period = screening.last_due_period(today, "month", 5)
    deadline = screening.deadline_of(period, 5)
    assert periods_due(deadline.year, deadline.month, "month", 5) == [period]
    assert periods_due(2026, 2, "quarter", 5) == [] and periods_due(
        2026, 1, "quarter", 5
    ) == ["2025-Q4"]
    as_manager(portal)
    for unit, day in (
        ("JSJ", deadline.replace(day=1)),
        ("MZJ", deadline + timedelta(days=1)),
    ):
        report = file_report(unit, period)
        do(report, "submit")
        submitted_on(report, day)
    draft = add_record(unit="CGZ", decision_date=deadline)  # not decided: not counted
    decided = add_record(unit="CGZ", decision_date=deadline)
    do(decided, "decide")
    assert api.content.get_state(draft) == "draft"

    bulletin = make_bulletin(
        Period(deadline.year, deadline.month), today=today, rows=[]
    )
    units = {unit.code: unit for unit in bulletin.units}
    assert set(units) == {"CXX", "JSJ", "CGZ", "MZJ"}
    assert units["JSJ"].screening_on_time.percent == 100 and units["JSJ"].score == 100.0
    # No cases: only 不超期 (15, 100 for all) and 排查报送及时率 (20) count, of 35.
    assert units["MZJ"].screening_on_time.percent == 50 and units["MZJ"].score == round(
        2500 / 35, 2
    )
    assert units["CGZ"].accountability == 1 and units["CGZ"].score == round(
        1500 / 35 - 5, 2
    )
    assert [
        (c.period, c.reported, c.zero, c.missing, c.late) for c in bulletin.screening
    ] == [(period, 2, 0, 2, 3)]
    assert bulletin.accountability == 1


# --- archival: retention key and filing with the case ----------------------------------------


def test_a_case_files_with_its_decided_records_and_waits_for_a_draft(manager, staff):
    from tests.helpers.archival import close_case
    from tests.helpers.cases import case_data
    from xinfang_archive.archival.filing import make_plan
    from xinfang_archive.archival.freeze import is_frozen
    from xinfang_archive.archival.retention import case_facts
    from xinfang_archive.archival.retention import known_values
    from xinfang_archive.archival.retention import parse_rule
    from xinfang_archive.archival.retention import period_for

    portal = manager
    case = api.content.create(
        container=portal["cases"], type="PetitionCase", **case_data()
    )
    close_case(case, unit="JSJ")
    record = add_record(
        cause="overdue", linked_cases=[relation(case)], measure="discipline"
    )
    problems = [zh(p.message) for p in make_plan(case).problems]
    assert any("尚未作出决定" in p for p in problems), problems
    do(record, "decide")
    assert make_plan(case).problems == []
    assert case_facts(case)["accountability"] == frozenset({"discipline"})
    rule = parse_rule(
        "accountability=discipline,organisational|Y|追究党纪政务责任的信访事项",
        known_values(),
    )
    assert period_for(case_facts(case), [rule, parse_rule("*|D30|其他")])[0] == "Y"

    setRoles(portal, TEST_USER_ID, ["Archivist"])
    do(case, "file")
    assert api.content.get_state(case) == "filed"
    assert is_frozen(record)
    from xinfang_archive.archival.freeze import FrozenRecord

    with pytest.raises(FrozenRecord):  # filed, even the ZMI's methods refuse it
        record.manage_changeProperties(title="x")


# --- search -----------------------------------------------------------------------------------


def test_full_text_search_with_facets_and_the_person_as_personal_data(
    site, staff_users
):
    from xinfang_archive.search.searching import archive_search

    api.portal.set_registry_record("xinfang_archive.units", UNITS)
    record = add_record(
        facts="住建局对督办件长期拖延不办，群众反映强烈。", person_name="东方志明"
    )
    do(record, "decide")
    transaction_commit()

    def search(user_id, text, **filters):
        with api.env.adopt_user(username=user_id):
            return archive_search(site.REQUEST, text=text, filters=filters or None)

    found = search("inspector", "拖延不办")
    assert [item["uid"] for item in found["items"]] == [record.UID()]
    facets = {
        name: {o["value"]: o["count"] for o in facet["options"]}
        for name, facet in found["facets"].items()
    }
    assert facets["cause"] == {"supervision_ignored": 1} and facets["measure"] == {
        "talk": 1
    }
    assert found["facets"]["cause"]["title"] == "追责事由"
    assert [o["title"] for o in found["facets"]["measure"]["options"]] == ["约谈"]
    assert facets["unit"] == {"JSJ": 1}
    assert [
        i["uid"] for i in search("inspector", "拖延不办", cause=["督办不力"])["items"]
    ] == [record.UID()]
    assert search("inspector", "拖延不办", measure=["criticism"])["items"] == []
    # The person is personal data: found by who may see it, not by the inspector.
    assert [i["uid"] for i in search("registrar", "东方志明")["items"]] == [
        record.UID()
    ]
    assert search("inspector", "东方志明")["items"] == []
    assert (
        search("handler", "拖延不办")["items"] == []
    )  # the unit's staff do not see the record


def transaction_commit():
    import transaction

    transaction.commit()
