"""Records filed on their own (a unit's screening report) go the way of filed
cases after filing: they are amended with a reason, fall due when their
retention runs out, are destroyed (a tombstone keeps their 档号) or kept
longer by an appraisal with four eyes; transferring them on their own is
refused with the reason."""

from datetime import date
from plone import api
from plone.app.testing import login
from plone.app.testing import TEST_USER_NAME
from tests.helpers.archival import as_archivist
from tests.helpers.archival import as_manager
from tests.helpers.archival import do
from tests.helpers.disposition import propose
from tests.helpers.records import accepted_report
from tests.helpers.translation import zh
from xinfang_archive.archival import disposition
from xinfang_archive.archival.codes import parse
from xinfang_archive.archival.interfaces import ITombstone
from xinfang_archive.archival.manifest import metadata_digest
from xinfang_archive.archival.numbering import group_state

import pytest


@pytest.fixture()
def filed_report(portal, archivists):
    def make(due=True, period="2015-11"):
        login(portal, TEST_USER_NAME)
        report = accepted_report(portal, period=period)
        login(portal, "archivist")
        do(report, "file")
        if due:
            report.retention_expires = date(2020, 1, 1)
            report.reindexObject(idxs=["retention_expires"])
        return report

    return make


def test_a_filed_report_is_amended_with_its_reason_and_manifest(
    portal, staff, filed_report
):
    from xinfang_archive.archival.amend import amend

    report = filed_report(due=False)
    as_archivist(portal)
    amendment = amend(
        report, {"notes": "排查表由镇综治办补正，联系电话13812345678"}, "漏填备注"
    )
    assert report.notes == "排查表由镇综治办补正，联系电话13812345678"
    # the amendment list is read by people who may not see personal data
    assert "13812345678" not in amendment["changes"][0]["after"]
    assert amendment["changes"][0]["after"].startswith("排查表由镇综治办补正")
    assert amendment["path"] == "" and report.amendments[-1]["reason"] == "漏填备注"
    assert [
        e["sha256"] for e in report.archival_manifest if e["field"] == "metadata"
    ] == [metadata_digest(report)]
    as_manager(portal)
    history = api.portal.get_tool("portal_repository").getHistoryMetadata(report)
    last = history.retrieve(history.getLength(countPurged=False) - 1)
    assert "漏填备注" in last["metadata"]["sys_metadata"]["comment"]
    assert api.content.get_state(report) == "filed"


def test_a_due_report_is_listed_and_destroyed_with_four_eyes(
    portal, staff, filed_report
):
    due, kept = filed_report(), filed_report(due=False, period="2024-12")
    codes = [b.archival_code for b in disposition.due_brains()]
    assert due.archival_code in codes and kept.archival_code not in codes
    with pytest.raises(disposition.DispositionRefused) as refused:
        propose(portal, [kept.archival_code])
    assert "未到期" in zh(refused.value.problems)[0]

    code, report_id, title = due.archival_code, due.getId(), due.Title()
    appraisal = propose(portal, [code])
    login(portal, "archivist2")
    do(appraisal, "approve")
    do(appraisal, "execute")
    tombstone = portal["screening"][report_id]
    assert ITombstone.providedBy(tombstone)
    assert tombstone.archival_code == code and tombstone.registration_number is None
    assert tombstone.title == title and tombstone.filing_year == 2015
    assert disposition.filed_record(code) is None
    parsed = parse(code)
    assert group_state(parsed.group).items[parsed.item] == tombstone.UID()
    assert not group_state(parsed.group).gaps()
    from io import BytesIO
    from pdfminer.high_level import extract_text

    assert code in extract_text(BytesIO(appraisal.destruction_list.data))


