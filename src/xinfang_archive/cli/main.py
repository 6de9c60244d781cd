"""``xinfang-archive``: set-up, serving and bulk operations of the archive."""

from contextlib import contextmanager
from xinfang_archive.cli.instance import Instance

import argparse
import logging
import os
import sys
import time


# Benign set-up chatter of Plone's site creation, hidden from the console.
DEMO_LOGINS_FILE = "demo-logins.tsv"
WHILE_SERVING = " Works while the site serves (a client of its ZEO server)."
QUIET_LOGGERS = (
    "GenericSetup.componentregistry",
    "Products.MimetypesRegistry.MimeTypesRegistry",
    "ZODB.FileStorage",
)


def _common(parser):
    parser.add_argument(
        "--var",
        help="directory of the instance and its data (default: ./var, or $XINFANG_ARCHIVE_VAR)",
    )
    parser.add_argument(
        "--site-id", default="xinfang", help="id of the Plone site (default: xinfang)"
    )


def _progress(label):
    started = time.perf_counter()
    shown = [started]

    def report(done, total):
        now = time.perf_counter()
        if done == total or done % 50 == 0 or now - shown[0] >= 1:
            shown[0] = now
            rate = done / max(now - started, 1e-6)
            width = 30
            filled = int(width * done / max(total, 1))
            sys.stderr.write(
                f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:.1f}/s)"
            )
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return report


def _generate(site, count, seed, serving=False):
    """Demo staff, cases, hearings, screening reports, meetings, reception days,
    accountability records, early warnings and filings, each unit of work committed
    (and done again after a conflict with the serving site).  While the site
    serves a case is a unit of its own: a registration on the web takes the
    year's number as well, and a long unit would lose to it again and again.
    For the same reason screening reports are committed a period at a time,
    meetings and warnings one by one."""
    from xinfang_archive.demo.accountability import add_demo_accountability
    from xinfang_archive.demo.filing import file_earlier_years
    from xinfang_archive.demo.generator import case_batches
    from xinfang_archive.demo.hearings import add_demo_hearings
    from xinfang_archive.demo.meetings import meeting_units
    from xinfang_archive.demo.receptions import add_demo_receptions
    from xinfang_archive.demo.screening import screening_units
    from xinfang_archive.demo.staff import add_demo_staff
    from xinfang_archive.demo.warnings import warning_units
    from xinfang_archive.retry import commit_retrying

    staff = commit_retrying(
        lambda: add_demo_staff(site, seed=seed), "xinfang-archive: demo staff"
    )
    size = 1 if serving else 100
    for make in case_batches(
        site, count, seed=seed, progress=_progress("演示数据 demo cases"), size=size
    ):
        commit_retrying(make, "xinfang-archive: demo cases")
    commit_retrying(
        lambda: add_demo_hearings(site, seed=seed), "xinfang-archive: demo hearings"
    )
    for make in screening_units(site, seed=seed):  # a period each
        commit_retrying(make, "xinfang-archive: demo screening reports")
    for make in meeting_units(
        site, seed=seed
    ):  # a meeting each: its decisions change cases the site changes too
        commit_retrying(make, "xinfang-archive: demo meetings")
    commit_retrying(
        lambda: add_demo_receptions(site, seed=seed),
        "xinfang-archive: demo reception days",
    )
    commit_retrying(
        lambda: add_demo_accountability(site, seed=seed),
        "xinfang-archive: demo accountability",
    )
    # the rules over every case, a few hundred at a time (one by one while the site serves:
    # its registrations raise warnings in the same folder and windows)
    for make in warning_units(site, seed=seed, **({"size": 1} if serving else {})):
        commit_retrying(make, "xinfang-archive: demo warnings")
    result = commit_retrying(
        lambda: file_earlier_years(site), "xinfang-archive: demo cases filed"
    )
    if result.refused:
        print(
            f"{len(result.refused)} closed demo cases could not be filed",
            file=sys.stderr,
        )
    return staff


def _keep_demo_logins(instance, staff):
    """The demo staff's logins, readable by the instance's owner only; new
    users are added to the file, never printed on the console."""
    if not staff:
        return None
    path = instance.var / DEMO_LOGINS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        for user_id, password, role in staff:
            handle.write(f"{user_id}\t{password}\t{role}\n")
    return path


def _storage(value):
    """``--storage``: zeo, file, or a PostgreSQL address."""
    from xinfang_archive.cli.instance import is_postgresql

    if value in ("zeo", "file") or is_postgresql(value):
        return value
    raise argparse.ArgumentTypeError(
        f"{value!r}: choose zeo, file or a PostgreSQL address (postgresql://user@host:5432/database)"
    )


