"""Hearings, transcripts, the minutes workflow and the 复核 clock."""

from datetime import timedelta
from plone import api
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from Products.CMFCore.WorkflowCore import WorkflowException
from tests.helpers.archival import do
from tests.helpers.hearings import add_transcript
from tests.helpers.hearings import approve
from tests.helpers.hearings import CHAIR
from tests.helpers.hearings import make_hearing
from tests.helpers.hearings import PETITIONER
from tests.helpers.hearings import PETITIONER_ADDRESS
from tests.helpers.hearings import petitioner_row
from tests.helpers.hearings import published_minutes
from tests.helpers.hearings import review_masks
from tests.helpers.hearings import SECRETS
from tests.helpers.hearings import to_rereview
from tests.helpers.hearings import TODAY
from xinfang_archive.hearings.publication import notice_of
from xinfang_archive.hearings.rules import publish_problems
from xinfang_archive.workflow.clocks import current_deadline
from zope.i18n import translate
from zope.lifecycleevent import modified

import pytest


@pytest.fixture()
def case(make_case):
    return make_case(petitioners=[petitioner_row()])


def zh(messages):
    return [translate(m, target_language="zh_CN") for m in messages]


def notice_text(notice):
    turns = " ".join(f"{t['speaker']} {t['text']}" for t in notice.turns or ())
    return " ".join(
        str(v) for v in (notice.title, notice.agenda, turns, notice.free_text) if v
    )


def deadline_index(case):
    catalog = api.portal.get_tool("portal_catalog")
    (brain,) = catalog.unrestrictedSearchResults(UID=case.UID())
    return (
        brain.case_deadline.date()
        if hasattr(brain.case_deadline, "date")
        else brain.case_deadline
    )


def test_site_has_hearings_and_a_public_board(portal):
    hearings, board = portal["hearings"], portal["hearing-notices"]
    assert hearings.portal_type == "HearingFolder"
    assert board.portal_type == "NoticeBoard"
    logout()
    assert api.user.has_permission("View", obj=board)
    assert not api.user.has_permission("View", obj=hearings)


def test_hearings_are_numbered_and_named_without_personal_data(manager, case):
    first = make_hearing(manager, [case])
    second = make_hearing(manager, [case])
    year = TODAY.year
    assert first.hearing_number == f"TZ-{year}-0001"
    assert second.getId() == f"tz-{year}-0002"
    assert api.content.get_state(first) == "scheduled"


def test_hearing_days_do_not_count_toward_the_rereview_deadline(manager, case):
    to_rereview(case)
    assert current_deadline(case) == (TODAY + timedelta(days=30), "rereview")
    hearing = make_hearing(
        manager,
        [case],
        hearing_date=TODAY + timedelta(days=5),
        end_date=TODAY + timedelta(days=6),
    )
    assert current_deadline(case) == (TODAY + timedelta(days=32), "rereview")
    assert deadline_index(case) == TODAY + timedelta(days=32)

    # A day before the request does not pause anything; a day inside does.
    make_hearing(manager, [case], hearing_date=TODAY - timedelta(days=3))
    assert current_deadline(case)[0] == TODAY + timedelta(days=32)

    do(hearing, "cancel")
    assert current_deadline(case)[0] == TODAY + timedelta(days=30)
    assert deadline_index(case) == TODAY + timedelta(days=30)


def test_hearing_no_longer_naming_a_case_releases_its_clock(manager, case, make_case):
    other = make_case()
    to_rereview(case)
    hearing = make_hearing(manager, [case], hearing_date=TODAY + timedelta(days=1))
    assert deadline_index(case) == TODAY + timedelta(days=31)
    from tests.helpers.relations import relation

    hearing.cases = [relation(other)]
    modified(hearing)
    assert current_deadline(case)[0] == TODAY + timedelta(days=30)
    assert deadline_index(case) == TODAY + timedelta(days=30)


def test_hearing_days_leave_the_handling_deadline_alone(manager, case):
    do(case, "accept")
    make_hearing(manager, [case], hearing_date=TODAY + timedelta(days=2))
    assert current_deadline(case) == (TODAY + timedelta(days=60), "handle")


def test_minutes_workflow_and_edit_rights(manager, case, staff):
    hearing = make_hearing(manager, [case])
    transcript = add_transcript(hearing)
    assert api.content.get_state(transcript) == "draft"
    with api.env.adopt_user(username="organizer"):
        assert api.user.has_permission("Modify portal content", obj=transcript)
        do(transcript, "submit")
        assert not api.user.has_permission("Modify portal content", obj=transcript)
        do(transcript, "approve")
    with api.env.adopt_user(username="inspector"):
        assert api.user.has_permission("View", obj=transcript)
        assert not api.user.has_permission(
            "xinfang_archive: Publish minutes", obj=transcript
        )
    assert api.content.get_state(transcript) == "approved"


def test_publish_is_refused_with_reasons(manager, case):
    hearing = make_hearing(manager, [case], public=False)
    transcript = add_transcript(hearing)
    approve(transcript)
    problems = " ".join(zh(publish_problems(transcript)))
    assert "不公开" in problems
    assert "尚未举行" in problems or "举行" in problems
    assert "遮蔽" in problems
    with pytest.raises(WorkflowException):
        do(transcript, "publish")
    assert notice_of(transcript) is None
    assert api.content.get_state(transcript) == "approved"


