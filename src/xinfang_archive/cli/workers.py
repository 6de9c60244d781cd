"""Serving one URL from several application processes (gunicorn).

One Zope process uses one core at most (the GIL): on a machine with more
cores ``serve --processes N`` runs gunicorn's arbiter with N worker
processes, each a ZEO client with its own threads, on the address of
``zope.ini``.  Logins hold across them (plone.session's secret is in the
database), and what was per process is shared (the result query's rate
limits, the search index's spool and lock).  The arbiter restarts a worker
that dies; Ctrl+C stops them all.
"""

from gunicorn.app.base import BaseApplication

import configparser


THREADS = 4  # per process, as waitress serves one process
TIMEOUT = 300  # seconds a worker may stay silent before the arbiter restarts it


class ArchiveApplication(BaseApplication):
    """gunicorn's custom application: the instance's zope.ini pipeline,
    loaded in every worker after the fork (a ZEO connection cannot be shared
    across a fork)."""

    def __init__(self, zope_ini, processes):
        self.zope_ini = str(zope_ini)
        self.processes = processes
        super().__init__()

    def load_config(self):
        parser = configparser.RawConfigParser()
        parser.read(self.zope_ini)
        bind = (
            f"{parser.get('server:main', 'host')}:{parser.get('server:main', 'port')}"
        )
        settings = {
            "bind": bind,
            "workers": self.processes,
            "worker_class": "gthread",
            "threads": THREADS,
            "timeout": TIMEOUT,
            "graceful_timeout": 30,
            "preload_app": False,
            "proc_name": "xinfang-archive",
            "accesslog": None,  # zope.ini's translogger writes var/log/access.log
            "errorlog": "-",
            "loglevel": "warning",
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self):
        from paste.deploy import loadapp

        import logging.config

        logging.config.fileConfig(
            self.zope_ini,
            defaults={"here": self.zope_ini.rsplit("/", 1)[0]},
            disable_existing_loggers=False,
        )
        return seekable_input(loadapp(f"config:{self.zope_ini}"))


def seekable_input(app):
    """Zope does a request again after a ``ConflictError`` and reads its body
    again for it (``stdin.seek(0)``).  waitress hands the application a
    seekable body; gunicorn a stream, and the retry failed with a bare 500.
    WebOb copies the body into a seekable file first (memory, or a temporary
    file when large)."""
    from webob import Request

    def application(environ, start_response):
        Request(environ).make_body_seekable()
        return app(environ, start_response)

    return application


def serve_processes(zope_ini, processes):
    """Run the arbiter until Ctrl+C (or SIGTERM); returns its exit status."""
    ArchiveApplication(zope_ini, processes).run()
    return 0
