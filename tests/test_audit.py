"""The audit trail inside the archive: what is recorded, when, and how
inspectors read it (functional layer: entries are written at commit)."""
from archival_support import add_document
from archival_support import close_case
from conftest import case_data
from conftest import STAFF_PASSWORD
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.dexterity.utils import createContentInContainer
from xinfang_archive.audit.recorder import audit_path
from xinfang_archive.audit.recorder import audit_store

import csv
import io
import os
import sqlite3
import subprocess
import sys
import transaction


def entries_for(obj=None, **filters):
    if obj is not None:
        filters["obj"] = obj.UID()
    return list(audit_store().iter_entries(**filters))


def actions_of(obj):
    return [e.action for e in entries_for(obj)]


def test_content_actions_are_recorded_at_commit_only(functional_portal):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = createContentInContainer(functional_portal["cases"], "PetitionCase", **case_data())
    assert actions_of(case) == []  # nothing before the commit
    transaction.commit()
    assert actions_of(case) == ["create"]
    case.title = "已修改的事由"
    from zope.event import notify
    from zope.lifecycleevent import Attributes
    from zope.lifecycleevent import ObjectModifiedEvent
    from xinfang_archive.content.case import IPetitionCaseSchema

    notify(ObjectModifiedEvent(case, Attributes(IPetitionCaseSchema, "title")))
    api.content.transition(obj=case, transition="accept")
    transaction.commit()
    entries = entries_for(case)
    assert [e.action for e in entries] == ["create", "edit", "transition"]
    assert entries[1].details == {"fields": ["title"]}
    assert entries[2].details["transition"] == "accept" and entries[2].details["to_state"] == "accepted"
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


def test_filing_amendment_and_reads_of_filed_records(functional_portal, staff_users, session_for):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = createContentInContainer(functional_portal["cases"], "PetitionCase", **case_data())
    doc = add_document(case)
    close_case(case)
    transaction.commit()
    archivist = session_for("archivist")
    assert archivist.post(f"{case.absolute_url()}/@workflow/file").status_code == 200
    transaction.begin()
    filed = [e for e in entries_for(case) if e.action == "file"]
    assert len(filed) == 1 and filed[0].actor == "archivist"
    assert filed[0].details["archival_code"] == functional_portal["cases"][case.getId()].archival_code

    inspector = session_for("inspector")
    assert inspector.get(case.absolute_url()).status_code == 200  # REST read
    assert inspector.get(f"{doc.absolute_url()}/@@download/file",
                         headers={"Accept": "*/*"}).status_code == 200
    transaction.begin()
    reads = [(e.action, e.actor) for e in entries_for(case) if e.action in ("view", "download")]
    assert ("view", "inspector") in reads
    downloads = [e for e in entries_for(doc) if e.action == "download"]
    assert downloads and downloads[0].actor == "inspector"
    # an open (not filed) case is not a filed record: reading it is not logged
    other = createContentInContainer(functional_portal["cases"], "PetitionCase", **case_data())
    transaction.commit()
    inspector.get(other.absolute_url())
    transaction.begin()
    assert actions_of(other) == ["create"]


def test_failed_logins_are_recorded_with_the_login_tried(functional_portal, staff_users, request_factory):
    start = audit_store().head()[0]  # the trail is shared by the whole run
    portal_url = functional_portal.absolute_url()
    plain = request_factory(api=False)
    plain.post(f"{portal_url}/login", data={
        "__ac_name": "archivist", "__ac_password": "wrong", "buttons.login": "Log in"})
    request_factory(basic_auth=("inspector", "not-it")).get(f"{portal_url}/cases")
    rest = request_factory()
    rest.headers.update({"Accept": "application/json"})
    assert rest.post(f"{portal_url}/@login", json={"login": "registrar", "password": "nope"}).status_code == 401
    # successful logins are not failures, not even when the page is refused
    request_factory(basic_auth=("inspector", STAFF_PASSWORD)).get(f"{portal_url}/cases")
    refused = request_factory(basic_auth=("inspector", STAFF_PASSWORD), api=False).get(
        f"{portal_url}/cases/@@batch-filing")
    assert refused.status_code in (401, 403)
    request_factory(api=False).post(f"{portal_url}/login", data={
        "__ac_name": "archivist", "__ac_password": STAFF_PASSWORD, "buttons.login": "Log in"})
    transaction.begin()
    failed = [e for e in entries_for(action="login_failed") if e.seq > start]
    assert [(e.details["login"], e.details["method"]) for e in failed] == [
        ("archivist", "form"), ("inspector", "basic"), ("registrar", "rest")]
    assert all(e.actor == "anonymous" and e.details["ip"] for e in failed)


def test_inspectors_search_the_trail_and_export_it(functional_portal, staff_users, session_for, request_factory):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = createContentInContainer(functional_portal["cases"], "PetitionCase", **case_data(title="低保被取消"))
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
    assert exports and exports[-1].actor == "inspector" and exports[-1].details["what"] == "audit-trail"
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
    for (name,) in target.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        target.execute(f"DROP TRIGGER {name}")
    target.execute("UPDATE entries SET actor = 'someone-else' WHERE seq = 1")
    target.commit()
    target.close()
    tampered = subprocess.run(command, env=dict(env, XINFANG_AUDIT_LOG=str(copy)), capture_output=True, text=True)
    assert tampered.returncode == 1
    assert "ALTERED" in tampered.stdout and "entry 1" in tampered.stdout
