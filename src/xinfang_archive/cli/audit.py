"""``audit verify`` and ``audit export``: the audit trail's hash chain
checked, its entries written as CSV.  Both read the trail only."""

from datetime import date
from xinfang_archive.cli.app import fail
from xinfang_archive.cli.common import instance_arguments
from xinfang_archive.cli.instance import Instance

import os
import re
import sqlite3
import sys
import time


# Plone, the database and the archive's domain modules are imported inside
# the commands that use them: the command line starts without loading them.


def _audit_store(args):
    from xinfang_archive.audit.recorder import AUDIT_ENV
    from xinfang_archive.audit.store import AuditStore

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
    return date.fromisoformat(text)


def add_commands(commands):
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
    instance_arguments(audit_verify)
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
    instance_arguments(audit_export)
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
