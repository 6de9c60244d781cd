"""The work of an import job: the command line's importer, as a dry run
(its report, nothing written) or for real (committed in batches; cases
already in the archive are skipped, so a cancelled import can be run again)."""

from pathlib import Path
from xinfang_archive.exchange.import_report import CHECKED
from xinfang_archive.exchange.import_report import FAILED
from xinfang_archive.exchange.import_report import IMPORTED
from xinfang_archive.exchange.import_report import SKIPPED
from xinfang_archive.exchange.importer import Importer

import transaction


COMMIT_EVERY = 50
SHOWN_FAILURES = 200  # failed items listed on the job page (the counts cover all)


def import_work(dry_run):
    def work(site, params, progress):
        importer = Importer(
            site,
            dry_run=dry_run,
            commit_every=COMMIT_EVERY,
            max_bytes=params["max_bytes"],
            progress=progress,
            note=f"xinfang-archive import (browser) {params['name']}",
        )
        report = importer.run([Path(params["source"])])
        if dry_run:
            transaction.abort()
        return report.ok, summary_lines(report), ""

    return work


def summary_lines(report):
    status = CHECKED if report.dry_run else IMPORTED
    verb = "可导入" if report.dry_run else "已导入"
    lines = [
        f"{verb} {report.count(status, 'case')} 件信访件、{report.count(status, 'hearing')} 次听证"
        f"（共 {report.count(status)} 项）；已存在跳过 {report.count(SKIPPED)} 项；"
        f"失败 {report.count(FAILED)} 项（{report.seconds:.1f} 秒）。"
    ]
    if report.dry_run:
        lines.append("试运行：数据库未作任何改动。")
    lines += [f"拒绝文件 {path}：{message}" for path, message in report.refused_files]
    lines += [f"注意：{warning}" for warning in report.warnings]
    failed = [o for o in report.outcomes if o.status == FAILED]
    for outcome in failed[:SHOWN_FAILURES]:
        lines.append(
            f"失败 {outcome.kind} {outcome.identifier or '?'}（{outcome.source}）："
            + "；".join(outcome.texts())
        )
    if len(failed) > SHOWN_FAILURES:
        lines.append(f"另有 {len(failed) - SHOWN_FAILURES} 项失败未列出。")
    return lines
