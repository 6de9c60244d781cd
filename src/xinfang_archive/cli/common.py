"""What the commands share: the instance options, the site of the
instance as the admin, and a progress bar on standard error."""

from contextlib import contextmanager
from xinfang_archive.cli.app import fail
from xinfang_archive.cli.app import InstanceLocked
from xinfang_archive.cli.app import login
from xinfang_archive.cli.app import zope_app
from xinfang_archive.cli.instance import Instance

import sys
import time


WHILE_SERVING = " Works while the site serves (a client of its ZEO server)."


def instance_arguments(parser):
    """``--var`` and ``--site-id``: which instance and site a command works on."""
    parser.add_argument(
        "--var",
        help="directory of the instance and its data (default: ./var, or $XINFANG_ARCHIVE_VAR)",
    )
    parser.add_argument(
        "--site-id", default="xinfang", help="id of the Plone site (default: xinfang)"
    )


def progress_bar(label):
    """``report(done, total)``, drawing a bar at most once a second (and
    every 50 items, and at the end)."""
    started = time.perf_counter()
    shown = [started]

    def report(done, total):
        now = time.perf_counter()
        if done == total or done % 50 == 0 or now - shown[0] >= 1:
            shown[0] = now
            rate = done / max(now - started, 1e-6)
            width = 30
            filled = int(width * done / max(total, 1))
            sys.stderr.write(
                f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:.1f}/s)"
            )
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return report


@contextmanager
def open_site(args):
    """The site of the instance, as the admin, with the site hook set."""
    # Zope's and the site's modules load here, when a command opens the site:
    # the command line itself starts without them.
    from xinfang_archive.cli.site import ADMIN
    from zope.component.hooks import setSite

    instance = Instance(args.var)
    if not instance.zope_conf.exists():
        fail(f"no instance in {instance.var}: run 'xinfang-archive init' first")
    try:
        with zope_app(instance) as app:
            if args.site_id not in app.objectIds():
                fail(f"no site '{args.site_id}' in {instance.data_fs}")
            login(app, ADMIN)
            site = app[args.site_id]
            setSite(site)
            yield site
    except InstanceLocked as error:
        fail(str(error))
