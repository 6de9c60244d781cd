"""``reindex`` and ``verify-index``: the full-text index rebuilt from the
database, or compared with the catalog and repaired; on an archive in
PostgreSQL, through the shared change log every host applies."""

from xinfang_archive.cli.app import fail
from xinfang_archive.cli.common import instance_arguments
from xinfang_archive.cli.common import open_site
from xinfang_archive.cli.common import progress_bar
from xinfang_archive.cli.common import WHILE_SERVING
from xinfang_archive.cli.instance import Instance

import time


# Plone, the database and the archive's domain modules are imported inside
# the commands that use them: the command line starts without loading them.


def cmd_reindex(args):
    from xinfang_archive.search.maintenance import rebuild
    from xinfang_archive.search.site import current_segmenter
    from xinfang_archive.search.site import current_store

    instance = Instance(args.var)
    if instance.storage == "postgresql":
        return _reindex_shared(args)
    if args.local:
        fail(
            "--local is for an archive in PostgreSQL (this host's index, refilled from the shared log)"
        )
    # While the site serves, every document is replaced one by one (the web
    # writes to the index meanwhile, and searches go on); else it is emptied
    # and written in bulk.
    serving = instance.served()
    with open_site(args) as site:
        store = current_store(site)
        started = time.perf_counter()
        count = rebuild(
            site,
            store,
            current_segmenter(),
            progress=progress_bar("全文索引 reindex"),
            fresh=not serving,
        )
        seconds = time.perf_counter() - started
        stats = store.engine.stats()
    print(
        f"reindexed {count} objects into {stats['engine']} at {stats['path']} "
        f"in {seconds:.1f} s ({stats['size_bytes'] / 1e6:.1f} MB)"
    )


def _reindex_shared(args):
    """An archive in PostgreSQL: ``--local`` refills this host's index from
    the shared change log; otherwise every object's document is published
    into the log again, and every host applies it."""
    from xinfang_archive.search.following import Follower
    from xinfang_archive.search.shared_maintenance import refill
    from xinfang_archive.search.shared_maintenance import republish
    from xinfang_archive.search.shared_maintenance import shared_dsn
    from xinfang_archive.search.site import current_segmenter
    from xinfang_archive.search.site import current_store

    with open_site(args) as site:
        store = current_store(site)
        started = time.perf_counter()
        if args.local:
            count = refill(
                Follower(shared_dsn(site), store),
                progress=progress_bar("全文索引 本机 local index"),
            )
            what = f"refilled this host's index from the shared log: {count} documents"
        else:
            count = republish(
                site,
                store,
                current_segmenter(),
                progress=progress_bar("全文索引 reindex"),
            )
            what = f"published {count} objects into the shared log (every host applies them)"
        seconds = time.perf_counter() - started
        stats = store.engine.stats()
    print(
        f"{what}; {stats['engine']} at {stats['path']}: {stats['documents']} documents "
        f"in {seconds:.1f} s ({stats['size_bytes'] / 1e6:.1f} MB)"
    )


def _print_report(report, args, what):
    for label, items in (
        ("missing from " + what, report.missing),
        ("stale in " + what, report.stale),
        ("extra in " + what, report.extra),
    ):
        print(f"  {label}: {len(items)}")
        for item in items[: args.show]:
            print(f"    {item}")
        if len(items) > args.show:
            print(f"    … {len(items) - args.show} more")


def cmd_verify_index(args):
    from xinfang_archive.search.maintenance import fix
    from xinfang_archive.search.maintenance import verify
    from xinfang_archive.search.site import current_segmenter
    from xinfang_archive.search.site import current_store

    if Instance(args.var).storage == "postgresql":
        return _verify_shared_index(args)
    with open_site(args) as site:
        store = current_store(site)
        store.drain()
        report = verify(site, store)
        print(
            f"catalog: {report.in_catalog} objects; index ({store.engine_name}): {report.indexed} documents"
        )
        _print_report(report, args, "the index")
        if report.ok:
            print("index is up to date")
            return 0
        if not args.fix:
            return 1
        fixed = fix(site, store, report, current_segmenter())
        again = verify(site, store)
        print(
            f"fixed: {fixed} documents written, {len(report.extra)} removed; "
            f"now {'up to date' if again.ok else 'still differing'}"
        )
        return 0 if again.ok else 1


def _verify_shared_index(args):
    from xinfang_archive.search.shared_maintenance import fix
    from xinfang_archive.search.shared_maintenance import verify
    from xinfang_archive.search.site import current_segmenter
    from xinfang_archive.search.site import current_store

    with open_site(args) as site:
        store = current_store(site)
        report = verify(site, store)
        print(
            f"catalog: {report.log.in_catalog} objects; shared log: {report.log.indexed} documents; "
            f"this host's index ({store.engine_name}): {report.host.indexed} documents"
            + (f", {report.behind} log rows not yet applied" if report.behind else "")
        )
        _print_report(report.log, args, "the shared log")
        _print_report(report.host, args, "this host's index")
        if report.ok:
            print("shared log and this host's index are up to date")
            return 0
        if not args.fix:
            return 1
        fixed = fix(site, store, report, current_segmenter())
        again = verify(site, store)
        print(
            f"fixed: {fixed} documents published, {len(report.log.extra)} removed from the log"
            + (
                "; this host's index refilled from the log"
                if not report.host.ok
                else ""
            )
            + f"; now {'up to date' if again.ok else 'still differing'}"
        )
        return 0 if again.ok else 1


def add_commands(commands):
    reindex = commands.add_parser(
        "reindex",
        help="rebuild the full-text index from the database",
        description="Fill the full-text search index again from every object in the database "
        "(after a change of engine or dictionary, or a lost index): emptied first when no server "
        "runs, else every document replaced one by one. On an archive in PostgreSQL the documents "
        "go into the change log every host applies; --local refills only this host's index "
        "from that log, without reading the objects." + WHILE_SERVING,
    )
    instance_arguments(reindex)
    reindex.add_argument(
        "--local",
        action="store_true",
        help="an archive in PostgreSQL: refill only this host's index from the shared log",
    )
    reindex.set_defaults(func=cmd_reindex)

    verify_index = commands.add_parser(
        "verify-index",
        help="compare the full-text index with the catalog (and repair with --fix)",
        description="Report objects missing from, stale in, or extra in the full-text index "
        "compared with the catalog; exit 1 if any. With --fix, repair them."
        + WHILE_SERVING,
    )
    instance_arguments(verify_index)
    verify_index.add_argument("--fix", action="store_true", help="repair what differs")
    verify_index.add_argument(
        "--show", type=int, default=20, help="paths listed per kind (default 20)"
    )
    verify_index.set_defaults(func=cmd_verify_index)
