"""Full-text search side by side: Whoosh, Tantivy and Plone's ZCatalog
SearchableText (ZCTextIndex on Plone's lexicon, CJK bigrams) on the same
documents.

    .venv/bin/python benchmarks/search.py [--docs 100000] [--repeat 5]

Documents are demo texts (subject, summary, request, names, registration
number, some document numbers) built from the petition-work corpus, with
category, unit and year. Printed per system: indexing docs/s (the search
engines' analysis — folding, bigrams, jieba — included), size on disk,
p50/p95 latency of a top-10-plus-total-count search over a fixed list of
queries, and recall: each plain-text query's total against the exact
substring count over the same texts.

Each document carries the principals that may see it as a case of its unit
would (``privacy.units``: the bureau's roles, the unit's handlers group, the
heads of the unit and the units above it); the search engines are timed as
the inspector (whole archive) and as a unit's handler (its unit only) too,
which is the cost of need-to-know by unit.
"""

from pathlib import Path

import argparse
import random
import sys
import tempfile
import time


sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

CATEGORIES = [
    "land",
    "labour",
    "enterprise",
    "welfare",
    "legal",
    "village",
    "urban",
    "other",
]
UNITS = ["JSJ", "RSJ", "MZJ", "ZRZY", "SFJ", "CGZ", "QSX", "XF"]
YEARS = [2021, 2022, 2023, 2024, 2025]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"

# (label, our query language, ZCatalog query, plain text for the recall check)
QUERIES = [
    ("1字 访", "访", {"SearchableText": "访*"}, "访"),
    ("2字 信访", "信访", {"SearchableText": "信访"}, "信访"),
    ("2字 补偿", "补偿", {"SearchableText": "补偿"}, "补偿"),
    ("2字 低保", "低保", {"SearchableText": "低保"}, "低保"),
    ("2字 拆迁", "拆迁", {"SearchableText": "拆迁"}, "拆迁"),
    ("2字 工资", "工资", {"SearchableText": "工资"}, "工资"),
    ("3字 重复访", "重复访", {"SearchableText": "重复访"}, "重复访"),
    ("3字 老上访", "老上访", {"SearchableText": "老上访"}, "老上访"),
    ("3字 信访人", "信访人", {"SearchableText": "信访人"}, "信访人"),
    ("4字 拆迁补偿", "拆迁补偿", {"SearchableText": "拆迁补偿"}, "拆迁补偿"),
    ("4字 领导干部", "领导干部", {"SearchableText": "领导干部"}, "领导干部"),
    ("4字 群众利益", "群众利益", {"SearchableText": "群众利益"}, "群众利益"),
    ("4字 信访事项", "信访事项", {"SearchableText": "信访事项"}, "信访事项"),
    (
        "长 信访工作责任制",
        "信访工作责任制",
        {"SearchableText": "信访工作责任制"},
        "信访工作责任制",
    ),
    ('短语 "依法 信访"', '"依法 信访"', {"SearchableText": '"依法 信访"'}, None),
    (
        "编号 XF-2023-004712",
        "XF-2023-004712",
        {"SearchableText": "XF-2023-004712"},
        "xf-2023-004712",
    ),
    (
        "文号 信复〔2021〕17号",
        "信复〔2021〕17号",
        {"SearchableText": "信复〔2021〕17号"},
        "信复〔2021〕17号",
    ),
    ("OR 拆迁 OR 征地", "拆迁 OR 征地", {"SearchableText": "拆迁 OR 征地"}, None),
    ("NOT 补偿 -拆迁", "补偿 -拆迁", {"SearchableText": "补偿 AND NOT 拆迁"}, None),
    ("AND 群众 诉求", "群众 诉求", {"SearchableText": "群众 诉求"}, None),
    (
        "筛选 补偿 年度:2024",
        "补偿 年度:2024",
        {"SearchableText": "补偿", "year": 2024},
        None,
    ),
    (
        "筛选 信访 类别:welfare",
        "信访 类别:welfare",
        {"SearchableText": "信访", "category": "welfare"},
        None,
    ),
    (
        "筛选 群众 单位:JSJ 年度:2022",
        "群众 单位:JSJ 年度:2022",
        {"SearchableText": "群众", "unit": "JSJ", "year": 2022},
        None,
    ),
    (
        "日期 矛盾 日期:2023-03..2023-08",
        "矛盾 日期:2023-03..2023-08",
        {
            "SearchableText": "矛盾",
            "date": {"query": (20230301, 20230831), "range": "min:max"},
        },
        None,
    ),
    ("类别 only 类别:land", "类别:land", {"category": "land"}, None),
]