def test_a_transcript_changed_after_the_review_needs_a_new_review(manager, case):
    hearing = make_hearing(manager, [case])
    do(hearing, "hold")
    transcript = add_transcript(hearing)
    review_masks(transcript)
    transcript.turns = [
        *transcript.turns,
        {"speaker": PETITIONER, "role": "petitioner", "text": "我补充一句。"},
    ]
    approve(transcript)
    assert any("重新" in p for p in zh(publish_problems(transcript)))
    review_masks(transcript)
    assert publish_problems(transcript) == []


def test_published_notice_holds_masked_text_only(manager, case):
    hearing, transcript, notice = published_minutes(manager, case)
    assert notice.getId() == hearing.getId()
    assert api.content.get_state(notice) == "published"
    text = notice_text(notice)
    for secret in SECRETS:
        assert secret not in text, secret
    assert "王某" in text and "欧阳某" in text
    # Officials and everything that is not personal stay as they were.
    assert notice.chair == CHAIR and CHAIR in text
    assert "赵磊" in text
    for kept in ("杭信访〔2024〕15号", "12000元", "2024年5月6日", "浙江省杭州市西湖区"):
        assert kept in text, kept
    # The original stays intact and internal.
    assert PETITIONER_ADDRESS in transcript.turns[1]["text"]
    logout()
    assert api.user.has_permission("View", obj=notice)
    assert not api.user.has_permission("View", obj=transcript)
    assert not api.user.has_permission("View", obj=hearing)


def test_organizer_removes_and_adds_masks(manager, case):
    hearing = make_hearing(manager, [case])
    do(hearing, "hold")
    transcript = add_transcript(hearing)
    approve(transcript)
    review_masks(
        transcript, exclusions=["plate:浙A12345"], additions=["三楼听证室", "拆迁"]
    )
    do(transcript, "publish")
    text = notice_text(notice_of(transcript))
    assert "浙A12345" in text
    assert "拆迁" not in text
    assert PETITIONER not in text


def test_retract_withdraws_and_republishing_keeps_the_url(manager, case):
    _hearing, transcript, notice = published_minutes(manager, case)
    url = notice.absolute_url()
    do(transcript, "retract")
    assert api.content.get_state(notice) == "withdrawn"
    logout()
    assert not api.user.has_permission("View", obj=notice)
    setRoles(manager, TEST_USER_ID, ["Manager"])
    from plone.app.testing import login
    from plone.app.testing import TEST_USER_NAME

    login(manager, TEST_USER_NAME)
    review_masks(transcript)
    do(transcript, "publish")
    again = notice_of(transcript)
    assert again.absolute_url() == url
    assert api.content.get_state(again) == "published"
    assert len(manager["hearing-notices"].objectIds()) == 1


def test_hearing_and_transcript_are_versioned(manager, case, staff):
    hearing = make_hearing(manager, [case])
    transcript = add_transcript(hearing)
    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_user(username="organizer"):
        for text in ("补充记录。", "再次补充。"):
            transcript.free_text = text
            modified(transcript)
        hearing.place = "市信访局二楼"
        modified(hearing)
    # The first version is made at creation.
    assert repository.getHistoryMetadata(transcript).getLength(countPurged=False) == 3
    assert repository.retrieve(transcript, 1).object.free_text == "补充记录。"
    assert repository.getHistoryMetadata(hearing).getLength(countPurged=False) == 2


def test_minutes_save_versions_exactly_where_they_may_be_modified(portal):
    workflow = api.portal.get_tool("portal_workflow")["xf_minutes_workflow"]
    for state in workflow.states.objectValues():
        modify = set(state.getPermissionInfo("Modify portal content")["roles"])
        save = set(state.getPermissionInfo("CMFEditions: Save new version")["roles"])
        assert modify == save, state.getId()
    assert workflow.states["draft"].getPermissionInfo("Modify portal content")["roles"]


def test_transcript_needs_content():
    from xinfang_archive.content.transcript import IHearingTranscriptSchema
    from zope.interface import Invalid

    class Data:
        turns = ()
        free_text = ""

    with pytest.raises(Invalid):
        IHearingTranscriptSchema.getTaggedValue("invariants")[0](Data())


