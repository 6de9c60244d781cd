"""Fixity (完整性检测) of an archive of 10,000 filed files, from a cold start.

    .venv/bin/python benchmarks/fixity.py [--files 10000] [--cases 1000] [--var DIR] [--keep]

Preparation (in a child process): demo cases through the workflow
(``generate_cases``, committed in batches); the closed ones get extra
case documents (small reportlab PDFs of 1-3 pages, typed or, one in two,
scanned pages; some plain-text notes; page counts declared as the PDFs
have them) until the archive will hold ``--files`` files; then every closed
case is filed as an archivist (``file_cases``, 100 cases per transaction).
Two shortcuts keep the preparation short, neither touches what is measured:
automatic versioning is off while the extra documents are added, and the
search index does not extract their text (pdfminer's layout analysis of
each PDF, at adding and again when filing reindexes the case, would take
most of the preparation); their metadata is indexed as usual.

Measurement (in a second child process, so that neither objects nor blobs
are in the ZODB cache; the operating system's page cache is still warm):
``run_fixity(site)`` over every filed file and record, then
``record_run`` and its commit, then a second, warm run.  With ``--var`` an
instance prepared before is reused (only what is missing is added).
"""

from _site import bench_site
from _site import du
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time


EXTRA_TITLES = (
    "调查笔录",
    "询问笔录",
    "现场勘查记录",
    "情况说明",
    "证明材料",
    "会议纪要",
    "协调会记录",
    "身份证明复印件",
    "协议书",
    "判决书复印件",
    "政策依据",
    "领导批示",
    "送达回证",
    "回访记录",
)


# ---------------------------------------------------------------- documents


def make_pdf(rng, pages, title, seal=False):
    """A small PDF of ``pages`` pages of typed text (and, with ``seal``, a scanned seal)."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    scanned = rng.random() < 0.5
    words = (
        "petition",
        "case",
        "village",
        "compensation",
        "hearing",
        "reply",
        "record",
        "unit",
        "survey",
        "statement",
        "agreement",
        "notice",
        "review",
        "archive",
        "township",
    )
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    drawing.setTitle(title)
    for number in range(pages):
        drawing.setFont("Helvetica-Bold", 14)
        drawing.drawString(72, 780, f"{title} - page {number + 1} of {pages}")
        if scanned:
            # a page image (grey noise: incompressible, like a scan)
            image = Image.frombytes("L", (150, 210), rng.randbytes(150 * 210))
            drawing.drawImage(ImageReader(image), 72, 90, width=450, height=630)
        else:
            drawing.setFont("Helvetica", 10)
            text = drawing.beginText(72, 750)
            for _line in range(rng.randint(10, 25)):
                text.textLine(
                    " ".join(rng.choice(words) for _w in range(rng.randint(8, 14)))
                )
            drawing.drawText(text)
        if seal and number == pages - 1:
            image = Image.frombytes("L", (160, 160), rng.randbytes(160 * 160))
            drawing.drawImage(ImageReader(image), 380, 90, width=110, height=110)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def add_extra_document(case, rng, index, responsible):
    from plone import api
    from plone.namedfile.file import NamedBlobFile

    title = rng.choice(EXTRA_TITLES)
    start = case.received_date
    end = case.closed_on or start
    when = start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
    if rng.random() < 0.8:
        pages = rng.randint(1, 3)
        data = make_pdf(
            rng, pages, f"{case.registration_number} {index}", seal=rng.random() < 0.33
        )
        filename, content_type = f"document-{index}.pdf", "application/pdf"
    else:
        pages = rng.randint(1, 2)
        text = f"{title}\n\n" + "\n".join(
            "".join(
                rng.choice("信访事项调查核实处理意见群众反映情况说明补偿安置政策依据")
                for _c in range(30)
            )
            for _line in range(rng.randint(10, 40))
        )
        data = text.encode("utf-8")
        filename, content_type = f"document-{index}.txt", "text/plain"
    return api.content.create(
        container=case,
        type="CaseDocument",
        id=f"document-{index}",
        title=title,
        file=NamedBlobFile(data=data, filename=filename, contentType=content_type),
        responsible=responsible,
        document_date=when,
        classification="internal",
        pages=pages,
    )


# ---------------------------------------------------------------- preparation


@contextmanager
def no_attachment_text():
    """The search index does not extract attached files' text while this lasts."""
    from xinfang_archive.search import extract

    cache = extract.attachments
    cache.text = lambda named_file: ""
    try:
        yield
    finally:
        del cache.text


