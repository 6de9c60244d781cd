"""JSON of screening reports: the disputes' free text (matter, parties,
measures, person responsible) and the notes masked for those without "View
personal data", as on the report's page; each dispute that became a case
names it (``case``: its UID) to those who may see that case."""

from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from xinfang_archive.content.dispute_link import case_links
from xinfang_archive.content.dispute_link import dispute_key
from xinfang_archive.content.interfaces import IScreeningReport
from xinfang_archive.privacy.masking import DISPUTE_TEXT_COLUMNS
from xinfang_archive.privacy.masking import rows_for_viewer
from xinfang_archive.privacy.masking import text_for_viewer
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


@implementer(ISerializeToJson)
@adapter(IScreeningReport, Interface)
class SerializeScreeningReportToJson(SerializeToJson):
    def __call__(self, version=None, include_items=True):
        result = super().__call__(version=version, include_items=include_items)
        obj = self.getVersion(
            "current" if version is None else version
        )  # the rows of the version asked for
        rows = [row for row in (getattr(obj, "disputes", None) or ()) if row]
        links = case_links(self.context)
        visible = (
            {
                brain.UID: brain.getURL()
                for brain in api.content.find(UID=list(links.values()))
            }
            if links
            else {}
        )
        disputes = rows_for_viewer(
            self.context,
            [row for row in result.get("disputes") or [] if row],
            texts=DISPUTE_TEXT_COLUMNS,
        )
        if len(disputes) == len(rows):
            for row, shown in zip(rows, disputes, strict=False):
                uid = links.get(dispute_key(row))
                shown["case"] = (
                    {"@id": visible[uid], "UID": uid} if uid in visible else None
                )
        result["disputes"] = disputes
        if result.get("notes"):
            result["notes"] = text_for_viewer(self.context, result["notes"])
        return result
