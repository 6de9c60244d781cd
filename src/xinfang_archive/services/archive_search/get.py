"""GET @archive-search: the archive's Chinese full-text search.

Query parameters: ``q`` (the query language: words, codes, "phrases",
AND/OR/NOT, -word, 年度:/类别:/单位:/状态:/类型:/渠道:/保管期限:/等级:/日期:
filters), one parameter per facet to filter on (``category=land``, repeat
for several values), ``date_from``/``date_to`` (YYYY-MM-DD), ``sort``
(relevance, -date, date), ``page``, ``page_size`` (≤ 100). The answer has
``items`` (with highlighted ``snippet``), ``items_total``, ``facets`` and
paging links; results are only what the user may view, and personal
numbers match only where the user may see personal data.
"""

from plone.restapi.services import Service
from urllib.parse import urlencode
from xinfang_archive.search.searching import archive_search
from xinfang_archive.search.searching import filters_from_form
from xinfang_archive.search.searching import form_text
from xinfang_archive.search.searching import SearchError
from xinfang_archive.search.site import SearchNotConfigured
from xinfang_archive.services.items import rest_item
from zope.i18n import translate


class ArchiveSearch(Service):
    def reply(self):
        form = self.request.form
        try:
            result = archive_search(
                self.request,
                text=form_text(form, "q"),
                filters=filters_from_form(form),
                date_from=form_text(form, "date_from"),
                date_to=form_text(form, "date_to"),
                sort=form_text(form, "sort") or "relevance",
                page=form.get("page") or 1,
                page_size=form.get("page_size") or 20,
            )
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
        base = f"{self.context.absolute_url()}/@archive-search"

        def link(page):
            return f"{base}?{urlencode(dict(form, page=page), doseq=True)}"

        last = max(result["pages"], 1)
        batching = {"@id": link(result["page"]), "first": link(1), "last": link(last)}
        if result["page"] > 1:
            batching["prev"] = link(result["page"] - 1)
        if result["page"] < last:
            batching["next"] = link(result["page"] + 1)
        return {
            "@id": batching["@id"],
            "items": [rest_item(row) for row in result["items"]],
            "items_total": result["total"],
            "facets": result["facets"],
            "query": result["query"],
            "sort": result["sort"],
            "page": result["page"],
            "pages": result["pages"],
            "engine": result["engine"],
            "batching": batching,
        }
