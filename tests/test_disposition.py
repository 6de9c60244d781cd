"""Disposition: due for appraisal, four eyes, holds, destroy, extend, transfer."""

from datetime import date
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.WorkflowCore import WorkflowException
from tests.helpers.archival import add_document
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.disposition import propose
from tests.helpers.translation import zh
from tests.helpers.views import render
from xinfang_archive.archival import disposition
from xinfang_archive.archival.codes import parse
from xinfang_archive.archival.fixity import run_fixity
from xinfang_archive.archival.interfaces import ITombstone
from xinfang_archive.archival.numbering import group_state

import os
import pytest


@pytest.fixture()
def filed(make_case, portal, archivists):
    """``make(due=True)``: a filed case (as archivist), its retention run out if ``due``."""

    def make(due=True, **overrides):
        login(portal, TEST_USER_NAME)
        setRoles(portal, TEST_USER_ID, ["Manager"])
        case = make_case(**overrides)
        add_document(case)
        close_case(case)
        login(portal, "archivist")
        do(case, "file")
        if due:
            case.retention_expires = date(2020, 1, 1)
            case.reindexObject(idxs=["retention_expires"])
        return case

    return make


def test_due_list_holds_only_records_whose_retention_ran_out(filed, portal):
    due, kept = filed(), filed(due=False)
    codes = [b.archival_code for b in disposition.due_brains()]
    assert due.archival_code in codes and kept.archival_code not in codes


def test_destroying_what_is_not_due_is_refused(filed, portal):
    kept = filed(due=False)
    with pytest.raises(disposition.DispositionRefused) as refused:
        propose(portal, [kept.archival_code])
    assert "未到期" in zh(refused.value.problems)[0]
    assert not portal["archive-office"].objectIds()  # nothing was added


def test_four_eyes_then_destroy_leaves_a_tombstone_and_a_destruction_list(
    filed, portal
):
    case = filed()
    doc = next(d for d in case.objectValues() if d.portal_type == "CaseDocument")
    code, case_id, folder = case.archival_code, case.getId(), case.aq_parent
    history_id = api.portal.get_tool("portal_historyidhandler").queryUid(doc)
    appraisal = propose(portal, [code])
    assert api.content.get_state(appraisal) == "proposed"
    assert "双人审核" in zh(disposition.transition_problems(appraisal, "approve"))[0]
    with pytest.raises(WorkflowException):
        do(appraisal, "approve")  # the proposer: the guard refuses
    login(portal, "archivist2")
    do(appraisal, "approve")
    assert appraisal.approved_by == "archivist2"
    login(portal, "archivist")
    do(appraisal, "execute")
    assert api.content.get_state(appraisal) == "executed"

    tombstone = folder[case_id]
    assert ITombstone.providedBy(tombstone)
    assert tombstone.archival_code == code and tombstone.approved_by == "archivist2"
    assert tombstone.proposed_by == "archivist" and tombstone.reason.startswith(
        "保管期限已满"
    )
    assert any("sha256:" in line for line in tombstone.destroyed_files)
    assert disposition.filed_record(code) is None
    parsed = parse(code)
    assert group_state(parsed.group).items[parsed.item] == tombstone.UID()
    assert not group_state(parsed.group).gaps()
    storage = api.portal.get_tool("portal_historiesstorage")
    assert len(storage.getHistory(history_id, countPurged=False)) == 0
    assert run_fixity(portal).ok  # the register knows the number is a tombstone

    from io import BytesIO
    from pdfminer.high_level import extract_text

    text = extract_text(BytesIO(appraisal.destruction_list.data))
    assert code in text and "保管期限已满" in text


def test_tombstones_are_frozen_for_everyone(filed, portal):
    case = filed()
    appraisal = propose(portal, [case.archival_code])
    login(portal, "archivist2")
    do(appraisal, "approve")
    do(appraisal, "execute")
    tombstone = portal["cases"][case.getId()]
    for permission in ("Modify portal content", "Delete objects"):
        assert not api.user.has_permission(
            permission, obj=tombstone, username="archivist"
        )


def test_a_hold_blocks_every_step_until_released(filed, portal):
    case = filed()
    appraisal = propose(portal, [case.archival_code])
    hold = createContentInContainer(
        portal["archive-office"],
        "Hold",
        title="法院调卷",
        reason="涉诉，法院调阅",
        authority="（2024）浙0102民初123号",
        archival_codes=[case.archival_code],
    )
    assert api.content.get_state(hold) == "active"
    login(portal, "archivist2")
    problems = zh(disposition.transition_problems(appraisal, "approve"))
    assert any("冻结" in p and case.archival_code in p for p in problems)
    with pytest.raises(WorkflowException):
        do(appraisal, "approve")
    with pytest.raises(disposition.DispositionRefused):
        propose(portal, [case.archival_code], user="archivist2")
    login(portal, "archivist")
    api.content.transition(obj=hold, transition="release", comment="诉讼终结")
    login(portal, "archivist2")
    do(appraisal, "approve")
    assert api.content.get_state(appraisal) == "approved"
    # the office lists the hold with who placed and who released it, and why
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.interface import alsoProvides

    alsoProvides(portal.REQUEST, IXinfangArchiveLayer)
    html = api.content.get_view(
        "archive-office", portal["archive-office"], portal.REQUEST
    )()
    assert "法院调卷" in html and "涉诉，法院调阅" in html and "诉讼终结" in html
    assert html.count("archivist") >= 2


