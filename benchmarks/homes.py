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
from dashboard import load

import argparse
import random
import statistics
import time


# Who renders the front page, with the groups that give them their role.
VIEWERS = {
    "registrar": ("registrars",),
    "unit handler (JSJ)": ("case_handlers", "unit-JSJ"),
    "hearing organizer": ("hearing_organizers",),
    "archivist": ("archivists",),
    "inspector": ("inspectors",),
    "anonymous": (),
}


def bench_user(viewer):
    from plone import api

    import secrets

    user_id = "home-" + viewer.split()[0]
    if api.user.get(username=user_id) is None:
        api.user.create(
            email=f"{user_id}@example.org",
            username=user_id,
            password=secrets.token_urlsafe(12),
        )
        for group in VIEWERS[viewer]:
            api.group.add_user(groupname=group, username=user_id)
    return user_id


def render_times(app, site, viewer, runs=20):
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SecurityManagement import noSecurityManager
    from plone import api
    from xinfang_archive.cli.app import login
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.globalrequest import setRequest
    from zope.interface import alsoProvides

    if viewer == "anonymous":
        noSecurityManager()
    else:
        user = site.acl_users.getUser(bench_user(viewer))
        newSecurityManager(None, user.__of__(site.acl_users))
    times = []
    for _ in range(runs + 2):
        request = app.REQUEST.clone()  # a fresh request each time: no memoized results
        request["PARENTS"] = [app]
        alsoProvides(request, IXinfangArchiveLayer)
        setRequest(request)
        view = api.content.get_view("xf-home", site, request)
        started = time.perf_counter()
        html = view()
        times.append((time.perf_counter() - started) * 1000)
    login(app, "admin")
    times = sorted(times[2:])  # the first renders warm caches
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
            if viewer != "anonymous":
                bench_user(viewer)
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
