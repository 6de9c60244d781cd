"""矛盾纠纷排查: screening reports and zero reports per unit and period, their
workflow, need-to-know by unit, the period arithmetic and @@screening-status."""

from datetime import date
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from tests.helpers.archival import do
from tests.helpers.screening import as_manager
from tests.helpers.screening import dispute
from tests.helpers.screening import file_report
from tests.helpers.screening import submitted_on
from tests.helpers.staff import member_of
from tests.helpers.views import render
from types import SimpleNamespace
from xinfang_archive.localtime import local_today
from xinfang_archive.reports import screening
from zope.i18n import translate
from zope.interface import Invalid

import pytest
import re
import transaction


UNITS = [
    "CXX|城西县||county",
    "JSJ|住房和城乡建设局|CXX|department",
    "CGZ|城关镇|CXX|township",
    "MZJ|民政局|CXX|department",
]


def zh(message):
    return translate(message, target_language="zh_CN")


def invariant_problems(**data):
    from xinfang_archive.content.screening import IScreeningReportSchema

    problems = []
    for check in IScreeningReportSchema.getTaggedValue("invariants"):
        try:
            check(SimpleNamespace(**data))
        except Invalid as error:
            problems.append(zh(error.args[0]))
    return problems


# --- filing and the workflow --------------------------------------------------------------


def test_a_unit_handler_files_and_submits_a_report(portal, staff):
    folder = portal["screening"]
    assert folder.portal_type == "ScreeningFolder"
    login(portal, "handler")  # 住建局 (JSJ)
    assert api.user.has_permission("xinfang_archive: Add ScreeningReport", obj=folder)
    assert api.user.has_permission("Add portal content", obj=folder)
    report = file_report()
    assert report.getId() == "jsj-2026-11"
    assert report.Title() == "住房和城乡建设局 2026-11 排查报告"
    assert api.content.get_state(report) == "draft"
    assert api.user.has_permission("Modify portal content", obj=report)
    do(report, "submit")
    assert api.content.get_state(report) == "submitted"
    assert not api.user.has_permission("Modify portal content", obj=report)
    assert "accept" not in [
        t["id"]
        for t in api.portal.get_tool("portal_workflow").getTransitionsFor(report)
    ]
    assert screening.first_submission(report) == local_today()

    zero = file_report(unit="JSJ", period="2026-10", zero=True)
    assert zero.Title() == "住房和城乡建设局 2026-10 零报告"


def test_zero_reports_have_no_disputes_and_others_at_least_one(portal, staff):
    login(portal, "handler")
    (problem,) = invariant_problems(
        unit="JSJ", period="2026-11", zero_report=True, disputes=[dispute()]
    )
    assert "零报告" in problem
    (problem,) = invariant_problems(
        unit="JSJ", period="2026-11", zero_report=False, disputes=[]
    )
    assert "至少" in problem
    assert (
        invariant_problems(unit="JSJ", period="2026-11", zero_report=True, disputes=[])
        == []
    )
    assert (
        invariant_problems(
            unit="JSJ", period="2026-11", zero_report=False, disputes=[dispute()]
        )
        == []
    )


def test_a_second_report_for_the_same_unit_and_period_is_refused(portal, staff):
    login(portal, "handler")
    first = file_report()
    folder = portal["screening"]
    data = {"unit": "JSJ", "period": "2026-11", "zero_report": True, "disputes": []}
    (problem,) = invariant_problems(__context__=folder, **data)
    assert (
        problem
        == "住房和城乡建设局已有 2026-11 的矛盾纠纷排查报告，每个单位每期只报一份。"
    )
    assert (
        invariant_problems(__context__=first, **data) == []
    )  # editing the report itself
    assert invariant_problems(__context__=folder, **dict(data, period="2026-10")) == []
    with pytest.raises(Invalid):
        file_report(zero=True)


def test_a_handler_files_only_for_their_own_unit(portal, staff):
    login(portal, "handler")
    (problem,) = invariant_problems(
        unit="CGZ", period="2026-11", zero_report=True, disputes=[]
    )
    assert "本单位" in problem
    login(portal, "registrar")
    assert (
        invariant_problems(unit="CGZ", period="2026-11", zero_report=True, disputes=[])
        == []
    )


