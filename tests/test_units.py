"""Need-to-know by unit (属地管理): the unit table of docs/permissions.md
row by row, and a change of a case's unit or of a user's unit taking effect
at once in the catalog, the full-text index, the REST API and the dashboard."""

from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.helpers.archival import add_document
from tests.helpers.archival import do
from tests.helpers.cases import case_data
from tests.helpers.cases import VALID_ID
from tests.helpers.permissions_doc import read_matrix
from tests.helpers.staff import member_of
from xinfang_archive.permissions import ViewPersonalData
from xinfang_archive.privacy import units
from xinfang_archive.search.searching import archive_search
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import pytest
import transaction


UNIT_ROWS = read_matrix(1)


def as_manager():
    portal = api.portal.get()
    login(portal, TEST_USER_NAME)
    setRoles(portal, TEST_USER_ID, ["Manager"])


@pytest.fixture()
def village_case(manager, staff):
    """A case of 东村 (CGZ-DC) in 办理中 with a plain and an accusation document."""
    case = api.content.create(
        container=manager["cases"],
        type="PetitionCase",
        **case_data(title="东村道路硬化工程拖欠工程款"),
    )
    do(case, "accept")
    case.responsible_unit = "CGZ-DC"
    do(case, "assign")
    plain = add_document(case, title="来信")
    secret = add_document(
        case, title="实名举报信", filename="jubao.pdf", accusation=True
    )
    return case, plain, secret


def test_the_units_list_makes_the_groups(portal):
    for code in ("CXX", "CGZ", "CGZ-DC", "JSJ"):
        assert api.group.get(groupname=units.unit_group(code)) is not None
        assert api.group.get(groupname=units.heads_group(code)) is not None
    title = api.group.get(groupname="unit-CGZ-DC").getProperty("title")
    assert title == "承办单位：城西县 / 城关镇 / 东村"
    assert "case_handlers" in [g.id for g in api.group.get_groups()]
    assert "CaseHandler" not in api.group.get_roles(groupname="case_handlers")


def test_a_new_unit_gets_its_groups(manager):
    lines = list(api.portal.get_registry_record("xinfang_archive.units"))
    api.portal.set_registry_record(
        "xinfang_archive.units", [*lines, "CGZ-NC|南村|CGZ|village"]
    )
    group = api.group.get(groupname="unit-CGZ-NC-heads")
    assert group.getProperty("title") == "单位负责人：城西县 / 城关镇 / 南村"
    assert "UnitStaff" in api.group.get_roles(groupname="unit-CGZ-NC")


@pytest.mark.parametrize("row", UNIT_ROWS, ids=lambda r: r["member of"])
def test_unit_table(village_case, row):
    case, plain, secret = village_case
    user_id = member_of(row["member of"])
    login(api.portal.get(), user_id)
    sees = bool(api.user.has_permission("View", obj=case))
    assert sees is (row["sees the case"] == "✓")
    assert bool(api.user.has_permission("View", obj=plain)) is sees
    assert bool(api.user.has_permission(ViewPersonalData, obj=case)) is (
        row["personal data"] == "✓"
    )
    assert bool(api.user.has_permission("Modify portal content", obj=case)) is (
        row["handles"] == "✓"
    )
    assert bool(api.user.has_permission("View", obj=secret)) is (
        row["accusation material"] == "✓"
    )
    found = {
        b.UID for b in api.content.find(portal_type=["PetitionCase", "CaseDocument"])
    }
    expected = {case.UID(), plain.UID()} if sees else set()
    assert found == expected


def test_heads_of_a_lower_unit_do_not_see_the_upper_units_cases(manager, staff):
    case = api.content.create(
        container=manager["cases"], type="PetitionCase", **case_data()
    )
    case.responsible_unit = "CGZ"
    notify(ObjectModifiedEvent(case))
    login(manager, member_of("unit-CGZ-DC-heads"))
    assert not api.user.has_permission("View", obj=case)
    login(manager, member_of("unit-CGZ-heads"))
    assert api.user.has_permission("View", obj=case)


def test_moving_a_case_to_another_unit_moves_its_grants(village_case):
    case, plain, secret = village_case
    portal = api.portal.get()
    village, town = member_of("unit-CGZ-DC"), member_of("unit-JSJ", "jsj-handler")
    case.responsible_unit = "JSJ"
    notify(ObjectModifiedEvent(case))
    login(portal, village)
    assert not api.user.has_permission("View", obj=case)
    assert list(api.content.find(UID=case.UID())) == []
    login(portal, town)
    assert api.user.has_permission("Modify portal content", obj=case)
    assert [b.getObject() for b in api.content.find(UID=plain.UID())] == [plain]
    assert list(api.content.find(UID=secret.UID())) == []
    local = case.__ac_local_roles__
    assert "unit-CGZ-DC" not in local and local["unit-JSJ"] == ["CaseHandler"]
    assert local["unit-CXX-heads"] == ["Reader"] and "unit-CGZ-heads" not in local


