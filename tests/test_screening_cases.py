"""A screening report as its readers see it (the disputes' free text masked
without "View personal data", on the page and in REST) and a screened
dispute registered as a case in one step, linked both ways."""

from plone import api
from plone.app.testing import login
from plone.protect import createToken
from tests.helpers.archival import do
from tests.helpers.cases import VALID_ID
from tests.helpers.screening import as_manager
from tests.helpers.screening import dispute
from tests.helpers.screening import file_report
from tests.helpers.views import render
from xinfang_archive.content.dispute_link import case_links
from xinfang_archive.content.dispute_link import dispute_key
from xinfang_archive.content.dispute_link import link
from xinfang_archive.content.dispute_link import source_of
from zope.i18n import translate
from zope.interface import Invalid

import pytest
import transaction


PHONE = "13912345678"
PARTIES = f"业主代表赵某（电话{PHONE}，身份证{VALID_ID}）等30户"


def submitted_report(portal):
    login(portal, "handler")
    report = file_report(
        disputes=[
            dispute(parties=PARTIES, risk_grade="key"),
            dispute(matter="工资拖欠"),
        ]
    )
    report.notes = f"联系人电话{PHONE}"
    do(report, "submit")
    return report


def form_submit(portal, report, request, **values):
    """POST the @@dispute-to-case form of ``report`` with ``values``."""
    request.form.clear()
    request.form.update(
        {f"form.widgets.{name}": value for name, value in values.items()}
    )
    request.form["form.buttons.register"] = "登记"
    request.form["_authenticator"] = createToken()
    request["REQUEST_METHOD"] = "POST"
    try:
        view = api.content.get_view("dispute-to-case", report, request)
        view.form_instance.update()
        return view.form_instance
    finally:
        request["REQUEST_METHOD"] = "GET"


def test_the_report_page_masks_the_disputes_for_readers_without_personal_data(
    portal, staff, request_
):
    report = submitted_report(portal)
    page = render("view", report, request_)
    assert (
        PHONE in page and VALID_ID in page
    )  # the unit's handler may see personal data
    login(portal, "inspector")
    page = render("view", report, request_)
    assert "小区物业费纠纷" in page and "工资拖欠" in page and "重点" in page
    assert PHONE not in page and VALID_ID not in page and "（电话***********，" in page
    core = render("content-core", report, request_)
    assert PHONE not in core and "业主代表赵某" in core


def test_rest_masks_the_disputes_and_the_notes(site, staff_users, session_for):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    setRoles(site, TEST_USER_ID, ["Manager"])
    report = file_report(disputes=[dispute(parties=PARTIES)])
    report.notes = f"联系人电话{PHONE}"
    transaction.commit()
    seen = session_for("handler").get(report.absolute_url()).json()
    assert PHONE in seen["disputes"][0]["parties"] and PHONE in seen["notes"]
    masked = session_for("inspector").get(report.absolute_url()).json()
    assert PHONE not in str(masked) and VALID_ID not in str(masked)
    assert masked["disputes"][0]["matter"] == "小区物业费纠纷"


