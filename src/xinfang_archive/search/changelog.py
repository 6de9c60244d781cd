"""The change log of the full-text index, shared by the hosts of an archive.

One table in the archive's PostgreSQL database holds, per object, the
latest search document (or a deletion) and the sequence number of the
commit that wrote it (``xinfang_search_log``).  A commit writes its rows
inside the ZODB commit (``cluster.commit``), numbered under the archive's
commit lock, so the numbers follow commit order; each host applies the
rows after the last number it applied (``following``).  The table is a
log compacted by object: a row replaced by a later commit is gone, so a
new host reads each object's latest document once, never the history.

``NOTIFY xinfang_search`` goes out with each commit (PostgreSQL delivers
it when the transaction commits) and wakes the hosts' followers.
"""

from dataclasses import asdict
from psycopg2.extras import execute_values
from xinfang_archive.search.model import IndexDocument

import json


CHANNEL = "xinfang_search"
PAGE = 2000

_UPSERT = (
    "INSERT INTO xinfang_search_log (uid, seq, stamp, doc) VALUES %s "
    "ON CONFLICT (uid) DO UPDATE SET seq = EXCLUDED.seq, stamp = EXCLUDED.stamp, doc = EXCLUDED.doc"
)


def publish(cursor, changes):
    """Write ``{uid: IndexDocument or None}`` into the log (inside a commit
    that holds the commit lock)."""
    if not changes:
        return
    rows = [
        (
            uid,
            doc.stamp if doc is not None else None,
            json.dumps(asdict(doc), ensure_ascii=False) if doc is not None else None,
        )
        for uid, doc in changes.items()
    ]
    execute_values(
        cursor,
        _UPSERT,
        rows,
        template="(%s, nextval('xinfang_search_seq'), %s, %s)",
        page_size=500,
    )
    cursor.execute(f"NOTIFY {CHANNEL}")


def epoch(cursor):
    """The log's identity: an index that followed another log starts over."""
    cursor.execute("SELECT value FROM xinfang_meta WHERE key = 'search_epoch'")
    return cursor.fetchone()[0]


def last_seq(cursor):
    cursor.execute("SELECT coalesce(max(seq), 0) FROM xinfang_search_log")
    return cursor.fetchone()[0]


def read_after(cursor, seq, limit=PAGE, deletions=True):
    """``[(seq, uid, IndexDocument or None)]`` after ``seq``, in commit order.

    ``deletions=False`` (an empty index catching up) skips the deletions,
    which have nothing to delete there.
    """
    where = "" if deletions else " AND doc IS NOT NULL"
    cursor.execute(
        f"SELECT seq, uid, doc FROM xinfang_search_log WHERE seq > %s{where} ORDER BY seq LIMIT %s",
        (seq, limit),
    )
    return [
        (row_seq, uid, IndexDocument(**json.loads(doc)) if doc is not None else None)
        for row_seq, uid, doc in cursor.fetchall()
    ]


def stamps(cursor):
    """``{uid: stamp}`` of every document the log holds (deletions left out)."""
    cursor.execute("SELECT uid, stamp FROM xinfang_search_log WHERE doc IS NOT NULL")
    return dict(cursor.fetchall())


def counts(cursor):
    cursor.execute(
        "SELECT count(*) FILTER (WHERE doc IS NOT NULL), count(*) FILTER (WHERE doc IS NULL), "
        "coalesce(max(seq), 0) FROM xinfang_search_log"
    )
    documents, deletions, seq = cursor.fetchone()
    return {"documents": documents, "deletions": deletions, "seq": seq}
