"""``demo``: realistic demo data added to the site (also what ``init``
gives a new site), and the demo staff's logins kept beside the instance."""

from xinfang_archive.cli.common import instance_arguments
from xinfang_archive.cli.common import open_site
from xinfang_archive.cli.common import progress_bar
from xinfang_archive.cli.common import WHILE_SERVING
from xinfang_archive.cli.instance import Instance

import os
import sys


DEMO_LOGINS_FILE = "demo-logins.tsv"

# Plone, the database and the archive's domain modules are imported inside
# the commands that use them: the command line starts without loading them.


def generate(site, count, seed, serving=False):
    """Demo staff, cases, hearings, screening reports, meetings, reception days,
    accountability records, early warnings, filings and the archive office's
    work (appraisals, a transfer, a hold, fixity runs), each unit of work committed
    (and done again after a conflict with the serving site).  While the site
    serves a case is a unit of its own: a registration on the web takes the
    year's number as well, and a long unit would lose to it again and again.
    For the same reason screening reports are committed a period at a time,
    meetings, accountability records and warnings one by one."""
    from xinfang_archive.demo.accountability import accountability_units
    from xinfang_archive.demo.archive_office import legacy_cases
    from xinfang_archive.demo.archive_office import legacy_count
    from xinfang_archive.demo.archive_office import office_units
    from xinfang_archive.demo.bureau import set_demo_bureau
    from xinfang_archive.demo.filing import file_earlier_years
    from xinfang_archive.demo.generator import case_batches
    from xinfang_archive.demo.hearings import add_demo_hearings
    from xinfang_archive.demo.meetings import meeting_units
    from xinfang_archive.demo.receptions import add_demo_receptions
    from xinfang_archive.demo.screening import screening_units
    from xinfang_archive.demo.staff import add_demo_staff
    from xinfang_archive.demo.warnings import warning_units
    from xinfang_archive.retry import commit_retrying

    commit_retrying(set_demo_bureau, "xinfang-archive: demo bureau")
    staff = commit_retrying(
        lambda: add_demo_staff(site, seed=seed), "xinfang-archive: demo staff"
    )
    size = 1 if serving else 100
    for make in case_batches(
        site, count, seed=seed, progress=progress_bar("演示数据 demo cases"), size=size
    ):
        commit_retrying(make, "xinfang-archive: demo cases")
    commit_retrying(
        lambda: add_demo_hearings(site, seed=seed), "xinfang-archive: demo hearings"
    )
    for make in screening_units(site, seed=seed):  # a period each
        commit_retrying(make, "xinfang-archive: demo screening reports")
    for make in meeting_units(
        site, seed=seed
    ):  # a meeting each: its decisions change cases the site changes too
        commit_retrying(make, "xinfang-archive: demo meetings")
    commit_retrying(
        lambda: add_demo_receptions(site, seed=seed),
        "xinfang-archive: demo reception days",
    )
    for make in accountability_units(site, seed=seed):  # a record each
        commit_retrying(make, "xinfang-archive: demo accountability")
    # the rules over every case, a few hundred at a time (one by one while the site serves:
    # its registrations raise warnings in the same folder and windows)
    for make in warning_units(site, seed=seed, **({"size": 1} if serving else {})):
        commit_retrying(make, "xinfang-archive: demo warnings")
    commit_retrying(
        lambda: legacy_cases(site, seed=seed, count=legacy_count(count)),
        "xinfang-archive: demo cases refused twelve years ago",
    )
    result = commit_retrying(
        lambda: file_earlier_years(site), "xinfang-archive: demo cases filed"
    )
    if result.refused:
        print(
            f"{len(result.refused)} closed demo cases could not be filed",
            file=sys.stderr,
        )
    for make in office_units(site, seed=seed):
        commit_retrying(make, "xinfang-archive: demo archive office")
    return staff


def keep_demo_logins(instance, staff):
    """The demo staff's logins, readable by the instance's owner only; new
    users are added to the file, never printed on the console."""
    if not staff:
        return None
    path = instance.var / DEMO_LOGINS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        for user_id, password, role in staff:
            handle.write(f"{user_id}\t{password}\t{role}\n")
    return path


def cmd_demo(args):
    with open_site(args) as site:
        instance = Instance(args.var)
        logins = keep_demo_logins(
            instance, generate(site, args.cases, args.seed, serving=instance.served())
        )
    print(f"{args.cases} demo cases added to {args.site_id}")
    if logins:
        print(f"demo staff logins in {logins} (mode 600)")


def add_commands(commands):
    demo = commands.add_parser(
        "demo",
        help="add realistic demo cases",
        description="Add realistic demo cases generated from the corpus of petition texts "
        "(several years, every channel, category, unit, grade and state)."
        + WHILE_SERVING,
    )
    instance_arguments(demo)
    demo.add_argument("--cases", type=int, required=True, help="number of cases to add")
    demo.add_argument(
        "--seed", type=int, default=None, help="random seed (default: time-based)"
    )
    demo.set_defaults(func=cmd_demo)