def test_a_dispute_becomes_a_case_linked_both_ways(portal, staff, request_):
    report = submitted_report(portal)
    key = dispute_key(report.disputes[0])
    login(portal, "handler")
    assert "dispute-to-case" not in render(
        "view", report, request_
    )  # unit staff register no cases
    login(portal, "registrar")
    page = render("view", report, request_)
    assert page.count("@@dispute-to-case?key=") == 2
    request_.form["key"] = key
    prefilled = render("dispute-to-case", report, request_)
    assert "小区物业费纠纷" in prefilled and 'value="30"' in prefilled
    form = form_submit(
        portal,
        report,
        request_,
        key=key,
        title="小区物业费纠纷",
        petitioner_name="赵某",
        petitioner_phone=PHONE,
        channel=["outreach"],
        received_date="2026-11-20",
        people_count="30",
        category=["urban"],
        grade=["key"],
        responsible_unit=["JSJ"],
        summary="业主与物业公司纠纷",
    )
    assert not form.widgets.errors, [e.message for e in form.widgets.errors]
    (brain,) = api.content.find(portal_type="PetitionCase", Title="小区物业费纠纷")
    case = brain.getObject()
    assert source_of(case) == (report.UID(), key)
    assert case_links(report) == {key: case.UID()}
    assert (
        case.people_count == 30
        and case.grade == "key"
        and case.petitioners[0]["name"] == "赵某"
    )
    assert "排查" in render(
        "view", case, request_
    )  # the case names its screening report
    page = render("view", report, request_)
    assert (
        case.registration_number in page and page.count("@@dispute-to-case?key=") == 1
    )
    # Its handling shows on the report as it goes on.
    as_manager(portal)
    do(case, "accept")
    login(portal, "registrar")
    state = api.portal.get_tool("portal_workflow").getTitleForStateOnType(
        "accepted", "PetitionCase"
    )
    assert state and api.content.get_state(case) == "accepted"


def test_converting_twice_or_from_a_draft_is_refused_and_saves_nothing(
    portal, staff, request_
):
    report = submitted_report(portal)
    key = dispute_key(report.disputes[0])
    as_manager(portal)
    case = api.content.create(
        container=portal["cases"],
        type="PetitionCase",
        title="已登记",
        channel="outreach",
        received_date=report.created().asdatetime().date(),
        petitioners=[{"name": "赵某"}],
        people_count=30,
        category="urban",
        grade="key",
        summary="…",
    )
    link(report, key, case)
    with pytest.raises(Invalid) as refused:
        link(report, key, case)
    assert (
        translate(refused.value.args[0], target_language="zh_CN")
        == "该矛盾纠纷已转为信访件。"
    )
    login(portal, "registrar")
    before = len(api.content.find(portal_type="PetitionCase"))
    form = form_submit(
        portal,
        report,
        request_,
        key=key,
        title="再次登记",
        petitioner_name="赵某",
        channel=["outreach"],
        received_date="2026-11-20",
        people_count="30",
        category=["urban"],
        grade=["key"],
        summary="…",
    )
    assert form.status == "该矛盾纠纷已转为信访件。"
    assert transaction.get().isDoomed()
    assert len(api.content.find(portal_type="PetitionCase")) == before

    as_manager(portal)
    draft = file_report(period="2026-10", disputes=[dispute()])
    with pytest.raises(Invalid):
        link(draft, dispute_key(draft.disputes[0]), case)
    with pytest.raises(Invalid):
        link(report, "not-a-key", case)


def test_reports_are_found_with_their_unit_and_risk_grade_and_masked_for_readers(
    site, staff_users
):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from xinfang_archive.search.searching import archive_search

    setRoles(site, TEST_USER_ID, ["Manager"])
    report = file_report(
        disputes=[
            dispute(parties=PARTIES, risk_grade="key"),
            dispute(matter="工资拖欠"),
        ]
    )
    other = file_report(
        unit="CGZ", disputes=[dispute(matter="宅基地边界纠纷", risk_grade="early")]
    )
    transaction.commit()

    def found(text, **filters):
        return [
            item["uid"]
            for item in archive_search(site.REQUEST, text=text, filters=filters)[
                "items"
            ]
        ]

    assert found("工资拖欠") == [report.UID()]
    assert found("纠纷", portal_type="ScreeningReport", grade="key") == [report.UID()]
    assert found("纠纷", portal_type="ScreeningReport", unit="CGZ") == [other.UID()]
    assert found(PHONE) == [report.UID()]  # the manager may see personal data
    with api.env.adopt_user(username="inspector"):
        assert found("工资拖欠") == [report.UID()]
        assert found(PHONE) == []
        (item,) = archive_search(site.REQUEST, text="业主代表")["items"]
        assert PHONE not in item["snippet"] and VALID_ID not in item["snippet"]
    with api.env.adopt_user(username="handler"):  # 住建局: its own report only
        assert found("纠纷", portal_type="ScreeningReport") == [report.UID()]