def test_the_period_follows_the_configured_kind(portal):
    from xinfang_archive.content.screening import IScreeningReportSchema
    from zope.schema import ValidationError

    field = IScreeningReportSchema["period"]
    field.validate("2026-11")
    for wrong in ("2026-13", "2026-1", "202611", "2026-Q4", ""):
        with pytest.raises(ValidationError) as raised:
            field.validate(wrong)
        assert "2026-11" in zh(raised.value.doc())
    api.portal.set_registry_record("xinfang_archive.screening_period", "quarter")
    field.validate("2026-Q4")
    with pytest.raises(ValidationError) as raised:
        field.validate("2026-11")
    assert zh(raised.value.doc()) == "报告期应为季度，写作“年份-Q季度”，如 2026-Q4。"


def test_the_registrar_accepts_or_returns(portal, staff):
    login(portal, "handler")
    report = file_report()
    do(report, "submit")
    login(portal, "registrar")
    assert api.user.has_permission("View", obj=report)
    do(report, "return")
    assert api.content.get_state(report) == "draft"
    login(portal, "handler")
    report.notes = "补充说明"
    do(report, "submit")
    login(portal, "registrar")
    do(report, "accept")
    assert api.content.get_state(report) == "accepted"
    for user_id in ("inspector", "archivist", "head"):
        login(portal, user_id)
        assert api.user.has_permission("View", obj=report), user_id
        assert not api.user.has_permission("Modify portal content", obj=report), user_id
    login(portal, "handler")
    assert not api.user.has_permission("Modify portal content", obj=report)


def test_another_units_handler_does_not_see_the_report(portal, staff):
    login(portal, "handler")
    report = file_report()
    local = report.__ac_local_roles__
    assert local["unit-JSJ"] == ["CaseHandler"] and local["unit-CXX-heads"] == [
        "Reader"
    ]
    other = member_of("unit-CGZ", "cgz-handler")
    login(portal, other)
    assert not api.user.has_permission("View", obj=report)
    assert list(api.content.find(portal_type="ScreeningReport")) == []
    login(portal, member_of("unit-CGZ-heads", "cgz-head"))
    assert not api.user.has_permission("View", obj=report)
    login(portal, "handler")
    assert [b.getId for b in api.content.find(portal_type="ScreeningReport")] == [
        "jsj-2026-11"
    ]


def test_another_units_handler_cannot_open_the_report_over_http(
    site, staff_users, session_for
):
    other = member_of("unit-CGZ", "cgz-http")
    report = file_report()
    transaction.commit()
    assert session_for(other).get(report.absolute_url()).status_code in (401, 403, 404)
    # A public view on the report is refused too (privacy/traversal.py): the
    # browser is sent to the login form, which shows nothing of the report.
    page = session_for(other).get(
        report.absolute_url() + "/@@main_template", headers={"Accept": "text/html"}
    )
    assert report.Title() not in page.text and "小区物业费纠纷" not in page.text
    assert session_for("handler").get(report.absolute_url()).status_code == 200


def test_add_form_and_folder_listing(portal, staff, request_):
    login(portal, "handler")
    report = file_report()
    edit_html = report.restrictedTraverse("@@edit")()
    assert not re.search(
        r'<input[^>]* name="form.widgets.period"', edit_html
    )  # shown, not editable
    assert "2026-11" in edit_html and re.search(
        r'<textarea[^>]* name="form.widgets.notes"', edit_html
    )
    form_html = portal["screening"].restrictedTraverse("++add++ScreeningReport")()
    for field in ("unit", "period", "zero_report", "disputes", "notes"):
        assert f"form.widgets.{field}" in form_html, field
    assert "风险等级" in form_html and "化解状态" in form_html
    as_manager(portal)
    file_report("CGZ", zero=True)
    login(portal, "handler")
    listing = render("listing_view", portal["screening"], request_)
    assert "住房和城乡建设局 2026-11 排查报告" in listing and "城关镇" not in listing


# --- period arithmetic and the status ----------------------------------------------------


