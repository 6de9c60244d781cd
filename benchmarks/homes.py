"""Front page (the role homes, ``@@xf-home``) render time per role at
10,000 and 100,000 cases.

    .venv/bin/python benchmarks/homes.py [--sizes 10000,100000] [--var DIR]

Loads cases as ``benchmarks/dashboard.py`` does (a third open, some overdue,
spread over units, grades and categories), then renders the front page, the
full page, 20 times as each role (a registrar, a unit's handler, a hearing
organizer, an archivist, an inspector and an anonymous visitor) and prints
p50 / p95 in ms.  With ``--var`` the loaded instance is kept and reused.
"""

from _site import bench_site
from _site import bench_user
from _site import view_times
from dashboard import load

import argparse
import random
import statistics


# Who renders the front page, with the groups that give them their role.
VIEWERS = {
    "registrar": ("registrars",),
    "unit handler (JSJ)": ("case_handlers", "unit-JSJ"),
    "hearing organizer": ("hearing_organizers",),
    "archivist": ("archivists",),
    "inspector": ("inspectors",),
    "anonymous": (),
}


def user_of(viewer):
    if viewer == "anonymous":
        return None
    return bench_user("home-" + viewer.split()[0], VIEWERS[viewer])


def render_times(app, site, viewer, runs=20):
    times, _view, html = view_times(app, site, "xf-home", site, user_of(viewer), runs)
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(html)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument(
        "--var", default=None, help="keep (and reuse) the instance here"
    )
    args = parser.parse_args()
    rng = random.Random(7)
    from plone import api

    import transaction

    with bench_site(var=args.var, keep=bool(args.var)) as (app, site):
        repository = api.portal.get_tool("portal_repository")
        repository.removePolicyFromContentType("PetitionCase", "at_edit_autoversion")
        for viewer in VIEWERS:
            user_of(viewer)
        transaction.commit()
        for size in (int(s) for s in args.sizes.split(",")):
            load(site, size, rng)
            for viewer in VIEWERS:
                p50, p95, length = render_times(app, site, viewer)
                print(
                    f"front page with {size} cases as {viewer}: "
                    f"p50 {p50:.0f} ms, p95 {p95:.0f} ms ({length // 1024} KiB page)",
                    flush=True,
                )
        repository.addPolicyForContentType("PetitionCase", "at_edit_autoversion")
        transaction.commit()


if __name__ == "__main__":
    main()
