"""The search box's query language: parsing, errors, canonical text, helpers.

Pure Python: no Plone layer, no search engine.
"""

from datetime import date
from xinfang_archive.search.querylang import All
from xinfang_archive.search.querylang import And
from xinfang_archive.search.querylang import Field
from xinfang_archive.search.querylang import filters
from xinfang_archive.search.querylang import MAX_DEPTH
from xinfang_archive.search.querylang import Not
from xinfang_archive.search.querylang import Or
from xinfang_archive.search.querylang import parse
from xinfang_archive.search.querylang import QuerySyntaxError
from xinfang_archive.search.querylang import Range
from xinfang_archive.search.querylang import Text
from xinfang_archive.search.querylang import text_terms
from xinfang_archive.search.querylang import to_text
from zope.i18nmessageid import Message

import dataclasses
import pytest
import random
import unicodedata


def T(value):
    return Text(value)


def P(value):
    return Text(value, phrase=True)


def D(name, start, end):
    return Range(name, start, end)


a, b, c, d = T("a"), T("b"), T("c"), T("d")


# --- the AST ---------------------------------------------------------------


def test_nodes_are_frozen_and_hashable():
    node = parse('a "b c" 单位:x 日期:2024')
    hash(node)
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.children = ()
    assert Text("x") == Text("x", phrase=False) != Text("x", phrase=True)


@pytest.mark.parametrize("query", ["", " ", "   ", "\t\n", "\u3000", " \u3000 \t"])
def test_blank_is_all(query):
    assert parse(query) == All()


# --- words, phrases, implicit AND ------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("拆迁补偿", T("拆迁补偿")),
        ("  拆迁补偿  ", T("拆迁补偿")),
        ("拆迁 补偿", And((T("拆迁"), T("补偿")))),
        ("拆迁\u3000补偿", And((T("拆迁"), T("补偿")))),
        ("拆迁\t补偿\n安置", And((T("拆迁"), T("补偿"), T("安置")))),
        ('"拆迁 补偿"', P("拆迁 补偿")),
        ("“拆迁 补偿”", P("拆迁 补偿")),
        ("「拆迁 补偿」", P("拆迁 补偿")),
        ("＂拆迁 补偿＂", P("拆迁 补偿")),
        ('" 空格 "', P(" 空格 ")),
        ('关于"拆迁"的', And((T("关于"), P("拆迁"), T("的")))),
        ("关于“拆迁”的信", And((T("关于"), P("拆迁"), T("的信")))),
        ('"a""b"', And((P("a"), P("b")))),
        ("and", T("and")),
        ("a and b or c not d", And((a, T("and"), b, T("or"), c, T("not"), d))),
        ("And Or Not", And((T("And"), T("Or"), T("Not")))),
        ("ANDROID", T("ANDROID")),
        ("a-", T("a-")),
        ("abc”", T("abc”")),
        ("a」b", T("a」b")),
    ],
)
def test_words_and_phrases(query, expected):
    assert parse(query) == expected


@pytest.mark.parametrize(
    "query, value",
    [
        ('"a OR b"', "a OR b"),
        ('"NOT a"', "NOT a"),
        ('"-a"', "-a"),
        ('"(a)"', "(a)"),
        ('"单位:市信访局"', "单位:市信访局"),
        ('"a “b” c"', "a “b” c"),
        ('“a "b" c”', 'a "b" c'),
        ("「“引”」", "“引”"),
        ('"日期:2024-13-01"', "日期:2024-13-01"),
        ('"AND"', "AND"),
    ],
)
def test_everything_inside_a_phrase_is_literal(query, value):
    assert parse(query) == P(value)


# --- codes -----------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "〔2024〕5号",
        "XF-2024-000123",
        "X001-XF·2024-D30-JSJ-0007",
        "京信复〔2024〕5号",
        "京信访〔2023〕12号",
        "10:30",
        "http://x",
        "https://example.org/a?b=c",
        "foo:bar",
        "abc:",
        ":abc",
        "A-B-C",
        "2024-05-01",
        "a..b",
    ],
)
def test_codes_survive_as_one_word(code):
    assert parse(code) == T(code)
    assert parse(f"{code} 拆迁") == And((T(code), T("拆迁")))
    assert parse(f"-{code}") == Not(T(code))


