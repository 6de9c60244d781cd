"""Open and overdue cases counted straight from the catalog's indexes (set
intersections of record ids, no brains), as the user may see them: the
信访工作台 and the inspector's home count 100,000 cases this way."""

from BTrees.IIBTree import difference
from BTrees.IIBTree import IISet
from BTrees.IIBTree import intersection
from BTrees.IIBTree import multiunion
from datetime import timedelta
from xinfang_archive.search.site import user_principals
from xinfang_archive.vocabularies.registry import unit_paths
from xinfang_archive.workflow.states import OPEN_STATES


def _as_set(value):
    if value is None:
        return IISet()
    if isinstance(value, int):
        return IISet((value,))
    return value


class CaseCounts:
    def __init__(self, catalog, today):
        self.catalog = catalog
        self.today = today

    def index(self, name):
        return self.catalog._catalog.getIndex(name)

    def rids(self, index_name, values):
        index = self.index(index_name)
        return multiunion([_as_set(index._index.get(value)) for value in values])

    def open_rids(self):
        """Record ids of the open cases the user may see (the open states
        belong to cases only): a unit's handler counts the unit's cases."""
        if not hasattr(self, "_open"):
            visible, _info = self.index("allowedRolesAndUsers")._apply_index(
                {"allowedRolesAndUsers": user_principals()}
            )
            self._open = intersection(self.rids("review_state", OPEN_STATES), visible)
        return self._open

    def overdue_rids(self):
        if not hasattr(self, "_overdue"):
            rids, _ = self.index("case_deadline")._apply_index(
                {
                    "case_deadline": {
                        "query": self.today - timedelta(days=1),
                        "range": "max",
                    }
                }
            )
            self._overdue = intersection(self.open_rids(), rids)
        return self._overdue

    def due_by(self, last_day):
        """Open cases due from today to ``last_day``."""
        rids, _ = self.index("case_deadline")._apply_index(
            {"case_deadline": {"query": (self.today, last_day), "range": "min:max"}}
        )
        return intersection(self.open_rids(), rids)

    def breakdown(self, index_name, rows):
        """``[{code, title, open, overdue}]`` per value of ``index_name``
        with open cases, the most overdue first."""
        result = []
        for code, title in rows:
            rids = _as_set(self.index(index_name)._index.get(code))
            total = len(intersection(self.open_rids(), rids))
            if total:
                overdue = len(intersection(self.overdue_rids(), rids))
                result.append(
                    {"code": code, "title": title, "open": total, "overdue": overdue}
                )
        return sorted(result, key=lambda r: (-r["overdue"], -r["open"]))

    def by_unit(self, unrouted_title):
        """Open cases per responsible unit; those not routed yet first."""
        rows = self.breakdown("case_unit", unit_paths().items())
        routed = multiunion(
            [_as_set(v) for v in self.index("case_unit")._index.values()]
        )
        unrouted = difference(self.open_rids(), routed)
        if len(unrouted):
            rows.insert(
                0,
                {
                    "code": "",
                    "title": unrouted_title,
                    "open": len(unrouted),
                    "overdue": len(intersection(self.overdue_rids(), unrouted)),
                },
            )
        return rows
