"""JSON of a coordination meeting: each reader gets the decisions on the
cases they may read (``meetings/decisions.py``), with their cases' numbers,
titles and links, and the minutes masked for those without "View personal
data".  The stored rows carry a read permission, so plone.restapi leaves
them out; this serializer puts the reader's own rows back."""

from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from xinfang_archive.content.interfaces import ICoordinationMeeting
from xinfang_archive.meetings.decisions import decision_rows_of_meeting
from xinfang_archive.privacy.masking import can_view_personal_data
from xinfang_archive.privacy.masking import text_for_viewer
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


@implementer(ISerializeToJson)
@adapter(ICoordinationMeeting, Interface)
class SerializeMeetingToJson(SerializeToJson):
    def __call__(self, version=None, include_items=True):
        result = super().__call__(version=version, include_items=include_items)
        obj = self.getVersion("current" if version is None else version)
        result["decisions"] = decision_rows_of_meeting(obj)
        minutes = result.get("minutes")
        if (
            isinstance(minutes, dict)
            and minutes.get("data")
            and not can_view_personal_data(self.context)
        ):
            minutes["data"] = text_for_viewer(self.context, minutes["data"])
        return result