def test_a_report_is_kept_longer_then_transferred_on_its_own(
    portal, staff, filed_report, tmp_path, monkeypatch
):
    from xinfang_archive.exchange.verify import verify_package

    report = filed_report(due=False)
    code = report.archival_code
    appraisal = propose(portal, [code], decision="extend", new_period="D30")
    login(portal, "archivist2")
    do(appraisal, "approve")
    do(appraisal, "execute")
    assert report.retention_period == "D30" and report.retention_expires == date(
        2046, 1, 1
    )
    assert (
        report.retention_history[-1]["before"] == "D10" and report.archival_code == code
    )

    monkeypatch.setenv("XINFANG_TRANSFER_DIR", str(tmp_path / "transfers"))
    appraisal = propose(portal, [code], decision="transfer")
    login(portal, "archivist2")
    do(appraisal, "approve")
    do(appraisal, "execute")
    package = tmp_path / "transfers" / appraisal.transfer_package.rpartition("/")[2]
    assert verify_package(package).ok
    assert (package / "data" / "screening" / report.getId() / "exchange.xml").exists()
    assert not (package / "data" / "cases").exists()
    events = (package / "data" / "events.xml").read_text(encoding="utf-8")
    assert code in events and "transfer" in events and "filing" in events
    assert code in (package / "bag-info.txt").read_text(encoding="utf-8")
    # the copy kept here: transferred, frozen, no longer amended nor appraised
    assert api.content.get_state(report) == "transferred"
    assert report.transfers[-1]["package_sha256"] == appraisal.transfer_sha256
    login(portal, "archivist")
    assert not api.user.has_permission(
        "xinfang_archive: Amend filed record", obj=report
    )
    assert not api.user.has_permission("Modify portal content", obj=report)
    assert api.user.has_permission("View", obj=report)
    assert disposition.filed_record(code) is None
    history = report.workflow_history["xf_screening_workflow"]
    assert (
        history[-1]["action"] == "transfer"
        and history[-1]["review_state"] == "transferred"
    )


def test_upgrade_1013_lets_filed_reports_be_amended_and_completes_the_schedule(
    portal, staff, filed_report
):
    report = filed_report(due=False)
    workflow = api.portal.get_tool("portal_workflow")["xf_screening_workflow"]
    filed = workflow.states["filed"]
    # as a site made before 1013: no amendment of a filed report, the schedule without the new keys
    filed.setPermission("CMFEditions: Save new version", 0, ())
    filed.setPermission("xinfang_archive: Amend filed record", 0, ())
    workflow.updateRoleMappingsFor(report)
    own_rules = ["grade=key|Y|重点", "meeting=leading_group|D30|本局自定", "*|D30|其他"]
    api.portal.set_registry_record("xinfang_archive.filing.retention_rules", own_rules)
    login(portal, "archivist")
    assert not api.user.has_permission(
        "xinfang_archive: Amend filed record", obj=report
    )

    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("xinfang_archive:default", "1012")
    setup.upgradeProfile("xinfang_archive:default")
    assert setup.getLastVersionForProfile("xinfang_archive:default") == ("1017",)
    assert api.user.has_permission("xinfang_archive: Amend filed record", obj=report)
    assert (
        api.portal.get_registry_record("xinfang_archive.filing.retention_rules")
        == [
            *own_rules,  # the bureau's own meeting=leading_group rule stays, the others are added
            "meeting=joint,coordination|D30|经信访联席会议或协调会研究的信访事项",
            "reception=instructed|D30|领导接待日批示的信访事项",
            "record=screening|D10|矛盾纠纷排查报告（含零报告）",
            "record=warning|D10|社会稳定预警记录",
        ]
    )


def test_a_transfer_leaves_out_a_meeting_whose_minutes_are_not_final(
    portal, staff, tmp_path
):
    """An export moves records between archives in every state; the archives
    receive only final minutes."""
    from tests.helpers.archival import add_document
    from tests.helpers.archival import close_case
    from tests.helpers.meetings import add_meeting
    from tests.helpers.meetings import decision
    from tests.helpers.meetings import new_case
    from xinfang_archive.exchange.package import build_package

    login(portal, TEST_USER_NAME)
    as_manager(portal)
    case = new_case(portal)
    add_document(case)
    close_case(case)
    as_archivist(portal)
    do(case, "file")
    as_manager(portal)
    add_meeting(
        portal, [decision(case, due_date=None, settled=True)]
    )  # a draft, after the filing
    assert build_package([case], tmp_path / "export").meetings == 1
    assert (
        build_package([case], tmp_path / "transfer", purpose="transfer").meetings == 0
    )
    assert not (tmp_path / "transfer" / "data" / "meetings").exists()
