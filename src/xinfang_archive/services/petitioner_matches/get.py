"""GET @petitioner-matches

On a case: earlier cases of its petitioners, to link them (重复访).
On the case folder: cases matching ``id_number`` or ``name`` + ``phone``
given as query parameters, to check a petitioner while registering.
Needs "View personal data": the answer tells whether a person petitioned.
"""

from plone.restapi.services import Service
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.content.matching import earlier_cases
from xinfang_archive.content.matching import matching_cases
from xinfang_archive.content.validators import InvalidIdNumber
from xinfang_archive.content.validators import valid_id_number
from xinfang_archive.search.searching import form_text
from xinfang_archive.search.searching import SearchError
from zope.i18n import translate


def _item(brain):
    received = brain.received_date
    return {
        "@id": brain.getURL(),
        "UID": brain.UID,
        "registration_number": brain.registration_number,
        "title": brain.Title,
        "review_state": brain.review_state,
        "received_date": received.isoformat()
        if hasattr(received, "isoformat")
        else None,
    }


class PetitionerMatches(Service):
    def reply(self):
        if IPetitionCase.providedBy(self.context):
            brains = earlier_cases(self.context)
        else:
            form = self.request.form
            try:
                row = {
                    key: form_text(form, key) for key in ("id_number", "name", "phone")
                }
            except SearchError as error:
                self.request.response.setStatus(400)
                return {
                    "error": {
                        "type": "BadRequest",
                        "message": translate(error.message, context=self.request),
                    }
                }
            if row["id_number"]:
                try:
                    valid_id_number(row["id_number"])
                except InvalidIdNumber as error:
                    self.request.response.setStatus(400)
                    return {
                        "error": {
                            "type": "BadRequest",
                            "message": translate(error.doc(), context=self.request),
                        }
                    }
            brains = matching_cases([row])
        items = [_item(b) for b in brains]
        return {"items": items, "items_total": len(items)}
