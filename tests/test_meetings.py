"""会议: coordination meetings (信访联席会议, 信访协调会, 领导小组会议), their
decisions per case, the minutes' review, what finalizing puts on the cases,
who reads which decision, versions, and the upgrade that brings them."""

from datetime import date
from datetime import timedelta
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.helpers.archival import add_document
from tests.helpers.archival import do
from tests.helpers.meetings import add_meeting
from tests.helpers.meetings import decision
from tests.helpers.meetings import finalize
from tests.helpers.meetings import new_case
from tests.helpers.meetings import TODAY
from tests.helpers.views import render
from types import SimpleNamespace
from zope.i18n import translate
from zope.interface import Invalid

import pytest


def zh(message):
    return translate(message, target_language="zh_CN")


def invariant_problems(**data):
    from xinfang_archive.content.meeting import ICoordinationMeetingSchema

    problems = []
    for check in ICoordinationMeetingSchema.getTaggedValue("invariants"):
        try:
            check(SimpleNamespace(**data))
        except Invalid as error:
            problems.append(zh(error.args[0]))
    return problems


@pytest.fixture()
def meeting_site(manager, staff):
    return manager


# --- the types, the folder and the workflow ------------------------------------------------


def test_meetings_folder_types_and_workflow(meeting_site):
    portal = meeting_site
    assert portal["meetings"].portal_type == "MeetingFolder"
    workflow = portal.portal_workflow
    assert workflow.getChainForPortalType("CoordinationMeeting") == (
        "xf_meeting_workflow",
    )
    assert set(workflow["xf_meeting_workflow"].states.objectIds()) == {
        "draft",
        "review",
        "finalized",
    }
    case = new_case(portal)
    meeting = add_meeting(portal, [decision(case)])
    assert meeting.getId() == f"hy-{TODAY.isoformat()}"
    assert meeting.Title() == f"{TODAY.isoformat()} 信访联席会议"
    assert (
        add_meeting(portal, [], kind="leading_group").Title()
        == f"{TODAY.isoformat()} 领导小组会议"
    )
    assert meeting.case_numbers() == [case.registration_number]


def test_registrar_records_and_submits_an_inspector_finalizes_or_returns(meeting_site):
    portal = meeting_site
    case = new_case(portal)
    login(portal, "registrar")
    assert api.user.has_permission(
        "xinfang_archive: Add CoordinationMeeting", obj=portal["meetings"]
    )
    meeting = add_meeting(portal, [decision(case)])
    assert api.content.get_state(meeting) == "draft"
    assert api.user.has_permission("Modify portal content", obj=meeting)
    do(meeting, "submit")
    assert api.content.get_state(meeting) == "review"
    assert not api.user.has_permission("Modify portal content", obj=meeting)
    ids = [t["id"] for t in portal.portal_workflow.getTransitionsFor(meeting)]
    assert "finalize" not in ids and "return" not in ids
    login(portal, "inspector")
    assert api.user.has_permission(
        "Modify portal content", obj=meeting
    )  # the reviewer corrects the minutes
    do(meeting, "return")
    assert api.content.get_state(meeting) == "draft"
    login(portal, "registrar")
    do(meeting, "submit")
    login(portal, "inspector")
    do(meeting, "finalize")
    assert api.content.get_state(meeting) == "finalized"
    assert not api.user.has_permission("Modify portal content", obj=meeting)
    for user_id in ("handler", "organizer", "head"):
        login(portal, user_id)
        assert not api.user.has_permission("View", obj=meeting), user_id
        assert not api.user.has_permission(
            "xinfang_archive: Add CoordinationMeeting", obj=portal["meetings"]
        )


def test_the_diagram_names_the_transitions_of_the_definition(meeting_site):
    from pathlib import Path

    import xinfang_archive

    diagram = (
        Path(xinfang_archive.__file__).parent
        / "profiles"
        / "default"
        / "workflows"
        / "xf_meeting_workflow"
        / "diagram.mmd"
    ).read_text()
    workflow = meeting_site.portal_workflow["xf_meeting_workflow"]
    for transition in workflow.transitions.objectValues():
        line = f"{transition.getId()} "
        assert f"--> {transition.new_state_id}: {line}" in diagram, transition.getId()


# --- bad decisions: a clear message, nothing saved ----------------------------------------


