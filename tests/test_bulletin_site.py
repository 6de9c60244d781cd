"""The monthly bulletin in the site: rows from the catalog, the PDF, 统计看板,
the JSON, who may open them, and the upgrade that fills the catalog column."""

from datetime import datetime
from datetime import timedelta
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from tests.helpers.archival import add_reply
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.cases import case_data
from tests.helpers.pdf import assert_fonts_embedded
from tests.helpers.pdf import pdf_text
from tests.helpers.staff import STAFF_PASSWORD
from xinfang_archive.browser.bulletin import VIEW_BULLETIN
from xinfang_archive.controlpanel.settings import get_settings
from xinfang_archive.localtime import LOCAL_TIME
from xinfang_archive.localtime import local_today
from xinfang_archive.reports.figures import CaseRow
from xinfang_archive.workflow.clocks import current_deadline
from xinfang_archive.workflow.clocks import handling_deadline

import pytest
import transaction


TODAY = local_today()
# The default bulletin is the previous month's: every case below is received in it.
LAST_MONTH_END = TODAY.replace(day=1) - timedelta(days=1)
FIRST = LAST_MONTH_END.replace(day=1)
SECRET_TITLE = "举报王某某违规收受财物问题"


def object_row(case):
    """The row of ``case`` read from the object (the oracle of the catalog rows)."""
    settings = get_settings()
    state = api.content.get_state(case)
    rejections = [
        entry
        for entry in case.workflow_history["xf_case_workflow"]
        if entry["action"] == "reject"
    ]
    rejected_on = (
        rejections[-1]["time"].asdatetime().astimezone(LOCAL_TIME).date()
        if rejections
        else None
    )
    return CaseRow(
        uid=case.UID(),
        registration_number=case.registration_number,
        title=case.Title(),
        received=case.received_date,
        channel=case.channel,
        category=case.category,
        unit=case.responsible_unit or None,
        grade=case.grade,
        flags=frozenset(case.flags or ()),
        state=state,
        accepted_on=case.accepted_on,
        replied_on=case.replied_on,
        closed_on=case.closed_on,
        deadline=current_deadline(case, state)[0],
        accept_due=case.received_date + timedelta(days=settings.accept_days),
        handle_due=handling_deadline(case),
        satisfaction=case.satisfaction,
        people=case.people_count,
        rejected_on=rejected_on,
    )


def make_cases(container):
    """A handful of cases of last month, in different states (as a Manager)."""

    def make(**fields):
        fields.setdefault("received_date", FIRST + timedelta(days=1))
        return api.content.create(
            container=container, type="PetitionCase", **case_data(**fields)
        )

    cases = {}
    cases["registered"] = make(
        title=SECRET_TITLE,
        category="discipline",
        channel="online",
        flags={"collective"},
        people_count=6,
        received_date=FIRST,
    )
    cases["accepted"] = make(grade="key")
    do(cases["accepted"], "accept")
    cases["in_progress"] = make(category="labour", flags={"repeat"})
    do(cases["in_progress"], "accept")
    cases["in_progress"].responsible_unit = "RSJ"
    do(cases["in_progress"], "assign")
    cases["in_progress"].extension_days = 20
    cases["in_progress"].extended_on = TODAY
    cases["in_progress"].reindexObject()
    cases["rejected"] = make(channel="visit")
    add_reply(cases["rejected"], "rejection_notice")
    do(cases["rejected"], "reject")
    cases["rejected_closed"] = make(channel="hotline")
    add_reply(cases["rejected_closed"], "rejection_notice")
    do(cases["rejected_closed"], "reject")
    do(cases["rejected_closed"], "close")
    cases["closed"] = close_case(make(), unit="JSJ")
    cases["closed"].satisfaction = "basically"
    cases["closed"].reindexObject()
    return cases


@pytest.fixture()
def cases(manager):
    return make_cases(manager["cases"])


