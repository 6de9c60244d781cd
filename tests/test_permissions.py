"""docs/permissions.md, checked cell by cell against the site."""

from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from tests.helpers.permissions_doc import DOC
from tests.helpers.permissions_doc import read_matrix
from xinfang_archive.localtime import local_today
from xinfang_archive.permissions import ViewPersonalData

import pytest


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


MATRIX = read_matrix()


def test_matrix_covers_every_state_and_role(portal):
    workflow = api.portal.get_tool("portal_workflow")["xf_case_workflow"]
    cells = {(row["state"].split()[0], row["role"].split()[0]) for row in MATRIX}
    assert cells == {(s, r) for s in workflow.states.objectIds() for r in USER_FOR_ROLE}


@pytest.fixture()
def case_in_state(portal, staff):
    """A case put into a workflow state directly (the lifecycle is tested elsewhere)."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    from tests.helpers.cases import case_data

    # the handler's unit (tests.helpers.staff.STAFF_UNITS); the head heads the county above it
    case = api.content.create(
        container=portal["cases"],
        type="PetitionCase",
        **case_data(responsible_unit="JSJ"),
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


@pytest.mark.parametrize(
    "row", MATRIX, ids=lambda r: f"{r['state'].split()[0]}-{r['role'].split()[0]}"
)
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
    expected = (
        set()
        if row["transitions"] == "–"
        else {t.strip() for t in row["transitions"].split(",")}
    )
    assert allowed == expected


@pytest.mark.parametrize("state", ["registered", "in_progress", "closed"])
def test_anonymous_sees_no_case(portal, case_in_state, state):
    case = case_in_state(state)
    from plone.app.testing import logout

    logout()
    assert not api.user.has_permission("View", obj=case)
    assert not api.user.has_permission("Access contents information", obj=case)


# --- the other records' matrices -------------------------------------------------------
#
# Each further table of docs/permissions.md is headed by a comment
# ``<!-- matrix: PortalType workflow_id -->`` and has the columns state,
# role, view, edit, personal data and transitions; RECORD_FACTORIES makes
# one object of the type (of 住建局, the handler's unit, where it has a unit).

RECORD_COLUMNS = {"view": "View", "edit": "Modify portal content"}
MARKER = "<!-- matrix: "


def record_matrices():
    """{(portal_type, workflow): rows} of the record tables of the document."""
    matrices, current, lines = {}, None, []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith(MARKER):
            portal_type, workflow = line[len(MARKER) :].rstrip(" ->").split()
            current = matrices.setdefault((portal_type, workflow), [])
        elif current is not None and line.startswith("|"):
            lines.append(line)
        elif current is not None and lines:
            current.extend(_rows(lines))
            current, lines = None, []
    if current is not None and lines:
        current.extend(_rows(lines))
    return matrices


def _rows(lines):
    header = [h.strip() for h in lines[0].strip("|").split("|")]
    keys = [" ".join(h.split(" ")[:-1]) or h for h in header]
    rows = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not set(cells[0]) <= set("-"):
            rows.append(dict(zip(keys, cells, strict=False)))
    return rows


def _screening_report(portal):
    return api.content.create(
        container=portal["screening"],
        type="ScreeningReport",
        title="",
        unit="JSJ",
        period="2026-11",
        zero_report=True,
        disputes=[],
    )


def _early_warning(portal):

    return api.content.create(
        container=portal["warnings"],
        type="EarlyWarning",
        id="yj-test",
        rule_id="big",
        rule_kind="collective",
        rule_title="较大规模集体访",
        warning_key="big|x",
        records=[],
        summary="信访件 XF-2026-000001（征地拆迁）涉及 60 人。",
        unit="JSJ",
        occurred_on=local_today(),
    )


RECORD_FACTORIES = {
    "ScreeningReport": _screening_report,
    "EarlyWarning": _early_warning,
}
RECORD_MATRICES = record_matrices()
RECORD_CELLS = [
    (portal_type, workflow, row)
    for (portal_type, workflow), rows in RECORD_MATRICES.items()
    for row in rows
]


def test_every_record_type_with_a_workflow_has_its_matrix():
    assert set(RECORD_FACTORIES) == {
        portal_type for portal_type, _workflow in RECORD_MATRICES
    }


@pytest.mark.parametrize("portal_type,workflow_id", sorted(RECORD_MATRICES))
def test_record_matrix_covers_every_state_and_role(portal, portal_type, workflow_id):
    workflow = api.portal.get_tool("portal_workflow")[workflow_id]
    rows = RECORD_MATRICES[(portal_type, workflow_id)]
    cells = {(row["state"].split()[0], row["role"].split()[0]) for row in rows}
    assert cells == {(s, r) for s in workflow.states.objectIds() for r in USER_FOR_ROLE}


@pytest.mark.parametrize(
    "portal_type,workflow_id,row",
    RECORD_CELLS,
    ids=lambda value: (
        value["state"].split()[0] + "-" + value["role"].split()[0]
        if isinstance(value, dict)
        else str(value)
    ),
)
def test_record_cell(portal, staff, portal_type, workflow_id, row):
    state, role = row["state"].split()[0], row["role"].split()[0]
    setRoles(portal, TEST_USER_ID, ["Manager"])
    obj = RECORD_FACTORIES[portal_type](portal)
    wftool = api.portal.get_tool("portal_workflow")
    workflow = wftool[workflow_id]
    status = dict(wftool.getStatusOf(workflow_id, obj))
    status["review_state"] = state
    wftool.setStatusOf(workflow_id, obj, status)
    workflow.updateRoleMappingsFor(obj)
    login(portal, USER_FOR_ROLE[role])
    for column, permission in RECORD_COLUMNS.items():
        assert bool(api.user.has_permission(permission, obj=obj)) is (
            row[column] == "✓"
        ), column
    assert bool(api.user.has_permission(ViewPersonalData, obj=obj)) is (
        row["personal data"] == "✓"
    )
    roles = set(api.user.get_current().getRolesInContext(obj))
    allowed = {
        tid
        for tid in workflow.states[state].transitions
        if set(workflow.transitions[tid].guard.roles) & roles
    }
    expected = (
        set()
        if row["transitions"] == "–"
        else {t.strip() for t in row["transitions"].split(",")}
    )
    assert allowed == expected


# --- coordination meetings (会议): the table of docs/permissions.md ---------------------------


def read_matrix_titled(first_header):
    """The table whose first column is ``first_header`` (other record types
    append their own tables to the document)."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.startswith(f"| {first_header} ")
    )
    end = next(
        (i for i in range(start, len(lines)) if not lines[i].startswith("|")),
        len(lines),
    )
    header = [h.strip() for h in lines[start].strip("|").split("|")]
    keys = [" ".join(h.split(" ")[:-1]) or h for h in header]
    rows = []
    for line in lines[start + 1 : end]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not set(cells[0]) <= set("-"):
            rows.append(dict(zip(keys, cells, strict=False)))
    return rows


