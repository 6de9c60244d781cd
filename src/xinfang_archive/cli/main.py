"""``xinfang-archive``: set-up, serving and bulk operations of the archive.

Each concern's commands are in a module of their own, which adds them to
the parser (``add_commands``); this module only puts the parser together,
in the order ``--help`` lists the commands, and runs the command given.
"""

from xinfang_archive.cli import archival
from xinfang_archive.cli import audit
from xinfang_archive.cli import demo
from xinfang_archive.cli import exchange
from xinfang_archive.cli import init
from xinfang_archive.cli import schedule
from xinfang_archive.cli import search
from xinfang_archive.cli import serve
from xinfang_archive.cli import storage

import argparse
import sys
import time


COMMANDS = (init, serve, demo, search, archival, storage, schedule, audit, exchange)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="xinfang-archive",
        description="信访档案 (petition archive): set up, serve and operate the archive.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.add_commands(commands)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if getattr(args, "seed", 0) is None:
        args.seed = int(time.time())
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