def make_documents(count, seed=7):
    from xinfang_archive.demo.corpus import load_sentences

    sentences = load_sentences()
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        year = YEARS[i % len(YEARS)]
        day = 1 + rng.randrange(28)
        month = 1 + rng.randrange(12)
        name = rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
        )
        parts = [
            f"XF-{year}-{i:06d}",
            rng.choice(sentences),
            " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 7))),
            rng.choice(sentences),
            name,
        ]
        if i % 40 == 0:
            parts.append(f"信复〔{year}〕{i // 40 % 300}号")
        docs.append(
            {
                "uid": f"d{i:06d}",
                "text": "\n".join(parts),
                "title": parts[1][:30],
                "category": rng.choice(CATEGORIES),
                "unit": rng.choice(UNITS),
                "year": year,
                "date": year * 10000 + month * 100 + day,
            }
        )
    return docs


BUREAU_ROLES = (
    "Manager",
    "Site Administrator",
    "Registrar",
    "Inspector",
    "Archivist",
    "HearingOrganizer",
)
# The principals a user's query carries (catalog._listAllowedRolesAndUsers).
VIEWERS = {
    "inspector": [
        "Inspector",
        "Authenticated",
        "Anonymous",
        "user:inspector",
        "user:inspectors",
    ],
    "unit handler (JSJ)": [
        "UnitStaff",
        "Authenticated",
        "Anonymous",
        "user:handler-jsj",
        "user:case_handlers",
        "user:unit-JSJ",
        "user:AuthenticatedUsers",
    ],
}


def allowed_for(unit):
    from xinfang_archive.controlpanel.settings import DEFAULT_UNITS
    from xinfang_archive.privacy.units import unit_local_roles

    parents = {line.split("|")[0]: line.split("|")[2] for line in DEFAULT_UNITS}
    grants = unit_local_roles([unit], parents)
    return BUREAU_ROLES + tuple(sorted(f"user:{principal}" for principal in grants))


def percentile(values, p):
    values = sorted(values)
    return values[min(round(p / 100 * (len(values) - 1)), len(values) - 1)]


