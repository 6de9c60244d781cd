"""Batch filing (归档立案) of 1,000 closed cases in one transaction.

    .venv/bin/python benchmarks/batch_filing.py [--cases 1000] [--profile-cases 200] [--var DIR] [--keep]

Prepares closed cases with their documents and replies through the demo
generator (``generate_cases``: realistic cases driven through the workflow,
about half of them end closed), committed in batches, until there are
``--cases`` closed ones (plus ``--profile-cases`` for the profile).  Then,
as an archivist, times what the batch-filing page does: ``file_cases(cases)``
and ``transaction.commit()`` (the check of the four properties, numbering,
manifest with SHA-256 of every file, freeze, audit entry and reindexing of
each case), all in one transaction.  The cases are fetched before the clock
starts, from a cold ZODB cache.

Printed: preparation time, the figure, refusals, a cProfile of a second,
separate batch of ``--profile-cases`` closed cases (so that the figure above
is measured without the profiler's overhead), top 15 by cumulative time,
and a check that every numbering group holds 1..n without gaps.
"""

from _site import bench_site
from pathlib import Path

import argparse
import cProfile
import io
import pstats
import sys
import time


GOAL_SECONDS = 60
SITE_PACKAGES = f"{Path(sys.prefix)}/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages/"


def closed_cases(site):
    """The closed cases of the site (oldest closed first), as the page's query gives them."""
    from plone import api

    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="PetitionCase",
        review_state="closed",
        sort_on="closed_on",
        path="/".join(site["cases"].getPhysicalPath()),
    )
    return brains


def prepare(site, wanted, batch, seed):
    """Generate demo cases in committed batches until ``wanted`` are closed."""
    from xinfang_archive.demo.generator import generate_cases

    import transaction

    generated = 0
    round_ = 0
    started = time.perf_counter()
    while True:
        closed = len(closed_cases(site))
        if closed >= wanted:
            return generated, closed
        # About 12 in 25 generated cases end closed: ask for a little more.
        missing = wanted - closed
        count = min(batch, max(25, int(missing * 25 / 12 * 1.05) + 1))
        generate_cases(site, count, seed=seed + round_)
        transaction.commit()
        site._p_jar.cacheMinimize()
        generated += count
        round_ += 1
        rate = generated / (time.perf_counter() - started)
        print(
            f"  generated {generated} cases ({rate:.1f}/s), {len(closed_cases(site))} closed",
            flush=True,
        )


def archivist_of(site):
    """A transient user with the Archivist role (the ``file`` guard asks for the role)."""
    from AccessControl.users import SimpleUser

    return SimpleUser("bench-archivist", "", ["Archivist"], []).__of__(site.acl_users)


def fetch(site, brains):
    """Objects of ``brains`` after emptying the ZODB cache (the page's lookup, untimed)."""
    site._p_jar.cacheMinimize()
    return [brain._unrestrictedGetObject() for brain in brains]


def counts(result):
    from xinfang_archive.archival.manifest import METADATA

    files = records = 0
    for case, _code in result.filed:
        for entry in case.archival_manifest:
            if entry["field"] == METADATA:
                records += 1
            else:
                files += 1
    return files, records


def print_refused(result, limit=5):
    from zope.i18n import translate

    print(f"refused: {len(result.refused)}")
    for case, problems in result.refused[:limit]:
        print(f"  {case.getId()}:")
        for problem in problems[:5]:
            message = getattr(problem, "message", problem)
            where = getattr(problem, "path", "") or ""
            print(
                f"    [{getattr(problem, 'property', '')}] {where} {translate(message)}"
            )


def numbering_check(site):
    from xinfang_archive.archival.numbering import all_groups

    groups = all_groups(site)
    bad = []
    numbered = 0
    for key, group in sorted(groups.items()):
        numbers = list(group.items.keys())
        numbered += len(numbers)
        if numbers != list(range(1, group.last + 1)):
            bad.append((key, group.gaps()[:20], len(numbers), group.last))
    if bad:
        print(
            f"numbering: {len(groups)} groups, {len(bad)} with gaps or extra numbers:"
        )
        for key, gaps, held, last in bad[:10]:
            print(f"  {key}: {held} numbers held, last {last}, gaps {gaps}")
    else:
        print(f"numbering: {len(groups)} groups, gap-free ({numbered} item numbers)")
    return not bad


def print_stats(profiler, order, limit):
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(limit)
    lines = stream.getvalue().splitlines()
    start = next(
        (i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0
    )
    print(
        "\n".join(
            line.replace(SITE_PACKAGES, "") for line in lines[start:] if line.strip()
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases", type=int, default=1000, help="closed cases filed in the timed batch"
    )
    parser.add_argument(
        "--profile-cases",
        type=int,
        default=200,
        help="closed cases filed in a second, profiled batch (0: no profile)",
    )
    parser.add_argument(
        "--batch", type=int, default=200, help="demo cases generated per commit"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--var", default=None, help="instance directory (default: a temporary one)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the instance after the run"
    )
    args = parser.parse_args()

    from plone import api
    from xinfang_archive.archival.filing import file_cases

    import transaction

    with bench_site(var=args.var, keep=args.keep) as (_app, site):
        started = time.perf_counter()
        generated, closed = prepare(
            site, args.cases + args.profile_cases, args.batch, args.seed
        )
        prepared = time.perf_counter() - started
        print(
            f"preparation: {generated} demo cases generated ({closed} closed) in {prepared:.1f} s "
            f"({generated / max(prepared, 1e-6):.1f} cases/s)",
            flush=True,
        )

        brains = list(closed_cases(site))
        timed_brains = brains[: args.cases]
        profiled_brains = brains[args.cases : args.cases + args.profile_cases]

        cases = fetch(site, timed_brains)
        with api.env.adopt_user(user=archivist_of(site)):
            started = time.perf_counter()
            result = file_cases(cases)
            transaction.get().note(f"benchmark: batch filing of {len(cases)} cases")
            transaction.commit()
            seconds = time.perf_counter() - started
        files, records = counts(result)
        n = len(result.filed)
        verdict = "met" if seconds <= GOAL_SECONDS * len(cases) / 1000 else "NOT met"
        print(
            f"batch filing: {n:,} cases ({files:,} files, {records:,} records) in {seconds:.1f} s "
            f"({n / max(seconds, 1e-6):.1f} cases/s); goal ≤ {GOAL_SECONDS * len(cases) / 1000:.0f} s: "
            f"{verdict}",
            flush=True,
        )
        print_refused(result)

        if profiled_brains:
            cases = fetch(site, profiled_brains)
            profiler = cProfile.Profile()
            with api.env.adopt_user(user=archivist_of(site)):
                started = time.perf_counter()
                profiler.enable()
                presult = file_cases(cases)
                transaction.commit()
                profiler.disable()
                pseconds = time.perf_counter() - started
            print(
                f"profile: a second batch of {len(presult.filed)} cases "
                f"({len(presult.refused)} refused) in {pseconds:.1f} s under cProfile; "
                "top 15 by cumulative time:"
            )
            print_stats(profiler, "cumulative", 15)
            print("top 10 by own time:")
            print_stats(profiler, "tottime", 10)

        numbering_check(site)


if __name__ == "__main__":
    main()
