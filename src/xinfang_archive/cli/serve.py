"""``serve``: the archive served (its ZEO server started unless one runs),
after a check that its search index is there and readable."""

from xinfang_archive.cli.app import fail
from xinfang_archive.cli.common import instance_arguments
from xinfang_archive.cli.instance import Instance
from xinfang_archive.cli.zeo import serving
from xinfang_archive.cli.zeo import ZeoFailed

import configparser
import json
import subprocess
import sys


# Plone, the database and the archive's domain modules are imported inside
# the commands that use them: the command line starts without loading them.


def cmd_serve(args):
    instance = Instance(args.var)
    if not instance.zope_ini.exists():
        fail(f"no instance in {instance.var}: run 'xinfang-archive init' first")
    if instance.storage == "file":
        if args.processes > 1:
            fail(
                "several processes need ZEO: run 'xinfang-archive init --storage zeo' first"
            )
        return _serve(args, instance)
    if instance.storage == "postgresql":
        print(
            "database: PostgreSQL (RelStorage); this host's blob cache and search index under "
            f"{instance.var}",
            flush=True,
        )
        return _serve(args, instance)
    try:
        with serving(instance) as server:
            how = "started" if server.process is not None else "running already"
            print(
                f"ZEO server {how} on {server.socket} (Data.fs and blobs under {instance.var})",
                flush=True,
            )
            return _serve(args, instance)
    except ZeoFailed as error:
        fail(str(error))


def _serve(args, instance):
    from Zope2.Startup import serve

    if not args.no_index_check:
        _check_search_index(args, instance)
    host_port = _ini_address(instance)
    processes = args.processes
    how = f"{processes} processes" if processes > 1 else "one process"
    print(
        f"Serving the archive on http://{host_port} with {how} (Ctrl+C stops)",
        flush=True,
    )
    try:
        if processes > 1:
            from xinfang_archive.cli.workers import serve_processes

            return serve_processes(instance.zope_ini, processes)
        return serve.main(["runwsgi", str(instance.zope_ini)]) or 0
    except KeyboardInterrupt:
        return 0


def _check_search_index(args, instance):
    """Before serving: a deleted or unreadable index under var/search-index
    is rebuilt from the database (in a child process: without ZEO, the
    server must open the database itself afterwards)."""
    from xinfang_archive.search.engines import ENGINES
    from xinfang_archive.search.store import IndexStore

    root = instance.var / "search-index"
    if instance.storage == "postgresql":
        return _follow_before_serving(args, instance, root)
    if not instance.data_fs.exists():
        return
    existing = [name for name in ENGINES if (root / name / "index").is_dir()]
    needs = not existing
    for name in existing:
        store = IndexStore(root, name)
        if store.broken:
            print(
                f"search index {name} was unreadable (moved to {store.broken})",
                flush=True,
            )
            needs = True
    if needs:
        print("rebuilding the search index from the database …", flush=True)
        command = [
            sys.executable,
            "-m",
            "xinfang_archive.cli.main",
            "reindex",
            "--var",
            str(instance.var),
            "--site-id",
            args.site_id,
        ]
        subprocess.run(command, check=True)


def _follow_before_serving(args, instance, root):
    """An archive in PostgreSQL: a host whose index is missing, half-filled
    or from another database fills it from the shared log before it serves;
    the serving processes follow the log from there."""
    from xinfang_archive.cluster.database import connect
    from xinfang_archive.cluster.database import ensure_schema
    from xinfang_archive.search import changelog
    from xinfang_archive.search.following import STATE

    ensure_schema(instance.dsn)
    connection = connect(instance.dsn)
    try:
        with connection.cursor() as cursor:
            epoch = changelog.epoch(cursor)
    finally:
        connection.close()
    for path in root.glob(f"*/{STATE}"):
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
        if state.get("epoch") == epoch and not state.get("rebuilding"):
            return
    print(
        "filling this host's search index from the shared log before serving …",
        flush=True,
    )
    command = [
        sys.executable,
        "-m",
        "xinfang_archive.cli.main",
        "reindex",
        "--local",
        "--var",
        str(instance.var),
        "--site-id",
        args.site_id,
    ]
    subprocess.run(command, check=True)


def _ini_address(instance):
    parser = configparser.RawConfigParser()
    parser.read(instance.zope_ini)
    return f"{parser.get('server:main', 'host')}:{parser.get('server:main', 'port')}"


def add_commands(commands):
    serve = commands.add_parser(
        "serve",
        help="serve the archive (ZEO server and waitress)",
        description="Serve the instance: start its ZEO server unless one runs, and the web "
        "server (waitress) as its client. Ctrl+C stops both.",
    )
    instance_arguments(serve)
    serve.add_argument(
        "--no-index-check",
        action="store_true",
        help="do not check (and rebuild if lost or unreadable) the search index before serving",
    )
    serve.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="application processes serving the one address (default 1: waitress, 4 threads). "
        "One process uses one core at most; choose N = the cores the archive may use "
        "(each process needs about 500 MB of memory with its object cache). N > 1 runs "
        "gunicorn's arbiter with N workers of 4 threads, each a client of the ZEO server",
    )
    serve.set_defaults(func=cmd_serve)
