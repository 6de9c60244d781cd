"""A throw-away archive instance (FileStorage + blobs in a temp dir) for benchmarks."""

from contextlib import contextmanager
from pathlib import Path

import os
import sys
import tempfile


# The repository, for the tests' helpers (``tests.helpers``).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@contextmanager
def bench_site(var=None, keep=False):
    """Yield ``(app, site)`` of a fresh instance; the instance is removed after."""
    from xinfang_archive.cli.app import login
    from xinfang_archive.cli.app import zope_app
    from xinfang_archive.cli.instance import Instance
    from xinfang_archive.cli.site import ADMIN
    from xinfang_archive.cli.site import ensure_admin
    from xinfang_archive.cli.site import ensure_site
    from xinfang_archive.cli.site import QUIET_LOGGERS

    import logging
    import shutil
    import transaction

    for name in (
        *QUIET_LOGGERS,
        "plone.app.versioningbehavior",
        "Products.CMFEditions",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)
    var = var or tempfile.mkdtemp(prefix="xinfang-bench-")
    os.environ.pop("XINFANG_ADMIN_PASSWORD", None)
    instance = Instance(var)
    instance.write_config()
    password, _ = instance.admin_password()
    try:
        with zope_app(instance) as app:
            ensure_admin(app, password)
            transaction.commit()
            login(app, ADMIN)
            site, _created = ensure_site(app)
            transaction.commit()
            yield app, site
    finally:
        if not keep:
            shutil.rmtree(var, ignore_errors=True)


def du(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def bench_user(user_id, groups):
    """A user of the benchmark in ``groups`` (made once, random password)."""
    from plone import api

    import secrets

    if api.user.get(username=user_id) is None:
        api.user.create(
            email=f"{user_id}@example.org",
            username=user_id,
            password=secrets.token_urlsafe(12),
        )
        for group in groups:
            api.group.add_user(groupname=group, username=user_id)
    return user_id


def view_times(app, site, name, context, user_id=None, runs=20):
    """``(sorted render times in ms, the last view, its HTML)`` of the view
    ``name`` of ``context``, rendered ``runs`` times as ``user_id`` (None:
    anonymous) on a fresh request each time, after two that warm caches."""
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SecurityManagement import noSecurityManager
    from plone import api
    from xinfang_archive.cli.app import login
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.globalrequest import setRequest
    from zope.interface import alsoProvides

    import time

    if user_id is None:
        noSecurityManager()
    else:
        user = site.acl_users.getUser(user_id)
        newSecurityManager(None, user.__of__(site.acl_users))
    times = []
    for _ in range(runs + 2):
        request = app.REQUEST.clone()  # a fresh request each time: no memoized results
        request["PARENTS"] = [app]
        alsoProvides(request, IXinfangArchiveLayer)
        setRequest(request)
        view = api.content.get_view(name, context, request)
        started = time.perf_counter()
        html = view()
        times.append((time.perf_counter() - started) * 1000)
    login(app, "admin")
    return sorted(times[2:]), view, html
