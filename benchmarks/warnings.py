"""Early-warning evaluation cost per new case at 100,000 cases.

    .venv/bin/python benchmarks/warnings.py [--sizes 100000] [--new 200] [--var DIR]

Loads cases as ``benchmarks/dashboard.py`` does (states, units, grades and
categories spread like a working bureau, each case with a petitioner of its
own, the default rules raising their warnings as each batch commits), then
registers ``--new`` more cases, a fifth of them by a petitioner seen before
and a tenth linked to an earlier case, and times the evaluation of the rules
for each new case alone (``earlywarning.scheduling.flush``: the catalog
questions and the warnings it raises), each case committed before the next.
Prints p50 / p95 / max in ms and how many warnings the new cases raised.
With ``--var`` the loaded instance is kept and reused by the next run.
"""

from _site import bench_site
from dashboard import load
from dashboard import petitioner
from datetime import timedelta
from tests.helpers.cases import case_data
from xinfang_archive.localtime import local_today

import argparse
import random
import statistics
import time


def new_cases(site, count, rng, first):
    from plone import api
    from plone.dexterity.utils import createContentInContainer
    from Products.CMFCore.indexing import processQueue
    from xinfang_archive.earlywarning.scheduling import flush
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    import transaction

    container = site["cases"]
    catalog = api.portal.get_tool("portal_catalog")
    intids = getUtility(IIntIds)
    today = local_today()
    times, raised = [], 0
    for i in range(count):
        number = first + i
        fields = {
            "title": f"新信访事项 {number}",
            "received_date": today - timedelta(days=rng.randrange(0, 5)),
            "category": rng.choice(("land", "labour", "welfare", "urban")),
            "petitioners": [petitioner(number)],
        }
        roll = rng.random()
        if roll < 0.2:  # a petitioner seen before
            fields["petitioners"] = [petitioner(rng.randrange(0, first))]
        elif roll < 0.3:  # the same matter as an earlier case
            (brain,) = catalog.unrestrictedSearchResults(
                portal_type="PetitionCase",
                sort_on="received_date",
                sort_order="descending",
                sort_limit=1,
            )[:1]
            fields["related_cases"] = [
                RelationValue(intids.getId(brain._unrestrictedGetObject()))
            ]
        if rng.random() < 0.05:
            fields.update(people_count=60, flags={"collective"}, grade="key")
        createContentInContainer(container, "PetitionCase", **case_data(**fields))
        processQueue()  # the case's own indexing is not the rules' cost
        started = time.perf_counter()
        raised += len(flush())
        times.append((time.perf_counter() - started) * 1000)
        transaction.commit()
    return times, raised


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument(
        "--var", default=None, help="keep (and reuse) the instance here"
    )
    args = parser.parse_args()
    rng = random.Random(11)
    from plone import api

    with bench_site(var=args.var, keep=bool(args.var)) as (_app, site):
        repository = api.portal.get_tool("portal_repository")
        repository.removePolicyFromContentType("PetitionCase", "at_edit_autoversion")
        for size in (int(s) for s in args.sizes.split(",")):
            load(site, size, rng)
            have = len(site["cases"].objectIds())
            warnings = len(site["warnings"].objectIds())
            times, raised = new_cases(site, args.new, rng, first=have)
            times.sort()
            print(
                f"warning evaluation per new case at {have} cases ({warnings} warnings before): "
                f"p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, "
                f"max {times[-1]:.1f} ms over {len(times)} new cases ({raised} warnings raised)",
                flush=True,
            )
        repository.addPolicyForContentType("PetitionCase", "at_edit_autoversion")
        import transaction

        transaction.commit()


if __name__ == "__main__":
    main()
