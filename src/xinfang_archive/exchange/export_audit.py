"""The audit entry of an exported archival package, the same whether the
command line or a browser job made it."""

from xinfang_archive.audit.recorder import record


def record_export(site, result):
    record(
        "export",
        site,
        title="archival package",
        details={
            "package": str(result.path),
            "sha256": result.digest,
            "cases": result.cases,
            "archival_codes": result.codes[:500],
        },
    )
