"""@@issue-reply: the case handler issues a statutory reply letter.

The form is filled from the case (``documents/reply_letters.py``); the
handler completes the body, gives the 文号 and, for an opinion, the outcome.
Issuing stores the letter as a versioned Reply with its PDF.
"""

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.content.reply import OPINION_KINDS
from xinfang_archive.documents.reply_letters import default_body
from xinfang_archive.documents.reply_letters import issue_reply
from xinfang_archive.vocabularies.fixed import REPLY_KINDS
from xinfang_archive.vocabularies.registry import titles
from zope.i18n import translate


# The letter a case in this state most likely needs next.
SUGGESTED_KIND = {
    "registered": "acceptance_notice",
    "accepted": "handling_opinion",
    "in_progress": "handling_opinion",
    "in_review": "review_opinion",
    "in_rereview": "rereview_opinion",
}


class IssueReplyView(BrowserView):
    template = ViewPageTemplateFile("templates/issue_reply.pt")

    def __call__(self):
        form = self.request.form
        self.error = None
        self.kind = form.get("kind") or SUGGESTED_KIND.get(
            api.content.get_state(self.context), "handling_opinion"
        )
        if self.kind not in dict(REPLY_KINDS):
            self.kind = "handling_opinion"
        self.values = {
            "document_number": form.get("document_number", ""),
            "outcome": form.get("outcome", ""),
            "body": form.get("body")
            or "\n".join(default_body(self.context, self.kind)),
        }
        if self.request.method == "POST" and "form.issue" in form:
            CheckAuthenticator(self.request)
            try:
                reply = issue_reply(
                    self.context,
                    self.kind,
                    self.values["document_number"],
                    body=self.values["body"],
                    outcome=self.values["outcome"] or None,
                )
            except ValueError as error:
                self.error = str(error)
                self.request.response.setStatus(400)
                return self.template()
            api.portal.show_message(
                _("The letter was issued and stored with the case."), self.request
            )
            self.request.response.redirect(reply.absolute_url())
            return ""
        return self.template()

    def kinds(self):
        return [
            {
                "value": value,
                "title": translate(title, context=self.request),
                "selected": value == self.kind,
            }
            for value, title in REPLY_KINDS
        ]

    def outcomes(self):
        return [
            {"value": code, "title": title, "selected": code == self.values["outcome"]}
            for code, title in titles("outcomes").items()
        ]

    def needs_outcome(self):
        return self.kind in OPINION_KINDS
