"""Checking and rebuilding the full-text index of an archive in PostgreSQL.

Two things can differ there: the shared change log from the database
(every host would see it), and this host's index from the log.  ``verify``
reports both; ``fix`` publishes what the log lacks or holds stale (built
from the objects, in ZODB transactions, like any commit) and removes
what it holds for objects gone, then brings this host's index up to the
log, refilling it from the log (never from the objects) when they differ;
``republish`` rebuilds the whole log from the database (every host
follows); ``refill`` rebuilds only this host's index from the log.
"""

from dataclasses import dataclass
from xinfang_archive.cluster.database import connection_for
from xinfang_archive.cluster.database import dsn_of
from xinfang_archive.cluster.database import relstorage_of
from xinfang_archive.retry import commit_retrying
from xinfang_archive.search import changelog
from xinfang_archive.search.extract import document_for
from xinfang_archive.search.following import Follower
from xinfang_archive.search.maintenance import _brains
from xinfang_archive.search.maintenance import _objects
from xinfang_archive.search.maintenance import BATCH
from xinfang_archive.search.maintenance import catalog_stamps
from xinfang_archive.search.maintenance import Report
from xinfang_archive.search.publishing import join
from xinfang_archive.search.publishing import read_current

import transaction


def shared_dsn(site):
    """The address of the archive's PostgreSQL database, or None (ZEO, file)."""
    storage = relstorage_of(site._p_jar.db())
    return dsn_of(storage) if storage is not None else None


@dataclass
class SharedReport:
    log: Report  # the change log against the catalog
    host: Report  # this host's index against the log
    behind: int  # log rows this host has not applied yet

    @property
    def ok(self):
        return self.log.ok and self.host.ok


def _compare(expected, actual):
    report = Report(indexed=len(actual), in_catalog=len(expected))
    report.missing = sorted(uid for uid in expected if uid not in actual)
    report.stale = sorted(
        uid for uid, value in expected.items() if uid in actual and actual[uid] != value
    )
    report.extra = sorted(uid for uid in actual if uid not in expected)
    return report


def verify(site, store, attempts=3):
    """``SharedReport``. While other hosts commit, the log moves on between
    this host's catch-up and the comparison: a difference that the next
    catch-up removes is lag, not a fault, so it is compared again."""
    dsn = shared_dsn(site)
    follower = Follower(dsn, store)
    for _attempt in range(attempts):
        follower.catch_up()
        with connection_for(dsn).cursor() as cursor:
            logged = changelog.stamps(cursor)
            behind = changelog.last_seq(cursor) - follower.state()["seq"]
        host = _compare(logged, store.engine.stamps())
        if host.ok:
            break
    expected = catalog_stamps(site)
    log = _compare({uid: value for uid, (value, _brain) in expected.items()}, logged)
    paths = {uid: brain.getPath() for uid, (_value, brain) in expected.items()}
    log.missing = [paths[uid] for uid in log.missing]
    log.stale = [paths[uid] for uid in log.stale]
    return SharedReport(log=log, host=host, behind=max(behind, 0))


def publish_objects(
    site,
    store,
    objects,
    segmenter,
    progress=None,
    total=None,
    note="xinfang-archive reindex",
):
    """Publish the documents of ``objects`` into the log, ``BATCH`` per
    transaction (each commit reads its objects current: a batch that met
    another writer is built again)."""
    dsn = shared_dsn(site)
    connection = site._p_jar
    done = 0
    batch = []

    def flush(batch):
        def work():
            docs = {}
            for obj in batch:
                doc = document_for(obj, segmenter)
                if doc is not None:
                    docs[doc.uid] = doc
                    read_current(obj)
            join(transaction.get(), lambda: docs, connection, dsn, store)

        commit_retrying(work, note)
        connection.cacheGC()

    for obj in objects:
        batch.append(obj)
        done += 1
        if len(batch) >= BATCH:
            flush(batch)
            batch = []
        if progress:
            progress(done, total)
    if batch:
        flush(batch)
    return done


def publish_deletions(site, store, uids, note="xinfang-archive verify-index"):
    if not uids:
        return
    dsn = shared_dsn(site)
    connection = site._p_jar
    commit_retrying(
        lambda: join(
            transaction.get(), lambda: dict.fromkeys(uids), connection, dsn, store
        ),
        note,
    )


def fix(site, store, report, segmenter):
    """Repair the log, then this host's index; returns the documents published."""
    paths = report.log.missing + report.log.stale
    written = publish_objects(
        site,
        store,
        _objects(site, paths),
        segmenter,
        note="xinfang-archive verify-index",
    )
    publish_deletions(site, store, report.log.extra)
    follower = Follower(shared_dsn(site), store)
    if not report.host.ok:
        refill(follower)
    follower.catch_up()
    return written


def refill(follower, progress=None):
    """This host's index, rebuilt from the log alone."""
    follower.start_over()
    return follower.catch_up(progress=progress)


def republish(site, store, segmenter, progress=None):
    """Every catalogued object's document published again (every host
    applies them); documents of objects no longer catalogued removed."""
    brains = _brains(site)
    paths = [b.getPath() for b in brains]
    count = publish_objects(
        site,
        store,
        _objects(site, paths),
        segmenter,
        progress=progress,
        total=len(paths),
    )
    with connection_for(shared_dsn(site)).cursor() as cursor:
        logged = set(changelog.stamps(cursor))
    publish_deletions(site, store, sorted(logged - {b.UID for b in brains if b.UID}))
    return count


def republish_at_commit(site, store, segmenter):
    """``republish`` inside the current transaction (an upgrade step: its
    documents are published when the upgrade commits, or not at all)."""
    docs = {}
    for obj in _objects(site, [b.getPath() for b in _brains(site)]):
        doc = document_for(obj, segmenter)
        if doc is not None:
            docs[doc.uid] = doc
            read_current(obj)
    join(transaction.get(), lambda: docs, site._p_jar, shared_dsn(site), store)
    return len(docs)
