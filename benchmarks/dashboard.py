"""Dashboard render time at 10,000 and 100,000 cases (with its warnings box).

    .venv/bin/python benchmarks/dashboard.py [--sizes 10000,100000] [--var DIR]

Loads cases into a real FileStorage (states, deadlines, units and grades
spread like a working bureau: about a third open, some overdue), then renders
the 信访工作台 (the case folder's default view, full page) as a registrar, the
inspector and a unit's handler (need-to-know by unit: its unit's cases only)
and prints the p50 / p95 render time over 20 renders at each size and viewer.  The load
switches automatic versioning off for speed: what is measured is the
dashboard, and versions play no part in it.  Each case has a petitioner of
its own; the early-warning rules (the defaults) run as each batch commits,
so the warnings box shows what such an intake raises (surges of categories
and units, mostly).  With ``--var`` the loaded instance is kept and reused
by the next run.
"""

from _site import bench_site
from _site import bench_user
from _site import view_times
from datetime import timedelta
from tests.helpers.cases import case_data
from xinfang_archive.localtime import local_today

import argparse
import random
import statistics
import time


STATES = (
    ["closed"] * 55
    + ["rejected"] * 5
    + ["registered"] * 8
    + ["accepted"] * 4
    + ["in_progress"] * 18
    + ["replied"] * 5
    + ["in_review"] * 3
    + ["in_rereview"] * 2
)


def load(site, target, rng, report_every=5000):
    from plone import api
    from plone.dexterity.utils import createContentInContainer
    from xinfang_archive.vocabularies.registry import parse_lines
    from xinfang_archive.vocabularies.registry import registry_lines

    import transaction

    container = site["cases"]
    wftool = api.portal.get_tool("portal_workflow")
    workflow = wftool["xf_case_workflow"]
    units = [row[0] for row in parse_lines(registry_lines("units"))]
    grades = [row[0] for row in parse_lines(registry_lines("grades"))]
    categories = [row[0] for row in parse_lines(registry_lines("categories"))]
    today = local_today()
    have = len(container.objectIds())
    started = time.perf_counter()
    for i in range(have, target):
        state = rng.choice(STATES)
        open_case = state not in ("closed", "rejected", "replied")
        received = today - timedelta(
            days=rng.randrange(0, 80) if open_case else rng.randrange(60, 1500)
        )
        case = createContentInContainer(
            container,
            "PetitionCase",
            **case_data(
                title=f"信访事项 {i}",
                received_date=received,
                grade=rng.choice(grades),
                category=rng.choice(categories),
                responsible_unit=rng.choice(units),
                petitioners=[petitioner(i)],
            ),
        )
        if state != "registered":
            case.accepted_on = received + timedelta(days=rng.randrange(1, 15))
            status = dict(wftool.getStatusOf("xf_case_workflow", case))
            status["review_state"] = state
            wftool.setStatusOf("xf_case_workflow", case, status)
            workflow.updateRoleMappingsFor(case)
            if state == "in_review":
                case.review_requested_on = today - timedelta(days=rng.randrange(0, 40))
            if state == "in_rereview":
                case.rereview_requested_on = today - timedelta(
                    days=rng.randrange(0, 40)
                )
            case.reindexObject()
        if (i + 1) % 500 == 0:
            transaction.commit()
            site._p_jar.cacheMinimize()
        if (i + 1) % report_every == 0:
            rate = (i + 1 - have) / (time.perf_counter() - started)
            print(f"  loaded {i + 1} cases ({rate:.0f}/s)", flush=True)
    transaction.commit()


def petitioner(i):
    """A petitioner of case ``i`` of its own (no ID number: name and phone)."""
    return {
        "name": f"信访人{i}",
        "id_number": None,
        "phone": f"139{i:08d}",
        "address": "城关镇东村",
        "representative": False,
    }


# Who renders the dashboard: the bureau's registrar and inspector see every
# case; a unit's handler sees its unit's cases only (need-to-know by unit).
VIEWERS = {
    "registrar": ("registrars",),
    "inspector": ("inspectors",),
    "unit handler (JSJ)": ("case_handlers", "unit-JSJ"),
}


def render_times(app, site, viewer="registrar", runs=20):
    user_id = bench_user("bench-" + viewer.split()[0], VIEWERS[viewer])
    times, view, html = view_times(
        app, site, "case-dashboard", site["cases"], user_id, runs
    )
    counts = view.counts()
    box = view.warnings() or {"open": 0}
    counts["warnings"] = box["open"]
    return (
        statistics.median(times),
        times[int(len(times) * 0.95) - 1],
        counts,
        len(html),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument(
        "--var", default=None, help="keep (and reuse) the instance here"
    )
    args = parser.parse_args()
    rng = random.Random(7)
    from plone import api

    with bench_site(var=args.var, keep=bool(args.var)) as (app, site):
        repository = api.portal.get_tool("portal_repository")
        repository.removePolicyFromContentType("PetitionCase", "at_edit_autoversion")
        for size in (int(s) for s in args.sizes.split(",")):
            load(site, size, rng)
            for viewer in VIEWERS:
                p50, p95, counts, length = render_times(app, site, viewer)
                print(
                    f"dashboard with {size} cases as {viewer} ({counts['open']} open, "
                    f"{counts['overdue']} overdue, {counts['warnings']} warnings not acknowledged): "
                    f"p50 {p50:.0f} ms, p95 {p95:.0f} ms "
                    f"({length // 1024} KiB page)",
                    flush=True,
                )
        repository.addPolicyForContentType("PetitionCase", "at_edit_autoversion")
        import transaction

        transaction.commit()


if __name__ == "__main__":
    main()