def test_a_decision_without_unit_an_unknown_case_or_an_early_due_date_is_refused(
    meeting_site,
):
    portal = meeting_site
    case = new_case(portal)
    day = TODAY
    (problem,) = invariant_problems(
        meeting_date=day, decisions=[decision(case, unit=None)]
    )
    assert problem == "第 1 项决定未指定承办单位：每项决定都须写明承办单位。"
    (problem,) = invariant_problems(
        meeting_date=day, decisions=[decision(case, case_number="XF-1999-999999")]
    )
    assert problem == "第 1 项决定：没有编号为 XF-1999-999999 的信访件。"
    (problem,) = invariant_problems(
        meeting_date=day, decisions=[decision(case, due_date=day - timedelta(days=1))]
    )
    assert problem == (
        f"第 1 项决定：办结期限 {(day - timedelta(days=1)).isoformat()} "
        f"早于会议日期（{day.isoformat()}）。"
    )
    (problem,) = invariant_problems(
        meeting_date=day, decisions=[decision(case), decision(case)]
    )
    assert "两项决定" in problem
    assert (
        invariant_problems(
            meeting_date=day,
            decisions=[decision(case), decision(case, due_date=None)][:1],
        )
        == []
    )


def test_the_same_checks_hold_when_added_or_edited_by_code(meeting_site):
    from zope.lifecycleevent import modified

    import transaction

    portal = meeting_site
    case = new_case(portal)
    savepoint = transaction.savepoint()
    with pytest.raises(Invalid) as refused:
        add_meeting(portal, [decision(case, unit=None)])
    assert "承办单位" in zh(refused.value.args[0])
    savepoint.rollback()
    assert not portal["meetings"].objectIds()
    meeting = add_meeting(portal, [decision(case)])
    meeting.decisions = [decision(case, case_number="XF-1999-000001")]
    with pytest.raises(Invalid):
        modified(meeting)


def test_finalizing_checks_the_decisions_again(meeting_site):
    portal = meeting_site
    case = new_case(portal)
    meeting = add_meeting(portal, [decision(case)])
    do(meeting, "submit")
    meeting.decisions = [
        decision(case, unit="")
    ]  # written past the form and the event guard
    with pytest.raises(Invalid):
        do(meeting, "finalize")


# --- finalizing puts the decisions on their cases -----------------------------------------


def test_finalizing_puts_each_decision_on_its_case_and_supervision_list(
    meeting_site, request_
):
    from xinfang_archive.audit.recorder import pending_entries

    portal = meeting_site
    assigned = new_case(portal)
    settled = new_case(portal, title="村道硬化工程款拖欠")
    late = new_case(portal, title="低保资格被取消")
    day = TODAY - timedelta(days=30)
    meeting = add_meeting(
        portal,
        [
            decision(assigned),
            decision(
                settled,
                unit="ZRZY",
                due_date=None,
                instructions="当场答复，信访人表示满意。",
                settled=True,
            ),
            decision(
                late,
                unit="MZJ",
                due_date=TODAY - timedelta(days=2),
                instructions="民政局重新核查。",
            ),
        ],
        day=day,
    )
    supervisions = lambda case: [
        o for o in case.objectValues() if o.portal_type == "Supervision"
    ]
    do(meeting, "submit")
    assert not supervisions(assigned)  # nothing before the meeting is final
    assert render("view", assigned, request_).count("xf-meeting-decisions") == 0
    before = len(pending_entries())
    do(meeting, "finalize")

    (supervision,) = supervisions(assigned)
    assert (
        supervision.method == "meeting"
        and supervision.due_date == TODAY + timedelta(days=20)
    )
    assert supervision.issued_on == day and supervision.meeting_uid == meeting.UID()
    assert (
        "住房和城乡建设局" in supervision.instructions
        and "补偿方案" in supervision.instructions
    )
    assert not supervisions(
        settled
    )  # settled at the meeting: nothing left to supervise
    view = api.content.get_view(
        name="case-dashboard", context=portal["cases"], request=request_
    )
    view()
    rows = {row["url"]: row for row in view.supervisions()}
    (overdue,) = supervisions(late)
    assert (
        rows[overdue.absolute_url()]["overdue"]
        and not rows[supervision.absolute_url()]["overdue"]
    )

    html = render("view", assigned, request_)
    assert "会议决定" in html and meeting.Title() in html and "补偿方案" in html
    html = render("view", settled, request_)
    assert f"已在会议 {meeting.Title()} 上化解" in html

    entries = [
        e for e in pending_entries()[before:] if e["action"] == "meeting_decision"
    ]
    assert sorted(e["object_uid"] for e in entries) == sorted(
        c.UID() for c in (assigned, settled, late)
    )
    assert {e["details"]["meeting"] for e in entries} == {meeting.Title()}
    assert any(
        e["action"] == "transition" and e["details"]["transition"] == "finalize"
        for e in pending_entries()[before:]
    )