def test_extension_sets_a_longer_period_and_keeps_the_code(filed, portal):
    case = filed()
    code = case.archival_code
    with pytest.raises(disposition.DispositionRefused):
        propose(
            portal, [code], decision="extend", new_period="D10"
        )  # not longer than D30
    appraisal = propose(portal, [code], decision="extend", new_period="Y")
    login(portal, "archivist2")
    do(appraisal, "approve")
    do(appraisal, "execute")
    assert case.retention_period == "Y" and case.retention_expires is None
    assert case.archival_code == code
    assert (
        case.retention_history[-1]["before"] == "D30"
        and case.retention_history[-1]["after"] == "Y"
    )
    assert code not in [b.archival_code for b in disposition.due_brains()]


def test_transfer_writes_a_verified_package_and_marks_the_cases(
    filed, portal, tmp_path, monkeypatch
):
    from xinfang_archive.exchange.verify import verify_package

    monkeypatch.setenv("XINFANG_TRANSFER_DIR", str(tmp_path / "transfers"))
    case = filed(due=False)
    code = case.archival_code
    appraisal = propose(portal, [code], decision="transfer")
    login(portal, "archivist2")
    do(appraisal, "approve")
    do(appraisal, "execute")
    package = tmp_path / "transfers" / appraisal.transfer_package.rpartition("/")[2]
    assert package.is_dir() and appraisal.transfer_package == str(package)
    report = verify_package(package)
    assert report.ok, report
    assert (package.parent / (package.name + ".sha256")).read_text().split()[
        0
    ] == appraisal.transfer_sha256
    assert list(package.glob(f"data/cases/{case.getId()}/exchange.xml"))
    events = (package / "data" / "events.xml").read_text(encoding="utf-8")
    assert "transfer" in events and "filing" in events and code in events
    # the copy kept here: transferred, still frozen, no longer due nor appraisable
    assert api.content.get_state(case) == "transferred"
    assert case.transfers[-1]["package_sha256"] == appraisal.transfer_sha256
    assert case.transfers[-1]["receiver"] == "城西县档案馆"
    assert not api.user.has_permission("xinfang_archive: Amend filed record", obj=case)
    assert not api.user.has_permission("Modify portal content", obj=case)
    assert disposition.filed_record(code) is None
    history = case.workflow_history["xf_case_workflow"]
    assert (
        history[-1]["action"] == "transfer"
        and appraisal.transfer_sha256 in history[-1]["comments"]
    )
    page = render("appraisal-view", appraisal, portal.REQUEST)
    assert appraisal.transfer_sha256 in page and "移交包" in page
    # a transaction that does not commit leaves no package behind
    import transaction

    transaction.abort()
    assert (
        not package.exists()
        and not (package.parent / (package.name + ".sha256")).exists()
    )


def test_transfer_without_a_writable_destination_changes_nothing(
    filed, portal, tmp_path, monkeypatch
):
    blocked = tmp_path / "read-only"
    blocked.mkdir()
    blocked.chmod(0o500)
    monkeypatch.setenv("XINFANG_TRANSFER_DIR", str(blocked / "transfers"))
    case = filed(due=False)
    appraisal = propose(portal, [case.archival_code], decision="transfer")
    login(portal, "archivist2")
    do(appraisal, "approve")
    problems = zh(disposition.transition_problems(appraisal, "execute"))
    if (
        os.geteuid() == 0
    ):  # root writes anywhere: point at a file instead of a directory
        (tmp_path / "a-file").write_text("x")
        monkeypatch.setenv(
            "XINFANG_TRANSFER_DIR", str(tmp_path / "a-file" / "transfers")
        )
        problems = zh(disposition.transition_problems(appraisal, "execute"))
    assert problems and "移交" in problems[0]
    with pytest.raises(WorkflowException):
        do(appraisal, "execute")
    assert api.content.get_state(appraisal) == "approved"
    assert api.content.get_state(case) == "filed"
    assert not getattr(case, "transfers", None)


# --- pages -------------------------------------------------------------------


