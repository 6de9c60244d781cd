"""Both search engines on real on-disk indexes, through the one interface.

Every test runs once per engine: what Whoosh does, Tantivy must do too.
"""

from datetime import date
from xinfang_archive.search import querylang as ql
from xinfang_archive.search.analysis import segmenter
from xinfang_archive.search.engines import engine_class
from xinfang_archive.search.extract import build_document
from xinfang_archive.search.model import SearchRequest

import pytest


DOCS = {
    "exact": (
        "村民反映拆迁补偿款至今未发放。",
        {"category": "land", "unit": "JSJ"},
        date(2024, 3, 5),
    ),
    "apart": (
        "拆迁工作结束后，补偿标准另行公布。",
        {"category": "land", "unit": "CGZ"},
        date(2023, 7, 1),
    ),
    "code": (
        "京信复〔2024〕5号关于征地补偿的复查意见",
        {"category": "land", "unit": "JSJ"},
        date(2024, 6, 1),
    ),
    "building": (
        "5号楼住户反映噪音扰民",
        {"category": "urban", "unit": "CGZ"},
        date(2022, 1, 9),
    ),
    "welfare": (
        "申请低保被拒，要求重新审核低保资格",
        {"category": "welfare", "unit": "MZJ"},
        date(2024, 1, 2),
    ),
    "insurance": (
        "企业降低保险费缴费基数问题",
        {"category": "labour", "unit": "RSJ"},
        date(2024, 2, 2),
    ),
    "regno": (
        "登记编号 XF-2024-000123 档号 X001-XF·2024-D30-JSJ-0007",
        {"category": "other"},
        date(2024, 8, 8),
    ),
    "fullwidth": (
        "编号ＸＦ－２０２４－０００９９９，信访事项",
        {"category": "other"},
        date(2021, 5, 5),
    ),
    "phone": (
        "联系电话13812345678，身份证110101199003074514",
        {"category": "other"},
        date(2020, 5, 5),
    ),
}


def make_docs():
    seg = segmenter()
    out = []
    for uid, (text, keywords, day) in DOCS.items():
        allowed = ["Manager", "Inspector"] if uid != "welfare" else ["Manager"]
        out.append(
            build_document(
                uid,
                [text],
                seg,
                allowed=allowed,
                personal_allowed=["Manager"],
                stamp=f"s-{uid}",
                stored={"title": uid},
                keywords=dict(keywords, portal_type="PetitionCase"),
                year=day.year,
                date=day,
            )
        )
    return out


@pytest.fixture(params=["whoosh", "tantivy"])
def engine(request, tmp_path):
    engine = engine_class(request.param)(tmp_path / request.param)
    engine.index(make_docs())
    return engine


def uids(engine, text, principals=None, limit=50, **kwargs):
    request = SearchRequest(
        query=ql.parse(text), principals=principals, limit=limit, **kwargs
    )
    result = engine.search(request)
    assert result.total == len(result.hits)
    return [hit.uid for hit in result.hits]


def test_exact_recall_not_words_apart(engine):
    assert uids(engine, "拆迁补偿") == ["exact"]
    assert set(uids(engine, "拆迁")) == {"exact", "apart"}
    assert set(uids(engine, "补偿")) == {"exact", "apart", "code"}


def test_single_character_and_prefix_of_a_run(engine):
    assert set(uids(engine, "5号")) == {"code", "building"}
    assert set(uids(engine, "偿")) == {"exact", "apart", "code"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("〔2024〕5号", {"code"}),
        ("京信复〔2024〕5号", {"code"}),
        ("XF-2024-000123", {"regno"}),
        ("X001-XF·2024-D30-JSJ-0007", {"regno"}),
        ("xf-2024-000999", {"fullwidth"}),
        ("ＸＦ－２０２４－０００９９９", {"fullwidth"}),
    ],
)
def test_codes_are_found_exactly(engine, query, expected):
    assert set(uids(engine, query)) == expected


def test_word_matches_rank_first(engine):
    segmented = segmenter().query_words("低保")
    found = uids(engine, "低保", boost_words=segmented)
    assert found == ["welfare", "insurance"]


def test_boolean_operators_and_phrases(engine):
    assert set(uids(engine, "拆迁 OR 噪音")) == {"exact", "apart", "building"}
    assert set(uids(engine, "拆迁 -补偿款")) == {"apart"}
    assert set(uids(engine, "拆迁 AND NOT 标准")) == {"exact"}
    assert set(uids(engine, '"拆迁 补偿"')) == {
        "exact"
    }  # spaces between Han characters do not count
    assert set(uids(engine, "拆迁，补偿")) == set()
    assert set(uids(engine, '"复查 意见"')) == {"code"}


def test_filters_ranges_sort_and_paging(engine):
    assert set(uids(engine, "类别:land")) == {"exact", "apart", "code"}
    assert set(uids(engine, "补偿 单位:JSJ")) == {"exact", "code"}
    assert set(uids(engine, "年度:2024 类别:land")) == {"exact", "code"}
    assert set(uids(engine, "年度:2022..2023")) == {"apart", "building"}
    assert set(uids(engine, "日期:2024-03..2024-06")) == {"exact", "code"}
    assert uids(engine, "类别:land", sort="-date") == ["code", "exact", "apart"]
    assert uids(engine, "类别:land", sort="date") == ["apart", "exact", "code"]
    page = engine.search(
        SearchRequest(query=ql.parse("类别:land"), sort="date", offset=1, limit=1)
    )
    assert page.total == 3 and [h.uid for h in page.hits] == ["exact"]