def test_filing_needs_finished_minutes_and_files_them_with_the_case(manager, make_case):
    from tests.helpers.archival import add_document
    from tests.helpers.archival import as_archivist
    from tests.helpers.archival import as_manager
    from tests.helpers.archival import close_case
    from xinfang_archive.archival.filing import FilingRefused
    from xinfang_archive.archival.filing import make_plan

    case = make_case(petitioners=[petitioner_row()])
    add_document(case)
    close_case(case)
    hearing = make_hearing(manager, [case], hearing_date=TODAY - timedelta(days=2))
    problems = " ".join(zh(p.message for p in make_plan(case).problems))
    assert hearing.hearing_number in problems and "尚未举行" in problems

    do(hearing, "hold")
    transcript = add_transcript(hearing)
    assert "尚未审定" in " ".join(zh(p.message for p in make_plan(case).problems))
    as_archivist(manager)
    with pytest.raises(FilingRefused):
        do(case, "file")
    assert api.content.get_state(case) == "closed"
    assert api.content.get_state(transcript) == "draft"

    as_manager(manager)
    approve(transcript)
    review_masks(transcript)
    do(transcript, "publish")
    as_archivist(manager)
    do(case, "file")
    assert api.content.get_state(case) == "filed"
    assert api.content.get_state(transcript) == "filed"
    # Frozen for everyone; the public notice stays public.
    as_manager(manager)
    assert not api.user.has_permission("Modify portal content", obj=transcript)
    assert api.content.get_state(notice_of(transcript)) == "published"


def test_a_cancelled_hearing_does_not_hold_up_filing(manager, make_case):
    from tests.helpers.archival import add_document
    from tests.helpers.archival import close_case
    from xinfang_archive.archival.filing import make_plan

    case = make_case()
    add_document(case)
    close_case(case)
    hearing = make_hearing(manager, [case])
    do(hearing, "cancel")
    assert make_plan(case).problems == []


def test_masks_of_published_minutes_cannot_be_changed_in_place(manager, case, request_):
    from plone.protect.authenticator import createToken
    from tests.helpers.views import render

    _hearing, transcript, _notice = published_minutes(manager, case)
    request_.method = "POST"
    request_.form.update(
        {
            "form.save": "1",
            "shown": ["name:王秀英"],
            "apply": [],
            "_authenticator": createToken(),
        }
    )
    html = render("mask-preview", transcript, request_)
    assert request_.response.getStatus() == 409
    assert transcript.mask_exclusions == []
    assert "撤回" in html


def test_a_petitioner_recorded_in_an_official_role_is_still_masked(manager, case):
    from xinfang_archive.hearings.masks import masked_texts

    hearing = make_hearing(manager, [case])
    turns = [{"speaker": PETITIONER, "role": "other", "text": f"我是{PETITIONER}。"}]
    transcript = add_transcript(hearing, turns=turns)
    masked = masked_texts(transcript)
    assert PETITIONER not in masked["turns.0.speaker"] + masked["turns.0.text"]


def test_hearings_page_and_add_form(manager, case, request_):
    from tests.helpers.views import render

    hearing = make_hearing(manager, [case])
    add_transcript(hearing)
    html = render("hearings-view", manager["hearings"], request_)
    assert hearing.hearing_number in html and "听证笔录" in html and "已安排" in html
    add_form = manager["hearings"].restrictedTraverse("++add++Hearing")
    form_html = add_form()
    for field in (
        "cases",
        "hearing_date",
        "chair",
        "panel",
        "parties",
        "public",
        "agenda",
    ):
        assert f"form.widgets.{field}" in form_html, field


def test_case_page_lists_its_hearings(manager, case, request_):
    from tests.helpers.views import render

    hearing = make_hearing(manager, [case])
    html = render("case-view", case, request_)
    assert hearing.hearing_number in html and "xf-hearings" in html
    assert "xf-query-code" in html  # the Manager may see personal data


def test_minutes_of_a_hearing_on_two_cases_are_filed_with_the_last(manager, make_case):
    from tests.helpers.archival import add_document
    from tests.helpers.archival import as_archivist
    from tests.helpers.archival import as_manager
    from tests.helpers.archival import close_case
    from xinfang_archive.archival.filing import file_cases

    first, second = make_case(), make_case()
    for each in (first, second):
        add_document(each)
        close_case(each)
    hearing = make_hearing(manager, [first, second])
    do(hearing, "hold")
    transcript = add_transcript(hearing)
    approve(transcript)
    review_masks(transcript)
    do(transcript, "publish")
    as_archivist(manager)
    assert file_cases([first]).filed
    assert api.content.get_state(transcript) == "published"
    assert "file" not in [
        t["id"]
        for t in api.portal.get_tool("portal_workflow").getTransitionsFor(transcript)
    ]
    assert file_cases([second]).filed
    assert api.content.get_state(transcript) == "filed"
    # The notice of filed minutes can still be withdrawn; the minutes stay filed.
    as_manager(manager)
    do(transcript, "withdraw")
    assert api.content.get_state(transcript) == "filed"
    assert api.content.get_state(notice_of(transcript)) == "withdrawn"


def test_a_failing_case_in_a_batch_is_rolled_back(manager, make_case, monkeypatch):
    from Products.CMFCore.WorkflowCore import WorkflowException
    from tests.helpers.archival import add_document
    from tests.helpers.archival import as_archivist
    from tests.helpers.archival import close_case
    from xinfang_archive.archival import filing

    case = make_case()
    add_document(case)
    close_case(case)

    def broken(case):
        raise WorkflowException("minutes could not be filed")

    monkeypatch.setattr(filing, "file_transcripts", broken)
    as_archivist(manager)
    result = filing.file_cases([case])
    assert not result.filed and result.refused
    assert api.content.get_state(case) == "closed"
    assert not getattr(case, "archival_code", None)
