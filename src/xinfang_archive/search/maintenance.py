"""Rebuilding and checking the index against the database.

The catalog is the reference: every Dexterity object it holds must be in the
index with the same stamp (path, modification, state, visibility, its
case's state, see ``extract.stamp``). ``verify`` reports what is missing,
stale or extra; ``fix`` repairs exactly that; ``rebuild`` starts afresh.
"""

from dataclasses import dataclass
from dataclasses import field
from plone.dexterity.interfaces import IDexterityContent
from Products.CMFCore.utils import getToolByName
from xinfang_archive.search.extract import document_for
from xinfang_archive.search.extract import stamp

import logging


logger = logging.getLogger("xinfang_archive.search")

BATCH = 500


@dataclass
class Report:
    indexed: int = 0
    in_catalog: int = 0
    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    extra: list = field(default_factory=list)

    @property
    def ok(self):
        return not (self.missing or self.stale or self.extra)


def _brains(site):
    """Catalogued content, without the site root (not indexed for search)."""
    catalog = getToolByName(site, "portal_catalog")
    root = "/".join(site.getPhysicalPath())
    brains = catalog.unrestrictedSearchResults(
        object_provides=IDexterityContent.__identifier__, sort_on="path"
    )
    return [b for b in brains if b.getPath() != root]


def catalog_stamps(site):
    """``{uid: (stamp, brain)}`` computed from catalog data alone."""
    catalog = getToolByName(site, "portal_catalog")
    allowed_index = catalog._catalog.getIndex("allowedRolesAndUsers")
    brains = _brains(site)
    case_states = {
        b.getPath(): b.review_state for b in brains if b.portal_type == "PetitionCase"
    }
    out = {}
    for brain in brains:
        if not brain.UID:
            continue
        path = brain.getPath()
        case_state = ""
        parent = path.rsplit("/", 1)[0]
        while parent and brain.portal_type != "PetitionCase":
            if parent in case_states:
                case_state = case_states[parent]
                break
            parent = parent.rsplit("/", 1)[0]
        allowed = allowed_index.getEntryForObject(brain.getRID(), default=[]) or []
        out[brain.UID] = (
            stamp(path, brain.modified, brain.review_state or "", allowed, case_state),
            brain,
        )
    return out


def verify(site, store):
    expected = catalog_stamps(site)
    actual = store.engine.stamps()
    report = Report(indexed=len(actual), in_catalog=len(expected))
    for uid, (value, brain) in expected.items():
        if uid not in actual:
            report.missing.append(brain.getPath())
        elif actual[uid] != value:
            report.stale.append(brain.getPath())
    report.extra = sorted(uid for uid in actual if uid not in expected)
    return report


def _write_objects(
    site, store, objects, segmenter, progress=None, total=None, bulk=False
):
    batch, done = {}, 0
    for obj in objects:
        doc = document_for(obj, segmenter)
        if doc is not None:
            batch[doc.uid] = doc
        done += 1
        if len(batch) >= BATCH:
            store.write(batch, bulk=bulk)
            batch = {}
            site._p_jar.cacheGC()
        if progress:
            progress(done, total)
    if batch:
        store.write(batch, bulk=bulk)
    return done


def _objects(site, paths):
    for path in paths:
        obj = site.unrestrictedTraverse(path, None)
        if obj is not None:
            yield obj


def fix(site, store, report, segmenter):
    """Index what is missing or stale, remove what is extra."""
    paths = report.missing + report.stale
    written = _write_objects(site, store, _objects(site, paths), segmenter)
    if report.extra:
        store.write(dict.fromkeys(report.extra))
    return written


def rebuild(site, store, segmenter, progress=None, fresh=True):
    """Fill the index from the database; returns the count.

    ``fresh`` (the command line with no server running) empties it first and
    writes in bulk; otherwise (a running site: an upgrade step, the command
    line while the site serves) every document is replaced one by one, so
    that what others write meanwhile is neither lost nor doubled.
    """
    brains = _brains(site)
    if fresh:
        store.clear()
    paths = [b.getPath() for b in brains]
    return _write_objects(
        site,
        store,
        _objects(site, paths),
        segmenter,
        progress=progress,
        total=len(paths),
        bulk=fresh,
    )
