"""Bulk import of 10,000 cases with their documents (versioning on), then an
archival package of all of them exported and verified.

    .venv/bin/python benchmarks/exchange.py [--cases 10000] [--per-file 500] [--profile 0] [--keep]

The source is what a migration from an older system brings: exchange XML
files of ``--per-file`` cases each, every case with two versions (as
registered, as accepted), its workflow history, two documents (PDFs of one
to three pages, referenced by ``href`` beside the XML) and a reply; written
into a temporary directory first (not timed).  Then, into a fresh instance
(FileStorage + blobs, full-text index on):

1. ``import``: every file parsed with the hardened parser, validated against
   the XSD, each case checked and written all or nothing with its versions
   replayed, committed every 100 cases — cases per second;
2. ``export`` of all imported cases as one BagIt package (exchange XML, DA/T
   46 metadata and envelope per record, files, events, manifests, validated
   on creation) — seconds and MB;
3. ``verify-package`` of it, with one and with two processes — seconds.

``--profile N`` imports N more cases under cProfile afterwards and prints
the top functions (the figures above are measured without it).
"""

from _site import bench_site
from _site import du
from pathlib import Path
from tests.helpers.archival import make_pdf

import argparse
import cProfile
import hashlib
import io
import pstats
import random
import shutil
import sys
import tempfile
import time


GOAL_CASES_PER_SECOND = 50
NS = "urn:xinfang-archive:exchange:1"


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def file_xml(folder, data, name):
    sha = hashlib.sha256(data).hexdigest()
    (folder / "files" / f"{sha}.pdf").write_bytes(data)
    return (
        f'<file name="{name}" content-type="application/pdf" size="{len(data)}" '
        f'sha256="{sha}" href="files/{sha}.pdf"/>'
    )


def case_xml(number, rng, sentences, folder, year):
    from xinfang_archive.demo.people import random_name
    from xinfang_archive.demo.people import random_phone

    received = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    title = esc(rng.choice(sentences)[:40])
    summary = esc("".join(rng.sample(sentences, 3)))
    name, phone = random_name(rng), random_phone(rng)
    category = rng.choice(["land", "urban", "welfare", "labour", "other"])
    metadata = f"""
      <registration_number>{number}</registration_number>
      <title>{title}</title>
      <channel>{rng.choice(["letter", "visit", "online", "hotline"])}</channel>
      <received_date>{received}</received_date>
      <petitioners><petitioner><name>{name}</name><phone>{phone}</phone><representative>false</representative></petitioner></petitioners>
      <people_count>1</people_count>
      <category>{category}</category>
      <grade>ordinary</grade>
      <summary>{summary}</summary>"""
    accepted = f"{metadata}\n      <accepted_on>{received}</accepted_on>"
    documents = ""
    for n in range(2):
        pages = rng.randint(1, 3)
        content = file_xml(
            folder, make_pdf(pages, f"{number} document {n + 1}"), f"doc{n + 1}.pdf"
        )
        documents += f"""
      <document>
        <metadata>
          <title>{esc(rng.choice(sentences)[:30])}</title>{content}
          <responsible>{name if n == 0 else "信访局"}</responsible>
          <document_date>{received}</document_date>
          <classification>internal</classification>
          <pages>{pages}</pages>
        </metadata>
      </document>"""
    return f"""
  <case>
    <metadata>{accepted}
    </metadata>
    <lifecycle>
      <created>{received}T09:00:00+08:00</created>
      <modified>{received}T15:00:00+08:00</modified>
      <creator>legacy</creator>
      <workflow id="xf_case_workflow" state="accepted">
        <entry state="registered" time="{received}T09:00:00+08:00" actor="legacy"/>
        <entry state="accepted" action="accept" time="{received}T15:00:00+08:00" actor="legacy"/>
      </workflow>
    </lifecycle>
    <versions>
      <version number="0" time="{received}T09:00:00+08:00" principal="legacy" comment="登记"><metadata>{metadata}
      </metadata></version>
      <version number="1" time="{received}T15:00:00+08:00" principal="legacy" comment="受理"><metadata>{accepted}
      </metadata></version>
    </versions>
    <documents>{documents}
    </documents>
    <replies>
      <reply>
        <metadata>
          <kind>acceptance_notice</kind>
          <document_number>信受〔{year}〕{number[-5:]}号</document_number>
          <reply_date>{received}</reply_date>
          <body>&lt;p&gt;{esc(rng.choice(sentences))}&lt;/p&gt;</body>
        </metadata>
      </reply>
    </replies>
  </case>"""