def cmd_init(args):
    from xinfang_archive.cli.app import fail
    from xinfang_archive.cli.app import InstanceLocked
    from xinfang_archive.cli.app import login
    from xinfang_archive.cli.app import zope_app
    from xinfang_archive.cli.site import ADMIN
    from xinfang_archive.cli.site import ensure_admin
    from xinfang_archive.cli.site import ensure_site
    from xinfang_archive.retry import commit_retrying

    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    instance = Instance(args.var)
    instance.write_config(host=args.host, port=args.port, storage=args.storage)
    password, origin = instance.admin_password()
    logins = None
    try:
        with zope_app(instance) as app:
            admin = commit_retrying(
                lambda: ensure_admin(app, password, reset=origin == "env"),
                "xinfang-archive init: admin",
            )
            login(app, ADMIN)
            site, created = commit_retrying(
                lambda: ensure_site(app, args.site_id), "xinfang-archive init: site"
            )
            if created and args.demo_cases:
                logins = _keep_demo_logins(
                    instance,
                    _generate(
                        site, args.demo_cases, args.seed, serving=instance.served()
                    ),
                )
            if not created and instance.storage == "postgresql":
                _follow_shared_log(site)
    except InstanceLocked as error:
        fail(str(error))
    print(
        f"信访档案馆 {'已创建' if created else '已就绪'}: http://{args.host}:{args.port}/{args.site_id}"
    )
    if admin == "kept" and origin == "new":
        # another host (or an earlier var/) made the admin: the password drawn
        # here is not its password, so it is neither kept nor printed
        instance.password_file.unlink()
        print(
            f"  login: {ADMIN} (管理员已存在于数据库中 the admin exists in the database: its password is "
            f"the one of the host that created it; copy that host's admin-password into {instance.var}, "
            "or set XINFANG_ADMIN_PASSWORD to reset it)"
        )
    else:
        where = {
            "env": "from $XINFANG_ADMIN_PASSWORD",
            "file": f"kept in {instance.password_file}",
            "new": f"generated now, kept in {instance.password_file} (mode 600)",
        }[origin]
        print(f"  login: {ADMIN} / {password}   (password {where})")
    if created and args.demo_cases and logins:
        print(
            f"  demo staff (registrar, handlers of each unit, unit heads…): logins in {logins} (mode 600)"
        )


def _follow_shared_log(site):
    """A host joining an archive in PostgreSQL fills its index from the log."""
    from xinfang_archive.search.following import Follower
    from xinfang_archive.search.shared_maintenance import shared_dsn
    from xinfang_archive.search.site import current_store

    Follower(shared_dsn(site), current_store(site)).catch_up(
        progress=_progress("全文索引 本机 local index")
    )


def cmd_serve(args):
    from xinfang_archive.cli.app import fail

    instance = Instance(args.var)
    if not instance.zope_ini.exists():
        fail(f"no instance in {instance.var}: run 'xinfang-archive init' first")
    if instance.storage == "file":
        if args.processes > 1:
            fail(
                "several processes need ZEO: run 'xinfang-archive init --storage zeo' first"
            )
        return _serve(args, instance)
    if instance.storage == "postgresql":
        print(
            "database: PostgreSQL (RelStorage); this host's blob cache and search index under "
            f"{instance.var}",
            flush=True,
        )
        return _serve(args, instance)
    from xinfang_archive.cli.zeo import serving
    from xinfang_archive.cli.zeo import ZeoFailed

    try:
        with serving(instance) as server:
            how = "started" if server.process is not None else "running already"
            print(
                f"ZEO server {how} on {server.socket} (Data.fs and blobs under {instance.var})",
                flush=True,
            )
            return _serve(args, instance)
    except ZeoFailed as error:
        fail(str(error))


def _serve(args, instance):
    from Zope2.Startup import serve

    if not args.no_index_check:
        _check_search_index(args, instance)
    host_port = _ini_address(instance)
    processes = args.processes
    how = f"{processes} processes" if processes > 1 else "one process"
    print(
        f"Serving the archive on http://{host_port} with {how} (Ctrl+C stops)",
        flush=True,
    )
    try:
        if processes > 1:
            from xinfang_archive.cli.workers import serve_processes

            return serve_processes(instance.zope_ini, processes)
        return serve.main(["runwsgi", str(instance.zope_ini)]) or 0
    except KeyboardInterrupt:
        return 0


