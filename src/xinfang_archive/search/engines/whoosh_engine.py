"""The Whoosh engine (whoosh-reloaded, pure Python).

The analyzers below are what jieba's ``ChineseAnalyzer`` gets wrong:
positions are token positions (so phrases work), and the ``grams`` view
gives exact substring recall (see ``analysis``). They are module-level
classes without state because Whoosh pickles the schema into the index.
"""

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import Composable
from whoosh.analysis import Token
from whoosh.fields import FieldType
from whoosh.fields import ID
from whoosh.fields import NUMERIC
from whoosh.fields import Schema
from whoosh.fields import STORED
from whoosh.formats import Existence
from whoosh.formats import Frequency
from whoosh.formats import Positions
from whoosh.writing import CLEAR
from xinfang_archive.search.analysis import FIELD_SEPARATOR
from xinfang_archive.search.analysis import gram_tokens
from xinfang_archive.search.engines.base import BaseEngine
from xinfang_archive.search.model import FACETS
from xinfang_archive.search.model import Hit
from xinfang_archive.search.model import KEYWORDS
from xinfang_archive.search.model import SearchResult

import threading


class GramAnalyzer(Composable):
    """Folded text (or a list of folded texts) to ``grams`` tokens."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        mode="",
        **kwargs,
    ):
        parts = [value] if isinstance(value, str) else list(value)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        for part in parts:
            # each part goes on from the position where the last one ended
            for text, position in gram_tokens(part, start=position):  # noqa: B020
                token.text = text
                token.boost = 1.0
                if positions:
                    token.pos = position
                yield token
            position += 2  # phrases never span two values


class ValuesAnalyzer(Composable):
    """A list of values, each one token (words, roles, keywords)."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        mode="",
        **kwargs,
    ):
        values = value.split() if isinstance(value, str) else list(value)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, text in enumerate(values):
            token.text = text
            token.boost = 1.0
            if positions:
                token.pos = start_pos + i
            yield token


def _field(posting_format, analyzer, **kwargs):
    return FieldType(format=posting_format, analyzer=analyzer, **kwargs)


def _schema():
    fields = {
        "uid": ID(unique=True, stored=True),
        "grams": _field(Positions(), GramAnalyzer(), scorable=True),
        "title": _field(Positions(), GramAnalyzer(), scorable=True),
        "description": _field(Positions(), GramAnalyzer(), scorable=True),
        "personal": _field(Positions(), GramAnalyzer(), scorable=True),
        "words": _field(Frequency(), ValuesAnalyzer(), scorable=True),
        "allowed": _field(Existence(), ValuesAnalyzer()),
        "personal_allowed": _field(Existence(), ValuesAnalyzer()),
        "year": NUMERIC(int, bits=32, sortable=True),
        "date": NUMERIC(int, bits=32, sortable=True),
        "data": STORED(),
    }
    for name in KEYWORDS:
        fields[name] = ID(sortable=True)
    return Schema(**fields)


class Builder:
    """Query primitives for ``compile.Compiler``."""

    def all(self):
        return wq.Every()

    def none(self):
        return wq.NullQuery

    def term(self, field, value):
        return wq.Term(field, value)

    def phrase(self, field, tokens, prefix=False):
        if prefix:
            last = wq.Prefix(field, tokens[-1])
            if len(tokens) == 1:
                return last
            return wq.Sequence([wq.Term(field, t) for t in tokens[:-1]] + [last])
        if len(tokens) == 1:
            return wq.Term(field, tokens[0])
        return wq.Phrase(field, list(tokens), slop=1)

    def term_set(self, field, values):
        return wq.Or([wq.Term(field, v) for v in values]) if values else wq.NullQuery

    def range(self, field, low, high):
        if low is None and high is None:
            return wq.Every()
        return wq.NumericRange(field, low, high)

    def constant(self, query):
        return wq.ConstantScoreQuery(query, 0.0)

    def boost(self, query, factor):
        query = query.copy()
        query.boost = factor
        return query

    def boolean(self, must=(), should=(), must_not=()):
        must, should, must_not = list(must), list(should), list(must_not)
        if must:
            query = must[0] if len(must) == 1 else wq.And(must)
            if should:
                query = wq.AndMaybe(query, wq.Or(should))
        else:
            query = wq.Or(should) if len(should) != 1 else should[0]
        if must_not:
            query = wq.AndNot(query, wq.Or(must_not))
        return query


