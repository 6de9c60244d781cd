"""The Tantivy engine (tantivy-py).

Tantivy has no Chinese tokenizer; the ``grams`` and ``personal`` views are
handed over as space-separated tokens for its whitespace tokenizer (one
token per position, see ``analysis``), as are the ``words``, so phrase
queries mean exactly what they mean in Whoosh.
"""

from xinfang_archive.search.analysis import gram_views
from xinfang_archive.search.analysis import RUN_RE
from xinfang_archive.search.engines.base import BaseEngine
from xinfang_archive.search.model import FACETS
from xinfang_archive.search.model import Hit
from xinfang_archive.search.model import KEYWORDS
from xinfang_archive.search.model import SearchResult
from xinfang_archive.search.model import TEXT_VIEWS

import json
import tantivy


Occur = tantivy.Occur
Q = tantivy.Query

WRITER_HEAP = 64_000_000
BULK_HEAP = 512_000_000


def _schema():
    b = tantivy.SchemaBuilder()
    b.add_text_field("uid", stored=True, tokenizer_name="raw", index_option="basic")
    # the UID's two halves as columns: ``matching`` reads the UIDs of
    # 100,000 hits in milliseconds, without loading a stored document
    b.add_unsigned_field("uid_hi", fast=True)
    b.add_unsigned_field("uid_lo", fast=True)
    for name in ("grams", "personal", "title", "description"):
        b.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        b.add_text_field(
            name + "_heads", tokenizer_name="whitespace", index_option="position"
        )
    b.add_text_field("words", tokenizer_name="whitespace", index_option="freq")
    b.add_text_field("allowed", tokenizer_name="raw", index_option="basic")
    b.add_text_field("personal_allowed", tokenizer_name="raw", index_option="basic")
    for name in KEYWORDS:
        b.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    b.add_integer_field("year", indexed=True, fast=True)
    b.add_integer_field("date", indexed=True, fast=True)
    b.add_bytes_field("data", stored=True)
    return b.build()


def _uid_halves(uid):
    """A 32-hex-digit UID (Plone's) as two 64-bit integers; (0, 0) for any
    other UID, whose hits are read from the stored document instead."""
    if len(uid) == 32:
        try:
            return int(uid[:16], 16), int(uid[16:], 16)
        except ValueError:
            pass
    return 0, 0


class Builder:
    """Query primitives for ``compile.Compiler``."""

    def __init__(self, schema):
        self.schema = schema

    def all(self):
        return Q.all_query()

    def none(self):
        return Q.empty_query()

    def term(self, field, value):
        return Q.term_query(self.schema, field, value)

    def phrase(self, field, tokens, prefix=False):
        if prefix:
            # Tantivy's phrase-prefix query stops at 50 expansions: the
            # heads view (first character per position) has no such limit
            heads = [
                t if len(t) == 1 or not RUN_RE.match(t).group("han") else t[0]
                for t in tokens
            ]
            return self.phrase(field + "_heads", heads)
        if len(tokens) == 1:
            return Q.term_query(self.schema, field, tokens[0])
        return Q.phrase_query(self.schema, field, list(tokens))

    def term_set(self, field, values):
        return Q.term_set_query(self.schema, field, list(values))

    def range(self, field, low, high):
        if low is None and high is None:
            return Q.all_query()
        return Q.range_query(self.schema, field, tantivy.FieldType.Integer, low, high)

    def constant(self, query):
        return Q.const_score_query(query, 0.0)

    def boost(self, query, factor):
        return Q.boost_query(query, factor)

    def boolean(self, must=(), should=(), must_not=()):
        clauses = [(Occur.Must, q) for q in must]
        clauses += [(Occur.Should, q) for q in should]
        clauses += [(Occur.MustNot, q) for q in must_not]
        if len(clauses) == 1 and clauses[0][0] is not Occur.MustNot:
            return clauses[0][1]
        return Q.boolean_query(clauses)


