"""Append-only, tamper-evident audit trail in an SQLite file.

The trail lives outside the ZODB (e.g. ``var/audit/audit.sqlite``) so that it
survives a pack, an undo or a restored backup of the content database, and so
that an auditor can read it with nothing but SQLite and a SHA-256 tool.

Hash chain
----------
Every entry has ``seq`` (1, 2, 3 ... given by the store), the content fields
``time``, ``actor``, ``action``, ``object_uid``, ``object_path``,
``object_title``, ``details``, and ``prev_hash`` and ``hash`` (lower-case hex
SHA-256).  To check one entry::

    content = {"time": time, "actor": actor, "action": action,
               "object_uid": object_uid, "object_path": object_path,
               "object_title": object_title,
               "details": json.loads(details)}      # a dict, not the text
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    hash == sha256((prev_hash + "\\n" + canonical).encode("utf-8")).hexdigest()

``time`` is the stored string (ISO 8601, UTC, microseconds:
``2024-05-01T08:30:00.000000+00:00``).  The first entry's ``prev_hash`` is 64
zeros; every other entry's ``prev_hash`` is the ``hash`` of the entry before
it.  ``seq`` is deliberately not hashed: an entry moved to another position
still matches its own hash, so ``verify()`` reports it as *reordered* rather
than *altered*.

What the chain cannot show
--------------------------
Cutting off the newest entries leaves a shorter chain that is still valid,
and whoever rewrites the file may recompute every hash after an edit.  Keep
``head()`` somewhere else (a printed report, another system) and pass it
back as ``verify(expected_head=(seq, hash))``: a truncated tail then shows as
*removed*, a rewritten history as *altered*.  Triggers refuse ``UPDATE`` and
``DELETE`` on the entries table, but anyone holding the file can drop them;
they stop accidents, the chain exposes intent.

Verifying
---------
``verify()`` reads the entries once, in seq order (SQLite assembles the
hashed text, Python hashes it), keeping only a map hash -> seq and the few
entries that fail a check.  Each act of tampering yields one ``Problem``:

- *altered*: an entry no longer matches its hash, or its hash was recomputed
  after an edit, so that the next entry no longer links to it;
- *removed*: seq numbers are missing (or the log ends before an anchored head);
- *reordered*: intact entries that link to an entry stored elsewhere (moved);
- *inserted*: entries off the chain that leads to the newest entry.

Deleting entries and renumbering the rest looks exactly like an edit whose
hash was recomputed; it is reported as *altered*, and the message says both.

Concurrency
-----------
Each thread (and each process, after a fork) gets its own SQLite connection
from a ``threading.local``: SQLite connections must not be shared between
threads without a lock, and separate connections let the readers of a Zope
server run side by side (WAL journal).  Writers are serialised by SQLite
itself: ``append`` reads the last hash and inserts under ``BEGIN
IMMEDIATE``, which holds the database's write lock across threads and
processes; a writer waits up to 30 s for it (the busy timeout).
"""

from bisect import bisect_left
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from hashlib import sha256
from pathlib import Path
from xinfang_archive.localtime import (
    LOCAL_TIME,
)  # the bureau's calendar: dates in filters

import json
import os
import sqlite3
import threading
import time


GENESIS = "0" * 64
BUSY_TIMEOUT = 30.0  # seconds a writer waits for the write lock
CONTENT_FIELDS = (
    "time",
    "actor",
    "action",
    "object_uid",
    "object_path",
    "object_title",
    "details",
)
COLUMNS = ("seq", *CONTENT_FIELDS, "prev_hash", "hash")
KINDS = ("altered", "removed", "reordered", "inserted")

