"""The index queue processor: CMFCore hands it every index, reindex and
unindex of the transaction (security reindexes included) in a before-commit
hook, and ``commit``/``abort`` when the transaction is decided
(Products/CMFCore/indexing.py). Documents are built at once, while the
objects can be read; they reach the index only on ``commit``, so the index
reflects committed transactions only.

On an archive in PostgreSQL (RelStorage) the documents go instead into the
change log all hosts follow, inside the commit (``publishing``).
"""

from plone.base.interfaces import IPloneSiteRoot
from plone.dexterity.interfaces import IDexterityContent
from plone.uuid.interfaces import IUUID
from Products.CMFCore.interfaces import IIndexQueueProcessor
from xinfang_archive.cluster.database import dsn_of
from xinfang_archive.cluster.database import relstorage_of
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.search import publishing
from xinfang_archive.search.extract import document_for
from xinfang_archive.search.site import current_segmenter
from xinfang_archive.search.site import current_store
from xinfang_archive.search.site import is_installed
from zope.component.hooks import getSite
from zope.interface import implementer

import logging
import threading
import transaction


logger = logging.getLogger("xinfang_archive.search")


def _indexable(obj):
    """Content the catalog holds too (the site root is not in it)."""
    return (
        IDexterityContent.providedBy(obj)
        and not IPloneSiteRoot.providedBy(obj)
        and is_installed()
    )


@implementer(IIndexQueueProcessor)
class SearchIndexProcessor:
    def __init__(self):
        self._local = threading.local()

    @property
    def pending(self):
        pending = getattr(self._local, "pending", None)
        if pending is None:
            pending = self._local.pending = {}
        return pending

    @property
    def built(self):
        """UIDs whose documents this pass of the queue already built.

        Reindexing a case rebuilds its documents too, and filing (or any
        change of the case's permissions) also reindexes each document on
        its own: nothing changes within one pass, so each is built once.
        """
        built = getattr(self._local, "built", None)
        if built is None:
            built = self._local.built = set()
        return built

    def begin(self):
        self.built.clear()

    def take_pending(self):
        """The transaction's changes, handed over once (to the change log)."""
        changes = dict(self.pending)
        self.pending.clear()
        return changes

    def _shared(self, obj):
        """On an archive in PostgreSQL: join the change log's participant to
        the transaction (once) and return True."""
        jar = getattr(obj, "_p_jar", None)
        storage = relstorage_of(jar.db()) if jar is not None else None
        if storage is None:
            return False
        txn = transaction.get()
        try:
            txn.data(self)
        except KeyError:
            txn.set_data(self, True)
            publishing.join(
                txn, self.take_pending, jar, dsn_of(storage), current_store(getSite())
            )
        return True

    def _add(self, obj):
        if not _indexable(obj):
            return
        segmenter = (
            current_segmenter()
        )  # one registry read for the case and its documents
        objects = [obj]
        if IPetitionCase.providedBy(obj):
            # documents of a case carry its state and attributes
            objects.extend(
                child
                for child in obj.objectValues()
                if IDexterityContent.providedBy(child)
            )
        shared = self._shared(obj)
        built = self.built
        for item in objects:
            uid = IUUID(item, None)
            if uid is None or uid in built:
                continue
            try:
                doc = document_for(item, segmenter)
            except Exception:
                # like the commit below: the full-text index never fails the
                # transaction; verify-index --fix repairs what is missing
                logger.exception("Could not build the search document of %s", uid)
                continue
            if doc is not None:
                self.pending[doc.uid] = doc
                built.add(uid)
                if shared:
                    publishing.read_current(item)

    def index(self, obj, attributes=None):
        self._add(obj)

    def reindex(self, obj, attributes=None, update_metadata=1):
        self._add(obj)

    def unindex(self, obj):
        if not _indexable(obj):
            return
        uid = IUUID(obj, None)
        if uid:
            self._shared(obj)
            self.pending[uid] = None

    def commit(self):
        changes = dict(self.pending)
        self.pending.clear()
        self.built.clear()
        if not changes:
            return
        try:
            current_store().commit(changes)
        except Exception:
            # never fail a committed transaction; the spool keeps the
            # changes and verify-index --fix repairs what is left
            logger.exception("Search index update failed (%d documents)", len(changes))

    def abort(self):
        self.pending.clear()
        self.built.clear()
