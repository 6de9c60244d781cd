"""What goes into the audit trail by itself: content created, edited,
transitioned and deleted; filed records viewed or downloaded; logins that
failed (and those that succeeded).

Filing, amendments, exports, appraisal steps, holds and fixity runs record
their own, more detailed, entries where they happen.
"""

from AccessControl import getSecurityManager
from xinfang_archive.archival.interfaces import IFiledRecord
from xinfang_archive.audit import throttle
from xinfang_archive.audit.pgthrottle import PostgresThrottle
from xinfang_archive.audit.recorder import record
from xinfang_archive.cluster.database import dsn_of
from xinfang_archive.cluster.database import relstorage_of
from xinfang_archive.privacy.redaction import redact
from zope.component.hooks import getSite
from zope.container.interfaces import IContainerModifiedEvent

import base64
import json
import logging


logger = logging.getLogger("xinfang_archive.audit")

# A login tried is recorded up to this length (a 60 KB user name is an attack, not a name).
MAX_LOGIN = 100

# The archive's own records; Plone's pages and folders are not audited.
AUDITED_TYPES = {
    "CaseFolder",
    "PetitionCase",
    "CaseDocument",
    "Reply",
    "Supervision",
    "ScreeningReport",
    "CoordinationMeeting",
    "LeaderReception",
    "AccountabilityRecord",
    "EarlyWarning",
}
DOWNLOAD_VIEWS = {
    "download",
    "@@download",
    "display-file",
    "@@display-file",
    "images",
    "@@images",
}
# Views that record their own, more precise, entry (browser/filing_catalogue.py,
# archival_rendition.py, record_note.py, archival_outputs.py).
SELF_RECORDING_VIEWS = {
    "archival-rendition",
    "record-note",
    "archival-outputs",
    "filing-catalogue",
}
_DONE = "xinfang_archive.audit.login_recorded"


def _audited(obj):
    return getattr(obj, "portal_type", None) in AUDITED_TYPES


def created(obj, event):
    if _audited(obj):
        record("create", obj, details={"type": obj.portal_type})


def modified(obj, event):
    if not _audited(obj) or IContainerModifiedEvent.providedBy(event):
        return
    fields = sorted(
        {
            name.split(".")[-1]
            for description in getattr(event, "descriptions", ()) or ()
            for name in getattr(description, "attributes", ()) or ()
        }
    )
    record("edit", obj, details={"fields": fields})


def transitioned(obj, event):
    if event.transition is None or not _audited(obj):
        return
    record(
        "transition",
        obj,
        details={
            "transition": event.transition.getId(),
            "from_state": event.old_state.getId(),
            "to_state": event.new_state.getId(),
            # recorded masked: the trail is read by people who may not see personal
            # data (a warning's acknowledgement note is its transition's comment)
            "comment": redact((event.status or {}).get("comments", "") or ""),
        },
    )


def removed(obj, event):
    if _audited(obj) and event.newParent is None:
        record("delete", obj, details={"type": obj.portal_type})


# --- reading filed records --------------------------------------------------


def _published_context(published):
    """``(context, view name)`` of what a request published."""
    context = getattr(published, "context", None)
    if context is not None:
        return context, getattr(published, "__name__", "") or ""
    self = getattr(published, "__self__", None)  # a method, e.g. a default view
    if self is not None:
        return self, getattr(published, "__name__", "")
    return published, ""


def read_of_filed_record(event):
    """GET of a filed record (page, REST or file): one ``view``/``download`` entry."""
    request = event.request
    if request.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
        return
    context, name = _published_context(request.get("PUBLISHED"))
    if not IFiledRecord.providedBy(context) or name.lstrip("@") in SELF_RECORDING_VIEWS:
        return
    action = "download" if name in DOWNLOAD_VIEWS else "view"
    record(
        action, context, details={"view": name, "url": request.get("ACTUAL_URL", "")}
    )


# --- logins -----------------------------------------------------------------


def _anonymous():
    user = getSecurityManager().getUser()
    return user is None or user.getUserName() == "Anonymous User"


def _basic_credentials(request):
    """``(login, password)`` of an HTTP basic Authorization header, or None."""
    auth = request._auth or ""
    if not auth.lower().startswith("basic "):
        return None
    try:
        login, _sep, password = (
            base64.b64decode(auth.split(" ", 1)[1]).decode("utf-8").partition(":")
        )
    except (ValueError, UnicodeDecodeError):
        return "?", ""
    return login, password


def _valid(request, login, password):
    """Whether the credentials belong to a user of the site or of Zope's root.

    Asked of the user folders directly: a valid user refused a page they may
    not see is anonymous after traversal too, but did not fail to log in.
    """
    site = getSite()
    folders = [getattr(site, "acl_users", None)]
    root = site.getPhysicalRoot() if site is not None else None
    folders.append(getattr(root, "acl_users", None))
    for folder in folders:
        if (
            folder is not None
            and folder.authenticate(login, password, request) is not None
        ):
            return True
    return False


_shared_throttles = {}


def _throttle():
    """The process's throttle, or on an archive in PostgreSQL the one every
    host shares (``pgthrottle``)."""
    site = getSite()
    jar = getattr(site, "_p_jar", None)
    storage = relstorage_of(jar.db()) if jar is not None else None
    if storage is None:
        return throttle.failed_logins
    dsn = dsn_of(storage)
    shared = _shared_throttles.get(dsn)
    if shared is None:
        shared = _shared_throttles[dsn] = PostgresThrottle(dsn)
    return shared


def _failed(request, login, how):
    if request.get(_DONE):
        return
    request.set(_DONE, True)
    ip = request.getClientAddr() or ""
    write, left_out = _throttle().admit(ip)
    if not write:
        return
    login = login if isinstance(login, str) else str(login)
    login = login[:MAX_LOGIN] + ("…" if len(login) > MAX_LOGIN else "")
    details = {
        "login": login,
        "method": how,
        "ip": ip,
        "url": request.get("ACTUAL_URL", "")[: MAX_LOGIN * 5],
    }
    if left_out:
        details["left_out"] = (
            left_out  # failures of this source not written since its last entry
        )
    try:
        record(
            "login_failed",
            None,
            actor="anonymous",
            title=login,
            path="",
            immediate=True,
            details=details,
        )
    except Exception:  # a failed login must still get its answer
        logger.exception("Could not record a failed login of %r", login)


def login_after_traversal(event):
    """Credentials sent with the request (login form, HTTP basic) that did
    not authenticate: the user is still anonymous after traversal (or when
    the request failed, e.g. with Unauthorized, before traversal ended)."""
    request = event.request
    if not _anonymous() or request.get(_DONE):
        return
    if request.form.get("__ac_name") and "__ac_password" in request.form:
        login, password, how = (
            request.form["__ac_name"],
            request.form["__ac_password"],
            "form",
        )
    else:
        credentials = _basic_credentials(request)
        if credentials is None:
            return
        (login, password), how = credentials, "basic"
    if not _valid(request, login, password):
        _failed(request, login, how)
    else:
        request.set(_DONE, True)


def login_service_refused(event):
    """plone.restapi's ``@login`` answers bad credentials with a 401."""
    request = event.request
    if not request.get("ACTUAL_URL", "").rstrip("/").endswith("/@login"):
        return
    if request.response.getStatus() != 401:
        return
    try:
        login = json.loads(request.get("BODY") or b"{}").get("login", "")
    except (ValueError, AttributeError):
        login = ""
    _failed(request, login, "rest")


def logged_in(event):
    user = event.object
    record(
        "login", None, actor=user.getId(), title=user.getUserName(), path="", details={}
    )
