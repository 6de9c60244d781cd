"""The petitioner's query code: its printed slip and its re-issue.

The code is a bearer secret, so it is never part of a stored record (a
letter is read by staff without "View personal data" and is full-text
indexed): it is handed over on a slip printed on demand, and a code that
leaked is replaced by a new one, which makes the old one useless at once.
"""

from Acquisition import aq_base
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from xinfang_archive import _
from xinfang_archive.browser.downloads import PDF_TYPE
from xinfang_archive.browser.downloads import send
from xinfang_archive.documents.query_slip import render_slip
from xinfang_archive.publicquery.codes import CODE_ATTRIBUTE
from xinfang_archive.publicquery.codes import code_of
from xinfang_archive.publicquery.codes import ensure_query_code
from xinfang_archive.publicquery.codes import INDEX


class QueryCodeSlipView(BrowserView):
    """@@query-code-slip: the slip as PDF (needs "View personal data")."""

    def __call__(self):
        code = code_of(self.context)
        if not code:  # every case has one since registration (or the 1003 upgrade)
            self.request.response.setStatus(404)
            return ""
        name = f"query-code-{self.context.getId()}.pdf"
        pdf = render_slip(self.context, code)
        return send(self.request, pdf, PDF_TYPE, name, name, disposition="inline")


class NewQueryCodeView(BrowserView):
    """@@new-query-code (POST, with the authenticator): replace a leaked code."""

    def __call__(self):
        if self.request.method != "POST":
            self.request.response.setStatus(405)
            return ""
        CheckAuthenticator(self.request)
        case = self.context
        if CODE_ATTRIBUTE in aq_base(case).__dict__:
            delattr(aq_base(case), CODE_ATTRIBUTE)
        ensure_query_code(case)
        api.portal.get_tool("portal_catalog").catalog_object(
            case, idxs=[INDEX], update_metadata=False
        )
        api.portal.show_message(
            _("A new query code was issued; the old one no longer works."), self.request
        )
        self.request.response.redirect(case.absolute_url())
        return ""