def test_rows_from_the_catalog_equal_rows_from_the_objects(cases):
    from xinfang_archive.reports.rows import case_rows

    rows = {row.uid: row for row in case_rows()}
    assert set(rows) == {case.UID() for case in cases.values()}
    for name, case in cases.items():
        assert rows[case.UID()] == object_row(case), name
    registered = rows[cases["registered"].UID()]
    assert registered.people == 6 and registered.flags == {"collective"}
    assert registered.deadline == registered.accept_due == FIRST + timedelta(days=15)
    progress = rows[cases["in_progress"].UID()]
    assert progress.handle_due == TODAY + timedelta(days=60 + 20) == progress.deadline
    # The workflow dates no rejection: the day of the reject transition stands for it.
    local_today = datetime.now(LOCAL_TIME).date()
    assert rows[cases["rejected"].UID()].rejected_on == local_today
    closed = rows[cases["rejected_closed"].UID()]
    assert closed.state == "closed" and closed.rejected_on == local_today
    assert closed.accepted_on is None and closed.closed_on == TODAY
    assert rows[cases["closed"].UID()].satisfaction == "basically"


def test_a_rejected_case_closed_later_was_decided_on_the_day_of_rejection(manager):
    from xinfang_archive.reports.issue import make_bulletin
    from xinfang_archive.reports.issue import Period

    received = TODAY - timedelta(days=3)
    for close in (False, True):
        case = api.content.create(
            container=manager["cases"],
            type="PetitionCase",
            **case_data(received_date=received),
        )
        add_reply(case, "rejection_notice")
        do(case, "reject")
        if close:
            do(case, "close")
    due = received + timedelta(days=get_settings().accept_days)
    figures = make_bulletin(Period(due.year, due.month), TODAY)
    # Both were decided (rejected) today, before their deadline: on time,
    # though one of them is no longer in the rejected state.
    rate = figures.rates.acceptance_on_time
    assert (rate.numerator, rate.denominator) == (2, 2)


def test_dashboard_shows_titles_only_of_cases_the_viewer_may_open(cases, portal, staff):
    from plone.app.testing import login
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.interface import alsoProvides

    request = portal.REQUEST
    alsoProvides(request, IXinfangArchiveLayer)
    login(portal, "handler")  # a case handler may not read the bulletin
    assert not api.user.has_permission(VIEW_BULLETIN, obj=portal)
    login(portal, "inspector")
    view = api.content.get_view("bulletin-dashboard", portal, request)
    html = view()
    assert "<svg" in html and SECRET_TITLE in html
    secret = next(
        case for case in view.overdue() if case["uid"] == cases["registered"].UID()
    )
    assert (
        secret["title"] == SECRET_TITLE
        and secret["url"] == cases["registered"].absolute_url()
    )
    # Someone given the bulletin who may not open the cases: numbers, no titles.
    portal.manage_permission(VIEW_BULLETIN, ["Manager", "Member"], acquire=False)
    api.user.create(
        email="leader@example.org", username="leader", password="x-leader-leader"
    )
    login(portal, "leader")
    assert not api.user.has_permission("View", obj=cases["registered"])
    view = api.content.get_view("bulletin-dashboard", portal, request)
    html = view()
    assert cases["registered"].registration_number in html and SECRET_TITLE not in html
    assert all(case["title"] is None and case["url"] is None for case in view.overdue())


def test_upgrade_adds_the_column_and_fills_it_for_existing_cases(cases, portal):
    from xinfang_archive.reports.rows import case_rows

    catalog = api.portal.get_tool("portal_catalog")
    catalog.delColumn("case_facts")
    portal.manage_permission(VIEW_BULLETIN, [], acquire=True)
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("xinfang_archive:default", "1002")

    setup.upgradeProfile("xinfang_archive:default", dest="1003")
    assert "case_facts" in catalog.schema()
    rows = {row.uid: row for row in case_rows()}
    for name, case in cases.items():
        assert rows[case.UID()] == object_row(case), name
    roles = {
        item["name"]
        for item in portal.rolesOfPermission(VIEW_BULLETIN)
        if item["selected"]
    }
    assert {"Inspector", "Registrar", "Manager", "Site Administrator"} <= roles
    assert "CaseHandler" not in roles


# -- over HTTP (functional) -------------------------------------------------


@pytest.fixture()
def committed(functional_portal, staff_users):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    made = make_cases(functional_portal["cases"])
    transaction.commit()
    return made


