"""The monthly bulletin (月通报) at 10,000 and 100,000 cases.

    .venv/bin/python benchmarks/bulletin.py [--sizes 10000,100000] [--reps 5] [--var DIR]

Loads cases into a real FileStorage as ``benchmarks/dashboard.py`` does (its
``load``; with ``--var`` the instance is kept and reused by the next run),
then times, for the previous month's bulletin:

(a) the rows from the catalog (``reports.rows.case_rows``), once with a cold
    object cache and then warm;
(b) ``monthly_figures`` over those rows;
(c) ``render_bulletin`` (the PDF);
(d) the whole ``@@monthly-bulletin`` view, as an inspector, a fresh request
    each time (rows, figures, PDF; its audit entry is never committed).

and prints the median and best seconds of ``--reps`` runs of each, the pages
of the PDF and bulletins per second.
"""

from _site import bench_site
from dashboard import load
from io import BytesIO
from xinfang_archive.localtime import local_today

import argparse
import random
import statistics
import time


def timed(function, reps):
    """``(result, [seconds…])`` of ``reps`` calls."""
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return result, times


def line(label, times, extra=""):
    median, best = statistics.median(times), min(times)
    print(
        f"  {label:<28} median {median:7.3f} s   best {best:7.3f} s   "
        f"{1 / median:8.2f}/s{extra}",
        flush=True,
    )


def ensure_facts_column(site):
    """A kept instance loaded before the bulletin existed lacks the column."""
    from plone import api
    from xinfang_archive.reports.facts import add_case_facts

    import transaction

    if "case_facts" not in api.portal.get_tool("portal_catalog").schema():
        print("  adding the case_facts column to the loaded cases …", flush=True)
        started = time.perf_counter()
        count = add_case_facts(site)
        transaction.commit()
        print(f"  {count} cases in {time.perf_counter() - started:.1f} s", flush=True)


def inspector(site):
    from AccessControl.SecurityManagement import newSecurityManager
    from plone import api

    if api.user.get(username="bench-inspector") is None:
        api.user.create(
            email="i@example.org",
            username="bench-inspector",
            password="bench-" + "x" * 12,
        )
        api.group.add_user(groupname="inspectors", username="bench-inspector")
        import transaction

        transaction.commit()
    user = site.acl_users.getUser("bench-inspector")
    newSecurityManager(None, user.__of__(site.acl_users))


def view_call(app, site):
    from plone import api
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.globalrequest import setRequest
    from zope.interface import alsoProvides

    def call():
        request = app.REQUEST.clone()
        request["PARENTS"] = [app]
        alsoProvides(request, IXinfangArchiveLayer)
        setRequest(request)
        body = api.content.get_view("monthly-bulletin", site, request)()
        assert request.response.getHeader("Content-Type") == "application/pdf", body[
            :200
        ]
        return body

    return call


def bench(app, site, reps):
    from plone import api
    from pypdf import PdfReader
    from xinfang_archive.cli.app import login
    from xinfang_archive.documents.bulletin import render_bulletin
    from xinfang_archive.reports.figures import monthly_figures
    from xinfang_archive.reports.issue import bulletin_titles
    from xinfang_archive.reports.issue import bureau_name
    from xinfang_archive.reports.issue import previous_month
    from xinfang_archive.reports.rows import case_rows

    import transaction

    catalog = api.portal.get_tool("portal_catalog")
    today = local_today()
    period = previous_month(today)
    titles = bulletin_titles()

    site._p_jar.cacheMinimize()
    rows, cold = timed(lambda: case_rows(catalog), 1)
    rows, warm = timed(lambda: case_rows(catalog), reps)
    print(f"  {len(rows)} cases; the {period.label} bulletin as of {today}", flush=True)
    line("(a) rows, cold cache", cold)
    line("(a) rows, warm", warm)
    figures, times = timed(
        lambda: monthly_figures(rows, period.year, period.month, today), reps
    )
    line(
        "(b) monthly_figures",
        times,
        f"   ({figures.received} received, {figures.overdue_total} overdue, "
        f"{len(figures.units)} units)",
    )
    pdf, times = timed(
        lambda: render_bulletin(
            figures,
            titles,
            bureau=bureau_name(),
            issue_label=period.issue,
            case_titles=False,
        ),
        reps,
    )
    pages = len(PdfReader(BytesIO(pdf)).pages)
    line("(c) render_bulletin", times, f"   ({pages} pages, {len(pdf) // 1024} KiB)")
    inspector(site)
    try:
        body, times = timed(view_call(app, site), reps)
    finally:
        transaction.abort()
        login(app, "admin")
    pages = len(PdfReader(BytesIO(body)).pages)
    line("(d) @@monthly-bulletin", times, f"   ({pages} pages)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument(
        "--var", default=None, help="keep (and reuse) the instance here"
    )
    args = parser.parse_args()
    rng = random.Random(7)
    from plone import api

    with bench_site(var=args.var, keep=bool(args.var)) as (app, site):
        ensure_facts_column(site)
        repository = api.portal.get_tool("portal_repository")
        repository.removePolicyFromContentType("PetitionCase", "at_edit_autoversion")
        for size in (int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            load(site, size, rng)
            print(
                f"bulletin with {size} cases (loaded in {time.perf_counter() - started:.0f} s):",
                flush=True,
            )
            bench(app, site, args.reps)
        repository.addPolicyForContentType("PetitionCase", "at_edit_autoversion")
        import transaction

        transaction.commit()


if __name__ == "__main__":
    main()