# --- NFKC ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ＸＦ－２０２４", T("XF-2024")),
        ("ＸＦ－２０２４－０００１２３", T("XF-2024-000123")),
        ("ａｂｃ", T("abc")),
        ("单位：市信访局", Field("unit", "市信访局")),
        ("年度：２０２４", Field("year", "2024")),
        ("ｙｅａｒ：２０２４", Field("year", "2024")),
        ("日期：２０２４－０５－０１", D("date", date(2024, 5, 1), date(2024, 5, 1))),
        ("（a ＯＲ b）", Or((a, b))),
        ("ａ ＡＮＤ ｂ", And((a, b))),
        ("＂全角 引号＂", P("全角 引号")),
        ("－拆迁", Not(T("拆迁"))),
        ("10：30", T("10:30")),
        ("①", T("1")),
    ],
)
def test_nfkc(query, expected):
    assert parse(query) == expected


def test_chinese_quotes_survive_nfkc():
    for char in "“”「」":
        assert unicodedata.normalize("NFKC", char) == char


# --- operators, precedence, flattening -------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("a AND b", And((a, b))),
        ("a b", And((a, b))),
        ("a OR b", Or((a, b))),
        ("NOT a", Not(a)),
        ("-a", Not(a)),
        ("a -b", And((a, Not(b)))),
        ("a NOT b", And((a, Not(b)))),
        ("a AND NOT b", And((a, Not(b)))),
        ("a OR NOT b", Or((a, Not(b)))),
        ("a OR b c", Or((a, And((b, c))))),
        ("a b OR c", Or((And((a, b)), c))),
        ("a OR b AND c", Or((a, And((b, c))))),
        ("a AND b OR c AND d", Or((And((a, b)), And((c, d))))),
        ("a b OR c d", Or((And((a, b)), And((c, d))))),
        ("NOT a b", And((Not(a), b))),
        ("NOT a OR b", Or((Not(a), b))),
        ("(a OR b) c", And((Or((a, b)), c))),
        ("a (b OR c)", And((a, Or((b, c))))),
        ("NOT (a OR b)", Not(Or((a, b)))),
        ("-(a OR b)", Not(Or((a, b)))),
        ("-(a b)", Not(And((a, b)))),
        ('-"a b"', Not(P("a b"))),
        ("-“a b”", Not(P("a b"))),
        ("-「a b」", Not(P("a b"))),
        ("-单位:市信访局", Not(Field("unit", "市信访局"))),
        ("NOT 单位:市信访局", Not(Field("unit", "市信访局"))),
        ('"a"-b', And((P("a"), Not(b)))),
        ("(a)-b", And((a, Not(b)))),
        ("(a)(b)", And((a, b))),
        ("a(b)", And((a, b))),
        ("NOT(a)", Not(a)),
    ],
)
def test_operators_and_precedence(query, expected):
    assert parse(query) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("a (b c)", And((a, b, c))),
        ("(a b) (c d)", And((a, b, c, d))),
        ("a AND (b AND (c AND d))", And((a, b, c, d))),
        ("(a OR b) OR c", Or((a, b, c))),
        ("a OR (b OR (c OR d))", Or((a, b, c, d))),
        ("a OR b OR c OR d", Or((a, b, c, d))),
        ("(a)", a),
        ("((a))", a),
        ("(((a b)))", And((a, b))),
        ("(a OR b) (c OR d)", And((Or((a, b)), Or((c, d))))),
        ("(a b) OR (c d)", Or((And((a, b)), And((c, d))))),
        ("a (b OR (c d))", And((a, Or((b, And((c, d))))))),
        ("NOT NOT a", a),
        ("--a", a),
        ("NOT -a", a),
        ("---a", Not(a)),
        ("-(-a)", a),
        ("-(NOT a)", a),
        ("-(-a b)", Not(And((Not(a), b)))),
    ],
)
def test_simplification(query, expected):
    assert parse(query) == expected


