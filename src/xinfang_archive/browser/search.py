"""信访档案检索: the search page (query box, filters, facets, snippets, paging)
and the similar-cases fragment of the registration form."""

from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser import BrowserView
from urllib.parse import urlencode
from xinfang_archive import _
from xinfang_archive.search.model import SORTS
from xinfang_archive.search.searching import archive_search
from xinfang_archive.search.searching import filters_from_form
from xinfang_archive.search.searching import form_text
from xinfang_archive.search.searching import SearchError
from xinfang_archive.search.searching import similar_cases
from xinfang_archive.search.site import SearchNotConfigured
from zope.i18n import translate


SORT_TITLES = {
    "relevance": _("Relevance"),
    "-date": _("Newest first"),
    "date": _("Oldest first"),
}


class ArchiveSearchView(BrowserView):
    def __call__(self):
        form = self.request.form
        self.error = None
        self.result = None
        try:
            self.text = form_text(form, "q")
            self.date_from = form_text(form, "date_from")
            self.date_to = form_text(form, "date_to")
            self.filters = filters_from_form(form)
        except SearchError as error:  # nothing of it is shown back
            self.text, self.date_from, self.date_to, self.filters = "", "", "", {}
            self.sort = "relevance"
            self.error = translate(error.message, context=self.request)
            self.request.response.setStatus(400)
            return self.index()
        self.sort = form.get("sort") if form.get("sort") in SORTS else "relevance"
        searched = self.text or self.filters or self.date_from or self.date_to
        if searched:
            try:
                self.result = archive_search(
                    self.request,
                    text=self.text,
                    filters=self.filters,
                    date_from=self.date_from,
                    date_to=self.date_to,
                    sort=self.sort,
                    page=form.get("page") or 1,
                )
            except SearchError as error:
                self.error = translate(error.message, context=self.request)
                self.request.response.setStatus(400)
            except SearchNotConfigured as error:
                self.error = str(error)
                self.request.response.setStatus(503)
        return self.index()

    def sorts(self):
        return [
            {
                "value": key,
                "title": translate(title, context=self.request),
                "selected": key == self.sort,
            }
            for key, title in SORT_TITLES.items()
        ]

    def _params(self, **changes):
        params = {
            "q": self.text,
            "sort": self.sort,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }
        filters = {k: list(v) for k, v in self.filters.items()}
        filters.update(changes.pop("filters", {}))
        params.update(changes)
        pairs = [
            (k, v) for k, v in params.items() if v not in (None, "", 1, "relevance")
        ]
        for name, values in filters.items():
            pairs.extend((name, v) for v in values)
        return urlencode(pairs)

    def url(self, **changes):
        return (
            f"{self.context.absolute_url()}/@@archive-search?{self._params(**changes)}"
        )

    def facets(self):
        """Facets with a toggle URL per option (selected ones undo the filter)."""
        out = []
        for name, facet in (self.result or {}).get("facets", {}).items():
            chosen = self.filters.get(name, [])
            options = []
            for option in facet["options"]:
                selected = option["value"] in chosen
                values = (
                    [v for v in chosen if v != option["value"]]
                    if selected
                    else [*chosen, option["value"]]
                )
                options.append(
                    dict(
                        option, selected=selected, url=self.url(filters={name: values})
                    )
                )
            if options:
                out.append({"name": name, "title": facet["title"], "options": options})
        return out

    def pages(self):
        result = self.result or {}
        total_pages = result.get("pages", 0)
        current = result.get("page", 1)
        if total_pages <= 1:
            return []
        numbers = sorted(
            {
                1,
                total_pages,
                *range(max(current - 2, 1), min(current + 2, total_pages) + 1),
            }
        )
        return [
            {"number": n, "current": n == current, "url": self.url(page=n)}
            for n in numbers
        ]


class SimilarCasesView(BrowserView):
    """HTML fragment: cases like the text being registered (``text``) or
    like the context case."""

    def __call__(self):
        try:
            text = form_text(self.request.form, "text")[:5000]
            self.rows = similar_cases(text=text) if text else []
        except (SearchError, SearchNotConfigured):
            self.rows = []
        return self.index()


class SimilarCasesViewlet(ViewletBase):
    """On the registration form: a box that lists similar earlier cases as
    the subject and summary are typed (fetches ``@@similar-cases``)."""

    def available(self):
        type_info = getattr(self.view, "ti", None)
        return type_info is not None and type_info.getId() == "PetitionCase"

    def render(self):
        if not self.available():
            return ""
        return self.index()