MEETING_MATRIX = read_matrix_titled("meeting state 会议状态")
MEETING_PERMISSIONS = {"view": "View", "edit": "Modify portal content"}


def test_meeting_matrix_covers_every_state_and_role(portal):
    workflow = api.portal.get_tool("portal_workflow")["xf_meeting_workflow"]
    cells = {
        (row["meeting state"].split()[0], row["role"].split()[0])
        for row in MEETING_MATRIX
    }
    assert cells == {(s, r) for s in workflow.states.objectIds() for r in USER_FOR_ROLE}


@pytest.fixture()
def meeting_in_state(portal, staff):
    """A meeting (with a decision on a case of the handler's unit) put into a state directly."""
    from tests.helpers.cases import case_data

    setRoles(portal, TEST_USER_ID, ["Manager"])
    case = api.content.create(
        container=portal["cases"],
        type="PetitionCase",
        **case_data(responsible_unit="JSJ"),
    )
    meeting = api.content.create(
        container=portal["meetings"],
        type="CoordinationMeeting",
        title="",
        kind="joint",
        meeting_date=local_today(),
        chair="李建国",
        decisions=[
            {
                "case_number": case.registration_number,
                "unit": "JSJ",
                "due_date": None,
                "instructions": "",
                "settled": False,
            }
        ],
    )
    wftool = api.portal.get_tool("portal_workflow")
    workflow = wftool["xf_meeting_workflow"]

    def put(state):
        status = dict(wftool.getStatusOf("xf_meeting_workflow", meeting))
        status["review_state"] = state
        wftool.setStatusOf("xf_meeting_workflow", meeting, status)
        workflow.updateRoleMappingsFor(meeting)
        return meeting

    return put


@pytest.mark.parametrize(
    "row",
    MEETING_MATRIX,
    ids=lambda r: f"{r['meeting state'].split()[0]}-{r['role'].split()[0]}",
)
def test_meeting_cell(portal, meeting_in_state, row):
    state, role = row["meeting state"].split()[0], row["role"].split()[0]
    meeting = meeting_in_state(state)
    workflow = api.portal.get_tool("portal_workflow")["xf_meeting_workflow"]
    login(portal, USER_FOR_ROLE[role])
    user = api.user.get_current()
    for column, permission in MEETING_PERMISSIONS.items():
        assert bool(api.user.has_permission(permission, obj=meeting)) is (
            row[column] == "✓"
        ), column
    may_add = api.user.has_permission(
        "xinfang_archive: Add CoordinationMeeting", obj=portal["meetings"]
    )
    assert bool(may_add) is (row["add meeting"] == "✓")
    roles = set(user.getRolesInContext(meeting))
    allowed = {
        tid
        for tid in workflow.states[state].transitions
        if set(workflow.transitions[tid].guard.roles) & roles
    }
    expected = (
        set()
        if row["transitions"] == "–"
        else {t.strip() for t in row["transitions"].split(",")}
    )
    assert allowed == expected


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
    section = text[text.index(heading) :]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    first = section.splitlines().index(lines[0])
    block = []
    for line in section.splitlines()[first:]:
        if not line.startswith("|"):
            break
        block.append(line)
    header = [h.strip() for h in block[0].strip("|").split("|")]
    keys = [" ".join(h.split(" ")[:-1]) or h for h in header]
    return [
        dict(zip(keys, [c.strip() for c in line.strip("|").split("|")], strict=False))
        for line in block[2:]
    ]


