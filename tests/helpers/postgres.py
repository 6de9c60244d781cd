"""A PostgreSQL cluster of the tests' own, from Debian's server binaries.

``initdb`` in a temporary directory, started with ``pg_ctl`` on a free
port of 127.0.0.1 (trust authentication: only this machine's tests reach
it), stopped when the session ends. initdb refuses to run as root, so as
root (CI) the server runs as Debian's ``postgres`` user.
"""

from pathlib import Path
from relstorage.adapters.postgresql import PostgreSQLAdapter
from relstorage.options import Options
from relstorage.storage import RelStorage
from tests.helpers.cli import free_port
from ZODB import DB

import glob
import os
import shutil
import subprocess
import tempfile


SERVER_USER = "postgres"


def server_binary(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise RuntimeError(
        f"PostgreSQL's {name} is missing: 'make install-test' installs Debian's postgresql"
    )


class Cluster:
    def __init__(self, fsync=False):
        """``fsync=False`` for tests (nothing to keep); benchmarks keep it on."""
        self.fsync = fsync
        self.root = Path(tempfile.mkdtemp(prefix="xinfang-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.started = False

    def _as_server(self, *command, check=True):
        command = [str(part) for part in command]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if check and result.returncode:
            raise RuntimeError(
                f"{command[0]} failed: {result.stdout[-2000:]} {result.stderr[-2000:]}"
            )
        return result

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.root, SERVER_USER, SERVER_USER)
        self._as_server(
            server_binary("initdb"),
            "-D",
            self.data,
            "-U",
            SERVER_USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            *([] if self.fsync else ["--no-sync"]),
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            f"-c fsync={'on' if self.fsync else 'off'}"
        )
        self._as_server(
            server_binary("pg_ctl"),
            "-D",
            self.data,
            "-l",
            self.root / "server.log",
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        self.started = True
        return self

    def create_database(self, name):
        self._as_server(
            server_binary("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            self.port,
            "-U",
            SERVER_USER,
            name,
        )
        return self.dsn(name)

    def dsn(self, name):
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/{name}"

    def sql(self, name, statement):
        result = self._as_server(
            server_binary("psql"),
            "-h",
            "127.0.0.1",
            "-p",
            self.port,
            "-U",
            SERVER_USER,
            "-d",
            name,
            "-At",
            "-c",
            statement,
        )
        return result.stdout.strip()

    def stop(self):
        if self.started:
            self._as_server(
                server_binary("pg_ctl"),
                "-D",
                self.data,
                "-m",
                "fast",
                "-w",
                "stop",
                check=False,
            )
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)


def open_db(dsn, blob_dir):
    """A ZODB on RelStorage in ``dsn`` (libpq form), as an instance opens it."""
    options = Options(keep_history=False, shared_blob_dir=False, blob_dir=str(blob_dir))
    return DB(RelStorage(PostgreSQLAdapter(dsn=dsn, options=options), options=options))