def test_period_arithmetic():
    assert screening.deadline_of("2026-11", 5) == date(2026, 12, 5)
    assert screening.deadline_of("2026-12", 5) == date(2027, 1, 5)
    assert screening.deadline_of("2026-Q4", 5) == date(2027, 1, 5)
    assert screening.deadline_of("2026-Q1", 28) == date(2026, 4, 28)
    assert screening.period_bounds("2026-Q2") == (date(2026, 4, 1), date(2026, 6, 30))
    assert screening.previous_period("2026-01") == "2025-12"
    assert screening.previous_period("2026-Q1") == "2025-Q4"
    assert screening.last_due_period(date(2026, 12, 5), "month", 5) == "2026-10"
    assert screening.last_due_period(date(2026, 12, 6), "month", 5) == "2026-11"
    assert screening.last_due_period(date(2026, 12, 6), "quarter", 5) == "2026-Q3"
    assert screening.recent_periods(date(2026, 2, 1), "month", 3) == [
        "2026-02",
        "2026-01",
        "2025-12",
    ]


def facts(unit, zero=False, submitted=None, grades=("ordinary",), period="2026-11"):
    return screening.ReportFacts(
        unit=unit,
        period=period,
        zero=zero,
        disputes=0 if zero else len(grades),
        highest_grade=None if zero else screening.highest_grade(grades),
        state="submitted" if submitted else "draft",
        submitted=submitted,
        name=f"{unit.lower()}-{period}",
        url="",
        title="",
    )


def test_status_of_a_period():
    units = [
        ("JSJ", "住建局"),
        ("CGZ", "城关镇"),
        ("MZJ", "民政局"),
        ("RSJ", "人社局"),
        ("HBJ", "环境局"),
    ]
    reports = [
        facts("JSJ", submitted=date(2026, 12, 3), grades=("early", "key", "ordinary")),
        facts(
            "CGZ", zero=True, submitted=date(2026, 12, 5)
        ),  # on the deadline day: in time
        facts("MZJ", submitted=date(2026, 12, 9)),  # late
        facts("HBJ"),  # a draft never submitted: not reported, late
        facts(
            "RSJ", zero=True, submitted=date(2026, 11, 30), period="2026-10"
        ),  # another period
    ]
    rows, totals = screening.period_status(
        units, reports, "2026-11", 5, date(2026, 12, 10)
    )
    assert [(r.unit, r.status, r.late) for r in rows] == [
        ("JSJ", "reported", False),
        ("CGZ", "zero", False),
        ("MZJ", "reported", True),
        ("RSJ", "missing", True),
        ("HBJ", "missing", True),
    ]
    assert rows[0].report.highest_grade == "key"
    assert totals == {"reported": 2, "zero": 1, "missing": 2, "late": 3}
    # Before the deadline nothing missing is late yet.
    rows, totals = screening.period_status(
        units, reports[:2], "2026-11", 5, date(2026, 12, 5)
    )
    assert totals == {"reported": 1, "zero": 1, "missing": 3, "late": 0}


def test_status_view_as_the_registrar(portal, staff, request_):
    api.portal.set_registry_record("xinfang_archive.units", UNITS)
    today = local_today()
    period = screening.last_due_period(today, "month", 5)
    deadline = screening.deadline_of(period, 5)
    on_time, late = deadline.replace(day=1), deadline.replace(day=deadline.day + 1)
    login(portal, "handler")
    reported = file_report(
        "JSJ", period, disputes=[dispute(risk_grade="key"), dispute()]
    )
    do(reported, "submit")
    as_manager(portal)
    zero = file_report("CGZ", period, zero=True)
    do(zero, "submit")
    tardy = file_report("MZJ", period)
    do(tardy, "submit")
    for report, day in ((reported, on_time), (zero, on_time), (tardy, late)):
        submitted_on(report, day)

    login(portal, "registrar")
    html = render("screening-status", portal["screening"], request_)
    assert f'<option value="{period}" selected' in html or f'value="{period}"' in html
    assert "已报告：<strong>2</strong>" in html
    assert "零报告：<strong>1</strong>" in html
    assert "未报告：<strong>1</strong>" in html
    assert "逾期：<strong>2</strong>" in html
    assert reported.absolute_url() in html and "重点" in html
    assert html.count("xf-late table-danger") == 2  # 民政局 late, 城西县 missing
    assert "已报送" in html and late.isoformat() in html
    request_.form["period"] = screening.previous_period(
        period
    )  # another period, chosen
    html = render("screening-status", portal["screening"], request_)
    assert "未报告：<strong>4</strong>" in html and reported.absolute_url() not in html
    request_.form["period"] = "2026-Q1"  # not a month: the default period
    assert "已报告：<strong>2</strong>" in render(
        "screening-status", portal["screening"], request_
    )
    del request_.form["period"]

    # Unit heads see their units; a unit's handler does not open the page.
    login(portal, member_of("unit-CGZ-heads", "cgz-head"))
    html = render("screening-status", portal["screening"], request_)
    assert "城关镇" in html and "住房和城乡建设局" not in html
    login(portal, "handler")
    from AccessControl import Unauthorized

    with pytest.raises(Unauthorized):
        render("screening-status", portal["screening"], request_)
    logout()


