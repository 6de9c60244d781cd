"""docs/permissions.md, checked cell by cell against the site."""
from pathlib import Path
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from xinfang_archive.permissions import ViewPersonalData

import pytest


DOC = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"
USER_FOR_ROLE = {
    "Registrar": "registrar",
    "CaseHandler": "handler",
    "Reader": "head",
    "HearingOrganizer": "organizer",
    "Archivist": "archivist",
    "Inspector": "inspector",
}
PERMISSIONS = {
    "view": "View",
    "edit": "Modify portal content",
    "add document": "xinfang_archive: Add CaseDocument",
    "add reply": "xinfang_archive: Add Reply",
    "add supervision": "xinfang_archive: Add Supervision",
}


def read_table(index=0):
    """The rows of the ``index``-th table of the document."""
    tables, current = [], None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
                tables.append(current)
            current.append(line)
        else:
            current = None
    return tables[index]


def read_matrix(index=0):
    lines = read_table(index)
    header = [h.strip() for h in lines[0].strip("|").split("|")]
    keys = [" ".join(h.split(" ")[:-1]) or h for h in header]
    rows = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if set(cells[0]) <= set("-"):
            continue
        rows.append(dict(zip(keys, cells)))
    return rows


MATRIX = read_matrix()


def test_matrix_covers_every_state_and_role(portal):
    workflow = api.portal.get_tool("portal_workflow")["xf_case_workflow"]
    cells = {(row["state"].split()[0], row["role"].split()[0]) for row in MATRIX}
    assert cells == {(s, r) for s in workflow.states.objectIds() for r in USER_FOR_ROLE}


@pytest.fixture()
def case_in_state(portal, staff):
    """A case put into a workflow state directly (the lifecycle is tested elsewhere)."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    from conftest import case_data

    # the handler's unit (conftest.STAFF_UNITS); the head heads the county above it
    case = api.content.create(
        container=portal["cases"], type="PetitionCase", **case_data(responsible_unit="JSJ")
    )
    wftool = api.portal.get_tool("portal_workflow")
    workflow = wftool["xf_case_workflow"]

    def put(state):
        status = dict(wftool.getStatusOf("xf_case_workflow", case))
        status["review_state"] = state
        wftool.setStatusOf("xf_case_workflow", case, status)
        workflow.updateRoleMappingsFor(case)
        return case

    return put


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: f"{r['state'].split()[0]}-{r['role'].split()[0]}")
def test_cell(portal, case_in_state, row):
    state, role = row["state"].split()[0], row["role"].split()[0]
    case = case_in_state(state)
    workflow = api.portal.get_tool("portal_workflow")["xf_case_workflow"]
    login(portal, USER_FOR_ROLE[role])
    user = api.user.get_current()
    for column, permission in PERMISSIONS.items():
        expected = row[column] == "✓"
        assert bool(api.user.has_permission(permission, obj=case)) is expected, column
    sees_personal = bool(api.user.has_permission(ViewPersonalData, obj=case))
    assert sees_personal is (row["personal data"] == "✓")
    roles = set(user.getRolesInContext(case))
    allowed = {
        tid
        for tid in workflow.states[state].transitions
        if set(workflow.transitions[tid].guard.roles) & roles
    }
    expected = set() if row["transitions"] == "–" else {t.strip() for t in row["transitions"].split(",")}
    assert allowed == expected


@pytest.mark.parametrize("state", ["registered", "in_progress", "closed"])
def test_anonymous_sees_no_case(portal, case_in_state, state):
    case = case_in_state(state)
    from plone.app.testing import logout

    logout()
    assert not api.user.has_permission("View", obj=case)
    assert not api.user.has_permission("Access contents information", obj=case)


# -- accountability records (责任追究) ----------------------------------------------------

ACCOUNTABILITY_PERMISSIONS = {"view": "View", "edit": "Modify portal content", "delete": "Delete objects"}


def read_section_matrix(heading):
    """The first table after the line ``heading`` of the document."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    table = [line for line in lines[lines.index(heading):] if line.startswith("|")]
    end = next((i for i, line in enumerate(table[1:], 1) if line.startswith("| state")), len(table))
    header = [" ".join(h.strip().split(" ")[:-1]) or h.strip() for h in table[0].strip("|").split("|")]
    rows = []
    for line in table[1:end]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not set(cells[0]) <= set("-"):
            rows.append(dict(zip(header, cells)))
    return rows


ACCOUNTABILITY_MATRIX = read_section_matrix("## Accountability (责任追究)")


def test_accountability_matrix_covers_every_state(portal):
    workflow = api.portal.get_tool("portal_workflow")["xf_accountability_workflow"]
    assert {row["state"].split()[0] for row in ACCOUNTABILITY_MATRIX} == set(workflow.states.objectIds())


@pytest.mark.parametrize("row", ACCOUNTABILITY_MATRIX,
                         ids=lambda r: f"{r['state'].split()[0]}-{r['principal']}")
def test_accountability_cell(portal, staff, row):
    from test_units import member_of
    from xinfang_archive.content.accountability import local_today

    api.portal.set_registry_record("xinfang_archive.units", [
        "CXX|城西县||county", "JSJ|住房和城乡建设局|CXX|department", "CGZ|城关镇|CXX|township"])
    member_of("unit-JSJ-heads", "jsj-head")
    member_of("unit-CGZ-heads", "cgz-head")
    setRoles(portal, TEST_USER_ID, ["Manager"])
    record = api.content.create(
        container=portal["accountability"], type="AccountabilityRecord", title="", unit="JSJ",
        cause="other", measure="talk", facts="事实", authority="县信访局", decision_date=local_today(),
        person_name="李四", person_post="副局长",
    )
    state = row["state"].split()[0]
    if state != "draft":
        api.portal.get_tool("portal_workflow").doActionFor(record, "decide")
    login(portal, row["principal"])
    for column, permission in ACCOUNTABILITY_PERMISSIONS.items():
        assert bool(api.user.has_permission(permission, obj=record)) is (row[column] == "✓"), column
    sees = bool(api.user.has_permission("View", obj=record))
    personal = bool(api.user.has_permission(ViewPersonalData, obj=record)) and sees
    assert {"✓": True, "masked": False, "–": False}[row["personal data"]] is personal
    if row["personal data"] == "masked":
        assert sees
    workflow = api.portal.get_tool("portal_workflow")
    allowed = {t["id"] for t in workflow.getTransitionsFor(record)} if sees else set()
    expected = set() if row["transitions"] == "–" else {t.strip() for t in row["transitions"].split(",")}
    assert allowed == expected
