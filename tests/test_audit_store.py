"""The audit trail's SQLite store: hash chain, tamper detection, concurrent writers, search, CSV."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from hashlib import sha256
from tests.helpers.audit import CASE
from tests.helpers.audit import entry
from tests.helpers.audit import searchable_store
from xinfang_archive.audit.csvexport import HEADER
from xinfang_archive.audit.csvexport import write_csv
from xinfang_archive.audit.store import AuditStore
from xinfang_archive.audit.store import entry_hash
from xinfang_archive.audit.store import GENESIS
from xinfang_archive.i18n import record_text

import csv
import io
import itertools
import json
import pytest
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time


@pytest.fixture
def log(tmp_path):
    """A store of ten entries."""
    store = AuditStore(tmp_path / "audit" / "audit.sqlite")
    store.append([entry(i) for i in range(1, 11)])
    return store


def tamper(store, *statements, params=()):
    """Run SQL on the file as someone holding it would: triggers dropped first."""
    con = sqlite3.connect(store.path, isolation_level=None)
    con.execute("DROP TRIGGER IF EXISTS entries_no_update")
    con.execute("DROP TRIGGER IF EXISTS entries_no_delete")
    for statement in statements:
        con.execute(statement, params if "?" in statement else ())
    con.close()


def raw_rows(store):
    con = sqlite3.connect(store.path)
    con.row_factory = sqlite3.Row
    rows = [dict(row) for row in con.execute("SELECT * FROM entries ORDER BY seq")]
    con.close()
    return rows


def problems(result):
    return [(problem.seq, problem.kind) for problem in result.problems]


def forged(prev_hash, **fields):
    """A self-consistent entry row (with a valid hash of its own) linking to ``prev_hash``."""
    content = {
        "time": "2024-03-01T02:05:30.000000+00:00",
        "actor": "admin",
        "action": "delete",
        "object_uid": "",
        "object_path": CASE,
        "object_title": "伪造的记录",
        "details": {},
    }
    content.update(fields)
    row = dict(content, details=json.dumps(content["details"]), prev_hash=prev_hash)
    row["hash"] = entry_hash(prev_hash, content)
    return row


def insert_row(store, seq, row):
    columns = ["seq", *list(row)]
    tamper(
        store,
        f"INSERT INTO entries ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        params=[seq, *row.values()],
    )


# -- appending and reading back


def test_append_assigns_seqs_and_reads_back(tmp_path):
    store = AuditStore(tmp_path / "var" / "audit" / "audit.sqlite")
    assert store.head() == (0, GENESIS)
    assert store.append([entry(1), entry(2)]) == [1, 2]
    assert store.append([]) == []
    assert (
        store.add(actor="anonymous", action="login_failed", details={"ip": "10.0.0.7"})
        == 3
    )
    total, entries = store.search(newest_first=False)
    assert total == 3 and [e.seq for e in entries] == [1, 2, 3]
    first = entries[0]
    assert first.time == "2024-03-01T02:01:00.000000+00:00"
    assert (first.actor, first.action, first.object_uid) == (
        "archivist2",
        "edit",
        "uid1",
    )
    assert first.object_title == "第1号答复意见书" and first.details == {
        "fields": ["title"],
        "序号": 1,
    }
    assert first.prev_hash == GENESIS and entries[1].prev_hash == first.hash
    assert entries[2].object_path == "" and entries[2].time.endswith("+00:00")
    assert store.head() == (3, entries[2].hash)
    result = store.verify()
    assert result.ok and result.count == 3 and result.problems == []
    assert (result.head_seq, result.head_hash) == store.head()


def test_hashes_follow_the_documented_definition(log):
    """What an auditor re-implements from the module docstring, with json and hashlib only."""
    prev = "0" * 64
    for row in raw_rows(log):
        content = {
            name: row[name]
            for name in (
                "time",
                "actor",
                "action",
                "object_uid",
                "object_path",
                "object_title",
            )
        }
        content["details"] = json.loads(row["details"])
        canonical = json.dumps(
            content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        assert row["prev_hash"] == prev
        assert (
            row["hash"] == sha256((prev + "\n" + canonical).encode("utf-8")).hexdigest()
        )
        prev = row["hash"]
    assert "序号" in raw_rows(log)[0]["details"]  # Chinese kept as is


def test_awkward_text_verifies(tmp_path):
    store = AuditStore(tmp_path / "audit.sqlite")
    store.add(
        actor='o"brien\\',
        action="edit",
        object_title='引号"、换行\n、制表\t、\x01\x1f\x7f、\u2028、😀',
        details={"b": [1, 2.5, None, True], "a": {"嵌套": "值\n"}, "z": "\\u0041"},
    )
    store.add(actor="archivist1", action="view")
    assert store.verify().ok


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"time": datetime(2024, 3, 1)}, ValueError),  # naive
        ({"time": "2024-03-01T00:00:00+00:00"}, TypeError),
        ({"action": ""}, ValueError),
        ({"colour": "red"}, ValueError),
        ({"details": ["not", "a", "dict"]}, TypeError),
        ({"object_title": 12}, TypeError),
    ],
)
def test_invalid_entries_are_refused(tmp_path, fields, error):
    store = AuditStore(tmp_path / "audit.sqlite")
    with pytest.raises(error):
        store.append([entry(1), entry(2, **fields)])
    assert store.head() == (0, GENESIS)  # the whole batch or nothing


def test_sql_update_and_delete_are_refused(log):
    con = sqlite3.connect(log.path)
    with pytest.raises(
        sqlite3.DatabaseError, match="append-only: entries cannot be updated"
    ):
        con.execute("UPDATE entries SET actor = 'someone' WHERE seq = 3")
    with pytest.raises(
        sqlite3.DatabaseError, match="append-only: entries cannot be deleted"
    ):
        con.execute("DELETE FROM entries WHERE seq = 10")
    con.close()
    assert log.verify().ok


# -- tamper detection


def test_intact_log_is_ok(log):
    result = log.verify()
    assert (
        result.ok
        and result.count == 10
        and result.head_seq == 10
        and result.problems == []
    )


def test_an_edited_field_is_altered_once(log):
    tamper(log, "UPDATE entries SET object_title = '已篡改' WHERE seq = 4")
    result = log.verify()
    assert not result.ok and problems(result) == [(4, "altered")]
    assert result.problems[0].message.startswith(
        "entry 4 was changed after it was written"
    )


def test_an_edit_with_its_hash_recomputed_is_altered_once(log):
    rows = raw_rows(log)
    content = {
        name: rows[3][name]
        for name in ("time", "actor", "action", "object_uid", "object_path")
    }
    content.update(object_title="已篡改", details=json.loads(rows[3]["details"]))
    tamper(
        log,
        "UPDATE entries SET object_title = '已篡改', hash = ? WHERE seq = 4",
        params=[entry_hash(rows[3]["prev_hash"], content)],
    )
    assert problems(log.verify()) == [(4, "altered")]


def test_an_edited_hash_column_is_altered_once(log):
    tamper(log, "UPDATE entries SET hash = ? WHERE seq = 6", params=["f" * 64])
    assert problems(log.verify()) == [(6, "altered")]


@pytest.mark.parametrize(
    "deleted, expected",
    [
        ("seq = 5", [(5, "removed")]),
        ("seq = 1", [(1, "removed")]),
        ("seq BETWEEN 3 AND 6", [(3, "removed")]),
    ],
)
def test_a_deleted_entry_is_removed(log, deleted, expected):
    tamper(log, f"DELETE FROM entries WHERE {deleted}")
    result = log.verify()
    assert problems(result) == expected and result.count == 10 - len(
        range(
            *{"seq = 5": (5, 6), "seq = 1": (1, 2), "seq BETWEEN 3 AND 6": (3, 7)}[
                deleted
            ]
        )
    )


def swap(store, a, b):
    tamper(
        store,
        f"UPDATE entries SET seq = -1 WHERE seq = {a}",
        f"UPDATE entries SET seq = {a} WHERE seq = {b}",
        f"UPDATE entries SET seq = {b} WHERE seq = -1",
    )


def test_two_swapped_entries_are_reordered(log):
    swap(log, 3, 7)
    result = log.verify()
    assert result.problems and {p.kind for p in result.problems} == {"reordered"}
    assert {p.seq for p in result.problems} <= {3, 7} and len(result.problems) <= 2


def test_neighbours_swapped_are_one_reordering(log):
    swap(log, 4, 5)
    result = log.verify()
    assert len(result.problems) == 1 and result.problems[0].kind == "reordered"
    assert result.problems[0].seq in (4, 5) and "moved" in result.problems[0].message


def test_an_entry_moved_to_the_end_is_reordered_once(log):
    # entry 3 taken out and put last, the others renumbered to close the gap
    tamper(
        log,
        "UPDATE entries SET seq = 100 WHERE seq = 3",
        "UPDATE entries SET seq = -seq WHERE seq BETWEEN 4 AND 10",
        "UPDATE entries SET seq = -seq - 1 WHERE seq < 0",
        "UPDATE entries SET seq = 10 WHERE seq = 100",
    )
    assert problems(log.verify()) == [(10, "reordered")]


@pytest.mark.parametrize(
    "linked", [True, False], ids=["linked-to-predecessor", "random-prev-hash"]
)
def test_a_forged_entry_is_inserted(log, linked):
    prev = raw_rows(log)[4]["hash"] if linked else "ab" * 32
    # make room after entry 5, then put a self-consistent forgery there
    tamper(
        log,
        "UPDATE entries SET seq = -seq WHERE seq > 5",
        "UPDATE entries SET seq = -seq + 1 WHERE seq < 0",
    )
    insert_row(log, 6, forged(prev))
    result = log.verify()
    assert result.count == 11 and problems(result) == [(6, "inserted")]
    assert "inserted" in result.problems[0].message


def test_a_truncated_tail_needs_the_anchor(log):
    anchor = log.head()
    tamper(log, "DELETE FROM entries WHERE seq > 8")
    assert log.verify().ok  # the chain alone cannot tell
    result = log.verify(expected_head=anchor)
    assert problems(result) == [(9, "removed")]
    assert "entries 9 to 10 were removed" in result.problems[0].message


def test_an_anchor_stays_valid_as_the_log_grows(log):
    anchor = log.head()
    log.append([entry(11), entry(12)])
    assert log.verify(expected_head=anchor).ok


def test_a_rewritten_tail_is_caught_by_the_anchor(log):
    anchor = log.head()
    rows = raw_rows(log)
    tamper(log, "DELETE FROM entries WHERE seq = 10")
    insert_row(log, 10, forged(rows[8]["hash"]))  # a replacement that links correctly
    assert log.verify().ok
    assert problems(log.verify(expected_head=anchor)) == [(10, "altered")]


def test_progress_is_reported(log):
    seen = []
    log.verify(progress=seen.append)
    assert seen == [10]


# -- concurrency

WRITER = textwrap.dedent(
    """
    import sys, time
    from xinfang_archive.audit.store import AuditStore

    path, name, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
    store = AuditStore(path)
    time.sleep(max(0.0, start - time.time()))
    for i in range(200):
        store.add(actor=name, action="view", object_path=f"/Plone/cases/{name}/{i}", details={"i": i})
        time.sleep(0.002)  # a web process does some work between two commits
    """
)


def test_two_processes_appending_at_once(tmp_path):
    path = tmp_path / "audit" / "audit.sqlite"
    start = time.time() + 1.0  # both processes started and connected by then
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(start)])
        for name in ("alpha", "beta")
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    store = AuditStore(path)
    result = store.verify()
    assert result.ok and result.count == 400 and result.head_seq == 400
    entries = list(store.iter_entries())
    assert [e.seq for e in entries] == list(range(1, 401))
    for name in ("alpha", "beta"):
        assert [e.details["i"] for e in entries if e.actor == name] == list(range(200))
    switches = sum(1 for a, b in itertools.pairwise(entries) if a.actor != b.actor)
    assert switches > 1  # the writers did interleave


def test_threads_share_one_store(tmp_path):
    store = AuditStore(tmp_path / "audit.sqlite")

    def work(name):
        for i in range(50):
            store.add(actor=name, action="view", details={"i": i})
            store.search(actor=name, limit=5)

    threads = [threading.Thread(target=work, args=(f"handler{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = store.verify()
    assert result.ok and result.count == 200


# -- search


@pytest.fixture
def searchable(tmp_path):
    return searchable_store(tmp_path)


def seqs(found):
    total, entries = found
    return total, [e.seq for e in entries]


def test_search_pages_newest_first_with_totals(searchable):
    assert seqs(searchable.search(limit=3)) == (8, [8, 7, 6])
    assert seqs(searchable.search(limit=3, offset=3)) == (8, [5, 4, 3])
    assert seqs(searchable.search(limit=3, newest_first=False)) == (8, [1, 2, 3])
    assert seqs(searchable.search(offset=20)) == (8, [])


def test_search_by_actor_and_action(searchable):
    assert seqs(searchable.search(actor="archivist1")) == (2, [2, 1])
    assert seqs(searchable.search(action="edit")) == (1, [2])
    assert seqs(searchable.search(action="appraisal.")) == (
        2,
        [6, 5],
    )  # not "appraisal"
    assert seqs(searchable.search(action="appraisal")) == (1, [8])
    assert seqs(searchable.search(actor="archivist2", action="appraisal.propose")) == (
        1,
        [5],
    )
    assert seqs(searchable.search(actor="nobody")) == (0, [])


def test_search_by_date_range_in_local_days(searchable):
    # 2024-03-02 in Beijing time: 01:00 (entry 2, 17:00 UTC the day before) and 17:00 (entry 3)
    assert seqs(searchable.search(since=date(2024, 3, 2), until=date(2024, 3, 2))) == (
        2,
        [3, 2],
    )
    assert seqs(searchable.search(since=date(2024, 3, 5))) == (4, [8, 7, 6, 5])
    assert seqs(searchable.search(until=date(2024, 3, 1))) == (1, [1])
    aware = datetime(2024, 3, 5, 3, tzinfo=UTC)
    assert seqs(searchable.search(since=aware, until=aware + timedelta(hours=1))) == (
        2,
        [6, 5],
    )
    assert seqs(searchable.search(since=datetime(2024, 3, 6, 13))) == (
        2,
        [8, 7],
    )  # naive: Beijing time


def test_search_by_object_path_or_uid(searchable):
    assert seqs(searchable.search(obj=CASE)) == (3, [3, 2, 1])  # not xf-2024-0001234
    assert seqs(searchable.search(obj=CASE + "/")) == (3, [3, 2, 1])
    assert seqs(searchable.search(obj=CASE + "/reply-1")) == (1, [3])
    assert seqs(searchable.search(obj="u2")) == (1, [3])
    assert seqs(searchable.search(obj="/Plone/cases")) == (4, [4, 3, 2, 1])


def test_search_by_text(searchable):
    assert seqs(searchable.search(text="补偿")) == (2, [2, 1])
    assert seqs(searchable.search(text="保管期限")) == (1, [5])  # in the details
    assert seqs(searchable.search(text="reply-1")) == (1, [3])  # in the path
    assert seqs(searchable.search(text="100%_")) == (1, [8])
    assert seqs(searchable.search(text="%")) == (1, [8])  # a literal, not a wildcard
    assert seqs(searchable.search(text="补偿", actor="archivist1", action="edit")) == (
        1,
        [2],
    )


def test_iter_entries_streams_every_match(searchable):
    assert [e.seq for e in searchable.iter_entries(actor="archivist2")] == [5, 6]
    assert [e.seq for e in searchable.iter_entries(newest_first=True)] == list(
        range(8, 0, -1)
    )


def test_distinct_actors_and_actions(searchable):
    assert searchable.actors() == [
        "anonymous",
        "archivist1",
        "archivist2",
        "archivist3",
        "inspector1",
        "registrar1",
    ]
    assert searchable.actions() == [
        "appraisal",
        "appraisal.approve",
        "appraisal.propose",
        "create",
        "edit",
        "login_failed",
        "transition",
        "view",
    ]


# -- CSV


def test_csv_export_for_excel(searchable):
    searchable.add(
        time=datetime(2024, 3, 7, tzinfo=UTC),
        actor="archivist1",
        action="edit",
        object_title='=HYPERLINK("http://x")',
    )
    out = io.BytesIO()
    assert write_csv(searchable.iter_entries(), out) == 9
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [record_text(label) for label in HEADER] and len(rows[0]) == 8
    first = rows[1]
    assert first[:6] == [
        "1",
        "2024-03-01 10:00:00",
        "archivist1",
        "create",
        CASE,
        "征地补偿款未按时发放",
    ]
    assert json.loads(first[6]) == {} and len(first[7]) == 64
    assert rows[3][6] == '{"from":"accepted","to":"in_progress"}'
    assert rows[-1][5] == '\'=HYPERLINK("http://x")'  # never run as a formula


def test_csv_to_a_text_stream(searchable):
    out = io.StringIO(newline="")
    assert write_csv(searchable.iter_entries(action="edit"), out) == 1
    assert (
        out.getvalue().startswith("\ufeff")
        and "征地补偿款未按时发放（修改）" in out.getvalue()
    )
    assert write_csv([], io.BytesIO()) == 0


def test_times_never_go_backwards_along_the_chain(searchable):
    """An entry prepared before another writer's append (an earlier time)
    takes that append's time: seq order and time order are one."""
    late = searchable.add(
        time=datetime(2024, 2, 1, tzinfo=UTC),
        actor="archivist1",
        action="fixity",
    )
    entries = list(searchable.iter_entries())
    assert entries[-1].seq == late and entries[-1].time == entries[-2].time
    assert [e.time for e in entries] == sorted(e.time for e in entries)
    assert seqs(searchable.search(actor="archivist1")) == (3, [late, 2, 1])
    assert searchable.verify().ok