class WhooshEngine(BaseEngine):
    name = "whoosh"

    def __init__(self, path):
        super().__init__(path)
        if whoosh_index.exists_in(str(self.path)):
            self.ix = whoosh_index.open_dir(str(self.path))
            missing = set(_schema().names()) - set(self.ix.schema.names())
            if missing:
                # like Tantivy's schema check: the store moves it aside, reindex fills a new one
                raise ValueError(
                    f"The index was written without the fields {sorted(missing)}"
                )
        else:
            self.ix = whoosh_index.create_in(str(self.path), _schema())
        self.builder = Builder()
        self._local = threading.local()

    def _searcher(self):
        """This thread's searcher, reopened when another writer (thread or
        process) committed a new generation."""
        generation = self.ix.latest_generation()
        cached = getattr(self._local, "cached", None)
        if cached is None or cached[0] != generation:
            if cached is not None:
                cached[1].close()
            cached = self._local.cached = (generation, self.ix.searcher())
        return cached[1]

    def _fields(self, doc):
        fields = {
            "uid": doc.uid,
            "grams": doc.grams,
            "title": doc.title,
            "description": doc.description,
            # a string, so that the analyzer runs (lists are taken as terms)
            "personal": FIELD_SEPARATOR.join(doc.personal),
            "words": list(doc.words),
            "allowed": list(doc.allowed),
            "personal_allowed": list(doc.personal_allowed),
            "year": int(doc.year or 0),
            "date": int(doc.date or 0),
            "data": dict(doc.stored, uid=doc.uid, stamp=doc.stamp),
        }
        for name in KEYWORDS:
            value = doc.keywords.get(name)
            if value:
                fields[name] = value
        return fields

    def apply(self, changes, bulk=False):
        if not changes:
            return
        writer = self.ix.writer(limitmb=256 if bulk else 64)
        try:
            for uid, doc in changes.items():
                if not bulk:
                    writer.delete_by_term("uid", uid)
                if doc is not None:
                    writer.add_document(**self._fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=not bulk)

    def clear(self):
        writer = self.ix.writer()
        writer.commit(mergetype=CLEAR)

    def search(self, request, similar=False):
        query = self._query(request, similar)
        searcher = self._searcher()
        kwargs = {"limit": request.offset + max(request.limit, 1)}
        if request.sort in ("date", "-date"):
            kwargs["sortedby"] = sorting.FieldFacet(
                "date", reverse=request.sort == "-date"
            )
        groups = self._groups(request)
        if groups:
            kwargs["groupedby"] = groups
        results = searcher.search(query, **kwargs)
        hits = []
        for hit in results[request.offset : request.offset + request.limit]:
            data = hit["data"]
            score = float(hit.score or 0.0) if request.sort == "relevance" else 0.0
            hits.append(Hit(uid=data["uid"], score=score, stored=data))
        facets = self._facet_counts(results, groups, request) if groups else {}
        return SearchResult(total=len(results), hits=hits, facets=facets)

    def matching(self, query, view="grams"):
        results = self._searcher().search(self._compile_text(query, view), limit=None)
        return {hit["uid"]: float(hit.score or 0.0) for hit in results}

    def _groups(self, request):
        names = [n for n in request.facets if n in FACETS]
        return {n: sorting.FieldFacet(n, maptype=sorting.Count) for n in names}

    def _facet_counts(self, results, groups, request):
        out = {}
        for name in groups:
            counts = results.groups(name)
            pairs = sorted(
                ((str(v), c) for v, c in counts.items() if v not in (None, "", 0)),
                key=lambda pair: (-pair[1], pair[0]),
            )
            out[name] = pairs[: request.facet_size]
        return out

    def facets(self, request):
        groups = self._groups(request)
        if not groups:
            return {}
        results = self._searcher().search(
            self._query(request), limit=1, groupedby=groups
        )
        return self._facet_counts(results, groups, request)

    def stats(self):
        return {
            "engine": self.name,
            "path": str(self.path),
            "documents": self._searcher().doc_count(),
            "size_bytes": self.size_bytes(),
        }

    def stamps(self):
        out = {}
        for fields in self._searcher().all_stored_fields():
            data = fields.get("data") or {}
            out[data.get("uid") or fields.get("uid")] = data.get("stamp")
        return out
