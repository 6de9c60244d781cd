"""The archival metadata of a filed case as plain, JSON-safe data (for the
case page, the REST API and the output documents)."""

from Acquisition import aq_base
from xinfang_archive.archival.manifest import METADATA


def _iso(value):
    return value.isoformat() if value is not None else None


def is_filed(case):
    return bool(getattr(aq_base(case), "archival_code", None))


def _visible(case, path):
    """Whether the current user may View the record at ``path`` in ``case``
    (accusation material stays hidden, even by file name and checksum)."""
    from plone import api

    obj = case.unrestrictedTraverse(path, None) if path else case
    return obj is not None and bool(api.user.has_permission("View", obj=obj))


def archival_info(case):
    """None for a case that is not filed.  Files and amendments of records
    the current user may not View are left out."""
    if not is_filed(case):
        return None
    seen = {}

    def visible(path):
        if path not in seen:
            seen[path] = _visible(case, path)
        return seen[path]

    return {
        "archival_code": case.archival_code,
        "fonds_code": case.fonds_code,
        "filing_year": case.filing_year,
        "retention_period": case.retention_period,
        "retention_expires": _iso(case.retention_expires),
        "retention_rules": list(case.retention_rules),
        "organisation_code": case.organisation_code,
        "organisation_title": case.organisation_title,
        "item_number": case.item_number,
        "filed_on": _iso(case.filed_on),
        "filed_by": case.filed_by,
        "files": [
            {
                k: e.get(k)
                for k in ("path", "filename", "size", "pages", "content_type", "sha256")
            }
            for e in case.archival_manifest
            if e["field"] != METADATA and visible(e["path"])
        ],
        "amendments": [dict(a) for a in case.amendments if visible(a.get("path", ""))],
        "retention_history": [dict(h) for h in case.retention_history],
        "transfers": [dict(t) for t in getattr(case, "transfers", None) or ()],
    }
