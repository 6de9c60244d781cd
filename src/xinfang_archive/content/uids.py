"""CMFUid's unique ids without a shared counter.

CMFUid's generator (``portal_uidgenerator``) counts in one persistent
object, and every new object and every first version (CMFEditions' history
ids) takes the next number: any two transactions that create something
conflict there, so a command's batch never commits while the site keeps
registering, and two application processes write one at a time.  This
generator draws random ids instead, checked against the catalog and the
version storage, so creations no longer meet in one object.  The ids are
above every number the old counter gave (2**40 and up).
"""

from zope.component.hooks import getSite

import secrets


FLOOR = 2**40
CEILING = 2**62


class RandomUidGenerator:
    """An ``IUniqueIdGenerator`` registered in the site (componentregistry.xml)."""

    def __call__(self):
        while True:
            uid = FLOOR + secrets.randbelow(CEILING - FLOOR)
            if not self.taken(uid):
                return uid

    def convert(self, uid):
        return int(uid)

    def taken(self, uid):
        """Whether an object or a version history has ``uid`` already.  (Two
        of 2**62 colliding is unlikely beyond measure; checked all the same.)
        The catalog's index is read directly: a catalog search would index
        everything queued first, the half-made object that asks included."""
        site = getSite()
        catalog = getattr(site, "portal_catalog", None)
        index = catalog._catalog.indexes.get("cmf_uid") if catalog is not None else None
        if (
            index is not None
            and getattr(index, "_index", None) is not None
            and uid in index._index
        ):
            return True
        storage = getattr(site, "portal_historiesstorage", None)
        return storage is not None and storage.isRegistered(uid)
