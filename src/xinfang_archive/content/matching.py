"""Earlier cases of the same petitioner (same ID number, or same name + phone)."""

from plone import api
from xinfang_archive.privacy.keys import petitioner_keys


def keys_of(rows):
    keys = set()
    for row in rows or ():
        keys.update(petitioner_keys(row or {}))
    return keys


def matching_cases(rows, exclude_uid=None, limit=50):
    """Catalog brains of cases sharing a petitioner with ``rows``, newest first."""
    keys = keys_of(rows)
    if not keys:
        return []
    brains = api.content.find(
        portal_type="PetitionCase",
        petitioner_keys=sorted(keys),
        sort_on="received_date",
        sort_order="descending",
    )
    return [b for b in brains if exclude_uid != b.UID][:limit]


def earlier_cases(case, limit=50):
    """Cases of the same petitioner(s) received before ``case`` (or on the same day)."""
    found = matching_cases(case.petitioners, exclude_uid=case.UID(), limit=limit)
    received = case.received_date
    return [
        b
        for b in found
        if not received or not b.received_date or b.received_date <= received
    ]
