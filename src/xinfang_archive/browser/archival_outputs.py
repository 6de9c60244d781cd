"""@@archival-outputs on a filed case: the links to its record note, the
archival copies of its records and its group's filing catalogue that the
current user may follow (for the case page; JSON when asked for over HTTP).
Records the user may not View get no link.
"""

from Acquisition import aq_base
from Acquisition import aq_parent
from plone import api
from Products.Five.browser import BrowserView
from urllib.parse import urlencode
from xinfang_archive import _
from xinfang_archive.archival.catalogue import case_folder_of
from xinfang_archive.archival.catalogue import file_field
from xinfang_archive.archival.catalogue import is_filed_case
from xinfang_archive.archival.catalogue import item_documents
from xinfang_archive.documents import beikao
from xinfang_archive.documents import catalogue
from xinfang_archive.permissions import ManageArchive
from zope.i18n import translate

import json


class OutputLinks(BrowserView):
    """@@archival-outputs: ``[{kind, title, url}]`` of a filed case's outputs
    the current user may open ([] for a case that is not filed)."""

    def __call__(self):
        links = self.links()
        if self.request.get("PUBLISHED") is self:  # asked for over HTTP
            self.request.response.setHeader("Content-Type", "application/json")
            return json.dumps(links, ensure_ascii=False)
        return links

    def _t(self, message):
        return translate(message, context=self.request)

    def links(self):
        case = self.context
        if not is_filed_case(case):
            return []
        result = [
            {
                "kind": "record-note",
                "title": self._t(beikao.TITLE),
                "url": f"{case.absolute_url()}/@@record-note",
            }
        ]
        for _path, obj in item_documents(case, visible_only=True):
            if not getattr(aq_base(obj), file_field(obj), None):
                continue
            result.append(
                {
                    "kind": "rendition",
                    "title": self._t(
                        _("Archival copy: ${title}", mapping={"title": obj.Title()})
                    ),
                    "url": f"{obj.absolute_url()}/@@archival-rendition",
                }
            )
        folder = case_folder_of(aq_parent(case))
        if folder is not None and api.user.has_permission(ManageArchive, obj=folder):
            query = urlencode(
                {
                    "year": case.filing_year,
                    "period": case.retention_period,
                    "organisation": case.organisation_code,
                    "format": "pdf",
                }
            )
            result.append(
                {
                    "kind": "catalogue",
                    "title": self._t(catalogue.TITLE),
                    "url": f"{folder.absolute_url()}/@@filing-catalogue?{query}",
                }
            )
        return result
