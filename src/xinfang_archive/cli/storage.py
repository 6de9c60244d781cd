"""``pack``, ``backup``, ``restore`` and ``migrate``: the database and its
blobs packed, backed up, restored, or moved into PostgreSQL."""

from xinfang_archive.cli import backup as backups
from xinfang_archive.cli.app import fail
from xinfang_archive.cli.app import InstanceLocked
from xinfang_archive.cli.app import zope_app
from xinfang_archive.cli.common import instance_arguments
from xinfang_archive.cli.common import WHILE_SERVING
from xinfang_archive.cli.instance import Instance
from xinfang_archive.cli.instance import is_postgresql
from xinfang_archive.cli.zeo import ZeoServer

import os
import time


# Plone, the database and the archive's domain modules are imported inside
# the commands that use them: the command line starts without loading them.


def cmd_pack(args):
    """Pack the FileStorage: what was destroyed or deleted leaves the disk
    (old object revisions and the blob files only they reference)."""
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

    instance = Instance(args.var)
    if instance.storage == "postgresql":
        fail(
            "备份失败 backup failed: this archive lives in PostgreSQL: back it up with PostgreSQL's "
            "own tools (pg_dump, or base backups with WAL archiving) together with the audit trail"
        )
    target = args.to or instance.var / "backups"
    try:
        summary = backups.backup(
            instance, target, full=args.full, audit_path=os.environ.get(AUDIT_ENV)
        )
    except backups.BackupError as error:
        fail(f"备份失败 backup failed: {error}")
    kind = "完整 full" if summary["full"] else "增量 incremental"
    print(
        f"备份完成 backup done ({kind}): {target} run {summary['run']}: "
        f"{summary['blobs_copied']} blob files copied ({summary['blob_bytes_copied'] / 1e6:.1f} MB), "
        f"{summary['files']} files ({summary['bytes'] / 1e6:.1f} MB) in the manifest, "
        f"{summary['seconds']:.1f} s"
    )


def cmd_restore(args):
    instance = Instance(args.var)
    if ZeoServer(instance).running():
        fail(f"恢复失败 restore refused: {instance.var} is being served")
    started = time.perf_counter()
    try:
        run = backups.restore(args.source, instance, run=args.run)
    except backups.BackupError as error:
        fail(f"恢复失败 restore failed: {error}")
    instance.write_config(host=args.host, port=args.port, storage="zeo")
    print(
        f"恢复完成 restored run {run} of {args.source} into {instance.var} in "
        f"{time.perf_counter() - started:.1f} s; serve it with: xinfang-archive serve --var {instance.var} "
        f"(the search index is rebuilt on the first start); the admin's login is the backed-up "
        f"one, in {instance.password_file}"
    )


def cmd_migrate(args):
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


def add_commands(commands):
    pack = commands.add_parser(
        "pack",
        help="pack the database (destroyed records leave the disk)",
        description="Pack the FileStorage: old revisions and blob files referenced only "
        "by them (e.g. of destroyed records) are removed." + WHILE_SERVING,
    )
    instance_arguments(pack)
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
    instance_arguments(backup)
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
    instance_arguments(migrate)
    migrate.add_argument(
        "--to",
        required=True,
        help="postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (empty)",
    )
    migrate.set_defaults(func=cmd_migrate)
