"""Opening the Zope application of an instance outside the web server."""

from contextlib import contextmanager

import sys


class InstanceLocked(RuntimeError):
    """The database is in use by a running server."""


@contextmanager
def zope_app(instance):
    """The Zope root of ``instance`` with a request; closed on exit.

    The request is also the global one (``zope.globalrequest``), as the
    publisher makes it for a web request: code that asks ``getRequest()``
    (z3c.form, plone.api, the catalog cache reset after a rollback in
    ``savepoints``) sees the same request the catalog reaches by acquisition.
    """
    from Testing.makerequest import makerequest
    from zc.lockfile import LockError
    from zope.globalrequest import clearRequest
    from zope.globalrequest import setRequest
    from Zope2.Startup.run import configure_wsgi

    configure_wsgi(str(instance.command_conf()))
    import Zope2

    try:
        Zope2.startup_wsgi()
    except LockError as error:
        raise InstanceLocked(
            f"The database {instance.data_fs} is in use by another process (a server started "
            f"without ZEO, or a command that opened it directly): {error}"
        ) from error
    import transaction

    environ = {
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080",
        "REQUEST_METHOD": "GET",
    }
    app = makerequest(Zope2.app(), environ=environ)
    app.REQUEST["PARENTS"] = [app]
    setRequest(app.REQUEST)
    try:
        yield app
    finally:
        transaction.abort()
        clearRequest()
        app._p_jar.close()


def login(app, user_id):
    from AccessControl.SecurityManagement import newSecurityManager

    user = app.acl_users.getUser(user_id)
    newSecurityManager(None, user.__of__(app.acl_users))


def fail(message, code=2):
    print(f"xinfang-archive: {message}", file=sys.stderr)
    sys.exit(code)
