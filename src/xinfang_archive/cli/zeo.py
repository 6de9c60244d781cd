"""The instance's ZEO server: the one process that opens ``Data.fs``.

``serve`` starts it (unless one already runs) and serves the site as its
client, as Plone's production set-ups do; Ctrl+C stops what ``serve``
started.  Every other command is a client of the running server, so it works
while the site serves; with no server running a command opens the FileStorage
itself, as a small install without ZEO does.

The server listens on a Unix socket in ``var/`` (``zeo.sock``): reachable by
the instance's owner only, and no port to choose or clash.  Clients share the
blob directory with the server (``shared-blob-dir``): blobs are read from
disk, never copied through the socket.
"""

import contextlib
import signal
import socket
import subprocess
import sys
import time


ZEO_CONF = """\
# The ZEO server of the archive (written by xinfang-archive init).
<zeo>
  address {socket}
  pid-filename {var}/zeo.pid
  invalidation-queue-size 1000
  transaction-timeout 300
</zeo>
<filestorage 1>
  path {var}/filestorage/Data.fs
  blob-dir {var}/blobstorage
</filestorage>
<eventlog>
  level INFO
  <logfile>
    path {var}/log/zeo.log
    format %(asctime)s %(levelname)s %(name)s %(message)s
  </logfile>
</eventlog>
"""

# The storage section of zope.conf for a client of that server.
ZEO_CLIENT = """\
  <zeoclient>
    server {socket}
    storage 1
    name zeostorage
    blob-dir {var}/blobstorage
    shared-blob-dir on
    cache-size 256MB
  </zeoclient>"""

STARTUP_SECONDS = 60


class ZeoFailed(RuntimeError):
    """The ZEO server did not start (its log says why)."""


class ZeoServer:
    """Start, find and stop the ZEO server of an instance."""

    def __init__(self, instance):
        self.instance = instance
        self.socket = instance.zeo_socket
        self.conf = instance.zeo_conf
        self.log = instance.var / "log" / "zeo.log"
        self.process = None
        self.log_start = 0

    def running(self):
        """True when a server answers on the socket."""
        if not self.socket.exists():
            return False
        with contextlib.closing(
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        ) as probe:
            probe.settimeout(2)
            try:
                probe.connect(str(self.socket))
            except OSError:
                return False
        return True

    def start(self):
        """Start the server in its own session (the terminal's Ctrl+C goes to
        ``serve``, which then stops it in order) and wait until it answers."""
        if self.socket.exists() and not self.running():
            self.socket.unlink()  # left by a server that was killed
        command = [sys.executable, "-m", "ZEO.runzeo", "-C", str(self.conf)]
        self.log_start = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.running():
            if self.process.poll() is not None:
                raise ZeoFailed(
                    f"the ZEO server stopped at start (exit {self.process.returncode}): "
                    f"{self.last_error()} (see {self.log})"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise ZeoFailed(
                    f"the ZEO server did not answer within {STARTUP_SECONDS} s; see {self.log}"
                )
            time.sleep(0.1)

    def last_error(self):
        """The last error line this start wrote to the server's log (e.g. the
        database locked by a command that opened it directly, or a server
        without ZEO)."""
        if not self.log.exists():
            return "no error logged"
        with open(self.log, "rb") as stream:
            stream.seek(self.log_start)
            lines = stream.read().decode("utf-8", "replace").splitlines()
        errors = [
            line
            for line in lines
            if "Error" in line or "ERROR" in line or "CRITICAL" in line
        ]
        return errors[-1].strip() if errors else "no error logged"

    def stop(self):
        """Stop the server this object started (it closes Data.fs in order)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def serving(instance):
    """The instance's ZEO server for the duration of the block: the running
    one, or one started here and stopped at the end (SIGTERM included).
    An archive on PostgreSQL has no ZEO server: None."""
    if instance.storage == "postgresql":
        yield None
        return
    server = ZeoServer(instance)
    if server.running():
        yield server
        return
    previous = signal.getsignal(signal.SIGTERM)

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