def test_a_users_unit_takes_effect_at_once(village_case):
    case, _plain, _secret = village_case
    portal = api.portal.get()
    user_id = member_of("unit-CGZ", "mover")
    login(portal, user_id)
    assert list(api.content.find(UID=case.UID())) == []
    as_manager()
    api.group.add_user(groupname="unit-CGZ-DC", username=user_id)
    login(portal, user_id)
    assert [b.UID for b in api.content.find(UID=case.UID())] == [case.UID()]
    assert api.user.has_permission(ViewPersonalData, obj=case)
    as_manager()
    api.group.remove_user(groupname="unit-CGZ-DC", username=user_id)
    login(portal, user_id)
    assert list(api.content.find(UID=case.UID())) == []


def test_a_hearing_follows_the_units_of_its_cases(village_case, staff):
    from tests.helpers.hearings import make_hearing

    case, _plain, _secret = village_case
    hearing = make_hearing(api.portal.get(), [case])
    assert hearing.__ac_local_roles__["unit-CGZ-DC"] == ["CaseHandler"]
    login(api.portal.get(), member_of("unit-CGZ-DC"))
    assert api.user.has_permission("View", obj=hearing)
    login(api.portal.get(), member_of("unit-JSJ", "jsj-handler"))
    assert not api.user.has_permission("View", obj=hearing)
    as_manager()
    case.responsible_unit = "JSJ"
    notify(ObjectModifiedEvent(case))
    assert "unit-CGZ-DC" not in hearing.__ac_local_roles__, hearing.__ac_local_roles__
    assert hearing.__ac_local_roles__["unit-JSJ"] == ["CaseHandler"], (
        hearing.__ac_local_roles__
    )
    login(api.portal.get(), "jsj-handler")
    assert api.user.has_permission("View", obj=hearing)


def test_full_text_search_rest_and_dashboard_follow_the_unit(
    site, staff_users, session_for
):
    """Over HTTP and the committed full-text index: a handler of 东村 finds and
    opens the case; after the case moves to JSJ, only JSJ's handler does."""
    village = member_of("unit-CGZ-DC", "dc-handler")
    case = api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(summary="反映东村水渠年久失修无人管护。"),
    )
    do(case, "accept")
    case.responsible_unit = "CGZ-DC"
    do(case, "assign")  # 交办: the unit's handlers get the case
    transaction.commit()

    def finds(user_id):
        with api.env.adopt_user(username=user_id):
            return [
                item["uid"]
                for item in archive_search(site.REQUEST, text="水渠")["items"]
            ]

    assert finds(village) == [case.UID()]
    assert finds("handler") == []  # JSJ's handler
    url = case.absolute_url()
    assert session_for(village).get(url).status_code == 200
    assert session_for("handler").get(url).status_code in (401, 403, 404)

    case.responsible_unit = "JSJ"
    notify(ObjectModifiedEvent(case))
    transaction.commit()
    assert finds(village) == []
    assert finds("handler") == [case.UID()]
    assert session_for(village).get(url).status_code in (401, 403, 404)
    handler = session_for("handler")
    assert handler.get(url).status_code == 200
    dashboard = handler.get(
        site["cases"].absolute_url(), headers={"Accept": "text/html"}
    )
    assert dashboard.status_code == 200 and case.title in dashboard.text
    other = session_for(village).get(
        site["cases"].absolute_url(), headers={"Accept": "text/html"}
    )
    assert other.status_code == 200 and case.title not in other.text
    assert VALID_ID not in other.text


def test_upgrade_1006_takes_handlers_off_the_whole_archive(manager, staff):
    from xinfang_archive.upgrades.privacy import units_need_to_know

    case = api.content.create(
        container=manager["cases"],
        type="PetitionCase",
        **case_data(responsible_unit="JSJ"),
    )
    case.__ac_local_roles__ = {
        k: v for k, v in case.__ac_local_roles__.items() if not units.is_unit_group(k)
    }
    api.group.grant_roles(groupname="case_handlers", roles=["CaseHandler"])
    units_need_to_know(None)
    assert "CaseHandler" not in api.group.get_roles(groupname="case_handlers")
    assert case.__ac_local_roles__["unit-JSJ"] == ["CaseHandler"]
    login(manager, "handler")
    assert api.user.has_permission("View", obj=case)


def test_routing_to_a_handler_outside_the_unit_is_refused(manager, staff):
    from xinfang_archive.workflow.rules import transition_problems
    from zope.i18n import translate

    case = api.content.create(
        container=manager["cases"], type="PetitionCase", **case_data()
    )
    do(case, "accept")
    case.responsible_unit, case.case_handler = "CGZ", "handler"  # handler is JSJ's
    (problem,) = transition_problems(case, "assign")
    assert "城关镇" in translate(
        problem, target_language="zh_CN"
    ) and "handler" in translate(problem)
    case.responsible_unit = "JSJ"
    assert transition_problems(case, "assign") == []