def closed_brains(site):
    from plone import api

    return api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type="PetitionCase", review_state="closed", sort_on="closed_on"
    )


def filed_counts(site):
    """``(filed cases, files, metadata digests)`` over every numbering group."""
    from plone import api
    from xinfang_archive.archival.manifest import METADATA
    from xinfang_archive.archival.numbering import all_groups

    catalog = api.portal.get_tool("portal_catalog")
    cases = files = records = 0
    for group in all_groups(site).values():
        for uid in group.items.values():
            for brain in catalog.unrestrictedSearchResults(UID=uid):
                manifest = getattr(
                    brain._unrestrictedGetObject(), "archival_manifest", ()
                )
                cases += 1
                records += sum(1 for e in manifest if e["field"] == METADATA)
                files += sum(1 for e in manifest if e["field"] != METADATA)
    return cases, files, records


def document_count(case):
    from xinfang_archive.archival.manifest import files_of
    from xinfang_archive.archival.manifest import records_of

    return sum(1 for _path, obj in records_of(case) for _f in files_of(obj))


def add_extras(site, cases, extras, rng):
    """Add ``extras[i]`` documents to ``cases[i]``; commits every 50 cases."""
    import transaction

    added = 0
    started = time.perf_counter()
    for n, (case, extra) in enumerate(zip(cases, extras, strict=False), start=1):
        index = len([i for i in case.objectIds() if i.startswith("document-")])
        for _k in range(extra):
            index += 1
            add_extra_document(case, rng, index, case.responsible_unit or "信访局")
            added += 1
        if n % 50 == 0 or n == len(cases):
            transaction.commit()
            site._p_jar.cacheMinimize()
        if n % 100 == 0 or n == len(cases):
            rate = added / max(time.perf_counter() - started, 1e-6)
            print(
                f"  {added} extra documents added to {n} closed cases ({rate:.0f}/s)",
                flush=True,
            )
    return added


def file_all(site, per_transaction=100):
    """File every closed case as an archivist, ``per_transaction`` cases per commit."""
    from AccessControl.users import SimpleUser
    from plone import api
    from xinfang_archive.archival.filing import file_cases

    import transaction

    started = time.perf_counter()
    archivist = SimpleUser("bench-archivist", "", ["Archivist"], []).__of__(
        site.acl_users
    )
    brains = list(closed_brains(site))
    refused = []
    with api.env.adopt_user(user=archivist):
        for at in range(0, len(brains), per_transaction):
            result = file_cases(
                [b._unrestrictedGetObject() for b in brains[at : at + per_transaction]]
            )
            refused.extend(result.refused)
            transaction.commit()
            site._p_jar.cacheMinimize()
            done = min(at + per_transaction, len(brains))
            print(
                f"  filed {done}/{len(brains)} cases ({done / (time.perf_counter() - started):.1f}/s)",
                flush=True,
            )
    if refused:
        print(
            f"  {len(refused)} cases refused, e.g. {refused[0][0].getId()}: {refused[0][1][:3]}"
        )


def prepare(args):
    from plone import api
    from xinfang_archive.demo.generator import generate_cases

    import transaction

    rng = random.Random(args.seed)
    with bench_site(var=args.var, keep=True) as (_app, site):
        started = time.perf_counter()
        _cases, have_files, _records = filed_counts(site)
        if have_files >= args.files:
            print(f"  the instance already holds {have_files} filed files", flush=True)
            return
        generated = len(site["cases"])
        while generated < args.cases:
            count = min(args.batch, args.cases - generated)
            generate_cases(site, count, seed=args.seed + 1000 + generated)
            transaction.commit()
            site._p_jar.cacheMinimize()
            generated += count
            rate = generated / (time.perf_counter() - started)
            print(f"  generated {generated} demo cases ({rate:.1f}/s)", flush=True)
        generation = time.perf_counter() - started

        # Extra documents for the closed cases, so that the archive reaches --files.
        cases = [brain._unrestrictedGetObject() for brain in closed_brains(site)]
        if not cases:
            sys.exit("no closed cases: raise --cases")
        present = sum(document_count(case) for case in cases)
        missing = max(0, args.files - have_files - present)
        extras = [0] * len(cases)
        for _i in range(missing):
            extras[rng.randrange(len(cases))] += 1
        repository = api.portal.get_tool("portal_repository")
        repository.removePolicyFromContentType("CaseDocument", "at_edit_autoversion")
        transaction.commit()
        with no_attachment_text():
            started = time.perf_counter()
            try:
                added = add_extras(site, cases, extras, rng)
            finally:
                repository.addPolicyForContentType(
                    "CaseDocument", "at_edit_autoversion"
                )
                transaction.commit()
            adding = time.perf_counter() - started
            started = time.perf_counter()
            file_all(site)
            filing = time.perf_counter() - started
        cases, files, records = filed_counts(site)
        print(
            f"preparation: {generated} demo cases in {generation:.0f} s, {added} extra documents "
            f"in {adding:.0f} s, {cases} cases filed ({files} files, {records} records) "
            f"in {filing:.0f} s",
            flush=True,
        )


