"""The early-warning rules in the registry."""

from plone import api
from xinfang_archive.earlywarning import rules as R
from xinfang_archive.earlywarning.settings import PREFIX


def set_rules(**lists):
    """Only the given lists hold rules; the others are emptied."""
    for name in (*R.FIELDS.values(), R.PERIODS_FIELD):
        api.portal.set_registry_record(f"{PREFIX}.{name}", list(lists.get(name, [])))
