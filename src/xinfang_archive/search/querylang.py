"""The query language of the archive's full-text search box.

What inspectors and archivists type is parsed here into a small tree of
frozen dataclasses (the AST).  The parser knows nothing about Whoosh or
Tantivy: it does not tokenize Chinese, score, or look at an index.  Each
engine compiles the same AST into its own query objects, so both engines
accept exactly the same syntax, report exactly the same errors, and the
syntax can be tested without an index.  The module is pure Python (standard
library plus ``zope.i18nmessageid`` for the error messages).

Syntax
======

The whole input is first normalised with ``unicodedata.normalize("NFKC")``:
full-width letters, digits, ``：``, ``（）``, ``＂`` and ``－`` become ASCII.
Positions in errors index this normalised text.  Grammar (precedence
NOT > AND, explicit or implicit > OR)::

    query    := blank | or_expr
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := unary (["AND"] unary)*         terms side by side are ANDed
    unary    := ("NOT" | "-") unary | primary
    primary  := "(" or_expr ")" | phrase | filter | word
    phrase   := '"' chars '"' | '“' chars '”' | '「' chars '」'
    filter   := field ":" (value | phrase)
    word     := any other run of characters without whitespace, parentheses
                or opening quotes

* ``AND``, ``OR`` and ``NOT`` are operators only in upper case; ``and`` is a
  word.  ``-`` is NOT only at the start of a term (``-拆迁``, ``-"..."``,
  ``-单位:x``, ``-(a OR b)``); inside a word it is a character, so codes such
  as ``XF-2024-000123``, ``〔2024〕5号`` or ``X001-XF·2024-D30-JSJ-0007`` are
  one word.  Chinese has no spaces: ``拆迁补偿`` is one word; segmenting it is
  the engine's business.
* Inside a phrase everything is literal; there are no escapes.
* Fields (Chinese name or English name, the English case-insensitively):
  年度/year, 类别/category, 单位/unit, 状态/state, 类型/type (portal_type),
  渠道/channel, 保管期限/retention, 等级/grade, 日期/date.  A word whose text
  before the first colon is not a field name (``10:30``, ``http://x``) is a
  plain word.  A filter value may be quoted (spaces just inside the quotes
  are dropped); it must not be empty.
* ``日期:`` takes a date (``2024-05-01``, ``2024-05``, ``2024``, separators
  ``-`` ``/`` ``.``, or ``2024年5月1日``, ``2024年5月``, ``2024年``) or a range
  ``start..end`` of such dates, either end open.  A month or year stands for
  its first day as a start and its last day as an end.  ``年度:2024`` is an
  exact filter on the year; ``年度:2020..2023`` (ends may be open) is a range
  of whole years.
* Syntax errors: a leading or trailing operator (``AND``, ``OR``, ``NOT``,
  ``-``), empty quotes or parentheses, an unclosed quote or parenthesis, an
  unmatched ``)``, parentheses nested deeper than ``MAX_DEPTH``, a filter
  without a value, an invalid date or year, a range whose start is after its
  end or that has neither.

Blank input is :class:`All`.  ``And``/``Or`` with one child are that child,
nested ``And``/``Or`` of the same kind are flattened, and a double negation
cancels out (``NOT -x`` is ``x``), so ``Not`` never directly holds a ``Not``.

Errors raise :class:`QuerySyntaxError`; its ``message`` is an i18n
``Message`` of the ``xinfang_archive`` domain whose ``${position}`` is the
1-based character number for people, while ``error.position`` is the 0-based
index into the normalised input for code.

:func:`to_text` writes an AST back as a canonical query string (Chinese field
names, ISO dates), with ``parse(to_text(parse(q))) == parse(q)``.
"""

from dataclasses import dataclass
from xinfang_archive import _

import calendar
import datetime
import re
import unicodedata


__all__ = [
    "All",
    "And",
    "Field",
    "Not",
    "Or",
    "QuerySyntaxError",
    "Range",
    "Text",
    "filters",
    "parse",
    "text_terms",
    "to_text",
]


