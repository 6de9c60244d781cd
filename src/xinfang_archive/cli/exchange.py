"""``import``, ``export`` and ``verify-package``: the exchange commands."""

from pathlib import Path
from xinfang_archive.cli.app import fail
from xinfang_archive.cli.common import instance_arguments
from xinfang_archive.cli.common import open_site
from xinfang_archive.cli.common import progress_bar
from xinfang_archive.cli.common import WHILE_SERVING
from xinfang_archive.cli.import_options import importer_for
from xinfang_archive.cli.import_workers import run_parallel
from xinfang_archive.cli.import_workers import run_worker
from xinfang_archive.cli.instance import Instance

import argparse
import csv
import logging
import sys
import time


# bagit logs each problem in English; the commands report them in Chinese.
logging.getLogger("bagit").setLevel(logging.ERROR)
# Plone, the database and the archive's domain modules are imported inside
# the commands that use them: the command line starts without loading them.


def cmd_import(args):
    sources = [Path(s) for s in args.sources]
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        print(f"导入失败：找不到 {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.commit_every is None:
        args.commit_every = 10 if args.workers > 1 or args.worker_plan else 50
    if args.worker_plan:
        return run_worker(args, sources)
    failed_workers = []
    if args.workers > 1 and not args.dry_run:
        if not _may_run_workers(args):
            return 2
        report, failed_workers = run_parallel(args, sources)
    else:
        if args.workers > 1:
            print("试运行 dry run 只用一个进程 (--workers ignored)", file=sys.stderr)
        with open_site(args) as site:
            report = importer_for(
                site, args, dry_run=args.dry_run, progress=progress_bar("导入 import")
            ).run(sources)
    _print_summary(report, args)
    _print_problems(report, args, failed_workers)
    return 0 if report.ok and not failed_workers else 1


def _may_run_workers(args):
    """Parallel workers are clients of a database server (ZEO or
    PostgreSQL): a FileStorage is opened by one process only."""
    instance = Instance(args.var)
    if not instance.zope_conf.exists():
        fail(f"no instance in {instance.var}: run 'xinfang-archive init' first")
    if instance.storage == "file":
        print(
            "导入失败：--workers 需要以 ZEO 或 PostgreSQL 存储数据的实例 (init --storage zeo)；"
            "不带 --workers 可在一个进程中导入",
            file=sys.stderr,
        )
        return False
    return True


def _print_summary(report, args):
    """What was (or, in a dry run, would be) imported, skipped and failed."""
    from xinfang_archive.exchange.import_report import CHECKED
    from xinfang_archive.exchange.import_report import FAILED
    from xinfang_archive.exchange.import_report import IMPORTED
    from xinfang_archive.exchange.import_report import SKIPPED

    done = report.count(CHECKED if args.dry_run else IMPORTED)
    rate = done / max(report.seconds, 1e-6)
    verb = "可导入 would import" if args.dry_run else "已导入 imported"
    status = CHECKED if args.dry_run else IMPORTED
    counts = ", ".join(
        f"{report.count(status, kind)} {unit}"
        for kind, unit in IMPORT_COUNTS
        if kind in ("case", "hearing") or report.count(status, kind)
    )
    print(
        f"{verb}: {counts}"
        + ("" if args.dry_run else f", {report.versions} 个版本, {report.files} 个文件")
        + f"; 已存在跳过 skipped {report.count(SKIPPED)}; 失败 failed {report.count(FAILED)}"
        f" ({report.seconds:.1f} s, {rate:.1f}/s)"
    )
    if report.rewritten:
        print(
            f"重写 written again: {report.rewritten} 批 batches met another writer's commit "
            "(another worker or the site) and were written again"
        )
    if args.dry_run:
        print("试运行 dry run：数据库未作任何改动 (nothing was written)")


def _print_problems(report, args, failed_workers):
    """The refused files, the notes, each failed item with its messages,
    the per-item report written, and the workers that failed."""
    from xinfang_archive.exchange.import_report import FAILED

    for path, message in report.refused_files:
        print(f"拒绝文件 REFUSED {path}: {message}")
    for warning in report.warnings:
        print(f"注意 NOTE {warning}")
    for outcome in report.outcomes:
        if outcome.status == FAILED:
            print(
                f"失败 FAILED {outcome.kind} {outcome.identifier or '?'} ({outcome.source}):"
            )
            for text in outcome.texts():
                print(f"    {text}")
    if args.report:
        _write_report(args.report, report)
        print(f"逐项报告 per-item report: {args.report}")
    for message in failed_workers:
        print(
            f"失败 FAILED {message}；再次运行同一命令即可继续：已导入的信访件会被跳过 "
            "(run the same command again: what was imported is skipped)"
        )


STATUS_TITLES = {
    "imported": "已导入",
    "skipped": "已存在，跳过",
    "failed": "失败",
    "checked": "可导入（试运行）",
}


def _write_report(path, report):
    """Every item with its outcome, as CSV (UTF-8 with BOM: opens in Excel)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            [
                "来源 source",
                "类型 kind",
                "编号 identifier",
                "结果 status",
                "说明 messages",
            ]
        )
        for path_, message in report.refused_files:
            writer.writerow([path_, "file", "", "拒绝", message])
        for outcome in report.outcomes:
            writer.writerow(
                [
                    outcome.source,
                    outcome.kind,
                    outcome.identifier,
                    STATUS_TITLES.get(outcome.status, outcome.status),
                    " | ".join(outcome.texts()),
                ]
            )


def _select_cases(site, args):
    """The cases named by --case (registration numbers or 档号), --selection
    (a file of them, one per line) or --year (filing year)."""
    from xinfang_archive.exchange.selection import select_cases
    from xinfang_archive.exchange.selection import selection_keys

    keys = list(args.case or [])
    if args.selection:
        keys += selection_keys(Path(args.selection).read_text(encoding="utf-8"))
    return select_cases(site.portal_catalog, keys, year=args.year, everything=args.all)


def cmd_export(args):
    from xinfang_archive.exchange.export_audit import record_export
    from xinfang_archive.exchange.package import build_package
    from xinfang_archive.exchange.package import PackageError

    import transaction

    if not (args.case or args.selection or args.year or args.all):
        print(
            "导出失败：请用 --case、--selection、--year 或 --all 指定要导出的信访件",
            file=sys.stderr,
        )
        return 2
    with open_site(args) as site:
        cases, unknown = _select_cases(site, args)
        if unknown:
            print(f"导出失败：没有这些信访件 {', '.join(unknown)}", file=sys.stderr)
            return 1
        if not cases:
            print("导出失败：所选范围内没有信访件", file=sys.stderr)
            return 1
        try:
            result = build_package(
                cases,
                Path(args.out),
                progress=progress_bar("导出 export"),
                processes=args.processes,
            )
        except PackageError as error:
            print(f"导出失败：{error}", file=sys.stderr)
            for line in _report_lines(error.report):
                print(f"  {line}", file=sys.stderr)
            return 1
        record_export(site, result)
        transaction.get().note(f"xinfang-archive export {result.path.name}")
        transaction.commit()
    print(
        f"档案信息包 package {result.path}: {result.cases} 件信访件, {result.hearings} 次听证, "
        f"{result.meetings} 次会议, {result.receptions} 个领导接待日, {result.screening} 份排查报告, "
        f"{result.warnings} 条预警, "
        f"{result.records} 条记录, {result.files} 个文件, {result.bytes / 1e6:.1f} MB, "
        f"{result.seconds:.1f} s"
    )
    print(f"包校验值 package SHA-256: {result.digest}  ({result.path}.sha256)")
    if result.hearings_left_out:
        print(
            f"未收入的听证 hearings left out (they also heard cases outside the package): "
            f"{', '.join(result.hearings_left_out)}"
        )
    if result.shared:
        print(
            f"整件收入的接待日、排查报告 reception days and screening reports packed whole "
            f"(they also name cases outside the package): {', '.join(result.shared)}"
        )
    return 0


def _report_lines(report):
    if report is None:
        return []
    from xinfang_archive.exchange.verify import report_lines

    return report_lines(report)


def cmd_verify_package(args):
    from xinfang_archive.exchange.verify import report_lines
    from xinfang_archive.exchange.verify import verify_package
    from xinfang_archive.i18n import standalone_translations

    standalone_translations()
    started = time.perf_counter()
    report = verify_package(
        Path(args.package),
        processes=args.processes,
        progress=progress_bar("校验 verify"),
        expected_sha256=args.expected_sha256,
    )
    seconds = time.perf_counter() - started
    print(
        f"({report.files_checked} 个文件, {report.bytes_checked / 1e6:.1f} MB, {seconds:.1f} s)"
    )
    for line in report_lines(report):  # the verdict is the last line
        print(line)
    return 0 if report.ok else 1


# What the import summary counts (the first two always, the others when there are any).
IMPORT_COUNTS = (
    ("case", "件信访件"),
    ("hearing", "次听证"),
    ("meeting", "次会议"),
    ("accountability", "条责任追究"),
    ("reception", "个领导接待日"),
    ("screening", "份排查报告"),
    ("warning", "条预警"),
)


def add_commands(commands):
    imports = commands.add_parser(
        "import",
        help="import cases and the records about them from exchange XML, a directory or a package",
        description="Import cases (with petitioners, documents, replies, supervisions, versions, "
        "workflow history and archival data), hearings, meetings, accountability records, "
        "reception days, screening reports and early warnings from exchange XML files "
        "(schema: exchange.xsd, see docs/exchange.md), a directory of them or an archival "
        "package. Hostile or broken files are refused; each case is imported whole or not "
        "at all; cases already in the archive (same UID or registration number) are skipped, "
        "so a killed import can be run again. Exit 1 if any item failed."
        + WHILE_SERVING,
    )
    instance_arguments(imports)
    imports.add_argument(
        "sources",
        nargs="+",
        metavar="FILE|DIR",
        help="exchange XML file, directory or package",
    )
    imports.add_argument(
        "--dry-run", action="store_true", help="check everything, write nothing, report"
    )
    imports.add_argument(
        "--commit-every",
        type=int,
        default=None,
        help="cases per transaction (default 50; 10 with --workers, where a batch that meets "
        "another worker's commit is written again)",
    )
    imports.add_argument(
        "--max-size",
        type=float,
        default=512,
        help="largest XML file accepted, in MB (default 512)",
    )
    imports.add_argument("--report", help="write the per-item report to this CSV file")
    imports.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="import with N processes, clients of the ZEO server (started for the import "
        "if the site is not serving), about 500 MB each (default 1). On a young archive one "
        "process is faster: the workers' commits meet on the catalog's tables and are "
        "written again (see docs/exchange.md); N above the number of cores never helps",
    )
    imports.add_argument("--worker-plan", help=argparse.SUPPRESS)
    imports.add_argument("--share", help=argparse.SUPPRESS)
    imports.set_defaults(func=cmd_import)

    export = commands.add_parser(
        "export",
        help="write an archival package (BagIt) of cases",
        description="Write a BagIt archival package of the cases named (registration numbers "
        "or archival codes), listed in a file, or filed in a year: exchange XML, DA/T 46 "
        "metadata and a DA/T 48-style envelope per record, the files, PREMIS-style events, "
        "SHA-256 manifests and the package checksum (<out>.sha256). The package is "
        "validated before it is kept." + WHILE_SERVING,
    )
    instance_arguments(export)
    export.add_argument(
        "--out", required=True, help="directory of the new package (must not exist)"
    )
    export.add_argument(
        "--case",
        action="append",
        help="registration number or archival code (repeatable)",
    )
    export.add_argument(
        "--selection",
        help="file with one registration number or archival code per line",
    )
    export.add_argument("--year", type=int, help="every case filed in this year")
    export.add_argument(
        "--all",
        action="store_true",
        help="every case of the archive, in any state "
        "(to move an archive to another instance)",
    )
    export.add_argument(
        "--processes",
        type=int,
        default=1,
        help="processes for the checksums and XML checks (default 1)",
    )
    export.set_defaults(func=cmd_export)

    verify = commands.add_parser(
        "verify-package",
        help="check an archival package (exit 1 on any problem)",
        description="Check a package: every file against the manifests, the package checksum, "
        "and every XML file against its schema. Missing, changed and unexpected files are "
        "reported apart. Needs no instance.",
    )
    verify.add_argument("package", help="the package directory")
    verify.add_argument(
        "--processes",
        type=int,
        default=1,
        help="processes for the checksums and XML checks (default 1)",
    )
    verify.add_argument(
        "--expected-sha256",
        metavar="HEX",
        help="the package checksum recorded at export or transfer (audit trail, the "
        "appraisal, the case), compared too: the .sha256 beside a package travels with it",
    )
    verify.set_defaults(func=cmd_verify_package)