# ---------------------------------------------------------------- measurement


def measure(args):
    from xinfang_archive.archival.fixity import CHANGED
    from xinfang_archive.archival.fixity import INTACT
    from xinfang_archive.archival.fixity import MISSING
    from xinfang_archive.archival.fixity import record_run
    from xinfang_archive.archival.fixity import run_fixity
    from xinfang_archive.archival.manifest import METADATA

    import transaction

    var = Path(args.var)
    with bench_site(var=args.var, keep=True) as (_app, site):
        connection = site._p_jar
        connection.cacheMinimize()
        cached = connection._cache.cache_non_ghost_count
        connection.getTransferCounts(True)
        started = time.perf_counter()
        run = run_fixity(site)
        seconds = time.perf_counter() - started
        loads, _stores = connection.getTransferCounts(True)
        records = sum(1 for r in run.results if r.field == METADATA)
        print(
            f"fixity: {run.files_checked:,} files ({run.bytes_read / 1e6:.1f} MB) + {records:,} metadata "
            f"digests in {seconds:.1f} s: {run.files_checked / max(seconds, 1e-6):.0f} files/s "
            f"(cold: {cached} objects in the ZODB cache before, {loads:,} object loads)",
            flush=True,
        )
        print(
            f"  {run.count(INTACT):,} intact, {run.count(CHANGED)} changed, {run.count(MISSING)} missing",
            flush=True,
        )
        for problem in run.problems()[:5]:
            print(
                f"  {problem.status}: {problem.archival_code} {problem.path} {problem.detail}"
            )

        started = time.perf_counter()
        record_run(site, run)
        transaction.commit()
        print(f"record_run + commit: {time.perf_counter() - started:.1f} s", flush=True)

        started = time.perf_counter()
        warm = run_fixity(site)
        seconds = time.perf_counter() - started
        print(
            f"fixity, warm (second run, same process): {warm.files_checked:,} files in {seconds:.1f} s: "
            f"{warm.files_checked / max(seconds, 1e-6):.0f} files/s",
            flush=True,
        )
        transaction.abort()
    data_fs = du(var / "filestorage")
    blobs = du(var / "blobstorage")
    print(
        f"data: {(data_fs + blobs) / 1e6:.1f} MB ({data_fs / 1e6:.1f} MB Data.fs, {blobs / 1e6:.1f} MB "
        f"blobstorage: {blob_files(var / 'blobstorage'):,} blob files, "
        "versions of the demo documents included)"
    )


def blob_files(path):
    return sum(
        1 for _r, _d, files in os.walk(path) for f in files if f.endswith(".blob")
    )


# ---------------------------------------------------------------- driver


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--files",
        type=int,
        default=10000,
        help="filed files the archive holds at least",
    )
    parser.add_argument(
        "--cases",
        type=int,
        default=1000,
        help="demo cases generated (about 48 %% closed)",
    )
    parser.add_argument(
        "--batch", type=int, default=200, help="demo cases generated per commit"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--var", default=None, help="instance directory (kept and reused when given)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the instance after the run"
    )
    parser.add_argument(
        "--phase", choices=("prepare", "measure"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()

    if args.phase == "prepare":
        return prepare(args)
    if args.phase == "measure":
        return measure(args)

    keep = args.keep or bool(args.var)
    var = args.var or tempfile.mkdtemp(prefix="xinfang-bench-")
    child = [
        sys.executable,
        __file__,
        "--var",
        var,
        "--files",
        str(args.files),
        "--cases",
        str(args.cases),
        "--batch",
        str(args.batch),
        "--seed",
        str(args.seed),
    ]
    try:
        started = time.perf_counter()
        subprocess.run([*child, "--phase", "prepare"], check=True)
        print(f"preparation total: {time.perf_counter() - started:.0f} s", flush=True)
        subprocess.run([*child, "--phase", "measure"], check=True)
    finally:
        if not keep:
            shutil.rmtree(var, ignore_errors=True)
        else:
            print(f"instance kept in {var}")


if __name__ == "__main__":
    main()
