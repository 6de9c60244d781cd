"""JSON of a reception day.  The record of the day (read with "View
reception minutes", so absent for the public) keeps only the rows of cases
the reader may View, and is masked for those without "View personal data"
(inspectors, archivists): the numbers and known addresses in the minutes,
instructions and follow-ups."""

from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from xinfang_archive.content.interfaces import ILeaderReception
from xinfang_archive.content.reception_links import received_cases
from xinfang_archive.privacy.masking import can_view_personal_data
from xinfang_archive.privacy.masking import rows_for_viewer
from xinfang_archive.privacy.masking import text_for_viewer
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


ROWS = (("instructions", "instruction"), ("follow_ups", "note"))


@implementer(ISerializeToJson)
@adapter(ILeaderReception, Interface)
class SerializeReceptionToJson(SerializeToJson):
    def __call__(self, version=None, include_items=True):
        result = super().__call__(version=version, include_items=include_items)
        if not any(result.get(name) for name, _text in ROWS) and not result.get(
            "minutes"
        ):
            return result
        cases = received_cases(self.context)
        visible = {
            c.registration_number
            for c in cases
            if api.user.has_permission("View", obj=c)
        }
        addresses = [
            row.get("address")
            for c in cases
            for row in (c.petitioners or ())
            if row and row.get("address")
        ]
        for name, text in ROWS:
            if result.get(name):
                rows = [
                    row
                    for row in result[name]
                    if (row or {}).get("case_number") in visible
                ]
                result[name] = rows_for_viewer(
                    self.context, rows, texts=(text,), addresses=addresses
                )
        minutes = result.get("minutes")
        if (
            isinstance(minutes, dict)
            and minutes.get("data")
            and not can_view_personal_data(self.context)
        ):
            result["minutes"] = dict(
                minutes, data=text_for_viewer(self.context, minutes["data"], addresses)
            )
        return result
