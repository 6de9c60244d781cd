"""The ``Importer`` an ``import`` command line asks for, the same in the one
process of an import and in each worker of a parallel one."""


def importer_for(site, args, **options):
    """The ``Importer`` of an ``import`` command line (one process or a worker)."""
    # The importer loads Plone's modules: imported when the command runs.
    from xinfang_archive.exchange.importer import Importer

    return Importer(
        site,
        commit_every=args.commit_every,
        max_bytes=int(args.max_size * 1024 * 1024),
        note=f"xinfang-archive import {' '.join(args.sources)}",
        **options,
    )
