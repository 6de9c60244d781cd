"""POST @reply-letter on a case: issue a statutory reply letter.

Body: ``{"kind": "handling_opinion", "document_number": "城信复〔2024〕1号",
"outcome": "explain", "body": "…" or ["…", "…"]}``; ``body`` may be left out
for the letter drafted from the case.  Answers 201 with the new Reply, or
400 with the reason in Chinese (nothing is created then).
"""

from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.services import Service
from xinfang_archive.documents.reply_letters import issue_reply
from zope.component import getMultiAdapter
from zope.interface import alsoProvides

import transaction


class IssueReplyLetter(Service):
    def reply(self):
        # As plone.restapi's own write services (content/add.py,
        # workflow/transition.py) do: the JSON API is not protected by
        # plone.protect's form authenticator.
        alsoProvides(self.request, IDisableCSRFProtection)
        data = json_body(self.request)
        if not isinstance(data, dict):
            data = {}
        try:
            reply = issue_reply(
                self.context,
                data.get("kind"),
                data.get("document_number"),
                body=data.get("body"),
                outcome=data.get("outcome") or None,
            )
        except ValueError as error:
            transaction.doom()
            self.request.response.setStatus(400)
            return {"error": {"type": "BadRequest", "message": str(error)}}
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", reply.absolute_url())
        return getMultiAdapter((reply, self.request), ISerializeToJson)()
