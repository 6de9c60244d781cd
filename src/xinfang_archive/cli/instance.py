"""The Zope instance under ``var/``: configuration files and the admin password.

Everything lives below one directory (``./var`` unless ``--var`` or
``XINFANG_ARCHIVE_VAR`` say otherwise): ``instance/etc`` (zope.conf,
zope.ini, site.zcml, and with ZEO zeo.conf and zope-direct.conf),
``filestorage/Data.fs``, ``blobstorage/``, ``log/``.

Three storage set-ups: ``zeo`` (the default) serves the FileStorage from a
ZEO server whose clients are the web server and every command; ``file`` has
the web server open the FileStorage itself (one process, nothing else while
it serves).  ``zope-direct.conf`` opens the FileStorage directly: commands
use it when no ZEO server runs.  ``postgresql`` (``init --storage
postgresql://…``) keeps the database in PostgreSQL through RelStorage
(history-free, blobs in the database with a cache under ``var/blobcache``):
several hosts, each with its own ``var/``, serve one archive; the address
is kept in ``instance/etc/postgresql.dsn`` (mode 600, it may hold a password).
"""

from pathlib import Path
from xinfang_archive.cli.zeo import ZEO_CLIENT
from xinfang_archive.cli.zeo import ZEO_CONF

import hashlib
import os
import secrets
import tempfile


PASSWORD_ENV = "XINFANG_ADMIN_PASSWORD"  # noqa: S105 (a variable's name)
PASSWORD_FILE = "admin-password"  # noqa: S105 (a file's name)

ZOPE_CONF = """\
%define INSTANCE {instance}
%define VAR {var}
instancehome $INSTANCE
clienthome $VAR
debug-mode off
security-policy-implementation C
verbose-security off
default-zpublisher-encoding utf-8
# A registration takes the year's number and conflicts by design with one
# made at the same moment (never a number twice, never a gap): under load a
# request may need more than Zope's default 3 retries.
max-conflict-retries 10
<environment>
  zope_i18n_compile_mo_files true
  CHAMELEON_CACHE $VAR/cache
  XINFANG_ARCHIVE_VAR $VAR
</environment>
<dos_protection>
  form-memory-limit 64MB
</dos_protection>
<zodb_db main>
  cache-size 100000
{storage}
  mount-point /
</zodb_db>
"""

# RelStorage on PostgreSQL: history-free (pack needs no history; the
# archive keeps its own versions), blobs stored in the database as large
# objects, this host's copy of them a bounded cache.
RELSTORAGE = """\
  <relstorage>
    keep-history false
    shared-blob-dir false
    blob-dir $VAR/blobcache
    blob-cache-size 1gb
    <postgresql>
      dsn {dsn}
    </postgresql>
  </relstorage>"""

FILE_STORAGE = """\
  <filestorage>
    path $VAR/filestorage/Data.fs
    blob-dir $VAR/blobstorage
  </filestorage>"""

ZOPE_INI = """\
[app:zope]
use = egg:Zope#main
zope_conf = %(here)s/zope.conf

[server:main]
use = egg:waitress#main
host = {host}
port = {port}
threads = 4
clear_untrusted_proxy_headers = false

[filter:translogger]
use = egg:Paste#translogger
setup_console_handler = False

[pipeline:main]
pipeline =
    egg:Zope#httpexceptions
    translogger
    zope

[loggers]
keys = root, waitress, wsgi

[handlers]
keys = console, accesslog, eventlog

[formatters]
keys = generic, message

[formatter_generic]
format = %(asctime)s %(levelname)s [%(name)s:%(lineno)s][%(threadName)s] %(message)s
datefmt = %Y-%m-%d %H:%M:%S

[formatter_message]
format = %(message)s

[logger_root]
level = INFO
handlers = console, eventlog

[logger_waitress]
level = INFO
handlers = eventlog
qualname = waitress

[logger_wsgi]
level = INFO
handlers = accesslog
qualname = wsgi
propagate = 0

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = WARNING
formatter = generic

[handler_accesslog]
class = FileHandler
args = (r'{var}/log/access.log', 'a')
level = INFO
formatter = message

[handler_eventlog]
class = FileHandler
args = (r'{var}/log/event.log', 'a')
level = INFO
formatter = generic
"""

SITE_ZCML = """\
<configure
    xmlns="http://namespaces.zope.org/zope"
    xmlns:meta="http://namespaces.zope.org/meta"
    xmlns:five="http://namespaces.zope.org/five">
  <include package="Zope2.App" />
  <include package="Products.Five" />
  <meta:redefinePermission from="zope2.Public" to="zope.Public" />
  <five:loadProducts file="meta.zcml" />
  <five:loadProducts />
  <five:loadProductsOverrides />
  <securityPolicy component="AccessControl.security.SecurityPolicy" />
</configure>
"""