# --- who reads which decision ----------------------------------------------------------------


def test_decisions_on_accusation_cases_never_reach_the_accused_unit(
    meeting_site, request_
):
    portal = meeting_site
    plain = new_case(portal, title="物业维修基金纠纷")
    accused = new_case(portal, title="工程招标问题反映")
    for case in (plain, accused):
        do(case, "accept")
        case.responsible_unit = "JSJ"
        do(case, "assign")
    add_document(accused, title="实名举报信", accusation=True)
    meeting = add_meeting(
        portal,
        [
            decision(plain, instructions="物业问题一周内答复。"),
            decision(accused, unit="JW", instructions="举报事项转纪委监委调查核实。"),
        ],
    )
    finalize(meeting)
    login(portal, "handler")  # 住建局, the accused unit
    assert api.user.has_permission("View", obj=accused)
    assert "物业问题一周内答复" in render("view", plain, request_)
    html = render("view", accused, request_)
    assert "纪委监委调查" not in html and "xf-meeting-decisions" not in html
    (supervision,) = [
        o for o in accused.objectValues() if o.portal_type == "Supervision"
    ]
    assert (
        "纪委" not in supervision.instructions
        and "举报材料" in supervision.instructions
    )
    login(portal, "inspector")
    assert "举报事项转纪委监委调查核实" in render("view", accused, request_)
    assert "举报事项转纪委监委调查核实" in render("view", meeting, request_)


def test_a_meeting_reader_sees_only_decisions_on_cases_they_may_view(
    meeting_site, request_
):
    from xinfang_archive.meetings.decisions import decision_rows_of_meeting
    from zope.lifecycleevent import modified

    portal = meeting_site
    theirs = new_case(portal, title="住建局的信访件")
    other = new_case(portal, title="民政局的信访件")
    theirs.manage_setLocalRoles("handler", ["Reader"])
    theirs.reindexObjectSecurity()
    meeting = add_meeting(
        portal,
        [
            decision(theirs),
            decision(other, unit="MZJ", instructions="民政局先行了解。"),
        ],
    )
    meeting.decisions = [
        decision(theirs),
        decision(other, unit="MZJ", instructions="民政局核查低保。"),
    ]
    modified(meeting)  # a second version, whose changes the history lists
    # Reader to read it, Contributor to read its versions too
    meeting.manage_setLocalRoles("handler", ["Reader", "Contributor"])
    meeting.reindexObjectSecurity()
    finalize(meeting)
    login(portal, "handler")
    assert api.user.has_permission("View", obj=meeting)
    assert not api.user.has_permission("View", obj=other)
    assert [r["case_number"] for r in decision_rows_of_meeting(meeting)] == [
        theirs.registration_number
    ]
    html = render("view", meeting, request_)
    assert theirs.registration_number in html
    assert other.registration_number not in html and "民政局核查低保" not in html
    assert "1 项决定涉及您无权查看的信访件，未予显示" in html
    versions = api.content.get_view(
        name="record-history", context=meeting, request=request_
    ).versions()
    assert versions and "民政局核查低保" not in repr(versions)
    login(portal, "inspector")
    versions = api.content.get_view(
        name="record-history", context=meeting, request=request_
    ).versions()
    assert "民政局核查低保" in repr(versions)