def test_pdf_of_the_previous_month(committed, functional_portal, request_factory):
    from xinfang_archive.audit.recorder import audit_store

    before = max((e.seq for e in audit_store().iter_entries()), default=0)
    inspector = request_factory(basic_auth=("inspector", STAFF_PASSWORD), api=False)
    response = inspector.get("/@@monthly-bulletin")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    pdf = response.content
    assert_fonts_embedded(pdf)
    text = pdf_text(pdf)
    year, month = FIRST.year, FIRST.month
    for value in (
        "信访工作月通报",
        f"{year}年第{month}期",
        "城西县信访局",
        f"{year}年{month}月",
        f"统计期：{year}年{month}月1日至{year}年{month}月{LAST_MONTH_END.day}日",
        "共登记信访事项6件、涉及11人次",
        "集体访1批6人次",
        committed["registered"].registration_number,
        "纪检举报",
    ):
        assert value in text, value
    # Overdue cases by registration number, category and unit: no title.
    assert SECRET_TITLE not in text
    transaction.begin()
    exports = [e for e in audit_store().iter_entries(action="export") if e.seq > before]
    assert [(e.actor, e.details["what"], e.details["period"]) for e in exports] == [
        ("inspector", "monthly-bulletin", f"{year}-{month:02d}")
    ]


def test_dashboard_page(committed, functional_portal, request_factory):
    registrar = request_factory(basic_auth=("registrar", STAFF_PASSWORD), api=False)
    response = registrar.get(
        "/@@bulletin-dashboard", headers={"Accept-Language": "zh-CN"}
    )
    assert response.status_code == 200, response.text
    html = response.text
    year, month = FIRST.year, FIRST.month
    assert (
        "统计看板" in html or "Statistics dashboard" in html
    )  # (before the zh_CN merge)
    for value in (
        f"{year}年{month}月",
        "共登记信访事项6件",
        "按期受理率",
        "满意率",
        "受理期限在统计期内",
        "纪检举报",
        "住房和城乡建设局",
        "人力资源和社会保障局",
        committed["registered"].registration_number,
        SECRET_TITLE,
        f"@@monthly-bulletin?year={year}&amp;month={month}",
        'id="xf-bulletin-overdue"',
    ):
        assert value in html, value
    assert html.count('<svg class="xf-chart"') == 4
    assert "XinfangCJK" not in html and "WenQuanYi Zen Hei" in html
    assert 'id="xf-chart-intake-clip"' in html and 'id="xf-chart-ranking-clip"' in html
    # A year before: nothing received, no category or channel chart; the
    # units with open cases are still ranked.
    older = registrar.get(
        "/@@bulletin-dashboard", params={"year": year - 1, "month": month}
    )
    assert older.status_code == 200 and "共登记信访事项0件" in older.text
    assert older.text.count('<svg class="xf-chart"') == 2
    assert 'id="xf-chart-category-clip"' not in older.text


def test_json_data(committed, functional_portal, request_factory):
    inspector = request_factory(basic_auth=("inspector", STAFF_PASSWORD), api=False)
    response = inspector.get(
        "/@@bulletin-data", params={"year": FIRST.year, "month": FIRST.month}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["intake"]["month"]["total"] == 6
    assert data["issue"] == {
        "bureau": "城西县信访局",
        "label": f"{FIRST.year}年第{FIRST.month}期",
    }
    assert data["overdue"]["cases"] and all(
        "title" not in case for case in data["overdue"]["cases"]
    )


@pytest.mark.parametrize(
    "params",
    [
        {"year": "2024", "month": "13"},
        {"year": "x", "month": "1"},
        {"year": "2024"},
        {"year": str(TODAY.year + 1), "month": "1"},
    ],
)
def test_a_month_that_is_no_bulletin_is_refused(committed, request_factory, params):
    inspector = request_factory(basic_auth=("inspector", STAFF_PASSWORD), api=False)
    for name in ("monthly-bulletin", "bulletin-dashboard", "bulletin-data"):
        response = inspector.get(f"/@@{name}", params=params)
        assert response.status_code == 400, (name, params)
        assert "没有" in response.text or "no bulletin" in response.text


def test_anonymous_and_case_handlers_get_nothing(committed, request_factory):
    anonymous = request_factory(api=False)
    handler = request_factory(basic_auth=("handler", STAFF_PASSWORD), api=False)
    for name in ("monthly-bulletin", "bulletin-dashboard", "bulletin-data"):
        response = anonymous.get(
            f"/@@{name}", allow_redirects=False, headers={"Accept": "text/html"}
        )
        assert response.status_code in (302, 401), name
        assert (
            not response.content.startswith(b"%PDF") and "共登记" not in response.text
        )
        refused = handler.get(f"/@@{name}", allow_redirects=False)
        assert refused.status_code in (302, 401, 403), name
        assert not refused.content.startswith(b"%PDF") and "共登记" not in refused.text
