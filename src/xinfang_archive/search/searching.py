"""One search as the page and ``@archive-search`` run it.

``archive_search`` parses the query, adds the filters chosen in the form,
asks the engine with the user's principals, and turns the hits into rows
(URL, title, type, date, codes, state, highlighted snippet) and the facet
counts into labelled options. Both the page and the REST service call it,
so they cannot disagree.
"""

from datetime import date
from plone import api
from xinfang_archive import _
from xinfang_archive.search import querylang as ql
from xinfang_archive.search.model import FACETS
from xinfang_archive.search.model import MAX_WINDOW
from xinfang_archive.search.model import SearchRequest
from xinfang_archive.search.model import SORTS
from xinfang_archive.search.site import current_segmenter
from xinfang_archive.search.site import current_store
from xinfang_archive.search.site import user_principals
from xinfang_archive.search.snippets import snippet
from xinfang_archive.vocabularies.fixed import ACCOUNTABILITY_CAUSES
from xinfang_archive.vocabularies.fixed import ACCOUNTABILITY_MEASURES
from xinfang_archive.vocabularies.fixed import record_kinds
from xinfang_archive.vocabularies.registry import titles
from xinfang_archive.vocabularies.registry import unit_paths
from xinfang_archive.workflow.titles import state_text
from zope.i18n import translate

import re


MAX_PAGE_SIZE = 100
FACET_TITLES = {
    "portal_type": _("Type"),
    "year": _("Year"),
    "category": _("Category"),
    "unit": _("Responsible unit"),
    "channel": _("Channel"),
    "grade": _("Grade"),
    "state": _("State"),
    "retention": _("Retention period"),
    "cause": _("Cause"),
    "measure": _("Measure"),
    "kind": _("Kind of record"),
}
RETENTION_TITLES = {"Y": _("Permanent"), "D30": _("30 years"), "D10": _("10 years")}


# Zope keeps the bytes of a parameter that is not UTF-8 as lone surrogates,
# which cannot be written back out (a 500 where a 400 is due).
_SURROGATES = re.compile("[\ud800-\udfff]")


def _valid_text(name, value):
    if not isinstance(value, str):
        raise SearchError(
            _("The parameter ${name} must be text.", mapping={"name": name})
        )
    if _SURROGATES.search(value):
        raise SearchError(
            _("The parameter ${name} is not valid UTF-8 text.", mapping={"name": name})
        )
    return value


def form_text(form, name):
    """The text parameter ``name`` of a request form, stripped; SearchError
    when it is repeated or not valid UTF-8."""
    return _valid_text(name, form.get(name) or "").strip()


def filters_from_form(form):
    """``{facet: [values]}`` from request parameters named after facets
    (one parameter per facet, repeatable), as the page and REST send them."""
    filters = {}
    for name in FACETS:
        value = form.get(name)
        values = [value] if isinstance(value, str) else list(value or ())
        values = [_valid_text(name, v) for v in values if v]
        if values:
            filters[name] = values
    return filters


class SearchError(ValueError):
    """Bad search input; ``message`` is a translatable message."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _date(value, label):
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise SearchError(
            _("${label}: not a date (YYYY-MM-DD).", mapping={"label": label})
        ) from None


def build_query(text, filters=None, date_from=None, date_to=None):
    """The AST of the typed ``text`` with the form's filters added."""
    try:
        node = ql.parse(text or "")
    except ql.QuerySyntaxError as error:
        raise SearchError(error.message) from None
    parts = [] if isinstance(node, ql.All) else [node]
    for name, values in (filters or {}).items():
        if name not in FACETS:
            raise SearchError(_("Unknown filter: ${name}", mapping={"name": name}))
        values = [values] if isinstance(values, str) else list(values)
        values = [str(v) for v in values if str(v).strip()]
        if len(values) > ql.MAX_TERMS or any(len(v) > ql.MAX_LENGTH for v in values):
            raise SearchError(
                _(
                    "Too many or too long values for the filter ${name}.",
                    mapping={"name": name},
                )
            )
        if values:
            fields = [ql.Field(name, v) for v in values]
            parts.append(fields[0] if len(fields) == 1 else ql.Or(tuple(fields)))
    start, end = _date(date_from, "date_from"), _date(date_to, "date_to")
    if start and end and start > end:
        raise SearchError(_("The start date is after the end date."))
    if start or end:
        parts.append(ql.Range("date", start, end))
    if not parts:
        return ql.All()
    return parts[0] if len(parts) == 1 else ql.And(tuple(parts))