def test_minutes_and_instructions_are_masked_without_personal_data(
    meeting_site, request_
):
    from plone.app.textfield.value import RichTextValue

    portal = meeting_site
    case = new_case(portal)
    meeting = add_meeting(
        portal,
        [decision(case, instructions="联系信访人13812345678尽快答复。")],
        minutes=RichTextValue(
            "<p>信访人电话13812345678，会议议定如下。</p>",
            "text/html",
            "text/x-html-safe",
        ),
    )
    finalize(meeting)
    login(portal, "inspector")  # no "View personal data"
    html = render("view", meeting, request_)
    assert "13812345678" not in html and "信访人电话" in html and "会议议定如下" in html
    assert "13812345678" not in render("view", case, request_)
    login(portal, "registrar")
    assert "13812345678" in render("view", meeting, request_)


# --- versions -------------------------------------------------------------------------------


def test_versions_are_saved_where_the_meeting_may_be_modified(meeting_site):
    from zope.lifecycleevent import modified

    portal = meeting_site
    workflow = api.portal.get_tool("portal_workflow")["xf_meeting_workflow"]
    for state in workflow.states.objectValues():
        modify = set(state.getPermissionInfo("Modify portal content")["roles"])
        save = set(state.getPermissionInfo("CMFEditions: Save new version")["roles"])
        assert save == modify | ({"Owner"} if state.getId() == "draft" else set()), (
            state.getId()
        )
    case = new_case(portal)
    login(portal, "registrar")
    meeting = add_meeting(portal, [decision(case)])
    meeting.chair = "张华（县委副书记）"
    modified(meeting)
    repository = api.portal.get_tool("portal_repository")
    assert repository.getHistoryMetadata(meeting).getLength(countPurged=False) == 2
    assert repository.retrieve(meeting, 0).object.chair == "李建国（副县长）"


# --- the upgrade --------------------------------------------------------------------------------


def test_upgrade_1010_adds_meetings(manager):
    portal = manager
    portal.manage_delObjects(["meetings"])
    portal.portal_workflow.manage_delObjects(["xf_meeting_workflow"])
    portal.portal_catalog.delIndex("meeting_cases")
    methods = ["phone|电话督办", "letter|发函督办"]
    api.portal.set_registry_record("xinfang_archive.supervision_methods", methods)
    setup = portal.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1009")
    setup.upgradeProfile("xinfang_archive:default")
    assert setup.getLastVersionForProfile("xinfang_archive:default") == ("1017",)
    assert portal["meetings"].portal_type == "MeetingFolder"
    assert portal.portal_workflow.getChainForPortalType("CoordinationMeeting") == (
        "xf_meeting_workflow",
    )
    assert "meeting_cases" in portal.portal_catalog.indexes()
    assert api.portal.get_registry_record("xinfang_archive.supervision_methods") == [
        *methods,
        "meeting|会议交办",
    ]
    login(portal, TEST_USER_NAME)
    setRoles(portal, TEST_USER_ID, ["Registrar"])
    assert api.user.has_permission(
        "xinfang_archive: Add CoordinationMeeting", obj=portal["meetings"]
    )


# --- search ---------------------------------------------------------------------------------------


def test_meetings_are_found_by_their_text_and_date_by_those_who_read_every_decision(
    site, staff_users
):
    from plone.app.textfield.value import RichTextValue
    from xinfang_archive.search.searching import archive_search

    import transaction

    def found(text, **kwargs):
        return [
            item["uid"]
            for item in archive_search(site.REQUEST, text=text, **kwargs)["items"]
        ]

    case = new_case(site)
    day = date(2025, 3, 14)
    meeting = add_meeting(
        site,
        [decision(case, due_date=None, instructions="请住建局牵头研究拆迁安置方案。")],
        day=day,
        kind="coordination",
        minutes=RichTextValue(
            "<p>会议研究了城东片区拆迁安置问题。</p>", "text/html", "text/x-html-safe"
        ),
    )
    transaction.commit()
    with api.env.adopt_user(username="inspector"):
        assert found("城东片区拆迁安置") == [meeting.UID()]
        assert found("拆迁安置方案") == [meeting.UID()]
        assert found("城东片区", date_from="2025-03-01", date_to="2025-03-31") == [
            meeting.UID()
        ]
        assert found("城东片区", date_from="2025-04-01") == []
        result = archive_search(site.REQUEST, text="城东片区")
        assert result["items"][0]["date"] == "2025-03-14"
        years = {o["value"]: o["count"] for o in result["facets"]["year"]["options"]}
        assert years == {"2025": 1}
        types = {o["value"] for o in result["facets"]["portal_type"]["options"]}
        assert types == {"CoordinationMeeting"}
        # the kind of meeting is a facet and a filter (by its code or its Chinese title)
        kinds = result["facets"]["kind"]
        assert kinds["title"] == "种类"
        assert [(o["value"], o["title"], o["count"]) for o in kinds["options"]] == [
            ("coordination", "信访协调会", 1)
        ]
        filtered = archive_search(
            site.REQUEST, text="城东片区", filters={"kind": ["信访协调会"]}
        )
        assert [item["uid"] for item in filtered["items"]] == [meeting.UID()]
        assert (
            archive_search(site.REQUEST, text="城东片区", filters={"kind": ["joint"]})[
                "items"
            ]
            == []
        )
    meeting.manage_setLocalRoles("handler", ["Reader"])
    meeting.reindexObjectSecurity()
    transaction.commit()
    with api.env.adopt_user(username="handler"):
        assert api.user.has_permission("View", obj=meeting)
        assert (
            found("拆迁安置方案") == []
        )  # a reader of the meeting, not of every decision


