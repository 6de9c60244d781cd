"""Upgrade to 1013: records filed on their own (screening reports) are
amended like filed cases, and the schedule's rules that came with issue 18's
records (meetings, reception days, records filed on their own) reach sites
made before them."""

from plone import api
from xinfang_archive.archival.settings import DEFAULT_RETENTION_RULES
from xinfang_archive.archival.settings import RETENTION_RULES_RECORD


# The schedule's keys that came with meetings, reception days and records filed on their own.
NEW_KEYS = ("record", "meeting", "reception")


def amendable_records(context):
    """The screening workflow's filed state lets archivists amend: the filed
    reports take its new permissions."""
    workflow = api.portal.get_tool("portal_workflow").getWorkflowById(
        "xf_screening_workflow"
    )
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="ScreeningReport", review_state="filed"
    ):
        report = brain._unrestrictedGetObject()
        if workflow.updateRoleMappingsFor(report):
            report.reindexObjectSecurity()


def add_schedule_rules(context=None):
    """Add the default rules of the new keys whose condition the bureau's
    schedule does not state yet; its own rules stay as they are (the longest
    period of the rules that hold decides, so their order does not matter)."""
    rules = list(
        api.portal.get_registry_record(RETENTION_RULES_RECORD, default=None) or []
    )
    stated = {rule.split("|")[0] for rule in rules}
    added = [
        rule
        for rule in DEFAULT_RETENTION_RULES
        if rule.split("=")[0] in NEW_KEYS and rule.split("|")[0] not in stated
    ]
    if added:
        api.portal.set_registry_record(RETENTION_RULES_RECORD, rules + added)
    return added