class Labels:
    """Titles of the codes that facets and rows show."""

    def __init__(self, request):
        self.request = request
        self.workflow = api.portal.get_tool("portal_workflow")
        self.types = api.portal.get_tool("portal_types")
        self.cache = {}

    def t(self, message, domain="xinfang_archive"):
        return translate(message, domain=domain, context=self.request)

    def _table(self, name):
        if name not in self.cache:
            if name == "unit":
                table = unit_paths()
            elif name in ("category", "channel", "grade"):
                table = titles(
                    {
                        "category": "categories",
                        "channel": "channels",
                        "grade": "grades",
                    }[name]
                )
            elif name == "retention":
                table = {k: self.t(v) for k, v in RETENTION_TITLES.items()}
            elif name in ("cause", "measure"):
                pairs = (
                    ACCOUNTABILITY_CAUSES
                    if name == "cause"
                    else ACCOUNTABILITY_MEASURES
                )
                table = {k: self.t(v) for k, v in pairs}
            elif name == "kind":
                table = {k: self.t(v) for k, v in record_kinds()}
                table.update(titles("document_kinds"))
            else:
                table = {}
            self.cache[name] = table
        return self.cache[name]

    def label(self, name, value):
        if name == "portal_type":
            fti = self.types.getTypeInfo(value)
            return (
                self.t(fti.Title(), domain=fti.i18n_domain or "plone") if fti else value
            )
        if name == "state":
            return self.state(
                value, "PetitionCase"
            )  # documents carry their case's state
        if name == "year":
            return str(value)
        return self._table(name).get(value, value)

    def code_for(self, name, value):
        """The stored code of a filter value typed as its title
        (类别:征地拆迁 → land, 状态:办结 → closed); other values unchanged."""
        if name == "year":
            return value
        if name + ":reverse" not in self.cache:
            if name == "state":
                reverse = {}
                for wf in self.workflow.objectValues():
                    for state in getattr(
                        getattr(wf, "states", None), "objectValues", lambda: []
                    )():
                        reverse.setdefault(
                            self.t(state.title, domain="plone"), state.getId()
                        )
                        reverse.setdefault(state.title, state.getId())
            elif name == "portal_type":
                reverse = {}
                for fti in self.types.objectValues():
                    reverse.setdefault(
                        self.t(fti.Title(), domain=fti.i18n_domain or "plone"),
                        fti.getId(),
                    )
            else:
                reverse = {title: code for code, title in self._table(name).items()}
                if name == "unit":
                    reverse.update({t: c for c, t in titles("units").items()})
            self.cache[name + ":reverse"] = reverse
        return self.cache[name + ":reverse"].get(value, value)

    def resolve(self, node):
        """``node`` with filter values typed as titles turned into codes."""
        if isinstance(node, ql.Field):
            return ql.Field(node.name, self.code_for(node.name, node.value))
        if isinstance(node, (ql.And, ql.Or)):
            return type(node)(tuple(self.resolve(c) for c in node.children))
        if isinstance(node, ql.Not):
            return ql.Not(self.resolve(node.child))
        return node

    def state(self, value, portal_type):
        return state_text(value, portal_type, self.request)


def archive_search(
    request,
    text="",
    filters=None,
    date_from=None,
    date_to=None,
    sort="relevance",
    page=1,
    page_size=20,
    facets=FACETS,
):
    """Run a search for the current user; a dict ready for JSON or a page."""
    if sort not in SORTS:
        raise SearchError(_("Unknown sort order: ${sort}", mapping={"sort": sort}))
    try:
        page = max(int(page), 1)
        page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    except (TypeError, ValueError):
        raise SearchError(_("Page and page size must be numbers.")) from None
    if page * page_size > MAX_WINDOW:
        raise SearchError(
            _(
                "Only the first ${max} results can be paged through; narrow the search.",
                mapping={"max": MAX_WINDOW},
            )
        )
    labels = Labels(request)
    query = labels.resolve(build_query(text, filters, date_from, date_to))
    terms = [node.value for node in ql.text_terms(query)]
    segmenter = current_segmenter()
    words = [w for term in terms for w in segmenter.query_words(term)]
    search_request = SearchRequest(
        query=query,
        principals=user_principals(),
        sort=sort,
        offset=(page - 1) * page_size,
        limit=page_size,
        facets=tuple(f for f in facets if f in FACETS),
        boost_words=words,
    )
    store = current_store()
    result = store.engine.search(search_request)
    portal_url = api.portal.get().absolute_url()
    items = []
    for hit in result.hits:
        data = hit.stored
        items.append(
            {
                "uid": hit.uid,
                "url": portal_url + data.get("path", ""),
                "title": data.get("title", ""),
                "portal_type": data.get("portal_type", ""),
                "type_title": labels.label("portal_type", data.get("portal_type", "")),
                "date": data.get("date", ""),
                "codes": data.get("codes", {}),
                "state": data.get("state", ""),
                "state_title": labels.state(
                    data.get("state", ""), data.get("portal_type", "")
                ),
                "case_title": data.get("case_title", ""),
                "case_url": portal_url + data["case_path"]
                if data.get("case_path")
                else "",
                "snippet": snippet(data.get("text", ""), terms),
                "score": round(hit.score, 4),
            }
        )
    facet_rows = {}
    for name, pairs in result.facets.items():
        facet_rows[name] = {
            "title": labels.t(FACET_TITLES[name]),
            "options": [
                {"value": value, "title": labels.label(name, value), "count": count}
                for value, count in pairs
            ],
        }
    return {
        "query": ql.to_text(query) if not isinstance(query, ql.All) else "",
        "total": result.total,
        "page": page,
        "page_size": page_size,
        "pages": (result.total + page_size - 1) // page_size,
        "sort": sort,
        "engine": store.engine_name,
        "items": items,
        "facets": facet_rows,
    }


def similar_cases(obj=None, text="", limit=5):
    """Cases like ``obj`` (or like ``text``, on the registration form):
    the most telling words (jieba's TF-IDF keywords), more-like-this."""
    from plone.uuid.interfaces import IUUID

    if obj is not None:
        parts = [
            obj.Title(),
            getattr(obj, "summary", "") or "",
            getattr(obj, "request", "") or "",
        ]
        text = "\n".join(p for p in parts if p)
    words = current_segmenter().keywords(text)
    if not words:
        return []
    exclude = (IUUID(obj),) if obj is not None else ()
    store = current_store()
    result = store.engine.similar(
        words,
        principals=user_principals(),
        exclude_uids=exclude,
        limit=limit,
        query=ql.Field("portal_type", "PetitionCase"),
    )
    portal_url = api.portal.get().absolute_url()
    rows = []
    for hit in result.hits:
        rows.append(
            {
                "uid": hit.uid,
                "url": portal_url + hit.stored.get("path", ""),
                "title": hit.stored.get("title", ""),
                "date": hit.stored.get("date", ""),
                "codes": hit.stored.get("codes", {}),
                "score": round(hit.score, 4),
            }
        )
    return rows