def test_facets_count_the_whole_result(engine):
    request = SearchRequest(
        query=ql.parse("补偿 OR 噪音"), limit=1, facets=("category", "unit", "year")
    )
    result = engine.search(request)
    assert result.total == 4 and len(result.hits) == 1
    assert dict(result.facets["category"]) == {"land": 3, "urban": 1}
    assert dict(result.facets["unit"]) == {"JSJ": 2, "CGZ": 2}
    assert dict(result.facets["year"]) == {"2024": 2, "2023": 1, "2022": 1}
    assert engine.facets(request) == result.facets


def test_permissions_filter_hits(engine):
    assert "welfare" in uids(engine, "低保", principals=["Manager"])
    assert "welfare" not in uids(engine, "低保", principals=["Inspector", "user:bob"])
    assert uids(engine, "低保", principals=["Anonymous"]) == []


def test_personal_numbers_match_only_for_those_allowed(engine):
    for number in ("13812345678", "110101199003074514"):
        assert uids(engine, number, principals=["Manager"]) == ["phone"]
        assert uids(engine, number, principals=["Inspector"]) == []
    hit = engine.search(SearchRequest(query=ql.parse("联系电话"))).hits[0]
    assert "13812345678" not in hit.stored["text"]
    assert "138****5678" in hit.stored["text"]
    assert "110101********4514" in hit.stored["text"]
    code = engine.search(SearchRequest(query=ql.parse("xf-2024-000123"))).hits[0]
    assert "XF-2024-000123" in code.stored["text"]  # shown as written


def test_similar(engine):
    result = engine.similar(["拆迁", "补偿", "发放"], exclude_uids=["exact"], limit=3)
    assert next(h.uid for h in result.hits) == "apart"
    assert "exact" not in [h.uid for h in result.hits]


def test_update_unindex_clear_stats_stamps(engine):
    assert engine.stats()["documents"] == len(DOCS)
    assert engine.stamps()["code"] == "s-code"
    doc = build_document("code", ["新的内容"], segmenter(), stamp="s2")
    engine.index([doc])
    assert uids(engine, "〔2024〕5号") == []
    assert uids(engine, "新的内容") == ["code"]
    assert engine.stamps()["code"] == "s2"
    engine.unindex(["code", "exact"])
    assert engine.stats()["documents"] == len(DOCS) - 2
    assert engine.stats()["size_bytes"] > 0
    engine.clear()
    assert engine.stats()["documents"] == 0
    assert uids(engine, "拆迁") == []


def test_reopen_from_disk(engine):
    again = type(engine)(engine.path)
    assert set(uids(again, "拆迁")) == {"exact", "apart"}


def test_prefix_matches_have_no_expansion_limit(engine):
    """A lone character (or digits + a character) at the end of a query
    may continue in many ways: every one must be found (Tantivy's
    phrase-prefix query would stop at 50)."""
    seg = segmenter()
    chars = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜海咸河淡鳞潜羽翔龙师火帝鸟官人皇始制文字乃服衣裳推位让国有虞陶唐吊民伐罪周发殷汤坐朝问道垂拱平章爱育黎首臣伏戎羌遐迩壹体率宾归王"
    docs = [
        build_document(f"p{i}", [f"第7栋{c}"], seg) for i, c in enumerate(chars[:120])
    ]
    engine.index(docs)
    assert len(set(chars[:120])) > 100
    expected = {f"p{i}" for i in range(120)}
    assert set(uids(engine, "栋", limit=200)) >= expected
    assert set(uids(engine, "7栋", limit=200)) == expected


def test_line_breaks_and_spaces_inside_chinese_words(engine):
    seg = segmenter()
    engine.index(
        [
            build_document("wrapped", ["村民反映拆迁补\n偿款至今未发放"], seg),
            build_document("spaced", ["征 地 补 偿"], seg),
        ]
    )
    assert set(uids(engine, "拆迁补偿款")) == {"wrapped", "exact"}
    assert set(uids(engine, "征地补偿")) == {"spaced", "code"}


def test_phone_and_id_numbers_as_people_write_them(engine):
    seg = segmenter()
    doc = build_document(
        "numbers",
        [
            "联系人手机 +86 137-1234-5678，身份证 110101 19800101 1234，座机(0571)88886666"
        ],
        seg,
        personal=["139 1234 0000"],
        personal_allowed=["Manager"],
        allowed=["Manager", "Inspector"],
    )
    engine.index([doc])
    text = doc.stored["text"]
    for raw in ("1234-5678", "19800101", "88886666", "139 1234 0000"):
        assert raw not in text
    for typed in (
        "13712345678",
        "137-1234-5678",
        "110101198001011234",
        "0571-88886666",
        "13912340000",
    ):
        assert uids(engine, typed, principals=["Manager"]) == ["numbers"], typed
        assert uids(engine, typed, principals=["Inspector"]) == [], typed


def test_paging_window_is_bounded(engine):
    with pytest.raises(ValueError):
        engine.search(SearchRequest(query=ql.parse("信访"), offset=10**12, limit=10))
