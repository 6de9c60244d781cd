"""Upgrade to 1004: transfer (the ``transferred`` state, transfer settings)
and metadata digests that name relations by target UID."""

from plone import api
from xinfang_archive.archival.manifest import legacy_relation_id
from xinfang_archive.archival.manifest import METADATA
from xinfang_archive.archival.manifest import metadata_digest
from xinfang_archive.archival.states import FILED_STATES

import logging


logger = logging.getLogger("xinfang_archive.upgrades")


def rebase_relation_digests(portal):
    """Metadata digests used to name a relation by its local intid, which
    no other site shares: an exported record could never be proven again.
    They now name the target's UID.  A manifest entry is rewritten only
    where the old digest still matches the record exactly (so the record
    is proven unchanged); any other entry is left for fixity to report."""
    catalog = api.portal.get_tool("portal_catalog")
    rebased = 0
    for brain in catalog.unrestrictedSearchResults(
        portal_type="PetitionCase", review_state=FILED_STATES
    ):
        case = brain._unrestrictedGetObject()
        entries = list(case.archival_manifest)
        changed = False
        for index, entry in enumerate(entries):
            if entry.get("field") != METADATA:
                continue
            path = entry.get("path") or ""
            obj = case.unrestrictedTraverse(path, None) if path else case
            if obj is None:
                continue
            new = metadata_digest(obj)
            if (
                new != entry["sha256"]
                and metadata_digest(obj, relation=legacy_relation_id) == entry["sha256"]
            ):
                entries[index] = dict(entry, sha256=new)
                changed = True
                rebased += 1
        if changed:
            case.archival_manifest = tuple(entries)
    logger.info("Metadata digests rebased on relation UIDs: %d", rebased)
    return rebased