def size_of(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def analyse(docs):
    from datetime import date
    from xinfang_archive.search.analysis import segmenter
    from xinfang_archive.search.extract import build_document

    seg = segmenter()
    started = time.perf_counter()
    out = [
        build_document(
            d["uid"],
            [d["text"]],
            seg,
            stored={"title": d["title"]},
            keywords={
                "category": d["category"],
                "unit": d["unit"],
                "portal_type": "PetitionCase",
            },
            allowed=allowed_for(d["unit"]),
            year=d["year"],
            date=date(d["date"] // 10000, d["date"] // 100 % 100, d["date"] % 100),
        )
        for d in docs
    ]
    return out, time.perf_counter() - started


def bench_engine(name, documents, analysis_seconds, root, repeat):
    from xinfang_archive.search import querylang as ql
    from xinfang_archive.search.model import SearchRequest
    from xinfang_archive.search.store import IndexStore

    store = IndexStore(root, name)
    started = time.perf_counter()
    for i in range(0, len(documents), 5000):
        store.write({d.uid: d for d in documents[i : i + 5000]}, bulk=True)
    if name == "whoosh":
        writer = store.engine.ix.writer()
        writer.commit(optimize=True)
    write_seconds = time.perf_counter() - started
    timings, totals = [], {}
    for label, text, _zc, _plain in QUERIES:
        request = SearchRequest(query=ql.parse(text), limit=10)
        store.engine.search(request)  # warm
        for _ in range(repeat):
            t = time.perf_counter()
            result = store.engine.search(request)
            timings.append(time.perf_counter() - t)
        totals[label] = result.total
    by_viewer = {}
    for viewer, principals in VIEWERS.items():
        times, seen = [], 0
        for _label, text, _zc, _plain in QUERIES:
            request = SearchRequest(
                query=ql.parse(text), limit=10, principals=principals
            )
            store.engine.search(request)  # warm
            for _ in range(repeat):
                t = time.perf_counter()
                result = store.engine.search(request)
                times.append(time.perf_counter() - t)
            seen += result.total
        by_viewer[viewer] = (
            percentile(times, 50) * 1000,
            percentile(times, 95) * 1000,
            seen,
        )
    return {
        "by_viewer": by_viewer,
        "docs_per_s": len(documents) / (analysis_seconds + write_seconds),
        "write_seconds": write_seconds,
        "size": size_of(store.base / "index"),
        "p50": percentile(timings, 50) * 1000,
        "p95": percentile(timings, 95) * 1000,
        "totals": totals,
    }


def bench_zcatalog(docs, root, repeat):
    """Plone's SearchableText: ZCTextIndex over plone_lexicon's elements
    (Unicode Whitespace splitter — CJK bigrams — and the accent-ignoring
    case normalizer), in a ZCatalog persisted to a FileStorage."""
    from OFS.SimpleItem import SimpleItem
    from Products.PluginIndexes.FieldIndex.FieldIndex import FieldIndex
    from Products.ZCatalog.ZCatalog import ZCatalog
    from Products.ZCTextIndex.PipelineFactory import element_factory
    from Products.ZCTextIndex.ZCTextIndex import PLexicon
    from Products.ZCTextIndex.ZCTextIndex import ZCTextIndex
    from ZODB.FileStorage import FileStorage

    import Products.CMFPlone.UnicodeSplitter  # noqa: F401  (registers the elements)
    import transaction
    import ZODB

    class Extra:
        doc_attr = "SearchableText"
        lexicon_id = "plone_lexicon"
        index_type = "Okapi BM25 Rank"

    class Doc(SimpleItem):
        def __init__(self, d):
            self.SearchableText = d["text"]
            self.Title = d["title"]
            self.category, self.unit, self.year, self.date = (
                d["category"],
                d["unit"],
                d["year"],
                d["date"],
            )

    Path(root).mkdir(parents=True, exist_ok=True)
    db = ZODB.DB(FileStorage(str(Path(root) / "Data.fs")))
    conn = db.open()
    zroot = conn.root()
    catalog = ZCatalog("bench")
    zroot["catalog"] = catalog
    catalog = zroot["catalog"]
    splitter = element_factory.instantiate(
        "Word Splitter", "Unicode Whitespace splitter"
    )
    normalizer = element_factory.instantiate(
        "Case Normalizer", "Unicode Ignoring Accents Case Normalizer"
    )
    catalog._setObject(
        "plone_lexicon", PLexicon("plone_lexicon", "", splitter, normalizer)
    )
    catalog.addIndex(
        "SearchableText", ZCTextIndex("SearchableText", extra=Extra(), caller=catalog)
    )
    for name in ("category", "unit", "year", "date"):
        catalog.addIndex(name, FieldIndex(name))
    catalog.addColumn("Title")
    transaction.commit()
    started = time.perf_counter()
    for i, d in enumerate(docs):
        catalog.catalog_object(Doc(d), uid=d["uid"])
        if i % 5000 == 4999:
            transaction.commit()
    transaction.commit()
    seconds = time.perf_counter() - started
    timings, totals = [], {}
    for label, _text, query, _plain in QUERIES:
        for _ in range(repeat + 1):
            t = time.perf_counter()
            results = catalog.searchResults(query)
            total = len(results)
            [b.Title for b in results[:10]]
            timings.append(time.perf_counter() - t)
        totals[label] = total
    conn.close()
    db.close()
    return {
        "docs_per_s": len(docs) / seconds,
        "write_seconds": seconds,
        "size": size_of(root),
        "p50": percentile(timings, 50) * 1000,
        "p95": percentile(timings, 95) * 1000,
        "totals": totals,
    }


def expected_counts(documents):
    """Exact substring counts over the indexed (folded, personal numbers
    removed) text: what a search that never misses must find."""
    out = {}
    for label, _text, _zc, plain in QUERIES:
        if plain is None:
            continue
        needle = plain.lower()
        out[label] = sum(1 for d in documents if needle in d.grams)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--systems", default="tantivy,whoosh,zcatalog")
    parser.add_argument(
        "--dir", help="work directory (default: a temporary one, removed after)"
    )
    args = parser.parse_args()
    import logging
    import shutil

    logging.getLogger("jieba").setLevel(logging.WARNING)
    work = Path(args.dir or tempfile.mkdtemp(prefix="xinfang-search-bench-"))
    systems = args.systems.split(",")
    print(
        f"{args.docs} documents, {len(QUERIES)} queries × {args.repeat} runs; work dir {work}",
        flush=True,
    )
    started = time.perf_counter()
    raw = make_documents(args.docs)
    print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
    documents, analysis_seconds = analyse(raw)
    print(
        f"analysis (fold, bigrams, jieba): {analysis_seconds:.1f} s "
        f"({args.docs / analysis_seconds:.0f} docs/s)",
        flush=True,
    )
    expected = expected_counts(documents)
    results = {}
    try:
        for system in systems:
            print(f"… {system}", flush=True)
            if system == "zcatalog":
                results[system] = bench_zcatalog(raw, work / "zcatalog", args.repeat)
            else:
                results[system] = bench_engine(
                    system, documents, analysis_seconds, work, args.repeat
                )
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(
        f"{'system':10} {'index docs/s':>12} {'size MB':>8} {'p50 ms':>8} {'p95 ms':>8}  recall"
    )
    for system, r in results.items():
        misses = [
            f"{label}: {r['totals'][label]}≠{count}"
            for label, count in expected.items()
            if r["totals"].get(label) != count
        ]
        recall = "exact" if not misses else f"{len(misses)} of {len(expected)} differ"
        print(
            f"{system:10} {r['docs_per_s']:12.0f} {r['size'] / 1e6:8.1f} {r['p50']:8.1f} {r['p95']:8.1f}  {recall}"
        )
        for miss in misses:
            print(f"{'':12}{miss}")
    print()
    print("totals per query (expected exact substring count in brackets):")
    for label, *_ in QUERIES:
        row = "  ".join(f"{s}={results[s]['totals'][label]}" for s in results)
        exp = f" [{expected[label]}]" if label in expected else ""
        print(f"  {label:28} {row}{exp}")
    print()
    print("as a viewer (the principals filter of need-to-know by unit):")
    for system, r in results.items():
        for viewer, (p50, p95, seen) in r.get("by_viewer", {}).items():
            print(
                f"  {system:10} {viewer:20} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({seen} hits over all queries)"
            )
    base = results.get("zcatalog")
    if base:
        print()
        for system, r in results.items():
            if system == "zcatalog":
                continue
            goals = {
                "p95 ≤ 50 ms": r["p95"] <= 50,
                "faster than ZCatalog (p95)": r["p95"] < base["p95"],
                "indexing ≥ 2× ZCatalog": r["docs_per_s"] >= 2 * base["docs_per_s"],
                "exact recall": all(
                    r["totals"].get(k) == v for k, v in expected.items()
                ),
            }
            met = ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in goals.items())
            print(f"{system}: {met}")


if __name__ == "__main__":
    main()