# --- filing -------------------------------------------------------------------------------------


def test_filing_waits_for_final_minutes_and_the_schedule_reads_the_meeting(
    meeting_site,
):
    from tests.helpers.archival import close_case
    from xinfang_archive.archival.filing import make_plan
    from xinfang_archive.archival.retention import case_facts

    portal = meeting_site
    case = new_case(portal)
    add_document(case, title="来信")
    close_case(case)
    meeting = add_meeting(
        portal, [decision(case, due_date=None, settled=True)], kind="leading_group"
    )
    do(meeting, "submit")
    problems = [zh(p.message) for p in make_plan(case).problems]
    assert f"{meeting.Title()}的会议纪要尚未定稿，该会议对本件作出了决定。" in problems
    do(meeting, "finalize")
    assert case_facts(case)["meeting"] == frozenset({"leading_group"})
    plan = make_plan(case)
    assert not plan.problems
    assert plan.period == "Y"  # 经领导小组会议研究的信访事项
    setRoles(portal, TEST_USER_ID, ["Archivist"])
    do(case, "file")
    assert api.content.get_state(case) == "filed"


# --- REST ---------------------------------------------------------------------------------------


def test_rest_refuses_bad_decisions_in_chinese_and_serves_each_reader_their_rows(
    functional_portal, session_for
):
    from tests.helpers.cases import case_json

    import transaction

    registrar = session_for("registrar")
    case_url = registrar.post("/cases", json=case_json()).json()["@id"]
    number = registrar.get(case_url).json()["registration_number"]
    meetings = lambda: len(functional_portal["meetings"].objectIds())
    body = {
        "@type": "CoordinationMeeting",
        "kind": "coordination",
        "meeting_date": TODAY.isoformat(),
        "chair": "李建国",
        "decisions": [
            {
                "case_number": number,
                "unit": "JSJ",
                "settled": False,
                "due_date": (TODAY + timedelta(days=10)).isoformat(),
                "instructions": "一周内答复。",
            }
        ],
    }
    for bad_row, words in (
        ({"case_number": "XF-1999-999999"}, "没有编号为 XF-1999-999999 的信访件"),
        ({"due_date": (TODAY - timedelta(days=1)).isoformat()}, "早于会议日期"),
        ({"unit": None}, "第 1 项决定未指定承办单位"),
    ):
        row = {**body["decisions"][0], **bad_row}
        response = registrar.post("/meetings", json={**body, "decisions": [row]})
        assert response.status_code == 400, response.text
        # plone.restapi gives an invariant's message \u-escaped inside its own text
        message = (
            response.json()["message"]
            .encode("ascii", "backslashreplace")
            .decode("unicode_escape")
        )
        assert words in message
        transaction.begin()
        assert meetings() == 0
    created = registrar.post("/meetings", json=body)
    assert created.status_code == 201, created.text
    url = created.json()["@id"]
    bad_edit = registrar.patch(
        url, json={"decisions": [{**body["decisions"][0], "case_number": "XF-1999-1"}]}
    )
    assert bad_edit.status_code == 400
    answer = session_for("inspector").get(url).json()
    assert [row["case_number"] for row in answer["decisions"]] == [number]
    assert answer["decisions"][0]["instructions"] == "一周内答复。"
    assert session_for("handler").get(url).status_code in (401, 403)
