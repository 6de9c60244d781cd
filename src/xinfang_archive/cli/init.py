"""``init``: the instance, its admin and its site (with demo data)."""

from xinfang_archive.cli.app import fail
from xinfang_archive.cli.app import InstanceLocked
from xinfang_archive.cli.app import login
from xinfang_archive.cli.app import zope_app
from xinfang_archive.cli.common import instance_arguments
from xinfang_archive.cli.common import progress_bar
from xinfang_archive.cli.demo import generate
from xinfang_archive.cli.demo import keep_demo_logins
from xinfang_archive.cli.instance import Instance
from xinfang_archive.cli.instance import is_postgresql

import argparse
import logging


# Plone, the database and the archive's domain modules are imported inside
# the commands that use them: the command line starts without loading them.


def _storage(value):
    """``--storage``: zeo, file, or a PostgreSQL address."""
    if value in ("zeo", "file") or is_postgresql(value):
        return value
    raise argparse.ArgumentTypeError(
        f"{value!r}: choose zeo, file or a PostgreSQL address (postgresql://user@host:5432/database)"
    )


def cmd_init(args):
    from xinfang_archive.cli.site import ADMIN
    from xinfang_archive.cli.site import ensure_admin
    from xinfang_archive.cli.site import ensure_site
    from xinfang_archive.cli.site import QUIET_LOGGERS
    from xinfang_archive.cli.site import upgrade_site
    from xinfang_archive.retry import commit_retrying

    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    instance = Instance(args.var)
    instance.write_config(host=args.host, port=args.port, storage=args.storage)
    password, origin = instance.admin_password()
    logins = upgraded = None
    staff = []
    try:
        with zope_app(instance) as app:
            admin = commit_retrying(
                lambda: ensure_admin(app, password, reset=origin == "env"),
                "xinfang-archive init: admin",
            )
            login(app, ADMIN)
            site, created = commit_retrying(
                lambda: ensure_site(app, args.site_id), "xinfang-archive init: site"
            )
            if not created:
                upgraded = commit_retrying(
                    lambda: upgrade_site(site), "xinfang-archive init: upgrade"
                )
            if created and args.demo_cases:
                staff = generate(
                    site, args.demo_cases, args.seed, serving=instance.served()
                )
                logins = keep_demo_logins(instance, staff)
            if not created and instance.storage == "postgresql":
                _follow_shared_log(site)
    except InstanceLocked as error:
        fail(str(error))
    if upgraded:
        print(f"  已升级 upgraded: {upgraded[0]} → {upgraded[1]}")
    print(
        f"信访档案馆 {'已创建' if created else '已就绪'}: http://{args.host}:{args.port}/{args.site_id}"
    )
    if admin == "kept" and origin == "new":
        # another host (or an earlier var/) made the admin: the password drawn
        # here is not its password, so it is neither kept nor printed
        instance.password_file.unlink()
        print(
            f"  login: {ADMIN} (管理员已存在于数据库中 the admin exists in the database: its password is "
            f"the one of the host that created it; copy that host's admin-password into {instance.var}, "
            "or set XINFANG_ADMIN_PASSWORD to reset it)"
        )
    else:
        where = {
            "env": "from $XINFANG_ADMIN_PASSWORD",
            "file": f"kept in {instance.password_file}",
            "new": f"generated now, kept in {instance.password_file} (mode 600)",
        }[origin]
        print(f"  login: {ADMIN} / {password}   (password {where})")
    if created and args.demo_cases and logins:
        _print_first_logins(staff, logins)


def _print_first_logins(staff, path):
    """One demo login per role, shown this once; every login stays in ``path``."""
    from xinfang_archive.demo.staff import FIRST_LOGINS

    created = {user_id: (password, role) for user_id, password, role in staff}
    print(f"  演示账号 demo logins (shown once; all {len(staff)} in {path}, mode 600):")
    for user_id in FIRST_LOGINS:
        if user_id in created:
            password, role = created[user_id]
            print(f"    {user_id:<12} {password}   {role}")


def _follow_shared_log(site):
    """A host joining an archive in PostgreSQL fills its index from the log."""
    from xinfang_archive.search.following import Follower
    from xinfang_archive.search.shared_maintenance import shared_dsn
    from xinfang_archive.search.site import current_store

    Follower(shared_dsn(site), current_store(site)).catch_up(
        progress=progress_bar("全文索引 本机 local index")
    )


def add_commands(commands):
    init = commands.add_parser(
        "init",
        help="create the instance, the admin user and the site (with demo data) when absent",
        description="Create the Zope instance under var/ (FileStorage + blobs behind a ZEO "
        "server), the admin "
        "user (password from $XINFANG_ADMIN_PASSWORD or generated) and the Plone site "
        "with this add-on and demo cases, when absent; print the URL and the login.",
    )
    instance_arguments(init)
    init.add_argument(
        "--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)"
    )
    init.add_argument(
        "--port", type=int, default=8080, help="port to serve on (default 8080)"
    )
    init.add_argument(
        "--demo-cases",
        type=int,
        default=200,
        help="demo cases for a new site (default 200, 0 for none)",
    )
    init.add_argument(
        "--seed", type=int, default=0, help="random seed of the demo data"
    )
    init.add_argument(
        "--storage",
        type=_storage,
        default=None,
        metavar="zeo|file|postgresql://…",
        help="zeo (default for a new instance): serve the database from a ZEO server, so that "
        "every command works while the site serves; file: the web server opens it alone "
        "(nothing else while it serves); postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE: "
        "RelStorage on that PostgreSQL database, which several hosts (each an instance with "
        "its own --var) serve together. Default: keep the instance's set-up",
    )
    init.set_defaults(func=cmd_init)