_SCHEMA = (  # noqa: RUF005
    """CREATE TABLE IF NOT EXISTS entries (
        seq INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        object_uid TEXT NOT NULL,
        object_path TEXT NOT NULL,
        object_title TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    """CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be updated'); END""",
    """CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted'); END""",
) + tuple(
    f"CREATE INDEX IF NOT EXISTS entries_{'_'.join(columns)} ON entries ({', '.join(columns)})"
    # (actor, time) and (action, time) answer a filter with or without a date range, and
    # their entries come in time order (ties: seq, the rowid at the end of every index)
    for columns in (
        ("actor", "time"),
        ("action", "time"),
        ("time",),
        ("object_uid",),
        ("object_path",),
    )
)
_ORDER = {True: " ORDER BY time DESC, seq DESC", False: " ORDER BY time, seq"}
_INSERT = f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM entries"
# The hashed text prev_hash + "\n" + canonical_json(content), assembled by SQLite: its
# json_quote escapes strings as Python's json does and ``details`` is stored canonical.
# Should a row still come out different, verify() recomputes it in Python.
_MESSAGE = " || ".join(
    ["prev_hash", "char(10)", "'{'"]
    + [
        f"'{',' if i else ''}\"{name}\":' || "
        + (name if name == "details" else f"json_quote({name})")
        for i, name in enumerate(sorted(CONTENT_FIELDS))
    ]
    + ["'}'"]
)
_SCAN = (
    f"SELECT seq, CAST({_MESSAGE} AS BLOB), prev_hash, hash FROM entries ORDER BY seq"
)


def canonical_json(value):
    """The one JSON text of ``value`` that the hash chain is defined on."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash, content):
    """The hash of an entry: ``content`` maps CONTENT_FIELDS, with ``details`` a dict."""
    return sha256(
        (prev_hash + "\n" + canonical_json(content)).encode("utf-8")
    ).hexdigest()


def format_time(moment):
    """An aware datetime as the stored UTC string (sortable, fixed width)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    time: str
    actor: str
    action: str
    object_uid: str
    object_path: str
    object_title: str
    details: dict
    prev_hash: str
    hash: str

    @classmethod
    def from_row(cls, row):
        values = list(row)
        try:
            values[7] = json.loads(values[7])
        except ValueError:  # tampered with; verify() reports it, readers still see it
            values[7] = {"unparsable": values[7]}
        return cls(*values)


@dataclass(frozen=True)
class Problem:
    seq: int  # the (first) entry concerned
    kind: str  # one of KINDS
    message: str  # an English sentence for operators


@dataclass
class VerifyResult:
    ok: bool
    count: int
    head_seq: int
    head_hash: str
    problems: list = field(default_factory=list)


def _prepare(entry):
    """One entry to append (a mapping) as its hashed content: CONTENT_FIELDS, checked and completed."""
    unknown = entry.keys() - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown audit fields: {', '.join(sorted(unknown))}")
    content = {name: entry.get(name) or "" for name in CONTENT_FIELDS}
    moment = entry.get("time") or datetime.now(UTC)
    if not isinstance(moment, datetime):
        raise TypeError("an audit entry's time must be a datetime")
    content["time"] = format_time(moment)
    content["details"] = entry.get("details") or {}
    if not isinstance(content["details"], dict):
        raise TypeError("an audit entry's details must be a dict")
    for name in CONTENT_FIELDS[1:-1]:
        if not isinstance(content[name], str):
            raise TypeError(f"the audit field {name} must be a string")
    if not content["actor"] or not content["action"]:
        raise ValueError("an audit entry needs an actor and an action")
    return content