# --- upgrade ------------------------------------------------------------------------------


def test_upgrade_1009_adds_screening(manager):
    portal = manager
    portal.manage_delObjects(["screening"])
    portal.portal_workflow.manage_delObjects(["xf_screening_workflow"])
    for name in ("screening_period", "screening_deadline_day"):
        del portal.portal_registry.records[f"xinfang_archive.{name}"]
    api.portal.set_registry_record(
        "xinfang_archive.units", UNITS
    )  # a bureau's own list stays
    own_rules = ["grade=key|Y|重点", "*|D30|其他"]
    api.portal.set_registry_record("xinfang_archive.filing.retention_rules", own_rules)
    setup = portal.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1008")
    setup.upgradeProfile("xinfang_archive:default")
    assert setup.getLastVersionForProfile("xinfang_archive:default") == ("1017",)
    assert portal["screening"].portal_type == "ScreeningFolder"
    assert portal.portal_workflow.getChainForPortalType("ScreeningReport") == (
        "xf_screening_workflow",
    )
    assert api.portal.get_registry_record("xinfang_archive.screening_deadline_day") == 5
    assert api.portal.get_registry_record("xinfang_archive.screening_period") == "month"
    assert api.portal.get_registry_record("xinfang_archive.units") == UNITS
    assert api.portal.get_registry_record("xinfang_archive.filing.retention_rules") == [
        *own_rules,
        "meeting=leading_group|Y|经领导小组会议研究的信访事项",
        "meeting=joint,coordination|D30|经信访联席会议或协调会研究的信访事项",
        "reception=instructed|D30|领导接待日批示的信访事项",
        "record=screening|D10|矛盾纠纷排查报告（含零报告）",
        "record=warning|D10|社会稳定预警记录",
    ]
    login(portal, member_of("unit-JSJ", "jsj-upgrade"))
    assert api.user.has_permission("Add portal content", obj=portal["screening"])


# --- versions -----------------------------------------------------------------------------


def test_versions_are_saved_exactly_where_the_report_may_be_modified(portal, staff):
    """And by the Owner of a draft: the first version is saved on creation,
    before the unit's grants are given (as for documents of a case); a filed
    report only by an amendment (the ArchiveAmender role it adopts)."""
    from zope.lifecycleevent import modified

    workflow = api.portal.get_tool("portal_workflow")["xf_screening_workflow"]
    for state in workflow.states.objectValues():
        modify = set(state.getPermissionInfo("Modify portal content")["roles"])
        save = set(state.getPermissionInfo("CMFEditions: Save new version")["roles"])
        extra = {"draft": {"Owner"}, "filed": {"ArchiveAmender"}}.get(
            state.getId(), set()
        )
        assert save == modify | extra, state.getId()
    login(portal, "handler")
    report = file_report()
    report.notes = "补充：已召开协调会。"
    modified(report)
    repository = api.portal.get_tool("portal_repository")
    assert repository.getHistoryMetadata(report).getLength(countPurged=False) == 2
    assert repository.retrieve(report, 1).object.notes == "补充：已召开协调会。"
