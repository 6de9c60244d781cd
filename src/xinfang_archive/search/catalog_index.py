"""The catalog's text indexes (``SearchableText``, ``Title``,
``Description``), answered by the archive's full-text index.

Plone's ZCTextIndex keeps a lexicon in the ZODB that takes every new word,
and every case brings new ones (its number, new bigrams): any two writers
whose commits overlapped met on it and one wrote its work again, so several
importing processes were slower than one. This index writes nothing to the
database. The full-text index already holds every object's text (fed at
commit by ``queue.SearchIndexProcessor``); this index asks it and maps the
UIDs found to the catalog's record ids through the ``UID`` index. Plone's
own searches (``@search``, the search page, live search, folder contents)
thereby get the archive's Chinese analysis too.

* ``SearchableText`` searches all of an object's text, ``Title`` and
  ``Description`` that field alone; only the masked text is searched: a
  personal number never matches, for anyone, as it never did in the
  catalog. The catalog applies its own security filter
  (``allowedRolesAndUsers``).
* The documents the transaction has built but not committed yet are
  searched in a small index in memory, and what they replace or remove is
  left out of the answer: a search sees the transaction's own writes, as it
  did with the ZCTextIndex.
* The query is the archive's search language (``querylang``), which reads
  what Plone's search forms send (``a AND b*``, quoted phrases, ``OR``,
  ``NOT``); ``*`` is dropped, as a trailing character already matches as a
  prefix.
"""

from AccessControl.class_init import InitializeClass
from AccessControl.SecurityInfo import ClassSecurityInfo
from Acquisition import aq_inner
from Acquisition import aq_parent
from BTrees.IIBTree import IIBucket
from OFS.SimpleItem import SimpleItem
from Products.PluginIndexes.interfaces import IPluggableIndex
from Products.PluginIndexes.interfaces import IQueryIndex
from Products.ZCatalog.query import IndexQuery
from Products.ZCatalog.ZCatalog import manage_zcatalog_indexes
from xinfang_archive.search import querylang as ql
from xinfang_archive.search.engines.tantivy_engine import MemoryEngine
from xinfang_archive.search.queue import pending_documents
from xinfang_archive.search.site import current_store
from zope.interface import implementer


META_TYPE = "XinfangFullTextIndex"
# The text each catalog index asks of the full-text index; any other name
# searches all of it.
VIEWS = {"SearchableText": "grams", "Title": "title", "Description": "description"}
SCORE_SCALE = 1000  # the catalog sorts by integer scores


def _text_query(text):
    """The AST of what a search form sent; text it cannot parse is searched
    as typed, its operators' characters dropped. Anyone may send it (Plone's
    search is public): like the archive search, only its first
    ``querylang.MAX_LENGTH`` characters count, so its cost is bounded."""
    text = text.replace("*", "")[: ql.MAX_LENGTH]
    try:
        return ql.parse(text)
    except ql.QuerySyntaxError:
        plain = "".join(" " if c in '()"“”「」' else c for c in text).strip()
        return ql.Text(plain) if plain else ql.All()


def _with_pending(found, query, view):
    """``found`` (from the index on disk) corrected by the documents this
    transaction has built and not committed."""
    pending = pending_documents()
    if not pending:
        return found
    found = {uid: score for uid, score in found.items() if uid not in pending}
    docs = {uid: doc for uid, doc in pending.items() if doc is not None}
    if docs:
        memory = MemoryEngine()
        memory.apply(docs)
        found.update(memory.matching(query, view))
    return found


def matching_uids(text, view="grams"):
    """``{uid: score}`` of the objects whose text ``view`` matches ``text``."""
    query = _text_query(text)
    if isinstance(query, ql.All):
        return {}
    return _with_pending(current_store().engine.matching(query, view), query, view)


@implementer(IQueryIndex, IPluggableIndex)
class FullTextIndex(SimpleItem):
    """A catalog index that holds nothing; see the module's docstring."""

    meta_type = META_TYPE
    zmi_icon = "fas fa-search"
    operators = ("and", "or")
    useOperator = "or"
    query_options = ("query",)

    security = ClassSecurityInfo()
    security.declareObjectProtected(manage_zcatalog_indexes)

    manage_options = ()

    def __init__(self, id, extra=None, caller=None):  # noqa: A002 (PluginIndexes')
        self.id = id
        self.indexed_attrs = [id]

    def getId(self):
        return self.id

    def getIndexSourceNames(self):
        return list(self.indexed_attrs)

    def getIndexQueryNames(self):
        return (self.id,)

    def getIndexType(self):
        return "Full-text index (Tantivy)"

    def index_object(self, documentId, obj, threshold=None):
        return 0  # the full-text index is fed at commit by the queue processor

    def unindex_object(self, documentId):
        pass

    def getEntryForObject(self, documentId, default=None):
        return default

    def uniqueValues(self, name=None, withLengths=0):
        return ()

    def numObjects(self):
        return 0

    def indexSize(self):
        return 0

    def clear(self):
        pass

    def _apply_index(self, request, resultset=None):
        record = IndexQuery(request, self.id, self.query_options)
        if record.keys is None:
            return None
        return self.query_index(record, resultset), (self.id,)

    def query_index(self, record, resultset=None):
        text = " ".join(k for k in record.keys if isinstance(k, str)).strip()
        if not text:
            return None
        found = matching_uids(text, VIEWS.get(self.id, "grams"))
        catalog = aq_parent(aq_inner(self))
        rids = catalog.indexes["UID"]._index
        result = IIBucket()
        for uid, score in found.items():
            rid = rids.get(uid)
            if rid is not None:
                result[rid] = int(score * SCORE_SCALE) + 1
        return result


InitializeClass(FullTextIndex)