def _check_search_index(args, instance):
    """Before serving: a deleted or unreadable index under var/search-index
    is rebuilt from the database (in a child process: without ZEO, the
    server must open the database itself afterwards)."""
    from xinfang_archive.search.engines import ENGINES
    from xinfang_archive.search.store import IndexStore

    import subprocess

    root = instance.var / "search-index"
    if instance.storage == "postgresql":
        return _follow_before_serving(args, instance, root)
    if not instance.data_fs.exists():
        return
    existing = [name for name in ENGINES if (root / name / "index").is_dir()]
    needs = not existing
    for name in existing:
        store = IndexStore(root, name)
        if store.broken:
            print(
                f"search index {name} was unreadable (moved to {store.broken})",
                flush=True,
            )
            needs = True
    if needs:
        print("rebuilding the search index from the database …", flush=True)
        command = [
            sys.executable,
            "-m",
            "xinfang_archive.cli.main",
            "reindex",
            "--var",
            str(instance.var),
            "--site-id",
            args.site_id,
        ]
        subprocess.run(command, check=True)


def _follow_before_serving(args, instance, root):
    """An archive in PostgreSQL: a host whose index is missing, half-filled
    or from another database fills it from the shared log before it serves;
    the serving processes follow the log from there."""
    from xinfang_archive.cluster.database import connect
    from xinfang_archive.cluster.database import ensure_schema
    from xinfang_archive.search import changelog
    from xinfang_archive.search.following import STATE

    import json
    import subprocess

    ensure_schema(instance.dsn)
    connection = connect(instance.dsn)
    try:
        with connection.cursor() as cursor:
            epoch = changelog.epoch(cursor)
    finally:
        connection.close()
    for path in root.glob(f"*/{STATE}"):
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
        if state.get("epoch") == epoch and not state.get("rebuilding"):
            return
    print(
        "filling this host's search index from the shared log before serving …",
        flush=True,
    )
    command = [
        sys.executable,
        "-m",
        "xinfang_archive.cli.main",
        "reindex",
        "--local",
        "--var",
        str(instance.var),
        "--site-id",
        args.site_id,
    ]
    subprocess.run(command, check=True)


def _ini_address(instance):
    import configparser

    parser = configparser.RawConfigParser()
    parser.read(instance.zope_ini)
    return f"{parser.get('server:main', 'host')}:{parser.get('server:main', 'port')}"


def cmd_demo(args):
    with _site(args) as site:
        instance = Instance(args.var)
        logins = _keep_demo_logins(
            instance, _generate(site, args.cases, args.seed, serving=instance.served())
        )
    print(f"{args.cases} demo cases added to {args.site_id}")
    if logins:
        print(f"demo staff logins in {logins} (mode 600)")


@contextmanager
def _site(args):
    """The site of the instance, as the admin, with the site hook set."""
    from xinfang_archive.cli.app import fail
    from xinfang_archive.cli.app import InstanceLocked
    from xinfang_archive.cli.app import login
    from xinfang_archive.cli.app import zope_app
    from xinfang_archive.cli.site import ADMIN
    from zope.component.hooks import setSite

    instance = Instance(args.var)
    if not instance.zope_conf.exists():
        fail(f"no instance in {instance.var}: run 'xinfang-archive init' first")
    try:
        with zope_app(instance) as app:
            if args.site_id not in app.objectIds():
                fail(f"no site '{args.site_id}' in {instance.data_fs}")
            login(app, ADMIN)
            site = app[args.site_id]
            setSite(site)
            yield site
    except InstanceLocked as error:
        fail(str(error))


