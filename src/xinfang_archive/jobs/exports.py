"""The work of an export job: the archival package of a selection of cases
or of a filing year, in the job's directory (to download) or in the transfer
directory; audited as the command line's export is."""

from pathlib import Path
from plone import api
from xinfang_archive.exchange.export_audit import record_export
from xinfang_archive.exchange.package import build_package
from xinfang_archive.exchange.package import PackageError
from xinfang_archive.exchange.selection import select_cases
from xinfang_archive.i18n import record_text

import transaction


def export_work(site, params, progress):
    catalog = api.portal.get_tool("portal_catalog")
    cases, unknown = select_cases(
        catalog, params.get("keys") or [], year=params.get("year")
    )
    if unknown:
        return False, [f"没有这些信访件：{'、'.join(unknown[:50])}"], ""
    if not cases:
        return False, ["所选范围内没有信访件。"], ""
    try:
        result = build_package(cases, Path(params["target"]), progress=progress)
    except PackageError as error:
        return False, [f"导出失败：{record_text(error.message)}"], ""
    record_export(site, result)
    transaction.get().note(f"xinfang-archive export (browser) {result.path.name}")
    transaction.commit()
    return (
        True,
        [
            f"档案信息包 {result.path.name}：{result.cases} 件信访件，{result.records} 条记录，"
            f"{result.files} 个文件，{result.bytes / 1e6:.1f} MB（{result.seconds:.1f} 秒）。",
            f"包校验值 SHA-256：{result.digest}",
        ],
        str(result.path),
    )
