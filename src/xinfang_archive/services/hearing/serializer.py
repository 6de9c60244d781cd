"""JSON of hearings and transcripts: personal data masked for those without
"View personal data" (inspectors, archivists, hearing organizers): the
parties' addresses, and the numbers and addresses said in the turns or
written in the free text.  The original stays in the edit form and in the
organizer's mask preview."""

from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeFolderToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from xinfang_archive.content.interfaces import IHearing
from xinfang_archive.content.interfaces import IHearingTranscript
from xinfang_archive.hearings.masks import mask_inputs
from xinfang_archive.privacy.masking import can_view_personal_data
from xinfang_archive.privacy.masking import rows_for_viewer
from xinfang_archive.privacy.masking import text_for_viewer
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


@implementer(ISerializeToJson)
@adapter(IHearing, Interface)
class SerializeHearingToJson(SerializeFolderToJson):
    def __call__(self, version=None, include_items=True, include_expansion=True):
        result = super().__call__(
            version=version,
            include_items=include_items,
            include_expansion=include_expansion,
        )
        if not can_view_personal_data(self.context) and result.get("parties"):
            result["parties"] = rows_for_viewer(
                self.context, result["parties"], addresses_in=("address",)
            )
        return result


@implementer(ISerializeToJson)
@adapter(IHearingTranscript, Interface)
class SerializeTranscriptToJson(SerializeToJson):
    def __call__(self, version=None, include_items=True):
        result = super().__call__(version=version, include_items=include_items)
        if not can_view_personal_data(self.context):
            addresses = mask_inputs(self.context)["addresses"]
            if result.get("turns"):
                result["turns"] = rows_for_viewer(
                    self.context, result["turns"], texts=("text",), addresses=addresses
                )
            if result.get("free_text"):
                result["free_text"] = text_for_viewer(
                    self.context, result["free_text"], addresses
                )
        return result