class TantivyEngine(BaseEngine):
    name = "tantivy"

    def __init__(self, path):
        super().__init__(path)
        self.schema = _schema()
        self.tindex = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        self.builder = Builder(self.schema)

    def _document(self, doc):
        d = tantivy.Document()
        d.add_text("uid", doc.uid)
        hi, lo = _uid_halves(doc.uid)
        d.add_unsigned("uid_hi", hi)
        d.add_unsigned("uid_lo", lo)
        for name in TEXT_VIEWS:
            grams, heads = gram_views(getattr(doc, name))
            d.add_text(name, grams)
            d.add_text(name + "_heads", heads)
        for value in doc.personal:
            grams, heads = gram_views(value)
            d.add_text("personal", grams)
            d.add_text("personal_heads", heads)
        d.add_text("words", " ".join(doc.words))  # words hold no spaces
        for token in doc.allowed:
            d.add_text("allowed", token)
        for token in doc.personal_allowed:
            d.add_text("personal_allowed", token)
        for name in KEYWORDS:
            value = doc.keywords.get(name)
            if value:
                d.add_text(name, value)
        d.add_integer("year", int(doc.year or 0))
        d.add_integer("date", int(doc.date or 0))
        payload = dict(doc.stored, uid=doc.uid, stamp=doc.stamp)
        d.add_bytes("data", json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        return d

    def apply(self, changes, bulk=False):
        """One commit; ``bulk`` (rebuild into an empty index) uses a larger
        heap and all cores and skips the per-document delete."""
        if not changes:
            return
        if bulk:
            writer = self.tindex.writer(heap_size=BULK_HEAP, num_threads=0)
        else:
            writer = self.tindex.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            for uid, doc in changes.items():
                if not bulk:
                    writer.delete_documents_by_term("uid", uid)
                if doc is not None:
                    writer.add_document(self._document(doc))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self.tindex.reload()

    def clear(self):
        writer = self.tindex.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            writer.delete_all_documents()
            writer.commit()
        finally:
            writer.wait_merging_threads()
        self.tindex.reload()

    def _searcher(self):
        self.tindex.reload()
        return self.tindex.searcher()

    def _load(self, searcher, address):
        return json.loads(searcher.doc(address)["data"][0].decode("utf-8"))

    def search(self, request, similar=False):
        query = self._query(request, similar)
        searcher = self._searcher()
        kwargs = {
            "limit": max(request.limit, 1),
            "offset": request.offset,
            "count": True,
        }
        if request.sort in ("date", "-date"):
            kwargs["order_by_field"] = "date"
            kwargs["order"] = (
                tantivy.Order.Asc if request.sort == "date" else tantivy.Order.Desc
            )
        result = searcher.search(query, **kwargs)
        hits = []
        for key, address in result.hits[: request.limit]:
            data = self._load(searcher, address)
            score = float(key) if request.sort == "relevance" else 0.0
            hits.append(Hit(uid=data["uid"], score=score, stored=data))
        facets = self._facets(searcher, query, request) if request.facets else {}
        return SearchResult(total=result.count, hits=hits, facets=facets)

    def matching(self, query, view="grams"):
        searcher = self._searcher()
        total = searcher.num_docs
        if not total:
            return {}
        hits = searcher.search(
            self._compile_text(query, view), limit=total, count=False
        ).hits
        addresses = [address for _score, address in hits]
        highs = searcher.fast_field_values("uid_hi", addresses)
        lows = searcher.fast_field_values("uid_lo", addresses)
        out = {}
        for (score, address), hi, lo in zip(hits, highs, lows, strict=False):
            if hi or lo:
                uid = f"{hi:016x}{lo:016x}"
            else:
                uid = self._load(searcher, address)["uid"]
            out[uid] = float(score)
        return out

    def facets(self, request):
        return self._facets(self._searcher(), self._query(request), request)

    def _facets(self, searcher, query, request):
        names = [n for n in request.facets if n in FACETS]
        if not names:
            return {}
        spec = {n: {"terms": {"field": n, "size": request.facet_size}} for n in names}
        raw = searcher.aggregate(query, spec)
        out = {}
        for name in names:
            buckets = raw.get(name, {}).get("buckets", [])
            pairs = [
                (str(b["key"]).removesuffix(".0"), int(b["doc_count"])) for b in buckets
            ]
            out[name] = [(v, c) for v, c in pairs if v not in ("", "0")]
        return out

    def stats(self):
        return {
            "engine": self.name,
            "path": str(self.path),
            "documents": self._searcher().num_docs,
            "size_bytes": self.size_bytes(),
        }

    def stamps(self):
        searcher = self._searcher()
        total = searcher.num_docs
        if not total:
            return {}
        result = searcher.search(Q.all_query(), limit=total, count=False)
        out = {}
        for _score, address in result.hits:
            data = self._load(searcher, address)
            out[data["uid"]] = data.get("stamp")
        return out


class MemoryEngine(TantivyEngine):
    """A Tantivy index in memory: the documents a transaction has built and
    not yet committed (``catalog_index``)."""

    def __init__(self):
        self.path = None
        self.schema = _schema()
        self.tindex = tantivy.Index(self.schema)
        self.builder = Builder(self.schema)