RECEPTION_MATRIX = read_section_matrix(RECEPTION_HEADING)


def test_reception_matrix_covers_every_state_and_role(portal):
    workflow = api.portal.get_tool("portal_workflow")["xf_reception_workflow"]
    cells = {
        (row["state"].split()[0], row["role"].split()[0]) for row in RECEPTION_MATRIX
    }
    assert cells == {
        (s, r) for s in workflow.states.objectIds() for r in RECEPTION_USERS
    }


@pytest.mark.parametrize(
    "row",
    RECEPTION_MATRIX,
    ids=lambda r: f"{r['state'].split()[0]}-{r['role'].split()[0]}",
)
def test_reception_cell(portal, staff, row):
    from datetime import time
    from plone.app.testing import logout
    from plone.dexterity.utils import createContentInContainer

    state, role = row["state"].split()[0], row["role"].split()[0]
    setRoles(portal, TEST_USER_ID, ["Manager"])
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
        assert bool(api.user.has_permission(permission, obj=reception)) is (
            row[column] == "✓"
        ), column
    roles = set(api.user.get_current().getRolesInContext(reception))
    allowed = {
        tid
        for tid in workflow.states[state].transitions
        if set(workflow.transitions[tid].guard.roles) & roles
    }
    expected = (
        set()
        if row["transitions"] == "–"
        else {t.strip() for t in row["transitions"].split(",")}
    )
    assert allowed == expected


# -- accountability records (责任追究) ----------------------------------------------------

ACCOUNTABILITY_PERMISSIONS = {
    "view": "View",
    "edit": "Modify portal content",
    "delete": "Delete objects",
}


ACCOUNTABILITY_MATRIX = read_section_matrix("## Accountability (责任追究)")


def test_accountability_matrix_covers_every_state(portal):
    workflow = api.portal.get_tool("portal_workflow")["xf_accountability_workflow"]
    assert {row["state"].split()[0] for row in ACCOUNTABILITY_MATRIX} == set(
        workflow.states.objectIds()
    )


@pytest.mark.parametrize(
    "row",
    ACCOUNTABILITY_MATRIX,
    ids=lambda r: f"{r['state'].split()[0]}-{r['principal']}",
)
def test_accountability_cell(portal, staff, row):
    from tests.helpers.staff import member_of
    from xinfang_archive.localtime import local_today

    api.portal.set_registry_record(
        "xinfang_archive.units",
        [
            "CXX|城西县||county",
            "JSJ|住房和城乡建设局|CXX|department",
            "CGZ|城关镇|CXX|township",
        ],
    )
    member_of("unit-JSJ-heads", "jsj-head")
    member_of("unit-CGZ-heads", "cgz-head")
    setRoles(portal, TEST_USER_ID, ["Manager"])
    record = api.content.create(
        container=portal["accountability"],
        type="AccountabilityRecord",
        title="",
        unit="JSJ",
        cause="other",
        measure="talk",
        facts="事实",
        authority="县信访局",
        decision_date=local_today(),
        person_name="李四",
        person_post="副局长",
    )
    state = row["state"].split()[0]
    if state != "draft":
        api.portal.get_tool("portal_workflow").doActionFor(record, "decide")
    login(portal, row["principal"])
    for column, permission in ACCOUNTABILITY_PERMISSIONS.items():
        assert bool(api.user.has_permission(permission, obj=record)) is (
            row[column] == "✓"
        ), column
    sees = bool(api.user.has_permission("View", obj=record))
    personal = bool(api.user.has_permission(ViewPersonalData, obj=record)) and sees
    assert {"✓": True, "masked": False, "–": False}[row["personal data"]] is personal
    if row["personal data"] == "masked":
        assert sees
    workflow = api.portal.get_tool("portal_workflow")
    allowed = {t["id"] for t in workflow.getTransitionsFor(record)} if sees else set()
    expected = (
        set()
        if row["transitions"] == "–"
        else {t.strip() for t in row["transitions"].split(",")}
    )
    assert allowed == expected