class Instance:
    """Paths of one archive instance."""

    def __init__(self, var=None):
        var = var or os.environ.get("XINFANG_ARCHIVE_VAR") or "var"
        self.var = Path(var).resolve()
        self.home = self.var / "instance"
        self.etc = self.home / "etc"
        self.zope_conf = self.etc / "zope.conf"
        self.direct_conf = self.etc / "zope-direct.conf"
        self.zeo_conf = self.etc / "zeo.conf"
        self.zope_ini = self.etc / "zope.ini"
        self.data_fs = self.var / "filestorage" / "Data.fs"
        self.dsn_file = self.etc / "postgresql.dsn"

    @property
    def zeo_socket(self):
        """``var/zeo.sock``; a path in the temporary directory named after
        ``var`` when that one is longer than a Unix socket's name may be."""
        socket = self.var / "zeo.sock"
        if len(str(socket).encode()) < 100:
            return socket
        digest = hashlib.sha256(str(self.var).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"xinfang-zeo-{digest}.sock"

    @property
    def storage(self):
        """``"zeo"``, ``"file"`` or ``"postgresql"``: the set-up the
        configuration was written for."""
        if self.dsn_file.exists():
            return "postgresql"
        return "zeo" if self.zeo_conf.exists() else "file"

    @property
    def dsn(self):
        return (
            self.dsn_file.read_text(encoding="utf-8").strip()
            if self.dsn_file.exists()
            else None
        )

    def write_config(self, host="127.0.0.1", port=8080, storage=None):
        """Write the configuration files (always: host and port may change).
        ``storage`` None keeps the instance's set-up (ZEO for a new one);
        ``zeo``, ``file`` or a ``postgresql://`` address."""
        if storage is None:
            storage = self.storage if self.zope_conf.exists() else "zeo"
            if storage == "postgresql":
                storage = self.dsn
        # the blobs' directory last: owner only
        if is_postgresql(storage):
            subs = ("log", "cache", "blobcache")
        else:
            subs = ("log", "cache", "filestorage", "blobstorage")
        for sub in subs:
            (self.var / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.var / subs[-1], 0o700)
        self.etc.mkdir(parents=True, exist_ok=True)
        values = {
            "instance": self.home,
            "var": self.var,
            "host": host,
            "port": port,
            "socket": self.zeo_socket,
        }
        direct = ZOPE_CONF.format(storage=FILE_STORAGE, **values)
        if is_postgresql(storage):
            _write_private(self.dsn_file, storage + "\n")
            relstorage = RELSTORAGE.format(dsn=libpq_dsn(storage).replace("$", "$$"))
            _write_private(
                self.zope_conf,
                "%import relstorage\n" + ZOPE_CONF.format(storage=relstorage, **values),
            )
            for path in (self.direct_conf, self.zeo_conf):
                path.unlink(missing_ok=True)
        elif storage == "zeo":
            client = ZOPE_CONF.format(storage=ZEO_CLIENT.format(**values), **values)
            self.zope_conf.write_text(client, encoding="utf-8")
            self.direct_conf.write_text(direct, encoding="utf-8")
            self.zeo_conf.write_text(ZEO_CONF.format(**values), encoding="utf-8")
        else:
            self.zope_conf.write_text(direct, encoding="utf-8")
            for path in (self.direct_conf, self.zeo_conf):
                path.unlink(missing_ok=True)
        if not is_postgresql(storage):
            self.dsn_file.unlink(missing_ok=True)
        self.zope_ini.write_text(ZOPE_INI.format(**values), encoding="utf-8")
        (self.etc / "site.zcml").write_text(SITE_ZCML, encoding="utf-8")

    def served(self):
        """Whether the site may be serving while a command writes: its ZEO
        server runs, or the database is PostgreSQL (other hosts may serve it
        at any time)."""
        from xinfang_archive.cli.zeo import ZeoServer

        if self.storage == "postgresql":
            return True
        return self.storage == "zeo" and ZeoServer(self).running()

    def command_conf(self):
        """The configuration a command opens the database with: a client of
        the running ZEO server, or the FileStorage directly when none runs."""
        if self.storage == "zeo" and not self.served():
            return self.direct_conf
        return self.zope_conf

    @property
    def password_file(self):
        return self.var / PASSWORD_FILE

    def admin_password(self):
        """``(password, origin)``: from the environment, the kept file, or new."""
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env:
            return from_env, "env"
        if self.password_file.exists():
            return self.password_file.read_text(encoding="utf-8").strip(), "file"
        password = secrets.token_urlsafe(12)
        self.var.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(password + "\n")
        return password, "new"


def is_postgresql(storage):
    return isinstance(storage, str) and storage.startswith(
        ("postgresql://", "postgres://")
    )


def libpq_dsn(address):
    """``postgresql://user:password@host:port/database?option=value`` as
    libpq's ``key='value'`` form, which RelStorage extends with options of
    its own (it cannot extend a URI)."""
    from urllib.parse import parse_qsl
    from urllib.parse import unquote
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    fields = {
        "dbname": unquote(parts.path.lstrip("/")) or None,
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "host": parts.hostname,
        "port": str(parts.port) if parts.port else None,
    }
    fields.update(parse_qsl(parts.query))

    def quoted(value):
        return value.replace("\\", "\\\\").replace("'", "\\'")

    return " ".join(
        f"{key}='{quoted(value)}'" for key, value in fields.items() if value
    )


def _write_private(path, text):
    """Write ``text`` readable by the owner only (it may hold a password)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)
