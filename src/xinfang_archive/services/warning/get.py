"""GET @warnings (site root): the early warnings the user may see, newest
first.  Parameters ``state`` (raised, acknowledged), ``rule`` (a rule id),
``unit`` (a unit code), ``b_start`` and ``b_size`` (≤ 100).  One catalog
query; each item has its URL, title, summary, rule, unit, state and the day
it was raised (the full warning: GET its URL)."""

from plone import api
from plone.restapi.services import Service


MAX_SIZE = 100


def _int(value, default):
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return default


class WarningsGet(Service):
    def reply(self):
        form = self.request.form
        start = _int(form.get("b_start"), 0)
        size = min(_int(form.get("b_size"), 25) or 25, MAX_SIZE)
        query = {
            "portal_type": "EarlyWarning",
            "sort_on": "created",
            "sort_order": "descending",
            "b_start": start,
            "b_size": size,
        }
        for param, index in (
            ("state", "review_state"),
            ("rule", "warning_rule"),
            ("unit", "warning_unit"),
        ):
            if isinstance(form.get(param), str) and form[param]:
                query[index] = form[param]
        brains = api.portal.get_tool("portal_catalog")(**query)
        items = [
            {
                "@id": brain.getURL(),
                "@type": "EarlyWarning",
                "title": brain.Title,
                "summary": brain.Description,
                "rule": brain.warning_rule,
                "unit": brain.warning_unit,
                "review_state": brain.review_state,
                "created": brain.created.ISO8601() if brain.created else None,
            }
            for brain in brains[:size]
        ]  # the catalog has cut the batch (b_start, b_size)
        return {
            "@id": f"{self.context.absolute_url()}/@warnings",
            "items": items,
            "items_total": brains.actual_result_count,
        }