def write_source(directory, count, per_file, prefix="QY", seed=1):
    from xinfang_archive.demo.corpus import load_sentences

    rng = random.Random(seed)
    sentences = [s for s in load_sentences() if 8 <= len(s) <= 80]
    (directory / "files").mkdir(parents=True, exist_ok=True)
    number = 0
    for start in range(0, count, per_file):
        body = []
        for _i in range(min(per_file, count - start)):
            number += 1
            year = 2018 + number % 6
            body.append(
                case_xml(
                    f"{prefix}-{year}-{number:06d}", rng, sentences, directory, year
                )
            )
        (directory / f"cases-{start // per_file + 1:03d}.xml").write_text(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<exchange xmlns="{NS}" version="1.0" '
            f'producer="旧信访系统">{"".join(body)}\n</exchange>\n',
            encoding="utf-8",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument(
        "--profile", type=int, default=0, help="cases imported again under cProfile"
    )
    parser.add_argument(
        "--profile-out", help="also write the profile's stats to this file (pstats)"
    )
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    from xinfang_archive.exchange.importer import IMPORTED
    from xinfang_archive.exchange.importer import Importer
    from xinfang_archive.exchange.package import build_package
    from xinfang_archive.exchange.verify import verify_package

    import transaction

    work = Path(tempfile.mkdtemp(prefix="xf-exchange-bench-"))
    source = work / "source"
    started = time.perf_counter()
    write_source(source, args.cases, args.per_file)
    print(
        f"source: {args.cases} cases in {len(list(source.glob('*.xml')))} files, "
        f"{du(source) / 1e6:.1f} MB, written in {time.perf_counter() - started:.0f} s (not timed)"
    )
    try:
        with bench_site(keep=args.keep) as (_app, site):
            started = time.perf_counter()
            report = Importer(site, commit_every=100).run([source])
            seconds = time.perf_counter() - started
            imported = report.count(IMPORTED)
            failed = [o for o in report.outcomes if o.status != IMPORTED]
            rate = imported / seconds
            print(
                f"import: {imported} cases ({imported * 3} documents and replies, {report.versions} versions, "
                f"{report.files} files) in {seconds:.1f} s: {rate:.1f} cases/s "
                f"(goal >= {GOAL_CASES_PER_SECOND}: {'met' if rate >= GOAL_CASES_PER_SECOND else 'NOT met'}); "
                f"{len(failed)} not imported"
            )
            for outcome in failed[:5]:
                print("   ", outcome.status, outcome.identifier, outcome.texts()[:2])
            site._p_jar.cacheMinimize()
            brains = site.portal_catalog.unrestrictedSearchResults(
                portal_type="PetitionCase"
            )
            cases = [brain._unrestrictedGetObject() for brain in brains]
            package = work / "package"
            started = time.perf_counter()
            result = build_package(cases, package)
            export_seconds = time.perf_counter() - started
            print(
                f"export: {result.cases} cases, {result.records} records, {result.files} files in "
                f"{export_seconds:.1f} s ({result.cases / export_seconds:.0f} cases/s); package "
                f"{result.bytes / 1e6:.1f} MB"
            )
            for processes in (1, 2):
                started = time.perf_counter()
                verified = verify_package(package, processes=processes)
                print(
                    f"verify-package --processes {processes}: {verified.files_checked} files, "
                    f"{verified.bytes_checked / 1e6:.1f} MB and every XML file in "
                    f"{time.perf_counter() - started:.1f} s: {'intact' if verified.ok else 'PROBLEMS'}"
                )
            transaction.abort()
            if args.profile:
                extra = work / "profile-source"
                write_source(extra, args.profile, args.profile, prefix="PF", seed=2)
                profiler = cProfile.Profile()
                profiler.enable()
                Importer(site, commit_every=100).run([extra])
                profiler.disable()
                if args.profile_out:
                    profiler.dump_stats(args.profile_out)
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
                    25
                )
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
                print(
                    out.getvalue().replace(
                        f"{Path(sys.prefix)}/lib/python3.11/site-packages/", ""
                    )
                )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: {work}")


if __name__ == "__main__":
    main()
