"""Upgrade to 1009: dispute screening (矛盾纠纷排查) and its folder, and the
schedule's rule for filed screening reports."""
from plone import api
from xinfang_archive.archival.settings import DEFAULT_RETENTION_RULES
from xinfang_archive.setuphandlers import add_screening_folder


RECORD = "xinfang_archive.filing.retention_rules"


def add_screening(context):
    add_screening_folder(api.portal.get())
    add_record_rules()


def add_record_rules():
    """Add the default ``record=`` rules whose record type the bureau's
    schedule does not name yet; its own rules stay as they are."""
    rules = list(api.portal.get_registry_record(RECORD, default=None) or [])
    named = {rule.split("|")[0] for rule in rules}
    added = [rule for rule in DEFAULT_RETENTION_RULES
             if rule.startswith("record=") and rule.split("|")[0] not in named]
    if added:
        api.portal.set_registry_record(RECORD, rules + added)
    return added