def post(request, **form):
    from plone.protect.authenticator import createToken

    request.method = "POST"
    request.form.clear()
    request.form.update({"_authenticator": createToken(), **form})
    return request


def test_office_pages_propose_approve_and_execute(filed, portal, request_):
    case = filed()
    office = portal["archive-office"]
    login(portal, "archivist")
    html = render("archive-office", office, request_)
    assert (
        "到期待鉴定" in html
        and "@@appraisal-due" in html
        and "尚未进行完整性检测" in html
    )
    html = render("appraisal-due", office, request_)
    assert case.archival_code in html and 'id="xf-propose"' in html
    post(
        request_,
        **{
            "form.submitted": "1",
            "codes": [case.archival_code],
            "decision": "destroy",
            "reason": "保管期限已满",
            "title": "2035年度销毁鉴定",
        },
    )
    render("appraisal-due", office, request_)
    (appraisal,) = office.objectValues()
    assert request_.response.getHeader("Location") == appraisal.absolute_url()

    request_.method = "GET"
    request_.form.clear()
    html = render("appraisal-view", appraisal, request_)
    assert "双人审核" in html  # the proposer sees why approving is not theirs
    login(portal, "archivist2")
    post(request_, transition="approve", comment="同意销毁")
    render("appraisal-view", appraisal, request_)
    assert api.content.get_state(appraisal) == "approved"
    post(request_, transition="execute")
    render("appraisal-view", appraisal, request_)
    assert api.content.get_state(appraisal) == "executed"
    request_.method = "GET"
    request_.form.clear()
    assert 'id="xf-destruction-list"' in render("appraisal-view", appraisal, request_)


def test_proposing_from_the_due_page_explains_refusals(filed, portal, request_):
    case = filed()
    login(portal, "archivist")
    post(
        request_,
        **{
            "form.submitted": "1",
            "codes": [case.archival_code],
            "decision": "extend",
            "reason": "",
            "new_period": "",
        },
    )
    html = render("appraisal-due", portal["archive-office"], request_)
    assert "须指定新的保管期限" in html and "鉴定须说明理由" in html
    assert not portal["archive-office"].objectIds()


def test_rest_four_eyes_and_the_audit_trail(
    functional_portal, staff_users, session_for
):
    from tests.helpers.cases import case_data
    from tests.helpers.staff import STAFF_PASSWORD
    from xinfang_archive.audit.recorder import audit_store

    import transaction

    if api.user.get(username="archivist2") is None:
        api.user.create(
            email="a2@example.org", username="archivist2", password=STAFF_PASSWORD
        )
        api.group.add_user(groupname="archivists", username="archivist2")
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = createContentInContainer(
        functional_portal["cases"], "PetitionCase", **case_data()
    )
    add_document(case)
    close_case(case)
    setRoles(functional_portal, TEST_USER_ID, ["Archivist"])
    do(case, "file")
    case.retention_expires = date(2020, 1, 1)
    case.reindexObject(idxs=["retention_expires"])
    transaction.commit()
    office = functional_portal["archive-office"].absolute_url()
    first, second = session_for("archivist"), session_for("archivist2")

    hold = first.post(
        office,
        json={
            "@type": "Hold",
            "title": "纪检调阅",
            "reason": "纪委调阅",
            "archival_codes": [case.archival_code],
        },
    )
    assert hold.status_code == 201, hold.text
    refused = first.post(
        office,
        json={
            "@type": "Appraisal",
            "title": "销毁鉴定",
            "decision": "destroy",
            "archival_codes": [case.archival_code],
            "reason": "期满",
        },
    )
    assert refused.status_code == 400 and "已冻结" in refused.json()["message"]
    assert (
        first.post(
            f"{hold.json()['@id']}/@workflow/release", json={"comment": "调阅完毕"}
        ).status_code
        == 200
    )
    created = first.post(
        office,
        json={
            "@type": "Appraisal",
            "title": "销毁鉴定",
            "decision": "destroy",
            "archival_codes": [case.archival_code],
            "reason": "期满",
        },
    )
    assert created.status_code == 201, created.text
    url = created.json()["@id"]
    own = first.post(f"{url}/@workflow/approve")
    assert own.status_code == 400 and "双人审核" in own.json()["error"]["message"]
    assert second.post(f"{url}/@workflow/approve").status_code == 200
    assert second.post(f"{url}/@workflow/execute").status_code == 200
    transaction.begin()
    actions = [
        (e.action, e.actor)
        for e in audit_store().iter_entries()
        if e.action in ("hold", "release", "destroy")
        or e.action.startswith("appraisal.")
    ]
    assert actions == [
        ("hold", "archivist"),
        ("release", "archivist"),
        ("appraisal.propose", "archivist"),
        ("appraisal.approve", "archivist2"),
        ("destroy", "archivist2"),
        ("appraisal.execute", "archivist2"),
    ]
