"""Moving an archive from its FileStorage (ZEO or direct) into PostgreSQL.

``xinfang-archive migrate --var VAR --to postgresql://…`` with the archive
stopped:

1. the database and its blobs are copied by RelStorage's ``zodbconvert``
   (every transaction in order; the destination is history-free, its blobs
   large objects in the database) into a database that must be empty;
2. the audit trail's entries are copied as they are (sequence numbers,
   times and hashes: the same chain, the same head) into the database's
   trail, and checked;
3. only then the instance is switched: its configuration names the
   database, and ``filestorage/``, ``blobstorage/`` and ``audit/`` are
   renamed ``*.migrated-<time>`` (kept until you delete them);
4. every object's search document is published into the shared log, from
   which this host's index is refilled.

Until step 3 the archive is untouched: a failed migration leaves it as it
was (the destination database then holds a partial copy: empty it before
trying again).
"""

from pathlib import Path
from xinfang_archive.audit.pgstore import PostgresAuditStore
from xinfang_archive.audit.pgstore import TABLE
from xinfang_archive.audit.store import AuditStore
from xinfang_archive.audit.store import COLUMNS
from xinfang_archive.cli.instance import _write_private
from xinfang_archive.cli.instance import libpq_dsn
from xinfang_archive.cluster.database import connect
from xinfang_archive.cluster.database import ensure_schema

import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import time


class MigrationError(RuntimeError):
    """A migration that cannot go on; the message says why (in Chinese first)."""


CONVERT = """\
%import relstorage
<filestorage source>
  path {data_fs}
  blob-dir {blobs}
  read-only true
</filestorage>
<relstorage destination>
  keep-history false
  shared-blob-dir false
  blob-dir {blobcache}
  <postgresql>
    dsn {dsn}
  </postgresql>
</relstorage>
"""


def check(instance, address):
    """Refuse, before anything is written, what cannot be migrated."""
    from xinfang_archive.cli.zeo import ZeoServer

    if instance.storage == "postgresql":
        raise MigrationError(
            f"档案已在 PostgreSQL 中 the archive in {instance.var} is in PostgreSQL already"
        )
    if not instance.data_fs.exists():
        raise MigrationError(
            f"没有可迁移的数据库 no database to migrate: {instance.data_fs}"
        )
    if instance.storage == "zeo" and ZeoServer(instance).running():
        raise MigrationError(
            "请先停止档案服务 stop the archive first: its ZEO server runs "
            "(a migration copies a database nobody writes to)"
        )
    lock = instance.data_fs.with_suffix(".fs.lock")
    if lock.exists():
        import zc.lockfile

        try:
            zc.lockfile.LockFile(str(lock)).close()
        except zc.lockfile.LockError:
            raise MigrationError(
                f"请先停止档案服务 stop the archive first: {instance.data_fs} is open"
            ) from None
    dsn = libpq_dsn(address)
    ensure_schema(dsn)
    connection = connect(dsn)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('object_state') IS NOT NULL")
            if cursor.fetchone()[0]:
                cursor.execute("SELECT EXISTS (SELECT 1 FROM object_state)")
                if cursor.fetchone()[0]:
                    raise MigrationError(
                        "目标数据库已有数据 the destination database holds objects already: "
                        "migrate into an empty database"
                    )
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE})")
            if cursor.fetchone()[0]:
                raise MigrationError(
                    "目标数据库已有审计日志 the destination database holds an audit trail already"
                )
    finally:
        connection.close()
    return dsn


def convert(instance, dsn, out):
    """zodbconvert from the FileStorage into RelStorage; its log goes to ``out``."""
    conf = (
        instance.etc / "migrate.conf"
    )  # holds the address (a password, perhaps): owner only
    # the blobs pass through a cache of their own, dropped after: they are in the database
    blobcache = Path(tempfile.mkdtemp(prefix="migrate-blobs-", dir=instance.var))
    _write_private(
        conf,
        CONVERT.format(
            data_fs=instance.data_fs,
            blobs=instance.var / "blobstorage",
            blobcache=blobcache,
            dsn=dsn.replace("$", "$$"),
        ),
    )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "relstorage.zodbconvert", str(conf)],
            capture_output=True,
            text=True,
        )
    finally:
        conf.unlink(missing_ok=True)
        shutil.rmtree(blobcache, ignore_errors=True)
    out(result.stdout + result.stderr)
    if result.returncode:
        raise MigrationError(
            f"数据库复制失败 zodbconvert failed ({result.returncode}): "
            f"{(result.stderr or result.stdout).strip()[-2000:]}"
        )


def copy_audit(instance, dsn):
    """The SQLite trail's rows, as they are, into the database's; ``(count, head)``."""
    path = instance.var / "audit" / "audit.sqlite"
    if not path.exists():
        return 0, (0, "")
    source = AuditStore(path)
    head = source.head()
    connection = connect(dsn)
    connection.autocommit = False
    try:
        with connection.cursor() as cursor:
            rows = source._connection().execute(
                f"SELECT {', '.join(COLUMNS)} FROM entries ORDER BY seq"
            )
            count = 0
            while batch := rows.fetchmany(5000):
                cursor.executemany(
                    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})",
                    batch,
                )
                count += len(batch)
        connection.commit()
    except Exception:
        connection.rollback()
        raise
    finally:
        connection.close()
        source.close()
    copied = PostgresAuditStore(dsn).verify()
    if (
        not copied.ok
        or (copied.head_seq, copied.head_hash) != head
        or copied.count != count
    ):
        raise MigrationError(
            f"审计日志复制后校验失败 the audit trail copied does not verify as the original "
            f"(head {copied.head_seq}:{copied.head_hash}, expected {head[0]}:{head[1]})"
        )
    return count, head


def switch(instance, address):
    """The instance from now on opens the database in PostgreSQL; what it
    used before is kept under new names."""
    parser = configparser.RawConfigParser()
    parser.read(instance.zope_ini)
    host, port = parser.get("server:main", "host"), parser.getint("server:main", "port")
    stamp = time.strftime("%Y%m%d%H%M%S")
    kept = []
    for name in ("filestorage", "blobstorage", "audit"):
        path = instance.var / name
        if path.exists():
            aside = instance.var / f"{name}.migrated-{stamp}"
            os.rename(path, aside)
            kept.append(aside)
    instance.write_config(host=host, port=port, storage=address)
    return kept


def publish_search(instance, site_id):
    """Every object's search document into the shared log (``reindex``)."""
    command = [
        sys.executable,
        "-m",
        "xinfang_archive.cli.main",
        "reindex",
        "--var",
        str(instance.var),
        "--site-id",
        site_id,
    ]
    result = subprocess.run(command)
    if result.returncode:
        raise MigrationError(
            "检索索引未能建立 the search documents could not be published: "
            "run 'xinfang-archive reindex' on the migrated archive"
        )