def test_single_child_never_wrapped_and_no_nesting_of_same_kind():
    def check(node):
        if isinstance(node, (And, Or)):
            assert len(node.children) >= 2
            assert isinstance(node.children, tuple)
            for child in node.children:
                assert not isinstance(child, type(node))
                check(child)
        elif isinstance(node, Not):
            assert not isinstance(node.child, Not)
            check(node.child)

    for query in ROUND_TRIP:
        check(parse(query))


# --- fields ----------------------------------------------------------------


@pytest.mark.parametrize(
    "alias, name",
    [
        ("年度", "year"),
        ("year", "year"),
        ("类别", "category"),
        ("category", "category"),
        ("单位", "unit"),
        ("unit", "unit"),
        ("状态", "state"),
        ("state", "state"),
        ("类型", "portal_type"),
        ("type", "portal_type"),
        ("渠道", "channel"),
        ("channel", "channel"),
        ("保管期限", "retention"),
        ("retention", "retention"),
        ("等级", "grade"),
        ("grade", "grade"),
        ("UNIT", "unit"),
        ("Type", "portal_type"),
        ("ＲＥＴＥＮＴＩＯＮ", "retention"),
    ],
)
@pytest.mark.parametrize("colon", [":", "："])
def test_field_aliases(alias, name, colon):
    value = "2024" if name == "year" else "某值"
    assert parse(f"{alias}{colon}{value}") == Field(name, value)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("状态:closed", Field("state", "closed")),
        ("类型:xinfang_case", Field("portal_type", "xinfang_case")),
        ("保管期限:30年", Field("retention", "30年")),
        ("保管期限:永久", Field("retention", "永久")),
        ("渠道:网上信访", Field("channel", "网上信访")),
        ("类别:城乡建设 拆迁", And((Field("category", "城乡建设"), T("拆迁")))),
        ('单位:"市 信访局"', Field("unit", "市 信访局")),
        ("单位:“市信访局”", Field("unit", "市信访局")),
        ("单位:「市信访局」", Field("unit", "市信访局")),
        ("单位：“市信访局”", Field("unit", "市信访局")),
        ('单位:" 市信访局 "', Field("unit", "市信访局")),
        ('单位:"a OR b"', Field("unit", "a OR b")),
        ("单位:a:b", Field("unit", "a:b")),
        ("单位:a-b", Field("unit", "a-b")),
        ("单位:-x", Field("unit", "-x")),
        ("单位:AND", Field("unit", "AND")),
        ('年度:"2024"', Field("year", "2024")),
        ("年度:2024年", Field("year", "2024")),
        ("year:2024", Field("year", "2024")),
        ("单位:x(y)", And((Field("unit", "x"), T("y")))),
        ("(单位:x)", Field("unit", "x")),
        ("单位 : x", And((T("单位"), T(":"), T("x")))),
        ("单位x:y", T("单位x:y")),
        ("unitx:y", T("unitx:y")),
        ('abc:"x"', And((T("abc:"), P("x")))),
        (
            "状态:closed OR 状态:replied",
            Or((Field("state", "closed"), Field("state", "replied"))),
        ),
    ],
)
def test_fields(query, expected):
    assert parse(query) == expected


# --- dates and years -------------------------------------------------------


