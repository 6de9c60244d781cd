"""Records filed on their own (archival/records.py): a unit's screening
report is filed under a 档号 of its period's year and its unit's
organisation code, kept as the schedule's ``record=`` rule says, and frozen."""

from AccessControl import Unauthorized
from datetime import date
from plone import api
from plone.app.testing import login
from tests.helpers.archival import as_archivist
from tests.helpers.archival import as_manager
from tests.helpers.archival import do
from tests.helpers.records import accepted_report
from tests.helpers.screening import file_report
from xinfang_archive.archival.filing import FilingRefused
from xinfang_archive.archival.filing import make_plan
from xinfang_archive.archival.freeze import FrozenRecord
from xinfang_archive.archival.retention import known_values
from xinfang_archive.archival.retention import parse_rules
from zope.event import notify
from zope.i18n import translate
from zope.lifecycleevent import ObjectModifiedEvent

import pytest


def zh(messages):
    return [translate(message, target_language="zh_CN") for message in messages]


def test_an_accepted_report_is_filed_under_its_year_and_unit(portal, staff):
    report = accepted_report(portal)
    zero = accepted_report(portal, unit="CGZ-DC", zero=True)
    as_archivist(portal)
    do(report, "file")
    do(zero, "file")
    assert api.content.get_state(report) == "filed"
    assert report.archival_code == "X001-XF·2025-D10-JSJ-0001"
    assert zero.archival_code == "X001-XF·2025-D10-CGZ-0001"  # 东村 files under 城关镇
    assert report.retention_period == "D10" and report.retention_expires == date(
        2036, 1, 1
    )
    assert report.retention_rules == (
        "record=screening|D10|矛盾纠纷排查报告（含零报告）",
    )
    assert [entry["field"] for entry in report.archival_manifest] == ["metadata"]
    (brain,) = api.content.find(archival_code=report.archival_code)
    assert brain.getObject() == report and brain.retention_period == "D10"


def test_filed_reports_are_frozen(portal, staff):
    report = accepted_report(portal)
    as_archivist(portal)
    do(report, "file")
    as_manager(portal)
    for permission in (
        "Modify portal content",
        "Delete objects",
        "CMFEditions: Save new version",
    ):
        assert not api.user.has_permission(permission, obj=report), permission
    report.notes = "改过"
    with pytest.raises(
        (FrozenRecord, Unauthorized)
    ):  # the versioning subscriber may refuse first
        notify(ObjectModifiedEvent(report))
    with pytest.raises((FrozenRecord, Unauthorized)):
        api.content.rename(obj=report, new_id="renamed")
    with pytest.raises(FrozenRecord):
        portal["screening"]._delObject(report.getId())
    assert report.getId() in portal["screening"].objectIds()


def test_only_accepted_reports_are_filed_by_archivists(portal, staff):
    as_manager(portal)
    draft = file_report(period="2025-10")
    assert zh(p.message for p in make_plan(draft).problems) == [
        "该记录当前的状态不能归档。"
    ]
    report = accepted_report(portal)
    login(portal, "registrar")
    assert "file" not in [
        t["id"]
        for t in api.portal.get_tool("portal_workflow").getTransitionsFor(report)
    ]
    login(portal, "archivist")
    assert "file" in [
        t["id"]
        for t in api.portal.get_tool("portal_workflow").getTransitionsFor(report)
    ]
    as_archivist(portal)
    do(report, "file")
    assert zh(p.message for p in make_plan(report).problems) == [
        f"该记录已归档，档号 {report.archival_code}。"
    ]


def test_a_refused_filing_changes_nothing(portal, staff):
    report = accepted_report(portal)
    api.portal.set_registry_record("xinfang_archive.filing.fonds_code", "X-1")
    as_archivist(portal)
    with pytest.raises(FilingRefused):
        do(report, "file")
    assert api.content.get_state(report) == "accepted"
    assert not getattr(report, "archival_code", None)


def test_the_schedule_knows_the_record_types(portal):
    rules = parse_rules(
        ["record=screening|Y|排查报告永久", "*|D30|其他"], known=known_values()
    )
    assert rules[0].terms == (("record", frozenset({"screening"})),)
    from xinfang_archive.archival.retention import RuleError

    with pytest.raises(RuleError):
        parse_rules(
            ["record=minutes|Y|没有这种记录", "*|D30|其他"], known=known_values()
        )


def test_the_file_record_page_shows_the_check_and_files(portal, staff, request_):
    from tests.helpers.views import render

    report = accepted_report(portal)
    login(portal, "archivist")
    page = render("file-record", report, request_)
    assert "X001-XF·2025-D10-JSJ-0001" in page


def test_every_schedule_key_has_its_title_and_values(portal):
    """The keys' titles and known values stay apart (a key is never a value of another)."""
    from xinfang_archive.archival.retention import KEY_TITLES
    from xinfang_archive.archival.retention import KEYS
    from xinfang_archive.archival.retention import RECEPTION_FACTS
    from xinfang_archive.archival.retention import RuleError

    assert set(KEY_TITLES) == set(KEYS) == set(known_values())
    assert set(RECEPTION_FACTS) == {"received", "instructed"}
    with pytest.raises(RuleError):
        parse_rules(
            ["reception=accountability|Y|不是接待日的值", "*|D30|其他"],
            known=known_values(),
        )