def cmd_reindex(args):
    from xinfang_archive.search.maintenance import rebuild
    from xinfang_archive.search.site import current_segmenter
    from xinfang_archive.search.site import current_store

    instance = Instance(args.var)
    if instance.storage == "postgresql":
        return _reindex_shared(args)
    if args.local:
        from xinfang_archive.cli.app import fail

        fail(
            "--local is for an archive in PostgreSQL (this host's index, refilled from the shared log)"
        )
    # While the site serves, every document is replaced one by one (the web
    # writes to the index meanwhile, and searches go on); else it is emptied
    # and written in bulk.
    serving = instance.served()
    with _site(args) as site:
        store = current_store(site)
        started = time.perf_counter()
        count = rebuild(
            site,
            store,
            current_segmenter(),
            progress=_progress("全文索引 reindex"),
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

    with _site(args) as site:
        store = current_store(site)
        started = time.perf_counter()
        if args.local:
            count = refill(
                Follower(shared_dsn(site), store),
                progress=_progress("全文索引 本机 local index"),
            )
            what = f"refilled this host's index from the shared log: {count} documents"
        else:
            count = republish(
                site, store, current_segmenter(), progress=_progress("全文索引 reindex")
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
    with _site(args) as site:
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

    with _site(args) as site:
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


EX_TEMPFAIL = 75  # sysexits.h: try again later (a job running elsewhere)


def cmd_fixity(args):
    from xinfang_archive.archival.fixity import CHANGED
    from xinfang_archive.archival.fixity import INTACT
    from xinfang_archive.archival.fixity import MISSING
    from xinfang_archive.archival.fixity import record_run
    from xinfang_archive.archival.fixity import run_fixity
    from xinfang_archive.cli.jobs import exclusive
    from xinfang_archive.cli.jobs import JobRunning
    from xinfang_archive.retry import commit_retrying

    try:
        with exclusive(Instance(args.var), "fixity"), _site(args) as site:
            started = time.perf_counter()
            run = run_fixity(site)
            seconds = time.perf_counter() - started
            commit_retrying(lambda: record_run(site, run), "xinfang-archive fixity")
    except JobRunning as running:
        print(
            f"固定性检查正在别处运行，本次不运行 a fixity run is in progress already ({running.holder}); "
            "this one does not run",
            file=sys.stderr,
        )
        return EX_TEMPFAIL
    rate = run.files_checked / max(seconds, 1e-6)
    print(
        f"fixity: {len(run.results)} entries, {run.files_checked} files "
        f"({run.bytes_read / 1e6:.1f} MB) in {seconds:.1f} s ({rate:.0f} files/s): "
        f"{run.count(INTACT)} intact, {run.count(CHANGED)} changed, {run.count(MISSING)} missing"
    )
    for label, status in (("MISSING", MISSING), ("CHANGED", CHANGED)):
        problems = [r for r in run.results if r.status == status]
        if problems:
            print(f"{label} ({len(problems)}):")
        for r in problems:
            what = r.filename or r.field or "record"
            print(
                f"  {r.archival_code}  {r.path}  [{r.field or '-'}] {what}: {r.detail}"
            )
    return 0 if run.ok else 1


def cmd_file(args):
    """Batch filing from the command line, as a named archivist."""
    from datetime import date
    from plone import api
    from xinfang_archive.archival.checks import PROPERTY_TITLES
    from xinfang_archive.archival.filing import file_cases
    from xinfang_archive.cli.app import fail
    from xinfang_archive.i18n import record_text
    from xinfang_archive.retry import commit_retrying

    with _site(args) as site:
        user = site.acl_users.getUserById(args.archivist)
        if user is None or "Archivist" not in user.getRolesInContext(site):
            fail(f"{args.archivist!r} is not an archivist of the site")
        query = {
            "portal_type": "PetitionCase",
            "review_state": "closed",
            "sort_on": "closed_on",
            "closed_on": {
                "query": [date(args.year, 1, 1), date(args.year, 12, 31)],
                "range": "min:max",
            },
        }
        if args.unit:
            query["case_unit"] = args.unit
        if args.category:
            query["case_category"] = args.category
        found = []

        def work():
            # again after a conflict: the cases still closed now
            brains = site.portal_catalog.unrestrictedSearchResults(**query)
            found[:] = [brain._unrestrictedGetObject() for brain in brains]
            return file_cases(found)

        started = time.perf_counter()
        with api.env.adopt_user(user=user.__of__(site.acl_users)):
            result = commit_retrying(
                work,
                f"xinfang-archive file: closed cases of {args.year} by {args.archivist}",
            )
        cases = found
        seconds = time.perf_counter() - started
    print(
        f"filed {len(result.filed)} of {len(cases)} closed cases of {args.year} in {seconds:.1f} s"
    )
    for case, code in result.filed:
        print(f"  {code}  {case.registration_number}")
    for case, problems in result.refused:
        print(f"NOT FILED {case.registration_number}:")
        for problem in problems:
            where = f" [{problem.path}]" if problem.path else ""
            print(
                f"    {record_text(PROPERTY_TITLES[problem.property])}{where}: {record_text(problem.message)}"
            )
    return 1 if result.refused else 0


def cmd_pack(args):
    """Pack the FileStorage: what was destroyed or deleted leaves the disk
    (old object revisions and the blob files only they reference)."""
    from xinfang_archive.cli.app import fail
    from xinfang_archive.cli.app import InstanceLocked
    from xinfang_archive.cli.app import zope_app

    instance = Instance(args.var)
    if instance.storage == "postgresql":
        # history-free RelStorage: packing collects what no object refers to
        with zope_app(instance) as app:
            app._p_jar.db().pack(days=args.days)
        print(
            "packed the PostgreSQL database (objects and blobs nothing refers to removed); "
            "run PostgreSQL's vacuumlo and VACUUM as its documentation says"
        )
        return
    if not instance.data_fs.exists():
        fail(f"no database in {instance.var}")
    before = instance.data_fs.stat().st_size
    try:
        with zope_app(instance) as app:
            app._p_jar.db().pack(days=args.days)
    except InstanceLocked as error:
        fail(str(error))
    after = instance.data_fs.stat().st_size
    print(
        f"packed {instance.data_fs}: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB "
        f"(history older than {args.days} days removed)"
    )


def cmd_backup(args):
    from xinfang_archive.audit.recorder import AUDIT_ENV
    from xinfang_archive.cli.app import fail
    from xinfang_archive.cli.backup import backup
    from xinfang_archive.cli.backup import BackupError

    instance = Instance(args.var)
    if instance.storage == "postgresql":
        fail(
            "备份失败 backup failed: this archive lives in PostgreSQL: back it up with PostgreSQL's "
            "own tools (pg_dump, or base backups with WAL archiving) together with the audit trail"
        )
    target = args.to or instance.var / "backups"
    try:
        summary = backup(
            instance, target, full=args.full, audit_path=os.environ.get(AUDIT_ENV)
        )
    except BackupError as error:
        fail(f"备份失败 backup failed: {error}")
    kind = "完整 full" if summary["full"] else "增量 incremental"
    print(
        f"备份完成 backup done ({kind}): {target} run {summary['run']}: "
        f"{summary['blobs_copied']} blob files copied ({summary['blob_bytes_copied'] / 1e6:.1f} MB), "
        f"{summary['files']} files ({summary['bytes'] / 1e6:.1f} MB) in the manifest, "
        f"{summary['seconds']:.1f} s"
    )


def cmd_restore(args):
    from xinfang_archive.cli.app import fail
    from xinfang_archive.cli.backup import BackupError
    from xinfang_archive.cli.backup import restore
    from xinfang_archive.cli.zeo import ZeoServer

    instance = Instance(args.var)
    if ZeoServer(instance).running():
        fail(f"恢复失败 restore refused: {instance.var} is being served")
    started = time.perf_counter()
    try:
        run = restore(args.source, instance, run=args.run)
    except BackupError as error:
        fail(f"恢复失败 restore failed: {error}")
    instance.write_config(host=args.host, port=args.port, storage="zeo")
    print(
        f"恢复完成 restored run {run} of {args.source} into {instance.var} in "
        f"{time.perf_counter() - started:.1f} s; serve it with: xinfang-archive serve --var {instance.var} "
        f"(the search index is rebuilt on the first start); the admin's login is the backed-up "
        f"one, in {instance.password_file}"
    )


def cmd_migrate(args):
    from xinfang_archive.cli.app import fail
    from xinfang_archive.cli.instance import is_postgresql
    from xinfang_archive.cli.migrate import check
    from xinfang_archive.cli.migrate import convert
    from xinfang_archive.cli.migrate import copy_audit
    from xinfang_archive.cli.migrate import MigrationError
    from xinfang_archive.cli.migrate import publish_search
    from xinfang_archive.cli.migrate import switch

    import psycopg2

    instance = Instance(args.var)
    if not is_postgresql(args.to):
        fail(
            f"--to 须为 PostgreSQL 地址 must be a PostgreSQL address (postgresql://user@host:5432/database): "
            f"{args.to!r}"
        )
    started = time.perf_counter()
    size = instance.data_fs.stat().st_size if instance.data_fs.exists() else 0
    try:
        dsn = check(instance, args.to)
        print(
            f"复制数据库 copying {instance.data_fs} ({size / 1e6:.1f} MB) and its blobs into PostgreSQL …",
            flush=True,
        )
        convert(instance, dsn, out=lambda text: None)
        copied = time.perf_counter()
        entries, head = copy_audit(instance, dsn)
        print(
            f"  database copied in {copied - started:.1f} s; audit trail: {entries} entries, "
            f"head {head[0]}:{head[1]}",
            flush=True,
        )
        kept = switch(instance, args.to)
        print(
            "  the instance now opens the database in PostgreSQL; kept: "
            + ", ".join(path.name for path in kept),
            flush=True,
        )
        publish_search(instance, args.site_id)
    except MigrationError as error:
        fail(f"迁移失败 migration failed: {error}")
    except psycopg2.Error as error:
        fail(f"迁移失败 migration failed: PostgreSQL: {str(error).strip()}")
    print(
        f"迁移完成 migrated {instance.var} into PostgreSQL in {time.perf_counter() - started:.1f} s; "
        f"serve it with: xinfang-archive serve --var {instance.var}"
    )


def cmd_schedule(args):
    from pathlib import Path
    from xinfang_archive.cli.schedule import crontab
    from xinfang_archive.cli.schedule import systemd_units

    instance = Instance(args.var)
    if not args.systemd:
        print(crontab(instance, backup_to=args.backup_to), end="")
        return 0
    target = Path(args.systemd)
    target.mkdir(parents=True, exist_ok=True)
    units = systemd_units(instance, processes=args.processes, backup_to=args.backup_to)
    for name, text in units.items():
        (target / name).write_text(text, encoding="utf-8")
    timers = " ".join(name for name in units if name.endswith(".timer"))
    print(f"{len(units)} systemd units written to {target}. Install them (as root):")
    print(
        f"  cp {target}/xinfang-archive* /etc/systemd/system/ && systemctl daemon-reload"
    )
    print(f"  systemctl enable --now xinfang-archive.service {timers}")
    return 0


def _audit_store(args):
    from xinfang_archive.audit.recorder import AUDIT_ENV
    from xinfang_archive.audit.store import AuditStore
    from xinfang_archive.cli.app import fail

    import os
    import sqlite3

    instance = Instance(args.var)
    if instance.storage == "postgresql" and not os.environ.get(AUDIT_ENV):
        from xinfang_archive.audit.pgstore import PostgresAuditStore

        import psycopg2

        try:
            store = PostgresAuditStore(instance.dsn)
        except psycopg2.Error as error:
            fail(
                f"审计日志无法打开 the audit trail in PostgreSQL cannot be opened: {error}".strip()
            )
        return store, store.path
    path = os.environ.get(AUDIT_ENV) or instance.var / "audit" / "audit.sqlite"
    if not os.path.exists(path):
        fail(f"no audit trail at {path}")
    with open(path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            fail(
                f"不是审计日志（SQLite 文件）not an audit trail (no SQLite file): {path}"
            )
    try:
        return AuditStore(path), path
    except sqlite3.DatabaseError as error:
        fail(f"审计日志无法打开 the audit trail cannot be opened: {path}: {error}")


def cmd_audit_verify(args):
    from xinfang_archive.cli.app import fail

    import re
    import sqlite3

    expected = None
    if args.expected_head:
        match = re.fullmatch(
            r"(\d+):([0-9a-f]{64})", args.expected_head.strip().lower()
        )
        if match is None:
            fail(
                f"--expected-head 须为“序号:哈希”，如 1234:后接 64 位十六进制 "
                f"must be SEQ:HASH (the head printed by an earlier verify): {args.expected_head!r}"
            )
        expected = (int(match.group(1)), match.group(2))
    store, path = _audit_store(args)
    started = time.perf_counter()
    try:
        result = store.verify(expected_head=expected)
    except sqlite3.DatabaseError as error:
        fail(f"审计日志无法读取 the audit trail cannot be read: {path}: {error}")
    seconds = time.perf_counter() - started
    print(
        f"audit trail {path}: {result.count} entries verified in {seconds:.1f} s; "
        f"head {result.head_seq}:{result.head_hash}"
    )
    for problem in result.problems:
        print(f"  {problem.kind.upper():9} entry {problem.seq}: {problem.message}")
    print(
        "the chain is intact"
        if result.ok
        else f"{len(result.problems)} problem(s): the trail was tampered with"
    )
    return 0 if result.ok else 1


def cmd_audit_export(args):
    from xinfang_archive.audit.csvexport import write_csv

    store, _path = _audit_store(args)
    entries = store.iter_entries(
        actor=args.actor,
        action=args.action,
        since=args.since,
        until=args.until,
        obj=args.object,
    )
    if args.output == "-":
        count = write_csv(entries, sys.stdout.buffer)
    else:
        with open(args.output, "wb") as stream:
            count = write_csv(entries, stream)
    print(f"{count} entries exported", file=sys.stderr)


def _date(text):
    from datetime import date

    return date.fromisoformat(text)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="xinfang-archive",
        description="信访档案 (petition archive): set up, serve and operate the archive.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser(
        "init",
        help="create the instance, the admin user and the site (with demo data) when absent",
        description="Create the Zope instance under var/ (FileStorage + blobs behind a ZEO "
        "server), the admin "
        "user (password from $XINFANG_ADMIN_PASSWORD or generated) and the Plone site "
        "with this add-on and demo cases, when absent; print the URL and the login.",
    )
    _common(init)
    init.add_argument(
        "--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)"
    )
    init.add_argument(
        "--port", type=int, default=8080, help="port to serve on (default 8080)"
    )
    init.add_argument(
        "--demo-cases",
        type=int,
        default=200,
        help="demo cases for a new site (default 200, 0 for none)",
    )
    init.add_argument(
        "--seed", type=int, default=0, help="random seed of the demo data"
    )
    init.add_argument(
        "--storage",
        type=_storage,
        default=None,
        metavar="zeo|file|postgresql://…",
        help="zeo (default for a new instance): serve the database from a ZEO server, so that "
        "every command works while the site serves; file: the web server opens it alone "
        "(nothing else while it serves); postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE: "
        "RelStorage on that PostgreSQL database, which several hosts (each an instance with "
        "its own --var) serve together. Default: keep the instance's set-up",
    )
    init.set_defaults(func=cmd_init)

    serve = commands.add_parser(
        "serve",
        help="serve the archive (ZEO server and waitress)",
        description="Serve the instance: start its ZEO server unless one runs, and the web "
        "server (waitress) as its client. Ctrl+C stops both.",
    )
    _common(serve)
    serve.add_argument(
        "--no-index-check",
        action="store_true",
        help="do not check (and rebuild if lost or unreadable) the search index before serving",
    )
    serve.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="application processes serving the one address (default 1: waitress, 4 threads). "
        "One process uses one core at most; choose N = the cores the archive may use "
        "(each process needs about 500 MB of memory with its object cache). N > 1 runs "
        "gunicorn's arbiter with N workers of 4 threads, each a client of the ZEO server",
    )
    serve.set_defaults(func=cmd_serve)

    demo = commands.add_parser(
        "demo",
        help="add realistic demo cases",
        description="Add realistic demo cases generated from the corpus of petition texts "
        "(several years, every channel, category, unit, grade and state)."
        + WHILE_SERVING,
    )
    _common(demo)
    demo.add_argument("--cases", type=int, required=True, help="number of cases to add")
    demo.add_argument(
        "--seed", type=int, default=None, help="random seed (default: time-based)"
    )
    demo.set_defaults(func=cmd_demo)

    reindex = commands.add_parser(
        "reindex",
        help="rebuild the full-text index from the database",
        description="Fill the full-text search index again from every object in the database "
        "(after a change of engine or dictionary, or a lost index): emptied first when no server "
        "runs, else every document replaced one by one. On an archive in PostgreSQL the documents "
        "go into the change log every host applies; --local refills only this host's index "
        "from that log, without reading the objects." + WHILE_SERVING,
    )
    _common(reindex)
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
    _common(verify_index)
    verify_index.add_argument("--fix", action="store_true", help="repair what differs")
    verify_index.add_argument(
        "--show", type=int, default=20, help="paths listed per kind (default 20)"
    )
    verify_index.set_defaults(func=cmd_verify_index)

    fixity = commands.add_parser(
        "fixity",
        help="verify every filed file against its checksum (exit 1 on any problem)",
        description="Check every filed record: each file against its SHA-256 and each "
        "record's metadata against its digest, from the register of item numbers. "
        "Reports missing, changed and intact apart, records the run in the site "
        "(shown on the fixity page) and in the audit trail; exit 1 if anything is "
        "missing or changed." + WHILE_SERVING,
    )
    _common(fixity)
    fixity.set_defaults(func=cmd_fixity)

    filing = commands.add_parser(
        "file",
        help="file the closed cases of a year (as a named archivist)",
        description="File (归档) the closed cases of one year, optionally of one unit or "
        "category, as the archivist named with --archivist (who must hold the Archivist "
        "role). Cases that fail the four-properties check are listed with their "
        "problems and left unchanged; exit 1 if any." + WHILE_SERVING,
    )
    _common(filing)
    filing.add_argument(
        "--year", type=int, required=True, help="year the cases were closed"
    )
    filing.add_argument("--unit", help="responsible unit code")
    filing.add_argument("--category", help="category code")
    filing.add_argument(
        "--archivist", required=True, help="user id of the archivist filing"
    )
    filing.set_defaults(func=cmd_file)

    pack = commands.add_parser(
        "pack",
        help="pack the database (destroyed records leave the disk)",
        description="Pack the FileStorage: old revisions and blob files referenced only "
        "by them (e.g. of destroyed records) are removed." + WHILE_SERVING,
    )
    _common(pack)
    pack.add_argument(
        "--days", type=int, default=0, help="keep this many days of history (default 0)"
    )
    pack.set_defaults(func=cmd_pack)

    backup = commands.add_parser(
        "backup",
        help="back up the database, the blobs, the audit trail and the settings (while serving)",
        description="A consistent backup while the site serves: repozo's full or incremental "
        "backup of Data.fs, the blob files not yet copied, the audit trail (SQLite's online "
        "backup) and the configuration, with a SHA-256 manifest per run. Default target: "
        "var/backups (better: another disk, --to).",
    )
    _common(backup)
    backup.add_argument("--to", help="backup directory (default: var/backups)")
    backup.add_argument(
        "--full",
        action="store_true",
        help="a full backup of Data.fs (default: incremental)",
    )
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="rebuild an instance from a backup, in a new directory",
        description="Check a backup run against its manifest, then rebuild the instance in --var "
        "(refused when it holds a database or is being served).",
    )
    restore.add_argument(
        "--from", dest="source", required=True, help="the backup directory"
    )
    restore.add_argument(
        "--run", help="the run to restore (default: the latest; see <backup>/runs)"
    )
    restore.add_argument("--var", required=True, help="the new instance directory")
    restore.add_argument(
        "--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)"
    )
    restore.add_argument(
        "--port", type=int, default=8080, help="port to serve on (default 8080)"
    )
    restore.set_defaults(func=cmd_restore)

    migrate = commands.add_parser(
        "migrate",
        help="move a stopped archive into PostgreSQL (RelStorage)",
        description="Copy the archive's database and blobs (zodbconvert) and its audit trail into an "
        "empty PostgreSQL database, switch the instance to it (its FileStorage, blobs and audit "
        "file are kept under new names), then publish the search documents. Stop the archive first.",
    )
    _common(migrate)
    migrate.add_argument(
        "--to",
        required=True,
        help="postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (empty)",
    )
    migrate.set_defaults(func=cmd_migrate)

    schedule = commands.add_parser(
        "schedule",
        help="the scheduled work (nightly fixity and backup, weekly full backup and pack) for systemd or cron",
        description="Print a crontab of the scheduled work, or with --systemd write systemd units: the "
        "server (restarted on failure) and a service and timer per job. Every job runs while the "
        "site serves; a missed fixity run shows on the 档案管理 page.",
    )
    _common(schedule)
    schedule.add_argument(
        "--systemd", metavar="DIR", help="write systemd units into DIR instead"
    )
    schedule.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="processes of the server unit",
    )
    schedule.add_argument(
        "--backup-to", metavar="DIR", help="backup directory of the backup jobs"
    )
    schedule.set_defaults(func=cmd_schedule)

    audit = commands.add_parser(
        "audit",
        help="the audit trail: verify its hash chain, export it",
        description="The append-only, hash-chained audit trail (var/audit/audit.sqlite). "
        "Both commands read it only and may run while the archive is served.",
    )
    audit_commands = audit.add_subparsers(
        dest="audit_command", metavar="ACTION", required=True
    )
    audit_verify = audit_commands.add_parser(
        "verify",
        help="check the hash chain (exit 1 if an entry was altered, removed, reordered or inserted)",
        description="Recompute every entry's hash and its link to the entry before; report "
        "altered, removed, reordered and inserted entries; exit 1 on any. Prints the head "
        "(seq:hash), which may be kept elsewhere and passed back with --expected-head to "
        "detect a truncated tail.",
    )
    _common(audit_verify)
    audit_verify.add_argument(
        "--expected-head",
        help="SEQ:HASH of an earlier head that must still be in the chain",
    )
    audit_verify.set_defaults(func=cmd_audit_verify)
    audit_export = audit_commands.add_parser(
        "export",
        help="write entries as CSV (UTF-8 with BOM)",
        description="Write the audit entries matching the filters as CSV (UTF-8 with BOM, opens in Excel).",
    )
    _common(audit_export)
    audit_export.add_argument(
        "--output", "-o", default="-", help="file to write (default: standard output)"
    )
    audit_export.add_argument("--actor")
    audit_export.add_argument(
        "--action", help="an action, or a prefix ending in '.' (e.g. appraisal.)"
    )
    audit_export.add_argument(
        "--since", type=_date, help="first day, YYYY-MM-DD (Beijing time)"
    )
    audit_export.add_argument(
        "--until", type=_date, help="last day, YYYY-MM-DD (Beijing time)"
    )
    audit_export.add_argument("--object", help="a path (and what is below it) or a UID")
    audit_export.set_defaults(func=cmd_audit_export)

    from xinfang_archive.cli.exchange import add_commands

    add_commands(commands, _common)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if getattr(args, "seed", 0) is None:
        args.seed = int(time.time())
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