# --------------------------------------------------------------------------
# The AST
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A bare word (``phrase=False``) or a quoted phrase, untokenized."""

    value: str
    phrase: bool = False


@dataclass(frozen=True)
class Field:
    """An exact filter on a keyword field (canonical field name)."""

    name: str
    value: str


@dataclass(frozen=True)
class Range:
    """An inclusive range on ``date`` or ``year``; ``None`` is an open end."""

    name: str
    start: datetime.date | None
    end: datetime.date | None


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class All:
    """The empty query: everything."""


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

#: Canonical field name -> the Chinese name used by :func:`to_text`.
FIELD_LABELS = {
    "year": "年度",
    "category": "类别",
    "unit": "单位",
    "state": "状态",
    "portal_type": "类型",
    "channel": "渠道",
    "retention": "保管期限",
    "grade": "等级",
    "date": "日期",
    "cause": "事由",
    "measure": "措施",
    "kind": "种类",
}

#: Chinese aliases (exact) and English aliases (lower case).
FIELD_ALIASES = {
    **{label: name for name, label in FIELD_LABELS.items()},
    "year": "year",
    "category": "category",
    "unit": "unit",
    "state": "state",
    "type": "portal_type",
    "channel": "channel",
    "retention": "retention",
    "grade": "grade",
    "date": "date",
    "cause": "cause",
    "measure": "measure",
    "kind": "kind",
}

#: Fields that give a :class:`Field`; ``date`` always gives a :class:`Range`,
#: ``year`` a :class:`Field` for one year and a :class:`Range` for a span.
KEYWORD_FIELDS = frozenset(FIELD_LABELS) - {"date"}
RANGE_FIELDS = frozenset({"date", "year"})

OPERATORS = frozenset({"AND", "OR", "NOT"})
QUOTES = {'"': '"', "“": "”", "「": "」"}  # opening -> closing
RANGE_SEPARATOR = ".."
MAX_DEPTH = 32  # parentheses; keeps the recursive descent far from Python's limit
# Bounds on what one query may ask of the server (an anonymous visitor's
# 250 KB query once held a worker for minutes): characters, then words,
# phrases and filters, then AND / OR / NOT.
MAX_LENGTH = 500
MAX_TERMS = 32
MAX_OPERATORS = 32

_YEAR_RE = re.compile(r"([0-9]{4})年?")
_DATE_RE = re.compile(r"([0-9]{4})(?:([-/.])([0-9]{1,2})(?:\2([0-9]{1,2}))?)?")
_DATE_CN_RE = re.compile(r"([0-9]{4})年(?:([0-9]{1,2})月(?:([0-9]{1,2})日)?)?")
_PLACEHOLDER_RE = re.compile(r"\$\{([a-zA-Z][-a-zA-Z0-9_]*)\}")


def field_name(alias):
    """The canonical field name of ``alias``, or ``None`` if it is not a field."""
    if alias in FIELD_ALIASES and not alias.isascii():
        return FIELD_ALIASES[alias]
    if alias.isascii():
        return FIELD_ALIASES.get(alias.lower())
    return None


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class QuerySyntaxError(Exception):
    """The search query cannot be parsed.

    ``message`` is a translatable ``Message``; ``position`` is the 0-based
    index of the offending character in the NFKC-normalised query.
    """

    def __init__(self, message, position):
        self.message = message
        self.position = position
        super().__init__(_interpolate(message))

    def __str__(self):
        return _interpolate(self.message)


def _interpolate(message):
    text = getattr(message, "default", None) or str(message)
    mapping = getattr(message, "mapping", None) or {}
    return _PLACEHOLDER_RE.sub(lambda m: str(mapping.get(m.group(1), m.group(0))), text)


def _at(position):
    """The 1-based character number shown to people."""
    return str(position + 1)


def _unclosed_quote(pos):
    return QuerySyntaxError(
        _(
            "Unclosed quote at character ${position} of the search query.",
            mapping={"position": _at(pos)},
        ),
        pos,
    )


def _empty_quotes(pos):
    return QuerySyntaxError(
        _(
            "Empty quotes at character ${position} of the search query.",
            mapping={"position": _at(pos)},
        ),
        pos,
    )


def _unclosed_parenthesis(pos):
    return QuerySyntaxError(
        _(
            "Unclosed parenthesis at character ${position} of the search query.",
            mapping={"position": _at(pos)},
        ),
        pos,
    )


def _unmatched_parenthesis(pos):
    return QuerySyntaxError(
        _(
            "Unmatched closing parenthesis at character ${position} of the search query.",
            mapping={"position": _at(pos)},
        ),
        pos,
    )


def _empty_parentheses(pos):
    return QuerySyntaxError(
        _(
            "Empty parentheses at character ${position} of the search query.",
            mapping={"position": _at(pos)},
        ),
        pos,
    )


def _too_deep(pos):
    return QuerySyntaxError(
        _(
            "Parentheses nested more than ${limit} deep at character ${position} of the search query.",
            mapping={"limit": str(MAX_DEPTH), "position": _at(pos)},
        ),
        pos,
    )


def _too_long(length):
    return QuerySyntaxError(
        _(
            "The search query is too long: ${length} characters, at most ${limit}.",
            mapping={"length": str(length), "limit": str(MAX_LENGTH)},
        ),
        MAX_LENGTH,
    )


def _check_counts(tokens):
    terms = [t for t in tokens if t.kind == "TERM"]
    if len(terms) > MAX_TERMS:
        raise QuerySyntaxError(
            _(
                "The search query has too many words: ${count}, at most ${limit}.",
                mapping={"count": str(len(terms)), "limit": str(MAX_TERMS)},
            ),
            terms[MAX_TERMS].pos,
        )
    operators = [t for t in tokens if t.kind in ("AND", "OR", "NOT")]
    if len(operators) > MAX_OPERATORS:
        raise QuerySyntaxError(
            _(
                "The search query has too many operators (AND, OR, NOT): ${count}, at most ${limit}.",
                mapping={"count": str(len(operators)), "limit": str(MAX_OPERATORS)},
            ),
            operators[MAX_OPERATORS].pos,
        )


def _nothing_before(token):
    return QuerySyntaxError(
        _(
            "The operator ${operator} at character ${position} has no search term before it.",
            mapping={"operator": token.text, "position": _at(token.pos)},
        ),
        token.pos,
    )


def _nothing_after(token):
    return QuerySyntaxError(
        _(
            "The operator ${operator} at character ${position} has no search term after it.",
            mapping={"operator": token.text, "position": _at(token.pos)},
        ),
        token.pos,
    )


def _no_value(field, pos):
    return QuerySyntaxError(
        _(
            "The filter ${field} at character ${position} has no value.",
            mapping={"field": field, "position": _at(pos)},
        ),
        pos,
    )


def _invalid_date(value, pos):
    return QuerySyntaxError(
        _(
            "Invalid date ${value} at character ${position} of the search query; "
            "write a date as 2024-05-01, 2024-05 or 2024.",
            mapping={"value": value, "position": _at(pos)},
        ),
        pos,
    )


def _invalid_year(value, pos):
    return QuerySyntaxError(
        _(
            "Invalid year ${value} at character ${position} of the search query; "
            "write a year as 2024.",
            mapping={"value": value, "position": _at(pos)},
        ),
        pos,
    )


def _reversed_range(pos):
    return QuerySyntaxError(
        _(
            "The range at character ${position} of the search query starts after it ends.",
            mapping={"position": _at(pos)},
        ),
        pos,
    )


def _unbounded_range(pos):
    return QuerySyntaxError(
        _(
            "The range at character ${position} of the search query has neither a start nor an end.",
            mapping={"position": _at(pos)},
        ),
        pos,
    )


# --------------------------------------------------------------------------
# Tree building (the simplifications every parse result obeys)
# --------------------------------------------------------------------------


def _combine(kind, children):
    flat = []
    for child in children:
        if isinstance(child, kind):
            flat.extend(child.children)
        else:
            flat.append(child)
    if len(flat) == 1:
        return flat[0]
    return kind(tuple(flat))


def _negate(node):
    return node.child if isinstance(node, Not) else Not(node)


# --------------------------------------------------------------------------
# Field values: dates and years
# --------------------------------------------------------------------------


def _date_bounds(text, pos):
    """``(first day, last day)`` of a day, month or year written in ``text``."""
    match = _DATE_RE.fullmatch(text)
    if match:
        year, month, day = match.group(1), match.group(3), match.group(4)
    else:
        match = _DATE_CN_RE.fullmatch(text)
        if not match:
            raise _invalid_date(text, pos)
        year, month, day = match.groups()
    try:
        year = int(year)
        if month is None:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        month = int(month)
        if day is None:
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return datetime.date(year, month, 1), datetime.date(year, month, last)
        first = datetime.date(year, month, int(day))
        return first, first
    except ValueError:
        raise _invalid_date(text, pos) from None


def _year_bounds(text, pos):
    match = _YEAR_RE.fullmatch(text)
    if not match or int(match.group(1)) < datetime.MINYEAR:
        raise _invalid_year(text, pos)
    year = int(match.group(1))
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _range(name, value, pos, bounds):
    """A :class:`Range` from ``start..end`` (either side may be empty)."""
    head, _sep, tail = value.partition(RANGE_SEPARATOR)
    if not head and not tail:
        raise _unbounded_range(pos)
    start = bounds(head, pos)[0] if head else None
    end = bounds(tail, pos + len(head) + len(RANGE_SEPARATOR))[1] if tail else None
    if start is not None and end is not None and start > end:
        raise _reversed_range(pos)
    return Range(name, start, end)


def _filter(alias, name, value, name_pos, value_pos):
    if not value:
        raise _no_value(alias, name_pos)
    if name == "date":
        if RANGE_SEPARATOR in value:
            return _range("date", value, value_pos, _date_bounds)
        return Range("date", *_date_bounds(value, value_pos))
    if name == "year":
        if RANGE_SEPARATOR in value:
            return _range("year", value, value_pos, _year_bounds)
        return Field("year", f"{_year_bounds(value, value_pos)[0].year:04d}")
    return Field(name, value)


# --------------------------------------------------------------------------
# Lexer
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # TERM, LPAREN, RPAREN, AND, OR, NOT, EOF
    pos: int
    text: str = ""
    node: object = None


def _ends_word(char):
    return char.isspace() or char in "()" or char in QUOTES


def _read_phrase(text, pos):
    """The content of the quote opening at ``pos`` and the index after it."""
    close = text.find(QUOTES[text[pos]], pos + 1)
    if close < 0:
        raise _unclosed_quote(pos)
    return text[pos + 1 : close], close + 1


def _tokens(text):
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "(":
            yield _Token("LPAREN", i, char)
            i += 1
        elif char == ")":
            yield _Token("RPAREN", i, char)
            i += 1
        elif char in QUOTES:
            value, end = _read_phrase(text, i)
            if not value.strip():
                raise _empty_quotes(i)
            yield _Token("TERM", i, text[i:end], Text(value, phrase=True))
            i = end
        elif char == "-":
            # A leading "-" negates the term glued to it; alone it dangles.
            token = _Token("NOT", i, char)
            if i + 1 == n or text[i + 1].isspace() or text[i + 1] == ")":
                raise _nothing_after(token)
            yield token
            i += 1
        else:
            end = i
            while end < n and not _ends_word(text[end]):
                end += 1
            word = text[i:end]
            if word in OPERATORS:
                yield _Token(word, i, word)
                i = end
                continue
            alias, colon, value = word.partition(":")
            name = field_name(alias) if colon and alias else None
            if name is None:
                yield _Token("TERM", i, word, Text(word))
                i = end
                continue
            value_pos = i + len(alias) + 1
            if not value and end < n and text[end] in QUOTES:
                value, quoted_end = _read_phrase(text, end)
                value_pos, end = end + 1, quoted_end
                # Spaces just inside the quotes are not part of a keyword.
                stripped = value.lstrip()
                value_pos += len(value) - len(stripped)
                value = stripped.rstrip()
            node = _filter(alias, name, value, i, value_pos)
            yield _Token("TERM", i, text[i:end], node)
            i = end
    yield _Token("EOF", n)


# --------------------------------------------------------------------------
# Parser (recursive descent)
# --------------------------------------------------------------------------


_TERM_STARTS = frozenset({"TERM", "LPAREN", "NOT"})


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.index = 0

    def peek(self):
        return self.tokens[self.index]

    def next(self):
        token = self.tokens[self.index]
        self.index += 1
        return token

    def operand_after(self, operator, parse):
        if self.peek().kind not in _TERM_STARTS:
            raise _nothing_after(operator)
        return parse()

    def or_expr(self, depth):
        children = [self.and_expr(depth)]
        while self.peek().kind == "OR":
            operator = self.next()
            children.append(self.operand_after(operator, lambda: self.and_expr(depth)))
        return _combine(Or, children)

    def and_expr(self, depth):
        children = [self.unary(depth)]
        while True:
            kind = self.peek().kind
            if kind == "AND":
                operator = self.next()
                children.append(self.operand_after(operator, lambda: self.unary(depth)))
            elif kind in _TERM_STARTS:
                children.append(self.unary(depth))
            else:
                return _combine(And, children)

    def unary(self, depth):
        negations = 0
        while self.peek().kind == "NOT":
            operator = self.next()
            negations += 1
        if negations:
            node = self.operand_after(operator, lambda: self.primary(depth))
        else:
            node = self.primary(depth)
        for _i in range(negations):
            node = _negate(node)
        return node

    def primary(self, depth):
        token = self.peek()
        if token.kind == "TERM":
            self.next()
            return token.node
        if token.kind == "LPAREN":
            self.next()
            inner = self.peek()
            if inner.kind == "RPAREN":
                raise _empty_parentheses(token.pos)
            if inner.kind == "EOF":
                raise _unclosed_parenthesis(token.pos)
            if depth + 1 > MAX_DEPTH:
                raise _too_deep(token.pos)
            node = self.or_expr(depth + 1)
            if self.peek().kind != "RPAREN":
                raise _unclosed_parenthesis(token.pos)
            self.next()
            return node
        if token.kind in ("AND", "OR"):
            raise _nothing_before(token)
        if token.kind == "RPAREN":
            raise _unmatched_parenthesis(token.pos)
        raise AssertionError(f"unexpected token {token!r}")  # pragma: no cover


def normalize(text):
    """The query text as the parser sees it (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def parse(text):
    """The AST of a search query; raise :class:`QuerySyntaxError` if invalid
    or over the limits (anonymous visitors search too: the length is checked
    before anything else is done with the text)."""
    if len(text) > MAX_LENGTH:
        raise _too_long(len(text))
    tokens = list(_tokens(normalize(text)))
    if tokens[0].kind == "EOF":
        return All()
    _check_counts(tokens)
    parser = _Parser(tokens)
    node = parser.or_expr(0)
    token = parser.peek()
    if token.kind == "RPAREN":
        raise _unmatched_parenthesis(token.pos)
    assert token.kind == "EOF", token  # noqa: S101 (an invariant of the grammar)
    return node


# --------------------------------------------------------------------------
# Back to text
# --------------------------------------------------------------------------


def _quote(value):
    if value:
        for opening, closing in QUOTES.items():
            if closing not in value:
                return f"{opening}{value}{closing}"
    raise ValueError(f"cannot write {value!r} as a quoted phrase")


def _plain(value):
    """True if ``value`` reads back as one word without quotes."""
    return bool(value) and not any(_ends_word(char) for char in value)


def _word(value):
    if (
        _plain(value)
        and not value.startswith("-")
        and value not in OPERATORS
        and not (":" in value and field_name(value.partition(":")[0]))
    ):
        return value
    # A manually built Text that cannot be a bare word: the closest is a phrase.
    return _quote(value)


def _iso(day):
    return day.isoformat()


def _range_text(node):
    start, end = node.start, node.end
    if start is None and end is None:
        raise ValueError(f"{node!r} has neither a start nor an end")
    if node.name == "year":
        if (start and (start.month, start.day) != (1, 1)) or (
            end and (end.month, end.day) != (12, 31)
        ):
            raise ValueError(f"{node!r} is not made of whole years")
        head = f"{start.year:04d}" if start else ""
        tail = f"{end.year:04d}" if end else ""
        return f"{head}{RANGE_SEPARATOR}{tail}"
    if node.name != "date":
        raise ValueError(f"{node!r} is not a range on date or year")
    if start and end:
        if start == end:
            return _iso(start)
        if start == datetime.date(start.year, 1, 1) and end == datetime.date(
            start.year, 12, 31
        ):
            return f"{start.year:04d}"
        last = calendar.monthrange(start.year, start.month)[1]
        if start.day == 1 and end == datetime.date(start.year, start.month, last):
            return f"{start.year:04d}-{start.month:02d}"
    return f"{_iso(start) if start else ''}{RANGE_SEPARATOR}{_iso(end) if end else ''}"


def _atom(node):
    return isinstance(node, (Text, Field, Range))


def to_text(node):
    """The canonical query string of ``node``.

    Field names are written in Chinese, dates in ISO form, ``-`` negates,
    ``OR`` separates alternatives and a space ANDs.  ``parse(to_text(n)) == n``
    for every ``n`` that :func:`parse` returns.  Raises ``ValueError`` for a
    tree no query string can express.
    """
    if isinstance(node, All):
        return ""
    if isinstance(node, Text):
        return _quote(node.value) if node.phrase else _word(node.value)
    if isinstance(node, Field):
        if node.name not in KEYWORD_FIELDS:
            raise ValueError(f"{node!r} is not a filter on a keyword field")
        value = node.value if _plain(node.value) else _quote(node.value)
        return f"{FIELD_LABELS[node.name]}:{value}"
    if isinstance(node, Range):
        return f"{FIELD_LABELS.get(node.name, node.name)}:{_range_text(node)}"
    if isinstance(node, Not):
        if isinstance(node.child, All):
            raise ValueError("NOT of the empty query cannot be written")
        inner = to_text(node.child)
        return f"-{inner}" if _atom(node.child) else f"-({inner})"
    if isinstance(node, (And, Or)):
        if not node.children or any(isinstance(child, All) for child in node.children):
            raise ValueError(f"{type(node).__name__} needs children other than All")
        if isinstance(node, Or):
            return " OR ".join(to_text(child) for child in node.children)
        return " ".join(
            f"({to_text(child)})" if isinstance(child, Or) else to_text(child)
            for child in node.children
        )
    raise TypeError(f"not a query node: {node!r}")


# --------------------------------------------------------------------------
# Questions engines and views ask
# --------------------------------------------------------------------------


def _walk(node, negated=False):
    """``(node, negated)`` for every node, depth first, in query order;
    ``negated`` is true for everything under a ``Not``."""
    yield node, negated
    if isinstance(node, Not):
        yield from _walk(node.child, True)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from _walk(child, negated)


def text_terms(node):
    """The positive :class:`Text` nodes (not under a ``Not``), first occurrence
    order, without duplicates: what to highlight in results."""
    found = []
    for child, negated in _walk(node):
        if isinstance(child, Text) and not negated and child not in found:
            found.append(child)
    return found


def filters(node, include_negated=False):
    """The :class:`Field` and :class:`Range` nodes in query order.

    Only those not under a ``Not`` unless ``include_negated`` (a facet is
    "active" when its positive filter is in the query).
    """
    return [
        child
        for child, negated in _walk(node)
        if isinstance(child, (Field, Range)) and (include_negated or not negated)
    ]
