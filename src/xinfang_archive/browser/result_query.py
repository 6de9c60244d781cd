"""@@result-query: the public page where a petitioner types their query code.

The form is POSTed, with the authenticator it renders, and a GET only shows
the empty form (a ``?code=`` in the address is ignored). Why POST:

* the code is a bearer secret: in a URL it would end up in the server's and
  proxies' access logs, the browser history and Referer headers;
* the lookup writes nothing to the ZODB (the only state it changes is the
  in-memory rate-limit counter), so plone.protect's automatic CSRF check
  has nothing to veto and stays switched on; the authenticator is checked
  explicitly so that a POST without it (another site's form, making its
  visitors' browsers guess codes from their addresses) gets no lookup and
  is not counted. For anonymous visitors the token comes from plone.keyring's
  ``_anon`` ring, shared by all of them: it makes forged posts fetch a fresh
  token first rather than make them impossible; the global rate limit is
  what bounds distributed guessing.

The answer is never cached (``Cache-Control: no-store``) and does not echo
the code typed, so every "not found" page is the same page, whatever was
wrong with the code.
"""

from plone.protect.authenticator import AuthenticatorView
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.publicquery.lookup import attempt
from xinfang_archive.publicquery.lookup import NOT_FOUND
from xinfang_archive.publicquery.lookup import too_many_message
from xinfang_archive.publicquery.result import public_result
from zope.i18n import translate


EXPIRED = _(
    "The form has expired. Please reload the page and enter the query code again."
)


class ResultQueryView(BrowserView):
    template = ViewPageTemplateFile("templates/result_query.pt")

    result = None
    message = None

    def __call__(self):
        response = self.request.response
        response.setHeader("Cache-Control", "no-store")
        if self.request.method == "POST":
            self.submit()
        return self.template()

    def submit(self):
        response = self.request.response
        if not AuthenticatorView(self.context, self.request).verify():
            response.setStatus(403)
            self.message = translate(EXPIRED, context=self.request)
            return
        outcome = attempt(self.request, self.request.form.get("code"))
        if outcome.limited:
            response.setStatus(429)
            response.setHeader("Retry-After", str(outcome.retry_after))
            self.message = translate(
                too_many_message(outcome.retry_after), context=self.request
            )
        elif outcome.case is None:
            self.message = translate(NOT_FOUND, context=self.request)
        else:
            self.result = public_result(outcome.case, self.request)

    def paragraphs(self, text):
        return [line for line in (text or "").splitlines() if line.strip()]
