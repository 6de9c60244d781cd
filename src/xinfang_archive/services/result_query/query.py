"""POST @result-query ``{"code": "K7QM-2XPD-9R4T"}`` (or GET ``?code=``).

The public result query of ``@@result-query`` for programs (the bureau's
app, a WeChat mini program): the same content, as JSON (see
``publicquery.result``), the same rate limits, shared with the page (429
with ``Retry-After`` and ``error.message`` in the user's language), and one
answer for every code that finds nothing, malformed or unknown: 404 with a
fixed message.

POST is the form to use: a code in a URL ends up in access logs. GET is
offered for clients that cannot send a body; it writes nothing either. No
CSRF token is asked for: the lookup changes nothing in the database (so
plone.protect, which stays on, has nothing to refuse) and another site
cannot read the answer; the rate limits are what bound guessing.
"""

from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from xinfang_archive.publicquery.lookup import attempt
from xinfang_archive.publicquery.lookup import NOT_FOUND
from xinfang_archive.publicquery.lookup import too_many_message
from xinfang_archive.publicquery.result import public_result
from zope.i18n import translate


class ResultQuery(Service):
    def reply(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        outcome = attempt(self.request, self._code())
        if outcome.limited:
            response.setStatus(429)
            response.setHeader("Retry-After", str(outcome.retry_after))
            return self._error("TooManyRequests", too_many_message(outcome.retry_after))
        if outcome.case is None:
            response.setStatus(404)
            return self._error("NotFound", NOT_FOUND)
        return public_result(outcome.case, self.request)

    def _code(self):
        if self.request.method == "POST":
            try:
                body = json_body(self.request)
            except Exception:  # not JSON: no code, answered like any bad code
                body = None
            code = body.get("code") if isinstance(body, dict) else None
        else:
            code = self.request.form.get("code")
        return code if isinstance(code, str) else ""

    def _error(self, kind, message):
        return {
            "error": {"type": kind, "message": translate(message, context=self.request)}
        }
