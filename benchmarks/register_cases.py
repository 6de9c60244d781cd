"""Registering cases through the API layer (Dexterity's createContentInContainer,
the path plone.restapi's POST takes: name chosen before adding) with versioning
on, into a real FileStorage: cases per second.

    .venv/bin/python benchmarks/register_cases.py [--cases 10000] [--batch 100] [--var DIR]

Each case is a full registration: registration number, validation of the
schema invariants, catalog indexing and the initial CMFEditions version;
committed in batches of ``--batch``.  ``--var DIR`` registers into that
instance (made with ``init``, not serving) and keeps it, e.g. to grow a demo
instance for ``benchmarks/backup.py --var DIR``.
"""

from _site import bench_site
from datetime import timedelta
from tests.helpers.cases import case_data
from xinfang_archive.localtime import local_today

import argparse
import random
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--var", help="register into this instance and keep it")
    args = parser.parse_args()

    from plone import api
    from plone.dexterity.utils import createContentInContainer
    from xinfang_archive.content.case import IPetitionCaseSchema

    import transaction

    rng = random.Random(1)
    categories = [
        "land",
        "labour",
        "enterprise",
        "welfare",
        "legal",
        "village",
        "urban",
    ]
    with bench_site(var=args.var, keep=bool(args.var)) as (_app, site):
        container = site["cases"]
        repository = api.portal.get_tool("portal_repository")
        assert "at_edit_autoversion" in repository.getPolicyMap()["PetitionCase"]
        started = time.perf_counter()
        for i in range(args.cases):
            data = case_data(
                title=f"信访事项 {i}",
                received_date=local_today() - timedelta(days=rng.randrange(0, 1500)),
                category=rng.choice(categories),
            )

            class Data:
                pass

            probe = Data()
            probe.__dict__.update(data)
            IPetitionCaseSchema.validateInvariants(probe)
            createContentInContainer(
                container, "PetitionCase", checkConstraints=True, **data
            )
            if (i + 1) % args.batch == 0:
                transaction.commit()
        transaction.commit()
        elapsed = time.perf_counter() - started
        versions = repository.getHistoryMetadata(container.objectValues()[0]).getLength(
            countPurged=False
        )
        print(
            f"registered {args.cases} cases in {elapsed:.1f} s: {args.cases / elapsed:.1f} cases/s "
            f"(versioning on, {versions} version per new case, batches of {args.batch})"
        )


if __name__ == "__main__":
    main()
