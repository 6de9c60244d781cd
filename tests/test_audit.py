"""The audit trail inside the archive: what is recorded, when, and how
inspectors read it (functional layer: entries are written at commit)."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.dexterity.utils import createContentInContainer
from tests.helpers.archival import add_document
from tests.helpers.archival import close_case
from tests.helpers.audit import actions_of
from tests.helpers.audit import entries_for
from tests.helpers.cases import case_data
from tests.helpers.staff import STAFF_PASSWORD
from xinfang_archive.audit.recorder import audit_path
from xinfang_archive.audit.recorder import audit_store

import csv
import io
import os
import sqlite3
import subprocess
import sys
import transaction


def test_content_actions_are_recorded_at_commit_only(functional_portal):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = createContentInContainer(
        functional_portal["cases"], "PetitionCase", **case_data()
    )
    assert actions_of(case) == []  # nothing before the commit
    transaction.commit()
    assert actions_of(case) == ["create"]
    case.title = "已修改的事由"
    from xinfang_archive.content.case import IPetitionCaseSchema
    from zope.event import notify
    from zope.lifecycleevent import Attributes
    from zope.lifecycleevent import ObjectModifiedEvent

    notify(ObjectModifiedEvent(case, Attributes(IPetitionCaseSchema, "title")))
    api.content.transition(obj=case, transition="accept")
    transaction.commit()
    entries = entries_for(case)
    assert [e.action for e in entries] == ["create", "edit", "transition"]
    assert entries[1].details == {"fields": ["title"]}
    assert (
        entries[2].details["transition"] == "accept"
        and entries[2].details["to_state"] == "accepted"
    )
    assert entries[2].actor == TEST_USER_ID

    case.title = "不会留下的修改"
    notify(ObjectModifiedEvent(case))
    transaction.abort()
    assert len(entries_for(case)) == 3  # an aborted transaction leaves no entry

    uid = case.UID()
    api.content.delete(obj=case)
    transaction.commit()
    assert [e.action for e in audit_store().iter_entries(obj=uid)][-1] == "delete"
    assert audit_store().verify().ok


def test_filing_amendment_and_reads_of_filed_records(
    functional_portal, staff_users, session_for
):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = createContentInContainer(
        functional_portal["cases"], "PetitionCase", **case_data()
    )
    doc = add_document(case)
    close_case(case)
    transaction.commit()
    archivist = session_for("archivist")
    assert archivist.post(f"{case.absolute_url()}/@workflow/file").status_code == 200
    transaction.begin()
    filed = [e for e in entries_for(case) if e.action == "file"]
    assert len(filed) == 1 and filed[0].actor == "archivist"
    assert (
        filed[0].details["archival_code"]
        == functional_portal["cases"][case.getId()].archival_code
    )

    inspector = session_for("inspector")
    assert inspector.get(case.absolute_url()).status_code == 200  # REST read
    assert (
        inspector.get(
            f"{doc.absolute_url()}/@@download/file", headers={"Accept": "*/*"}
        ).status_code
        == 200
    )
    transaction.begin()
    reads = [
        (e.action, e.actor)
        for e in entries_for(case)
        if e.action in ("view", "download")
    ]
    assert ("view", "inspector") in reads
    downloads = [e for e in entries_for(doc) if e.action == "download"]
    assert downloads and downloads[0].actor == "inspector"
    # an open (not filed) case is not a filed record: reading it is not logged
    other = createContentInContainer(
        functional_portal["cases"], "PetitionCase", **case_data()
    )
    transaction.commit()
    inspector.get(other.absolute_url())
    transaction.begin()
    assert actions_of(other) == ["create"]


def test_failed_logins_are_recorded_with_the_login_tried(
    functional_portal, staff_users, request_factory
):
    from xinfang_archive.audit.throttle import failed_logins

    failed_logins.reset()  # earlier tests' failures from 127.0.0.1 do not count
    start = audit_store().head()[0]  # the trail is shared by the whole run
    portal_url = functional_portal.absolute_url()
    plain = request_factory(api=False)
    plain.post(
        f"{portal_url}/login",
        data={
            "__ac_name": "archivist",
            "__ac_password": "wrong",
            "buttons.login": "Log in",
        },
    )
    request_factory(basic_auth=("inspector", "not-it")).get(f"{portal_url}/cases")
    rest = request_factory()
    rest.headers.update({"Accept": "application/json"})
    assert (
        rest.post(
            f"{portal_url}/@login", json={"login": "registrar", "password": "nope"}
        ).status_code
        == 401
    )
    # successful logins are not failures, not even when the page is refused
    request_factory(basic_auth=("inspector", STAFF_PASSWORD)).get(f"{portal_url}/cases")
    refused = request_factory(basic_auth=("inspector", STAFF_PASSWORD), api=False).get(
        f"{portal_url}/cases/@@batch-filing"
    )
    assert refused.status_code in (401, 403)
    request_factory(api=False).post(
        f"{portal_url}/login",
        data={
            "__ac_name": "archivist",
            "__ac_password": STAFF_PASSWORD,
            "buttons.login": "Log in",
        },
    )
    transaction.begin()
    failed = [e for e in entries_for(action="login_failed") if e.seq > start]
    assert [(e.details["login"], e.details["method"]) for e in failed] == [
        ("archivist", "form"),
        ("inspector", "basic"),
        ("registrar", "rest"),
    ]
    assert all(e.actor == "anonymous" and e.details["ip"] for e in failed)


def test_inspectors_search_the_trail_and_export_it(
    functional_portal, staff_users, session_for, request_factory
):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = createContentInContainer(
        functional_portal["cases"], "PetitionCase", **case_data(title="低保被取消")
    )
    transaction.commit()
    inspector = request_factory(basic_auth=("inspector", STAFF_PASSWORD), api=False)
    url = f"{functional_portal.absolute_url()}/@@audit-log"
    page = inspector.get(url, params={"action": "create", "actor": TEST_USER_ID})
    assert page.status_code == 200
    assert "低保被取消" in page.text and "新建" in page.text
    history = inspector.get(f"{case.absolute_url()}/@@audit-history")
    assert "低保被取消" in history.text
    exported = inspector.get(url, params={"action": "create", "format": "csv"})
    assert exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "序号" and any("低保被取消" in row for row in rows[1:])
    transaction.begin()
    exports = entries_for(action="export")
    assert (
        exports
        and exports[-1].actor == "inspector"
        and exports[-1].details["what"] == "audit-trail"
    )
    registrar = request_factory(basic_auth=("registrar", STAFF_PASSWORD), api=False)
    assert registrar.get(url).status_code in (401, 403)


def test_cli_verify_detects_an_altered_entry(functional_portal, tmp_path):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    createContentInContainer(functional_portal["cases"], "PetitionCase", **case_data())
    transaction.commit()
    path = audit_path()
    command = [sys.executable, "-m", "xinfang_archive.cli.main", "audit", "verify"]
    env = dict(os.environ, XINFANG_AUDIT_LOG=str(path))
    intact = subprocess.run(command, env=env, capture_output=True, text=True)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "the chain is intact" in intact.stdout

    copy = tmp_path / "tampered.sqlite"
    source = sqlite3.connect(path)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.execute("DROP TRIGGER IF EXISTS entries_no_update")
    for (name,) in target.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger'"
    ).fetchall():
        target.execute(f"DROP TRIGGER {name}")
    target.execute("UPDATE entries SET actor = 'someone-else' WHERE seq = 1")
    target.commit()
    target.close()
    tampered = subprocess.run(
        command,
        env=dict(env, XINFANG_AUDIT_LOG=str(copy)),
        capture_output=True,
        text=True,
    )
    assert tampered.returncode == 1
    assert "ALTERED" in tampered.stdout and "entry 1" in tampered.stdout


# The trail as a two-phase-commit participant: no committed action without
# its entry, no entry without its committed action.


class FailingVote:
    """A participant voting after the trail that refuses the commit (as a
    storage finding a conflict would)."""

    transaction_manager = transaction.manager

    def sortKey(self):
        return "~~after-the-trail"

    def abort(self, txn):
        pass

    tpc_begin = commit = tpc_finish = tpc_abort = abort

    def tpc_vote(self, txn):
        raise RuntimeError("refused in the vote")


def _edit(case, title):
    from zope.event import notify
    from zope.lifecycleevent import ObjectModifiedEvent

    case.title = title
    notify(ObjectModifiedEvent(case))


def _committed_case(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    case = createContentInContainer(portal["cases"], "PetitionCase", **case_data())
    transaction.commit()
    return case


def _commit_fails(match):
    import pytest

    with pytest.raises(Exception, match=match):
        transaction.commit()
    transaction.abort()


def test_entries_are_written_in_the_vote_and_dropped_when_a_later_vote_fails(
    functional_portal,
):
    case = _committed_case(functional_portal)
    before = audit_store().head()
    _edit(case, "投票失败的修改")
    transaction.get().join(FailingVote())
    _commit_fails("refused in the vote")
    assert case.title != "投票失败的修改"  # the ZODB did not commit
    assert audit_store().head() == before  # and the trail kept nothing
    _edit(case, "成功的修改")
    transaction.commit()
    assert actions_of(case)[-1] == "edit" and audit_store().verify().ok


def test_a_trail_that_cannot_be_opened_fails_the_transaction(
    functional_portal, monkeypatch
):
    from xinfang_archive.audit import recorder

    case = _committed_case(functional_portal)
    before = audit_store().head()

    def unavailable(site=None):
        raise OSError("the trail's disk is gone")

    _edit(case, "无法审计的修改")
    monkeypatch.setattr(recorder, "audit_store", unavailable)
    _commit_fails("disk is gone")
    monkeypatch.undo()
    assert case.title != "无法审计的修改"
    assert audit_store().head() == before


def test_a_trail_that_cannot_be_written_fails_the_transaction(
    functional_portal, monkeypatch
):
    from xinfang_archive.audit.store import AuditStore

    case = _committed_case(functional_portal)
    before = audit_store().head()
    original = AuditStore._insert

    def broken(self, con, contents):
        original(self, con, contents)  # written, then the disk fills up
        raise OSError("database or disk is full")

    _edit(case, "写不进审计的修改")
    monkeypatch.setattr(AuditStore, "_insert", broken)
    _commit_fails("disk is full")
    monkeypatch.undo()
    assert case.title != "写不进审计的修改"
    assert audit_store().head() == before
    _edit(case, "之后的修改")  # the trail's lock was released
    transaction.commit()
    assert actions_of(case)[-1] == "edit" and audit_store().verify().ok


def test_a_failure_after_the_point_of_no_return_is_reported(
    functional_portal, monkeypatch, caplog
):
    from xinfang_archive.audit.store import AuditStore

    case = _committed_case(functional_portal)

    def lost(self):
        self.abort_append()
        raise OSError("I/O error")

    _edit(case, "提交后审计失败")
    monkeypatch.setattr(AuditStore, "finish_append", lost)
    transaction.commit()  # the storages have committed: the transaction stands
    monkeypatch.undo()
    assert case.title == "提交后审计失败"
    assert any(
        r.levelname == "CRITICAL" and "could not be made durable" in r.getMessage()
        for r in caplog.records
    )


def test_a_rolled_back_savepoint_drops_the_entries_recorded_since(functional_portal):
    from xinfang_archive.audit.recorder import pending_entries
    from xinfang_archive.audit.recorder import record

    case = _committed_case(functional_portal)
    record("view", case)
    savepoint = transaction.savepoint()
    record("download", case)
    _edit(case, "回滚的修改")
    assert [e["action"] for e in pending_entries()] == ["view", "download", "edit"]
    savepoint.rollback()
    assert [e["action"] for e in pending_entries()] == ["view"]
    savepoint = transaction.savepoint()
    savepoint.rollback()
    record("export", case)
    transaction.commit()
    assert actions_of(case)[-2:] == ["view", "export"]


def test_a_huge_login_makes_a_small_entry(functional_portal, request_factory):
    from xinfang_archive.audit.throttle import failed_logins

    failed_logins.reset()
    start = audit_store().head()[0]
    portal_url = functional_portal.absolute_url()
    request_factory(basic_auth=("x" * 60_000, "wrong"), api=False).get(
        f"{portal_url}/cases"
    )
    transaction.begin()
    (entry,) = [e for e in entries_for(action="login_failed") if e.seq > start]
    assert len(entry.details["login"]) <= 101 and len(entry.object_title) <= 101