@pytest.mark.parametrize(
    "value, start, end",
    [
        ("2024-01-01..2024-06-30", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-03-01..", date(2024, 3, 1), None),
        ("..2024-03-31", None, date(2024, 3, 31)),
        ("2024-05-01", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024-5-1", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024-05", date(2024, 5, 1), date(2024, 5, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-4", date(2024, 4, 1), date(2024, 4, 30)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024/05/01", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024.05.01", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024/05", date(2024, 5, 1), date(2024, 5, 31)),
        ("2024.05", date(2024, 5, 1), date(2024, 5, 31)),
        ("2024年5月1日", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024年05月01日", date(2024, 5, 1), date(2024, 5, 1)),
        ("2024年5月", date(2024, 5, 1), date(2024, 5, 31)),
        ("2024年", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-01..2024-03", date(2024, 1, 1), date(2024, 3, 31)),
        ("2023..2024", date(2023, 1, 1), date(2024, 12, 31)),
        ("2024..", date(2024, 1, 1), None),
        ("..2024", None, date(2024, 12, 31)),
        ("..2024-02", None, date(2024, 2, 29)),
        ("2024-02..", date(2024, 2, 1), None),
        ("2024年1月..2024年6月", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024年1月1日..2024年6月30日", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024.01.01..2024.06.30", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024/01/01..2024/06/30", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-01-01..2024/06", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-05-01..2024-05-01", date(2024, 5, 1), date(2024, 5, 1)),
        ("２０２４－０５－０１", date(2024, 5, 1), date(2024, 5, 1)),
        ("２０２４年５月", date(2024, 5, 1), date(2024, 5, 31)),
    ],
)
@pytest.mark.parametrize("alias", ["日期", "date", "DATE"])
def test_date_ranges(alias, value, start, end):
    assert parse(f"{alias}:{value}") == D("date", start, end)
    assert parse(f'{alias}:"{value}"') == D("date", start, end)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("年度:2024", Field("year", "2024")),
        ("年度:2020..2023", D("year", date(2020, 1, 1), date(2023, 12, 31))),
        ("年度:2020..", D("year", date(2020, 1, 1), None)),
        ("年度:..2023", D("year", None, date(2023, 12, 31))),
        ("年度:2020..2020", D("year", date(2020, 1, 1), date(2020, 12, 31))),
        ("年度:2020年..2023年", D("year", date(2020, 1, 1), date(2023, 12, 31))),
        ("year:2020..2023", D("year", date(2020, 1, 1), date(2023, 12, 31))),
        ("-年度:2020..2023", Not(D("year", date(2020, 1, 1), date(2023, 12, 31)))),
    ],
)
def test_years(query, expected):
    assert parse(query) == expected


# --- errors ----------------------------------------------------------------

BEFORE = (
    "The operator ${operator} at character ${position} has no search term before it."
)
AFTER = "The operator ${operator} at character ${position} has no search term after it."
UNBOUNDED = "The range at character ${position} of the search query has neither a start nor an end."
REVERSED = (
    "The range at character ${position} of the search query starts after it ends."
)


@pytest.mark.parametrize(
    "query, position, msgid_start",
    [
        # quotes
        ('"abc', 0, "Unclosed quote"),
        ('a "abc', 2, "Unclosed quote"),
        ("“abc", 0, "Unclosed quote"),
        ('“abc"', 0, "Unclosed quote"),
        ("「abc", 0, "Unclosed quote"),
        ("「abc”", 0, "Unclosed quote"),
        ('a "b" "c', 6, "Unclosed quote"),
        ('单位:"abc', 3, "Unclosed quote"),
        ('-"abc', 1, "Unclosed quote"),
        ('abc"def', 3, "Unclosed quote"),
        ('""', 0, "Empty quotes"),
        ('a " "', 2, "Empty quotes"),
        ("“”", 0, "Empty quotes"),
        ("「　」", 0, "Empty quotes"),
        # parentheses
        ("(a", 0, "Unclosed parenthesis"),
        ("(", 0, "Unclosed parenthesis"),
        ("a (b (c)", 2, "Unclosed parenthesis"),
        ("(a OR (b)", 0, "Unclosed parenthesis"),
        ("a)", 1, "Unmatched closing parenthesis"),
        (")", 0, "Unmatched closing parenthesis"),
        ("(a))", 3, "Unmatched closing parenthesis"),
        ("a OR b) c", 6, "Unmatched closing parenthesis"),
        ("()", 0, "Empty parentheses"),
        ("a ( )", 2, "Empty parentheses"),
        ("（）", 0, "Empty parentheses"),
        ("(())", 1, "Empty parentheses"),
        ("-()", 1, "Empty parentheses"),
        # dangling operators
        ("AND a", 0, BEFORE),
        ("OR a", 0, BEFORE),
        ("a (OR b)", 3, BEFORE),
        ("AND", 0, BEFORE),
        ("a AND", 2, AFTER),
        ("a OR", 2, AFTER),
        ("a NOT", 2, AFTER),
        ("NOT", 0, AFTER),
        ("NOT NOT", 4, AFTER),
        ("a AND OR b", 2, AFTER),
        ("a OR OR b", 2, AFTER),
        ("a OR AND b", 2, AFTER),
        ("a NOT OR b", 2, AFTER),
        ("(a AND) b", 3, AFTER),
        ("(a OR)", 3, AFTER),
        ("(NOT)", 1, AFTER),
        ("-", 0, AFTER),
        ("a -", 2, AFTER),
        ("a - b", 2, AFTER),
        ("(a -)", 3, AFTER),
        ("-AND a", 0, AFTER),
        ("a －", 2, AFTER),
        # filters
        ("单位:", 0, "The filter"),
        ("a 状态:", 2, "The filter"),
        ('单位:""', 0, "The filter"),
        ("单位:“ ”", 0, "The filter"),
        ("日期:", 0, "The filter"),
        ("-year:", 1, "The filter"),
        ("年度:", 0, "The filter"),
        # dates
        ("日期:2024-13-01", 3, "Invalid date"),
        ("日期:2024-02-30", 3, "Invalid date"),
        ("日期:2023-02-29", 3, "Invalid date"),
        ("日期:2024-00", 3, "Invalid date"),
        ("日期:2024-13", 3, "Invalid date"),
        ("日期:2024-05-00", 3, "Invalid date"),
        ("日期:abc", 3, "Invalid date"),
        ("日期:24-05-01", 3, "Invalid date"),
        ("日期:0000", 3, "Invalid date"),
        ("日期:2024-05/01", 3, "Invalid date"),
        ("日期:2024-05-01-02", 3, "Invalid date"),
        ("日期:2024年13月", 3, "Invalid date"),
        ("日期:2024年5月1", 3, "Invalid date"),
        ("日期:2024-01-01..abc", 15, "Invalid date"),
        ("日期:abc..2024", 3, "Invalid date"),
        ("日期:2024..2025..2026", 9, "Invalid date"),
        ("日期:2024...2025", 9, "Invalid date"),
        ('日期:"2024-13-01"', 4, "Invalid date"),
        ("x 日期:2024-13-01", 5, "Invalid date"),
        ("date:2024-13-01", 5, "Invalid date"),
        ("日期:..", 3, UNBOUNDED),
        ("年度:..", 3, UNBOUNDED),
        ("日期:2024-06-30..2024-01-01", 3, REVERSED),
        ("日期:2024-05..2024-04-30", 3, REVERSED),
        ("日期:2025..2024", 3, REVERSED),
        ("年度:2023..2020", 3, REVERSED),
        # years
        ("年度:abc", 3, "Invalid year"),
        ("年度:24", 3, "Invalid year"),
        ("年度:20240", 3, "Invalid year"),
        ("年度:2024-05", 3, "Invalid year"),
        ("年度:0000", 3, "Invalid year"),
        ("年度:2020..20x", 9, "Invalid year"),
        ("year:x..2020", 5, "Invalid year"),
    ],
)
def test_errors(query, position, msgid_start):
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    error = info.value
    assert error.position == position
    assert isinstance(error.message, Message)
    assert error.message.domain == "xinfang_archive"
    assert str(error.message).startswith(msgid_start)
    # readable English, every placeholder filled in
    text = str(error)
    assert "${" not in text and text.endswith(".")
    assert error.args == (text,)
    if "${position}" in str(error.message):
        assert error.message.mapping["position"] == str(position + 1)
        assert f"character {position + 1}" in text


def test_error_position_indexes_the_normalised_text():
    # "ﬃ" (one character) becomes "ffi" (three) under NFKC
    with pytest.raises(QuerySyntaxError) as info:
        parse('ﬃ "x')
    assert info.value.position == 4


def test_error_messages_are_readable():
    with pytest.raises(QuerySyntaxError) as info:
        parse("拆迁 AND")
    assert (
        str(info.value)
        == "The operator AND at character 4 has no search term after it."
    )
    with pytest.raises(QuerySyntaxError) as info:
        parse("日期:2024-13-01")
    assert str(info.value) == (
        "Invalid date 2024-13-01 at character 4 of the search query; "
        "write a date as 2024-05-01, 2024-05 or 2024."
    )
    assert info.value.message.mapping == {"value": "2024-13-01", "position": "4"}
    with pytest.raises(QuerySyntaxError) as info:
        parse("单位：")
    assert str(info.value) == "The filter 单位 at character 1 has no value."


def test_nesting_is_limited():
    assert parse("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH) == a
    with pytest.raises(QuerySyntaxError) as info:
        parse("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))
    assert info.value.position == MAX_DEPTH
    assert str(info.value.message).startswith("Parentheses nested more than")


def test_fuzz_parse_either_fails_cleanly_or_round_trips():
    pieces = [
        "a", "拆迁", "AND", "OR", "NOT", "-", "(", ")", '"', "“", "”", "「", "」", " ", " ",
        "单位:", "日期:", "年度:", "2024", "-05", "..", "2023", "年", "5月", ":", "：", "－",
        "（", "）", "＂", "10:30", "〔2024〕", "·", "\u3000",
    ]  # fmt: skip
    rng = random.Random(20240501)
    for _i in range(5000):
        query = "".join(rng.choice(pieces) for _j in range(rng.randint(0, 12)))
        try:
            node = parse(query)
        except QuerySyntaxError as error:
            assert 0 <= error.position < len(unicodedata.normalize("NFKC", query)), (
                query
            )
            assert "${" not in str(error)
            continue
        text = to_text(node)
        assert parse(text) == node, (query, text)
        assert to_text(parse(text)) == text, (query, text)


def test_long_queries_are_refused_cleanly():
    """Past the limits a query is refused with a position, never parsed
    (nor a recursion error): 5,000 words, 5,001 NOTs."""
    from xinfang_archive.search.querylang import MAX_OPERATORS
    from xinfang_archive.search.querylang import MAX_TERMS

    words = [f"w{i}" for i in range(MAX_TERMS)]
    assert parse(" ".join(words)) == And(tuple(T(w) for w in words))
    assert parse("-" * MAX_OPERATORS + "a") is not None  # at the limit: parsed
    for query in (
        " ".join(f"w{i}" for i in range(5000)),
        "-" * 5001 + "a",
        "-" * 400 + "a",
    ):
        with pytest.raises(QuerySyntaxError) as refused:
            parse(query)
        assert 0 <= refused.value.position <= len(query)


# --- round trip ------------------------------------------------------------


ROUND_TRIP = [
    "拆迁补偿",
    "拆迁 补偿",
    '"拆迁 补偿" 安置',
    "“拆迁 补偿”",
    "「拆迁 补偿」",
    '"a “b” 「c」"',
    '“a "b" 「c」”',
    '「a "b" “c”」',
    "a OR b c",
    "a b OR c d",
    "(a OR b) (c OR d)",
    "NOT (a OR b) c",
    "-a -b -c",
    "-(a b) OR -c",
    "-(-a b)",
    "a (b OR (c -d))",
    "单位：市信访局",
    '单位:"市 信访局" 类别:城乡建设',
    '单位:“a "b"”',
    "UNIT:x STATE:closed type:xinfang_case channel:来信 retention:永久 grade:A category:c",
    "年度:2024",
    "年度:2020..2023",
    "年度:2020..",
    "年度:..2023",
    "年度:2020..2020",
    "日期:2024-01-01..2024-06-30",
    "日期:2024-03-01..",
    "日期:..2024-03-31",
    "日期:2024-05-01",
    "日期:2024-05",
    "日期:2024",
    "日期:2024-01..2024-03",
    "日期:2024年5月1日",
    "日期:2024/02",
    "date:2023..2024",
    "〔2024〕5号 XF-2024-000123",
    "X001-XF·2024-D30-JSJ-0007 京信复〔2024〕5号",
    "10:30 http://x abc: :abc",
    "ＸＦ－２０２４",
    "a and b or c not d",
    "abc” a」b",
    "NOT NOT a",
    "(((a b)))",
    "状态:closed OR 状态:replied -等级:机密",
    '拆迁 (单位:市信访局 OR 单位:"区 信访局") -日期:2020..2022 年度:2023..',
    "",
    "   ",
]


@pytest.mark.parametrize("query", ROUND_TRIP)
def test_round_trip(query):
    node = parse(query)
    text = to_text(node)
    assert parse(text) == node
    assert to_text(parse(text)) == text  # canonical: a fixed point


@pytest.mark.parametrize(
    "node, text",
    [
        (All(), ""),
        (T("拆迁"), "拆迁"),
        (P("拆迁 补偿"), '"拆迁 补偿"'),
        (P('a "b"'), '“a "b"”'),
        (P('a "b" “c”'), '「a "b" “c”」'),
        (And((a, b)), "a b"),
        (Or((a, b)), "a OR b"),
        (And((a, Or((b, c)))), "a (b OR c)"),
        (Or((a, And((b, c)))), "a OR b c"),
        (Not(a), "-a"),
        (Not(P("a b")), '-"a b"'),
        (Not(Or((a, b))), "-(a OR b)"),
        (Not(And((a, b))), "-(a b)"),
        (Field("unit", "市信访局"), "单位:市信访局"),
        (Field("unit", "市 信访局"), '单位:"市 信访局"'),
        (Field("portal_type", "xinfang_case"), "类型:xinfang_case"),
        (Field("year", "2024"), "年度:2024"),
        (Not(Field("state", "closed")), "-状态:closed"),
        (D("date", date(2024, 1, 1), date(2024, 6, 30)), "日期:2024-01-01..2024-06-30"),
        (D("date", date(2024, 3, 1), None), "日期:2024-03-01.."),
        (D("date", None, date(2024, 3, 31)), "日期:..2024-03-31"),
        (D("date", date(2024, 5, 1), date(2024, 5, 1)), "日期:2024-05-01"),
        (D("date", date(2024, 5, 1), date(2024, 5, 31)), "日期:2024-05"),
        (D("date", date(2024, 1, 1), date(2024, 12, 31)), "日期:2024"),
        (
            D("date", date(2024, 1, 1), date(2025, 12, 31)),
            "日期:2024-01-01..2025-12-31",
        ),
        (D("year", date(2020, 1, 1), date(2023, 12, 31)), "年度:2020..2023"),
        (D("year", date(2020, 1, 1), None), "年度:2020.."),
        (D("year", None, date(2023, 12, 31)), "年度:..2023"),
    ],
)
def test_to_text(node, text):
    assert to_text(node) == text
    assert parse(text) == node


def test_to_text_adds_a_facet_filter_to_the_current_query():
    current = parse("拆迁 OR 补偿")
    linked = to_text(And((current, Field("unit", "市 信访局"))))
    assert linked == '(拆迁 OR 补偿) 单位:"市 信访局"'
    assert parse(linked) == And(
        (Or((T("拆迁"), T("补偿"))), Field("unit", "市 信访局"))
    )
    current = parse("拆迁 补偿")
    linked = to_text(And((current, D("date", date(2024, 5, 1), date(2024, 5, 31)))))
    assert parse(linked) == And(
        (T("拆迁"), T("补偿"), D("date", date(2024, 5, 1), date(2024, 5, 31)))
    )


@pytest.mark.parametrize(
    "node, reparsed",
    [
        # bare words that cannot be written bare come back as phrases
        (T("a b"), P("a b")),
        (T("AND"), P("AND")),
        (T("-a"), P("-a")),
        (T("单位:x"), P("单位:x")),
        (T("(a)"), P("(a)")),
    ],
)
def test_to_text_quotes_words_that_would_not_read_back(node, reparsed):
    assert parse(to_text(node)) == reparsed


@pytest.mark.parametrize(
    "node",
    [
        P(""),
        P('"”」'),
        Field("unit", ""),
        Field("date", "2024"),
        Field("nope", "x"),
        D("date", None, None),
        D("year", date(2020, 2, 1), None),
        D("year", None, date(2020, 6, 30)),
        D("unit", date(2020, 1, 1), None),
        Not(All()),
        And(()),
        Or((a, All())),
    ],
)
def test_to_text_refuses_what_no_query_expresses(node):
    with pytest.raises(ValueError):
        to_text(node)


def test_to_text_refuses_non_nodes():
    with pytest.raises(TypeError):
        to_text("a")


# --- text_terms and filters ------------------------------------------------


@pytest.mark.parametrize(
    "query, terms",
    [
        ("", []),
        ("拆迁", [T("拆迁")]),
        ('拆迁 "补偿 标准" -安置', [T("拆迁"), P("补偿 标准")]),
        ("a OR (b -c) NOT (d OR e)", [a, b]),
        ("a a b a", [a, b]),
        ('a "a"', [a, P("a")]),
        ("--a", [a]),
        ("-(-a b)", []),
        ("单位:x 日期:2024", []),
        ("单位:x 拆迁 -年度:2020", [T("拆迁")]),
    ],
)
def test_text_terms(query, terms):
    assert text_terms(parse(query)) == terms


@pytest.mark.parametrize(
    "query, positive, everything",
    [
        ("", [], []),
        ("拆迁", [], []),
        (
            "拆迁 单位:x 日期:2024-05",
            [Field("unit", "x"), D("date", date(2024, 5, 1), date(2024, 5, 31))],
            [Field("unit", "x"), D("date", date(2024, 5, 1), date(2024, 5, 31))],
        ),
        (
            "状态:closed OR (年度:2020..2021 -等级:机密)",
            [Field("state", "closed"), D("year", date(2020, 1, 1), date(2021, 12, 31))],
            [
                Field("state", "closed"),
                D("year", date(2020, 1, 1), date(2021, 12, 31)),
                Field("grade", "机密"),
            ],
        ),
        ("-(单位:x OR 单位:y)", [], [Field("unit", "x"), Field("unit", "y")]),
        ("-(-单位:x b)", [], [Field("unit", "x")]),
        ("年度:2024", [Field("year", "2024")], [Field("year", "2024")]),
    ],
)
def test_filters(query, positive, everything):
    node = parse(query)
    assert filters(node) == positive
    assert filters(node, include_negated=True) == everything


# --- limits on what one query may ask ----------------------------------------


def test_a_huge_query_is_refused_before_it_is_read(zh_cn):
    from xinfang_archive.search.querylang import MAX_LENGTH
    from zope.i18n import translate

    huge = " ".join(["拆迁补偿"] * 50_000)  # about 250 KB, as in the trust review
    with pytest.raises(QuerySyntaxError) as refused:
        parse(huge)
    message = translate(refused.value.message, target_language="zh_CN")
    assert str(MAX_LENGTH) in message and "过长" in message
    assert parse("拆" * MAX_LENGTH)  # at the limit: searched


def test_too_many_words_or_operators_are_refused(zh_cn):
    from xinfang_archive.search.querylang import MAX_OPERATORS
    from xinfang_archive.search.querylang import MAX_TERMS
    from zope.i18n import translate

    parse(" ".join(f"词{i}" for i in range(MAX_TERMS)))
    with pytest.raises(QuerySyntaxError) as words:
        parse(" ".join(f"词{i}" for i in range(MAX_TERMS + 1)))
    assert "过多" in translate(words.value.message, target_language="zh_CN")
    with pytest.raises(QuerySyntaxError) as operators:
        parse("a" + " OR NOT b" * 17)  # 18 words, 34 operators
    assert str(MAX_OPERATORS) in translate(
        operators.value.message, target_language="zh_CN"
    )
    with pytest.raises(QuerySyntaxError):
        parse("NOT " * (MAX_OPERATORS + 1) + "拆迁")
