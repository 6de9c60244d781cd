"""JSON of a case: personal data masked for those without the permission.

The ``petitioners`` field carries a read permission, so plone.restapi leaves
it out for anyone lacking "View personal data"; this serializer puts the
masked rows back for them, and adds the statutory clock of the case.
"""

from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeFolderToJson
from xinfang_archive.archival.info import archival_info
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.privacy.masking import can_view_personal_data
from xinfang_archive.privacy.masking import mask_petitioner
from xinfang_archive.privacy.masking import text_for_viewer
from xinfang_archive.workflow.clocks import statutory_clock
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


# Free-text fields where people type numbers and addresses.
FREE_TEXT = ("summary", "request")


@implementer(ISerializeToJson)
@adapter(IPetitionCase, Interface)
class SerializeCaseToJson(SerializeFolderToJson):
    def __call__(self, version=None, include_items=True, include_expansion=True):
        result = super().__call__(
            version=version,
            include_items=include_items,
            include_expansion=include_expansion,
        )
        if not can_view_personal_data(self.context):
            obj = self.getVersion("current" if version is None else version)
            result["petitioners"] = [
                mask_petitioner(row or {})
                for row in getattr(obj, "petitioners", None) or ()
            ]
            for name in FREE_TEXT:
                if result.get(name):
                    result[name] = text_for_viewer(self.context, result[name])
            result["personal_data_masked"] = True
        else:
            result["personal_data_masked"] = False
        result["statutory_clock"] = statutory_clock(self.context)
        result["archival"] = archival_info(self.context)
        return result