@contextmanager
def _transaction(con):
    """A write transaction: it takes the database's write lock at once (waiting up to BUSY_TIMEOUT)."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


class AuditStore:
    """The audit trail in the SQLite file ``path`` (created with its folders)."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        con = self._connection()
        for _attempt in range(50):  # two processes creating the file at once
            try:
                con.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError:
                time.sleep(0.1)
        with _transaction(con):
            for statement in _SCHEMA:
                con.execute(statement)

    def _connection(self):
        """This thread's connection (a new one after a fork)."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            # timeout= is SQLite's busy timeout; autocommit: transactions are explicit
            local.con = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT, isolation_level=None
            )
            local.pid = os.getpid()
        return local.con

    def close(self):
        """Close the calling thread's connection (the next call opens a new one)."""
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.pid = None

    # -- writing

    def append(self, entries):
        """Append a batch of entries (mappings of CONTENT_FIELDS) atomically; their new seqs.

        ``time`` is an aware datetime (default: now), ``actor`` and ``action``
        are required, the other strings default to "", ``details`` to {}.
        """
        contents = [_prepare(entry) for entry in entries]
        if not contents:
            return []
        con = self._connection()
        with _transaction(con):
            rows = self._insert(con, contents)
        return [row[0] for row in rows]

    def _insert(self, con, contents):
        # read inside the write lock: no other writer can move the head
        seq, prev, last_time = self._last(con)
        rows = []
        for content in contents:
            # Times never go backwards along the chain: an entry prepared
            # before a concurrent writer's append takes that append's time.
            last_time = content["time"] = max(content["time"], last_time)
            seq += 1
            digest = entry_hash(prev, content)
            stored = [content[name] for name in CONTENT_FIELDS[:-1]] + [
                canonical_json(content["details"])
            ]
            rows.append((seq, *stored, prev, digest))
            prev = digest
        con.executemany(_INSERT, rows)
        return rows

    # -- writing in two phases (the recorder's transaction participant)

    def prepare_append(self, entries, jar=None):
        """First phase of an append that follows another commit: the entries
        are written under the write lock but not committed (the lock is held
        until ``finish_append`` or ``abort_append``).  Fails, and leaves
        nothing, when they cannot be written."""
        contents = [_prepare(entry) for entry in entries]
        con = self._connection()
        con.execute("BEGIN IMMEDIATE")
        try:
            rows = self._insert(con, contents)
        except BaseException:
            self.abort_append()
            raise
        return [row[0] for row in rows]

    def finish_append(self):
        """Second phase: the prepared entries become durable."""
        self._connection().execute("COMMIT")

    def abort_append(self):
        """The prepared entries (if any) are dropped and the lock released."""
        con = self._connection()
        if con.in_transaction:
            con.execute("ROLLBACK")

    @staticmethod
    def _last(con):
        row = con.execute(
            "SELECT seq, hash, time FROM entries ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return tuple(row) if row else (0, GENESIS, "")

    def add(self, **fields):
        """Append one entry given as keyword arguments; its seq."""
        return self.append([fields])[0]

    # -- reading

    def head(self):
        """``(seq, hash)`` of the newest entry, ``(0, GENESIS)`` when empty: an external anchor."""
        row = (
            self._connection()
            .execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1")
            .fetchone()
        )
        return tuple(row) if row else (0, GENESIS)

    def search(
        self,
        actor=None,
        action=None,
        since=None,
        until=None,
        obj=None,
        text=None,
        limit=50,
        offset=0,
        newest_first=True,
    ):
        """``(total, entries)``: one page of the entries matching every given filter.

        Entries are ordered by time (then seq): the time the caller gave, which
        for entries written as things happen is also the order of seq.

        ``action`` is a code, or a prefix ending in "." (``appraisal.``);
        ``since`` and ``until`` are datetimes (naive ones in China Standard
        Time) or dates (``until`` then includes the whole day); ``obj`` is an
        object UID or a path, matching the object and everything below it;
        ``text`` is a substring of the title, the path or the details
        (unindexed: a scan, narrowed by the other filters).
        """
        where, params = _filters(actor, action, since, until, obj, text)
        con = self._connection()
        total = con.execute(f"SELECT count(*) FROM entries{where}", params).fetchone()[
            0
        ]
        order = _ORDER[newest_first]
        # Page through the seqs first: sorting them is cheap where the index order does not fit.
        page = f"SELECT seq FROM entries{where}{order} LIMIT ? OFFSET ?"
        rows = con.execute(
            f"{_SELECT} WHERE seq IN ({page}){order}", [*params, limit, offset]
        )
        return total, [AuditEntry.from_row(row) for row in rows]

    def iter_entries(
        self,
        actor=None,
        action=None,
        since=None,
        until=None,
        obj=None,
        text=None,
        newest_first=False,
    ):
        """Every entry matching the filters of ``search``, streamed (oldest first by default)."""
        where, params = _filters(actor, action, since, until, obj, text)
        for row in self._connection().execute(
            f"{_SELECT}{where}{_ORDER[newest_first]}", params
        ):
            yield AuditEntry.from_row(row)

    def actors(self):
        return self._distinct("actor")

    def actions(self):
        return self._distinct("action")

    def _distinct(self, column):
        # A skip scan over the column's index: one lookup per distinct value.
        rows = self._connection().execute(
            f"WITH RECURSIVE v(x) AS (SELECT min({column}) FROM entries UNION ALL"
            f" SELECT (SELECT min({column}) FROM entries WHERE {column} > x) FROM v WHERE x IS NOT NULL)"
            " SELECT x FROM v WHERE x IS NOT NULL"
        )
        return [row[0] for row in rows]

    # -- verifying

    def verify(self, progress=None, expected_head=None):
        """Check the whole chain in one pass; a ``VerifyResult``.

        ``progress(done)`` is called every 100,000 entries; ``expected_head``
        is an earlier ``head()`` kept elsewhere.
        """
        con = self._connection()
        scan = _Scan(con)
        for rows in self._scan_rows(con):
            scan.feed(rows)
            if progress is not None:
                progress(scan.count)
        problems = _Analysis(scan).problems()
        if expected_head is not None:
            problems += _anchor_problems(scan, *expected_head, problems)
        problems.sort(key=lambda problem: (problem.seq, KINDS.index(problem.kind)))
        return VerifyResult(
            not problems, scan.count, scan.last_seq, scan.last_hash, problems
        )

    def _scan_rows(self, con):
        """The entries in seq order, in chunks of ``(seq, hashed text, prev_hash, hash)``."""
        cursor = con.execute(_SCAN)
        while rows := cursor.fetchmany(_Scan.CHUNK):
            yield rows


def _filters(actor, action, since, until, obj, text):
    """SQL ``WHERE`` clause and its parameters for the search filters."""
    clauses, params = [], []
    if actor:
        clauses.append("actor = ?")
        params.append(actor)
    if action and action.endswith("."):
        clauses.append("action >= ? AND action < ?")  # "/" sorts right after "."
        params += [action, action[:-1] + "/"]
    elif action:
        clauses.append("action = ?")
        params.append(action)
    if since is not None:
        clauses.append("time >= ?")
        params.append(_time_bound(since))
    if until is not None and not isinstance(until, datetime):
        clauses.append("time < ?")
        params.append(_time_bound(until + timedelta(days=1)))
    elif until is not None:
        clauses.append("time <= ?")
        params.append(_time_bound(until))
    if obj:
        path = obj.rstrip("/")
        clauses.append(
            "(object_uid = ? OR object_path = ? OR (object_path >= ? AND object_path < ?))"
        )
        params += [obj, path, path + "/", path + "0"]  # "0" sorts right after "/"
    if text:
        pattern = (
            "%"
            + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        clauses.append(
            "(object_title LIKE ? ESCAPE '\\' OR object_path LIKE ? ESCAPE '\\' OR details LIKE ? ESCAPE '\\')"
        )
        params += [pattern] * 3
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _time_bound(value):
    """A date (its local midnight) or datetime (naive: local) as a stored time string."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TIME)
    return format_time(value)


class _Scan:
    """One streaming pass: hashes every entry, keeps a hash -> seq map and the few irregular entries."""

    CHUNK = 100_000

    def __init__(self, con):
        self.con = con
        self.count = self.first_seq = 0
        self.last_seq, self.last_hash, self.last_computed = 0, GENESIS, GENESIS
        self.seq_of = {
            GENESIS: 0
        }  # stored hash (and recomputed hash of altered entries) -> seq
        self.breaks = []  # (seq, prev_hash, seq stored before it): not linked to the entry before, or a gap
        self.altered = []  # seqs whose stored hash does not match their content

    def feed(self, rows):
        if not self.count:
            self.first_seq = rows[0][0]
        seq_of = self.seq_of
        last_seq, last_hash, last_computed = (
            self.last_seq,
            self.last_hash,
            self.last_computed,
        )
        for seq, message, prev, stored in rows:
            computed = sha256(message).hexdigest()
            seq_of[stored] = seq
            if computed != stored or prev != last_hash or seq != last_seq + 1:
                computed = self._irregular(
                    seq, prev, stored, computed, last_seq, last_hash, last_computed
                )
            last_seq, last_hash, last_computed = seq, stored, computed
        self.count += len(rows)
        self.last_seq, self.last_hash, self.last_computed = (
            last_seq,
            last_hash,
            last_computed,
        )

    def _irregular(
        self, seq, prev, stored, computed, last_seq, last_hash, last_computed
    ):
        """Record an entry that fails a check; its recomputed hash."""
        if computed != stored:
            computed = self._reference_hash(seq, prev) or computed
        if computed != stored:
            self.altered.append(seq)
            self.seq_of.setdefault(
                computed, seq
            )  # a successor may still link to the original hash
        # last_computed: the entry before had only its hash column edited; already reported as altered
        if prev not in (last_hash, last_computed) or seq != last_seq + 1:
            self.breaks.append((seq, prev, last_seq))
        return computed

    def _reference_hash(self, seq, prev):
        """The entry's hash computed in Python by the definition (None: its fields are not even valid)."""
        row = self.con.execute(f"{_SELECT} WHERE seq = ?", (seq,)).fetchone()
        try:
            content = dict(
                zip(CONTENT_FIELDS, row[1:8], strict=False), details=json.loads(row[7])
            )
            return entry_hash(prev, content)
        except (TypeError, ValueError):
            return None


class _Piece:
    """A run of consecutive entries in which each links to the one stored before it."""

    def __init__(self, start, end, target, before):
        self.start, self.end = start, end
        self.target = target  # seq of the entry the first one links to; 0: the chain start; None: unknown
        self.before = before  # seq of the entry stored right before it (0: none)
        self.parent = None  # the piece the first entry follows in the chain (None: the chain start)
        self.depth = None  # entries from the chain start to this piece's end

    @property
    def length(self):
        return self.end - self.start + 1


class _Analysis:
    """Turns the irregular entries of a scan into one problem per act of tampering.

    The entries are cut into pieces that link up internally; following the
    links from the newest entry back gives the longest chain, the genuine
    history.  Pieces off that chain were *inserted*; pieces on it that are
    stored out of chain order (outside the heaviest in-order subsequence)
    were *reordered*; a gap in seq means *removed*; a link to a hash that is
    nowhere in the log means the entry before was *altered* and rehashed
    (or entries were removed and the rest renumbered).
    """

    def __init__(self, scan):
        self.scan = scan
        self.pieces = self._cut(scan) if scan.count else []
        self.altered = set(scan.altered)
        self.found = {}

    def _cut(self, scan):
        breaks = scan.breaks
        if not breaks or breaks[0][0] != scan.first_seq:
            breaks = [(scan.first_seq, GENESIS, 0), *breaks]
        ends = [before for _seq, _prev, before in breaks[1:]] + [scan.last_seq]
        targets = [scan.seq_of.get(prev) for _seq, prev, _before in breaks]
        # A link into the middle of a run (a fork) ends a piece there too.
        cuts = sorted(set(ends) | {target for target in targets if target})
        pieces = []
        for (start, _prev, before), end, target in zip(
            breaks, ends, targets, strict=False
        ):
            for cut in cuts[bisect_left(cuts, start) : bisect_right(cuts, end)]:
                pieces.append(_Piece(start, cut, target, before))
                start, target, before = cut + 1, cut, cut
        return pieces

    def problems(self):
        if not self.pieces:
            return []
        by_end = {piece.end: piece for piece in self.pieces}
        for piece in self.pieces:
            anchor = piece.before if piece.target is None else piece.target
            piece.parent = by_end.get(anchor)
        _set_depths(self.pieces)
        tip = max(self.pieces, key=lambda piece: (piece.depth, piece.end))
        chain = []
        while tip is not None:
            chain.append(tip)
            tip = tip.parent
        chain.reverse()
        on_chain = set(map(id, chain))
        self._report_altered(on_chain)
        for piece in self.pieces:
            if id(piece) not in on_chain:
                self._report(piece.start, "inserted", _inserted_message(piece))
        in_place = set(map(id, _heaviest_in_order(chain)))
        for piece in chain:
            if id(piece) not in in_place:
                self._report(piece.start, "reordered", _reordered_message(piece))
            self._report_link(piece)
        return list(self.found.values())

    def _report(self, seq, kind, message):
        self.found.setdefault((seq, kind), Problem(seq, kind, message))

    def _report_altered(self, on_chain):
        starts = [piece.start for piece in self.pieces]
        for seq in self.scan.altered:
            if id(self.pieces[bisect_right(starts, seq) - 1]) in on_chain:
                message = f"entry {seq} was changed after it was written (it no longer matches its hash)"
                self._report(seq, "altered", message)

    def _report_link(self, piece):
        if piece.start > piece.before + 1:
            first, last = piece.before + 1, piece.start - 1
            self._report(
                first,
                "removed",
                f"{_entries(first, last)} {_verb(first, last, 'is', 'are')} missing",
            )
        elif piece.target is None and not {piece.before, piece.start} & self.altered:
            if piece.before:
                self._report(
                    piece.before,
                    "altered",
                    (
                        f"entry {piece.start} does not link to entry {piece.before}: entry {piece.before} was changed "
                        "and its hash recomputed, or entries after it were removed and the rest renumbered"
                    ),
                )
            else:
                self._report(
                    piece.start,
                    "altered",
                    (
                        f"entry {piece.start} does not start the chain: it was changed and its hash recomputed, "
                        "or the entries before it were removed and the rest renumbered"
                    ),
                )


def _set_depths(pieces):
    """Each piece's depth along its parents; a loop of links (only possible with altered entries) is cut."""
    for piece in pieces:
        path, node = [], piece
        while node is not None and node.depth is None:
            node.depth = -1  # on the current path
            path.append(node)
            node = node.parent
        if node is not None and node.depth == -1:
            path[-1].parent = node = None
        depth = node.depth if node is not None else 0
        for node in reversed(path):
            depth += node.length
            node.depth = depth


def _heaviest_in_order(chain):
    """The pieces of ``chain`` (chain order) that are also in stored order, as many entries as possible.

    A heaviest increasing subsequence by stored position, with a Fenwick tree of prefix maxima.
    """
    rank = {
        start: i + 1 for i, start in enumerate(sorted(piece.start for piece in chain))
    }
    tree = [(0, -1)] * (len(chain) + 1)
    best, back = [], []
    for i, piece in enumerate(chain):
        r, prior = rank[piece.start] - 1, (0, -1)
        while r > 0:
            prior = max(prior, tree[r])
            r -= r & -r
        best.append(prior[0] + piece.length)
        back.append(prior[1])
        r = rank[piece.start]
        while r < len(tree):
            tree[r] = max(tree[r], (best[i], i))
            r += r & -r
    i, kept = max(range(len(chain)), key=best.__getitem__), []
    while i >= 0:
        kept.append(chain[i])
        i = back[i]
    return kept


def _anchor_problems(scan, seq, digest, found):
    """Problems that only the external anchor ``(seq, digest)`` reveals."""
    at = scan.seq_of.get(digest)
    if at is None and scan.last_seq < seq:
        first = scan.last_seq + 1
        return [
            Problem(
                first,
                "removed",
                (
                    f"the log ends at entry {scan.last_seq} but the anchor says it reached entry {seq}: "
                    f"{_entries(first, seq)} {_verb(first, seq, 'was', 'were')} removed"
                ),
            )
        ]
    if found or at == seq:
        return []
    if at is None:
        return [
            Problem(
                seq,
                "altered",
                (
                    f"entry {seq} no longer has the anchored hash: the log was rewritten from there on or before"
                ),
            )
        ]
    kind = "removed" if at < seq else "inserted"
    return [
        Problem(
            min(at, seq),
            kind,
            (
                f"the anchored entry {seq} is now numbered {at}: entries before it were {kind} and the rest renumbered"
            ),
        )
    ]


def _entries(first, last):
    return f"entry {first}" if first == last else f"entries {first} to {last}"


def _verb(first, last, one, many):
    return one if first == last else many


def _inserted_message(piece):
    return (
        f"{_entries(piece.start, piece.end)} {_verb(piece.start, piece.end, 'was', 'were')} inserted: "
        "not part of the hash chain that leads to the newest entry"
    )


def _reordered_message(piece):
    where = (
        f"right after entry {piece.parent.end}"
        if piece.parent
        else "at the start of the log"
    )
    return (
        f"{_entries(piece.start, piece.end)} {_verb(piece.start, piece.end, 'was', 'were')} moved: "
        f"by the hash chain {_verb(piece.start, piece.end, 'it belongs', 'they belong')} {where}"
    )
