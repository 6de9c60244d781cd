"""@@accusation-clearing: ask for, approve, reject or withdraw the clearing
of a document's accusation flag (two people; ``privacy.clearing``)."""

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.privacy.clearing import approve_clearing
from xinfang_archive.privacy.clearing import ClearingRefused
from xinfang_archive.privacy.clearing import pending_request
from xinfang_archive.privacy.clearing import reject_clearing
from xinfang_archive.privacy.clearing import request_clearing
from zope.i18n import translate

import transaction


STEPS = {
    "request": (
        lambda doc, form: request_clearing(doc, form.get("reason")),
        _(
            "The request to clear the accusation flag was recorded; a second person must approve it."
        ),
    ),
    "approve": (
        lambda doc, form: approve_clearing(doc),
        _("The accusation flag was cleared."),
    ),
    "reject": (
        lambda doc, form: reject_clearing(doc, form.get("note")),
        _("The request to clear the accusation flag was closed."),
    ),
}


class AccusationClearingView(BrowserView):
    template = ViewPageTemplateFile("templates/accusation_clearing.pt")

    def __call__(self):
        self.error = None
        step = self.request.form.get("step")
        if self.request.method == "POST" and step in STEPS:
            CheckAuthenticator(self.request)
            action, done = STEPS[step]
            try:
                action(self.context, self.request.form)
            except ClearingRefused as refused:
                transaction.doom()
                self.error = translate(refused.message, context=self.request)
            else:
                api.portal.show_message(
                    translate(done, context=self.request), self.request
                )
                return self.request.response.redirect(
                    self.context.absolute_url() + "/@@accusation-clearing"
                )
        return self.template()

    def pending(self):
        return pending_request(self.context)

    def is_requester(self):
        pending = self.pending()
        return (
            bool(pending) and pending["requested_by"] == api.user.get_current().getId()
        )

    def flagged(self):
        return bool(getattr(self.context, "accusation", False))
