"""JSON of an early warning: the summary and the note of its
acknowledgement masked for those without "View personal data", as on its
page; its records are the ones the reader may read (``records_for_viewer``),
and its key (which names every record by UID) is left out."""

from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from xinfang_archive.content.interfaces import IEarlyWarning
from xinfang_archive.earlywarning.records import records_for_viewer
from xinfang_archive.privacy.masking import text_for_viewer
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


@implementer(ISerializeToJson)
@adapter(IEarlyWarning, Interface)
class SerializeWarningToJson(SerializeToJson):
    def __call__(self, version=None, include_items=True):
        result = super().__call__(version=version, include_items=include_items)
        obj = self.getVersion("current" if version is None else version)
        for name in ("summary", "acknowledgement"):
            if result.get(name):
                result[name] = text_for_viewer(
                    self.context, getattr(obj, name, None) or result[name]
                )
        result.pop("warning_key", None)
        result["records"] = [
            {
                "@id": row["url"],
                "UID": row["uid"],
                "@type": row["type"],
                "registration_number": row["number"],
                "title": row["title"],
            }
            for row in records_for_viewer(self.context)
        ]
        return result
