"""Cookie-authenticated REST writes from other sites are refused.

plone.protect's automatic CSRF check does not cover plone.rest services: a
JSON API is assumed safe because browsers preflight cross-site JSON.  But a
foreign page can send a *simple* request (a POST with ``text/plain``, a form
encoding or no body) that carries the visitor's login cookie, and reach a
service such as ``@workflow`` without preflight.  So a REST write without an
``Authorization`` header (cookie login) must declare a JSON body or come
from the site's own origin; clients that send their credentials in the
header (basic auth, a JWT bearer token) are not affected.
"""

from plone import api
from plone.rest.interfaces import IAPIRequest
from urllib.parse import urlsplit
from xinfang_archive import _
from zExceptions import Forbidden
from zope.i18n import translate


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
JSON_TYPES = ("application/json", "application/merge-patch+json")


def _origin(url):
    parts = urlsplit(url or "")
    return (parts.scheme, parts.netloc) if parts.scheme and parts.netloc else None


def _own_origin(request):
    return _origin(request.get("SERVER_URL", ""))


def refuse_foreign_cookie_writes(event):
    request = event.request
    if not IAPIRequest.providedBy(request):
        return
    if request.get("REQUEST_METHOD", "GET").upper() in SAFE_METHODS:
        return
    # Zope moves the Authorization header out of the environment into _auth.
    if getattr(request, "_auth", None) or request.getHeader("Authorization"):
        return
    if api.user.is_anonymous():
        return  # no login rides along: nothing to forge
    content_type = (
        (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
    )
    if content_type in JSON_TYPES or content_type.endswith("+json"):
        return
    sent_from = request.getHeader("Origin") or request.getHeader("Referer")
    if sent_from and _origin(sent_from) == _own_origin(request):
        return
    raise Forbidden(
        translate(
            _(
                "A change through the REST API with a login cookie needs a JSON body "
                "(Content-Type: application/json) or a request from this site."
            ),
            context=request,
        )
    )
