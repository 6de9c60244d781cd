"""The archival metadata of a filed case as plain, JSON-safe data (for the
case page, the REST API and the output documents)."""
from Acquisition import aq_base
from xinfang_archive.archival.manifest import METADATA


def _iso(value):
    return value.isoformat() if value is not None else None


def is_filed(case):
    return bool(getattr(aq_base(case), "archival_code", None))


def archival_info(case):
    """None for a case that is not filed."""
    if not is_filed(case):
        return None
    return dict(
        archival_code=case.archival_code,
        fonds_code=case.fonds_code,
        filing_year=case.filing_year,
        retention_period=case.retention_period,
        retention_expires=_iso(case.retention_expires),
        retention_rules=list(case.retention_rules),
        organisation_code=case.organisation_code,
        organisation_title=case.organisation_title,
        item_number=case.item_number,
        filed_on=_iso(case.filed_on),
        filed_by=case.filed_by,
        files=[
            {k: e.get(k) for k in ("path", "filename", "size", "pages", "content_type", "sha256")}
            for e in case.archival_manifest if e["field"] != METADATA
        ],
        amendments=[dict(a) for a in case.amendments],
        retention_history=[dict(h) for h in case.retention_history],
    )
