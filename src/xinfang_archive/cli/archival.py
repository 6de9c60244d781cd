"""``fixity`` and ``file``: the archive's own runs over filed and closed
cases."""

from datetime import date
from xinfang_archive.cli.app import fail
from xinfang_archive.cli.common import instance_arguments
from xinfang_archive.cli.common import open_site
from xinfang_archive.cli.common import WHILE_SERVING
from xinfang_archive.cli.instance import Instance

import sys
import time


EX_TEMPFAIL = 75  # sysexits.h: try again later (a job running elsewhere)

# Plone, the database and the archive's domain modules are imported inside
# the commands that use them: the command line starts without loading them.


def cmd_fixity(args):
    from xinfang_archive.archival.fixity import CHANGED
    from xinfang_archive.archival.fixity import INTACT
    from xinfang_archive.archival.fixity import MISSING
    from xinfang_archive.archival.fixity import record_run
    from xinfang_archive.archival.fixity import run_fixity
    from xinfang_archive.cli.jobs import exclusive
    from xinfang_archive.cli.jobs import JobRunning
    from xinfang_archive.retry import commit_retrying

    try:
        with exclusive(Instance(args.var), "fixity"), open_site(args) as site:
            started = time.perf_counter()
            run = run_fixity(site)
            seconds = time.perf_counter() - started
            commit_retrying(lambda: record_run(site, run), "xinfang-archive fixity")
    except JobRunning as running:
        print(
            f"固定性检查正在别处运行，本次不运行 a fixity run is in progress already ({running.holder}); "
            "this one does not run",
            file=sys.stderr,
        )
        return EX_TEMPFAIL
    rate = run.files_checked / max(seconds, 1e-6)
    print(
        f"fixity: {len(run.results)} entries, {run.files_checked} files "
        f"({run.bytes_read / 1e6:.1f} MB) in {seconds:.1f} s ({rate:.0f} files/s): "
        f"{run.count(INTACT)} intact, {run.count(CHANGED)} changed, {run.count(MISSING)} missing"
    )
    for label, status in (("MISSING", MISSING), ("CHANGED", CHANGED)):
        problems = [r for r in run.results if r.status == status]
        if problems:
            print(f"{label} ({len(problems)}):")
        for r in problems:
            what = r.filename or r.field or "record"
            print(
                f"  {r.archival_code}  {r.path}  [{r.field or '-'}] {what}: {r.detail}"
            )
    return 0 if run.ok else 1


def cmd_file(args):
    """Batch filing from the command line, as a named archivist."""
    from plone import api
    from xinfang_archive.archival.checks import PROPERTY_TITLES
    from xinfang_archive.archival.filing import file_cases
    from xinfang_archive.i18n import record_text
    from xinfang_archive.retry import commit_retrying

    with open_site(args) as site:
        user = site.acl_users.getUserById(args.archivist)
        if user is None or "Archivist" not in user.getRolesInContext(site):
            fail(f"{args.archivist!r} is not an archivist of the site")
        query = {
            "portal_type": "PetitionCase",
            "review_state": "closed",
            "sort_on": "closed_on",
            "closed_on": {
                "query": [date(args.year, 1, 1), date(args.year, 12, 31)],
                "range": "min:max",
            },
        }
        if args.unit:
            query["case_unit"] = args.unit
        if args.category:
            query["case_category"] = args.category
        found = []

        def work():
            # again after a conflict: the cases still closed now
            brains = site.portal_catalog.unrestrictedSearchResults(**query)
            found[:] = [brain._unrestrictedGetObject() for brain in brains]
            return file_cases(found)

        started = time.perf_counter()
        with api.env.adopt_user(user=user.__of__(site.acl_users)):
            result = commit_retrying(
                work,
                f"xinfang-archive file: closed cases of {args.year} by {args.archivist}",
            )
        cases = found
        seconds = time.perf_counter() - started
    print(
        f"filed {len(result.filed)} of {len(cases)} closed cases of {args.year} in {seconds:.1f} s"
    )
    for case, code in result.filed:
        print(f"  {code}  {case.registration_number}")
    for case, problems in result.refused:
        print(f"NOT FILED {case.registration_number}:")
        for problem in problems:
            where = f" [{problem.path}]" if problem.path else ""
            print(
                f"    {record_text(PROPERTY_TITLES[problem.property])}{where}: {record_text(problem.message)}"
            )
    return 1 if result.refused else 0


def add_commands(commands):
    fixity = commands.add_parser(
        "fixity",
        help="verify every filed file against its checksum (exit 1 on any problem)",
        description="Check every filed record: each file against its SHA-256 and each "
        "record's metadata against its digest, from the register of item numbers. "
        "Reports missing, changed and intact apart, records the run in the site "
        "(shown on the fixity page) and in the audit trail; exit 1 if anything is "
        "missing or changed." + WHILE_SERVING,
    )
    instance_arguments(fixity)
    fixity.set_defaults(func=cmd_fixity)

    filing = commands.add_parser(
        "file",
        help="file the closed cases of a year (as a named archivist)",
        description="File (归档) the closed cases of one year, optionally of one unit or "
        "category, as the archivist named with --archivist (who must hold the Archivist "
        "role). Cases that fail the four-properties check are listed with their "
        "problems and left unchanged; exit 1 if any." + WHILE_SERVING,
    )
    instance_arguments(filing)
    filing.add_argument(
        "--year", type=int, required=True, help="year the cases were closed"
    )
    filing.add_argument("--unit", help="responsible unit code")
    filing.add_argument("--category", help="category code")
    filing.add_argument(
        "--archivist", required=True, help="user id of the archivist filing"
    )
    filing.set_defaults(func=cmd_file)
