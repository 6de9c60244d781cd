"""The index queue processor: CMFCore hands it every index, reindex and
unindex of the transaction (security reindexes included) in a before-commit
hook, and ``commit``/``abort`` when the transaction is decided
(Products/CMFCore/indexing.py). Documents are built at once, while the
objects can be read; they wait in the transaction (``PendingDocuments``)
and reach the index only when it commits, so the index reflects committed
transactions only; an abort drops them, and a savepoint rolled back drops
those built since.

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
from xinfang_archive.pending_work import PendingWork
from xinfang_archive.search import publishing
from xinfang_archive.search.extract import document_for
from xinfang_archive.search.site import current_segmenter
from xinfang_archive.search.site import current_store
from xinfang_archive.search.site import is_installed
from zope.component.hooks import getSite
from zope.interface import implementer

import logging
import transaction


logger = logging.getLogger("xinfang_archive.search")


def _indexable(obj):
    """Content the catalog holds too (the site root is not in it)."""
    return (
        IDexterityContent.providedBy(obj)
        and not IPloneSiteRoot.providedBy(obj)
        and is_installed()
    )


class PendingDocuments(PendingWork):
    """The documents a transaction built, reaching the index when it commits.

    ``changes`` maps UIDs to their new document (None: a deletion).
    ``built`` holds the UIDs whose documents the current pass of the queue
    already built: reindexing a case rebuilds its documents too, and filing
    (or any change of the case's permissions) also reindexes each document
    on its own; nothing changes within one pass, so each is built once.
    ``published``: the change log's participant has joined (PostgreSQL).
    """

    # after the ZODB's storages: the index reflects committed transactions
    SORT_KEY = "~xinfang_archive.search.queue"

    def __init__(self, transaction_manager):
        super().__init__(transaction_manager)
        self.changes = {}
        self.built = set()
        self.published = False

    def snapshot(self):
        return dict(self.changes), set(self.built), self.published

    def restore(self, state):
        changes, built, self.published = state
        self.changes.clear()
        self.changes.update(changes)
        self.built.clear()
        self.built.update(built)

    def clear(self):
        self.changes.clear()
        self.built.clear()

    def take(self):
        """The transaction's changes, handed over once (to the change log)."""
        changes = dict(self.changes)
        self.changes.clear()
        return changes

    def tpc_finish(self, txn):
        changes = self.take()  # on PostgreSQL the change log took them in its vote
        self.end()
        if not changes:
            return
        try:
            current_store().commit(changes)
        except Exception:
            # never fail a committed transaction; the spool keeps the
            # changes and verify-index --fix repairs what is left
            logger.exception("Search index update failed (%d documents)", len(changes))


def pending_documents():
    """``{uid: IndexDocument or None}`` the current transaction will write
    when it commits."""
    work = PendingDocuments.current()
    return {} if work is None else dict(work.changes)


@implementer(IIndexQueueProcessor)
class SearchIndexProcessor:
    """Builds the documents; they wait in the transaction's
    ``PendingDocuments``, which commits, aborts and rolls them back with it:
    ``commit`` and ``abort`` here have nothing left to do."""

    def begin(self):
        work = PendingDocuments.current()
        if work is not None:
            work.built.clear()

    def _shared(self, obj, work):
        """On an archive in PostgreSQL: join the change log's participant to
        the transaction (once) and return True."""
        jar = getattr(obj, "_p_jar", None)
        storage = relstorage_of(jar.db()) if jar is not None else None
        if storage is None:
            return False
        if not work.published:
            work.published = True
            publishing.join(
                transaction.get(),
                work.take,
                jar,
                dsn_of(storage),
                current_store(getSite()),
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
        work = PendingDocuments.joined()
        shared = self._shared(obj, work)
        built = work.built
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
                work.changes[doc.uid] = doc
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
            work = PendingDocuments.joined()
            self._shared(obj, work)
            work.changes[uid] = None

    def commit(self):
        pass

    def abort(self):
        pass
