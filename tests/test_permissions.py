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


# --- 领导信访接待日: the reception days' matrix (docs/permissions.md) -----------------------

RECEPTION_HEADING = "## Leader reception days (领导信访接待日)"
RECEPTION_USERS = dict(USER_FOR_ROLE, Anonymous=None)
RECEPTION_PERMISSIONS = {
    "view": "View",
    "edit": "Modify portal content",
    "record": "xinfang_archive: View reception minutes",
    "write record": "xinfang_archive: Record reception minutes",
}


def read_section_matrix(heading):
    """The first table after ``heading`` (sections appended later keep their tables)."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(heading):]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    first = section.splitlines().index(lines[0])
    block = []
    for line in section.splitlines()[first:]:
        if not line.startswith("|"):
            break
        block.append(line)
    header = [h.strip() for h in block[0].strip("|").split("|")]
    keys = [" ".join(h.split(" ")[:-1]) or h for h in header]
    return [dict(zip(keys, [c.strip() for c in line.strip("|").split("|")]))
            for line in block[2:]]


RECEPTION_MATRIX = read_section_matrix(RECEPTION_HEADING)


def test_reception_matrix_covers_every_state_and_role(portal):
    workflow = api.portal.get_tool("portal_workflow")["xf_reception_workflow"]
    cells = {(row["state"].split()[0], row["role"].split()[0]) for row in RECEPTION_MATRIX}
    assert cells == {(s, r) for s in workflow.states.objectIds() for r in RECEPTION_USERS}


@pytest.mark.parametrize("row", RECEPTION_MATRIX, ids=lambda r: f"{r['state'].split()[0]}-{r['role'].split()[0]}")
def test_reception_cell(portal, staff, row):
    from datetime import date
    from datetime import time
    from plone.app.testing import logout
    from plone.dexterity.utils import createContentInContainer

    state, role = row["state"].split()[0], row["role"].split()[0]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    reception = createContentInContainer(
        portal["receptions"], "LeaderReception", leader="周建国", post="副县长",
        reception_date=date.today(), start_time=time(9), end_time=time(11), place="接待大厅")
    wftool = api.portal.get_tool("portal_workflow")
    workflow = wftool["xf_reception_workflow"]
    status = dict(wftool.getStatusOf("xf_reception_workflow", reception))
    status["review_state"] = state
    wftool.setStatusOf("xf_reception_workflow", reception, status)
    workflow.updateRoleMappingsFor(reception)
    if RECEPTION_USERS[role] is None:
        logout()
    else:
        login(portal, RECEPTION_USERS[role])
    for column, permission in RECEPTION_PERMISSIONS.items():
        assert bool(api.user.has_permission(permission, obj=reception)) is (row[column] == "✓"), column
    roles = set(api.user.get_current().getRolesInContext(reception))
    allowed = {tid for tid in workflow.states[state].transitions
               if set(workflow.transitions[tid].guard.roles) & roles}
    expected = set() if row["transitions"] == "–" else {t.strip() for t in row["transitions"].split(",")}
    assert allowed == expected
