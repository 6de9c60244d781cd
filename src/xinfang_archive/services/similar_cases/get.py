"""GET @similar-cases

On a case: the cases most like it (more-like-this over the index's words).
On the case folder: the cases most like ``text`` (what is being
registered), to spot a repeat petition (needs "Add portal content", as the
registration form). ``limit`` (≤ 20, default 5). Only cases the user may
view.
"""

from plone.restapi.services import Service
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.search.searching import form_text
from xinfang_archive.search.searching import SearchError
from xinfang_archive.search.searching import similar_cases
from xinfang_archive.search.site import SearchNotConfigured
from xinfang_archive.services.items import rest_item
from zope.i18n import translate


class SimilarCases(Service):
    def reply(self):
        try:
            limit = min(max(int(self.request.form.get("limit") or 5), 1), 20)
        except (TypeError, ValueError):
            limit = 5
        try:
            if IPetitionCase.providedBy(self.context):
                items = similar_cases(obj=self.context, limit=limit)
            else:
                text = form_text(self.request.form, "text")[:5000]
                items = similar_cases(text=text, limit=limit) if text else []
        except SearchError as error:
            self.request.response.setStatus(400)
            return {
                "error": {
                    "type": "BadRequest",
                    "message": translate(error.message, context=self.request),
                }
            }
        except SearchNotConfigured as error:
            self.request.response.setStatus(503)
            return {"error": {"type": "ServiceUnavailable", "message": str(error)}}
        return {
            "items": [rest_item(row, "PetitionCase") for row in items],
            "items_total": len(items),
        }
