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
