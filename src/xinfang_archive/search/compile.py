"""From a ``querylang`` AST to an engine's native query.

The walk is written once; each engine gives a small builder with the
primitives (term, phrase, range, term set, boolean, match-all, constant
score). The semantics every engine then shares:

* a text term matches where the document contains it exactly
  (``analysis.query_grams`` as a phrase over ``grams``, its last token a
  prefix when it is a lone character), or where a
  personal number (ID, phone) equals it *and* the user may see the
  object's personal data;
* filters (field, range) do not change scores;
* the user's principals must meet the document's ``allowed`` tokens;
* query words that are jieba words of a document add to its score.
"""

from xinfang_archive.search import querylang as ql
from xinfang_archive.search.analysis import personal_form
from xinfang_archive.search.analysis import query_grams
from xinfang_archive.search.model import KEYWORDS


WORD_BOOST = 2.0


def _int_date(value, default):
    if value is None:
        return default
    return value.year * 10000 + value.month * 100 + value.day


def _year_of(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class Compiler:
    """``personal=False`` leaves the personal view out altogether: the
    catalog's ``SearchableText`` never matches a personal number, for anyone.
    ``view`` is the text searched (``model.TEXT_VIEWS``)."""

    def __init__(self, builder, principals=None, personal=True, view="grams"):
        self.b = builder
        self.principals = None if principals is None else sorted(set(principals))
        self.personal = personal
        self.view = view

    def text(self, value):
        tokens, prefix = query_grams(value)
        if not tokens:
            # punctuation only: nothing to look for, no constraint
            return self.b.all()
        grams = self.b.phrase(self.view, tokens, prefix)
        if not self.personal:
            return grams
        personal_tokens, personal_prefix = query_grams(personal_form(value))
        personal = self.b.phrase("personal", personal_tokens or tokens, personal_prefix)
        if self.principals is not None:
            personal = self.b.boolean(
                must=[personal, self.b.term_set("personal_allowed", self.principals)]
            )
        return self.b.boolean(should=[grams, personal])

    def field(self, name, value):
        if name == "year":
            year = _year_of(value)
            if year is None:
                return self.b.none()
            return self.b.constant(self.b.range("year", year, year))
        if name not in KEYWORDS:
            return self.b.none()
        return self.b.constant(self.b.term(name, value))

    def range_(self, node):
        if node.name == "year":
            low = node.start.year if node.start else None
            high = node.end.year if node.end else None
            return self.b.constant(self.b.range("year", low, high))
        low = _int_date(node.start, None)
        high = _int_date(node.end, None)
        return self.b.constant(self.b.range("date", low, high))

    def node(self, node):
        if isinstance(node, ql.All):
            return self.b.all()
        if isinstance(node, ql.Text):
            return self.text(node.value)
        if isinstance(node, ql.Field):
            return self.field(node.name, node.value)
        if isinstance(node, ql.Range):
            return self.range_(node)
        if isinstance(node, ql.And):
            must = [self.node(c) for c in node.children if not isinstance(c, ql.Not)]
            must_not = [
                self.node(c.child) for c in node.children if isinstance(c, ql.Not)
            ]
            return self.b.boolean(must=must or [self.b.all()], must_not=must_not)
        if isinstance(node, ql.Or):
            return self.b.boolean(should=[self.node(c) for c in node.children])
        if isinstance(node, ql.Not):
            return self.b.boolean(must=[self.b.all()], must_not=[self.node(node.child)])
        raise TypeError(f"Not a query node: {node!r}")

    def request(self, request, similar=False):
        """The whole query of a ``SearchRequest``: its AST, the security
        filter, excluded UIDs and the word boosts (or, for ``similar``, the
        words alone)."""
        must = []
        words = [w for w in request.boost_words if w]
        word_terms = [self.b.term("words", w) for w in dict.fromkeys(words)]
        if similar:
            must.append(self.b.boolean(should=word_terms or [self.b.none()]))
            if not isinstance(request.query, ql.All):
                must.append(self.node(request.query))
        else:
            must.append(self.node(request.query))
        if self.principals is not None:
            must.append(self.b.constant(self.b.term_set("allowed", self.principals)))
        must_not = [self.b.term("uid", uid) for uid in request.exclude_uids]
        should = []
        if not similar and word_terms:
            should = [self.b.boost(t, WORD_BOOST) for t in word_terms]
        return self.b.boolean(must=must, should=should, must_not=must_not)
