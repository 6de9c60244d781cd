"""Raising warnings: each ``Candidate`` becomes an EarlyWarning in /warnings
unless its warning exists already (its id is made from its key).

Warnings are made by the system, whoever's change triggered the rule: as a
user of its own (``SYSTEM_USER``) adopted for the creation, so that the
audit trail names it and the person who registered the case gets no role on
the warning.  The unit grants follow (``privacy.units.warning_changed``).
"""

from AccessControl.users import SimpleUser
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.uuid.interfaces import IUUID
from xinfang_archive.archival.freeze import is_frozen
from xinfang_archive.earlywarning.evaluate import candidates_for_case
from xinfang_archive.earlywarning.evaluate import candidates_for_report
from xinfang_archive.earlywarning.rules import current_rules
from xinfang_archive.privacy.accusation import is_accusation_case
from xinfang_archive.privacy.units import warning_changed

import logging


logger = logging.getLogger("xinfang_archive.earlywarning")

FOLDER_ID = "warnings"
PORTAL_TYPE = "EarlyWarning"
SYSTEM_USER = "xinfang-early-warning"


def warning_folder(portal=None):
    portal = portal if portal is not None else api.portal.get()
    return portal.get(FOLDER_ID) if portal is not None else None


def _system_user(portal):
    return SimpleUser(SYSTEM_USER, "", ["Manager"], []).__of__(portal.acl_users)


def raise_candidates(candidates, folder):
    """Make the warnings of ``candidates`` not raised yet; returns the new ones."""
    made = []
    portal = api.portal.get()
    for candidate in candidates:
        if candidate.id in folder:
            continue
        with api.env.adopt_user(user=_system_user(portal)):
            warning = createContentInContainer(
                folder,
                PORTAL_TYPE,
                checkConstraints=False,
                id=candidate.id,
                rule_id=candidate.rule.id,
                rule_kind=candidate.rule.kind,
                rule_title=candidate.rule.title,
                warning_key=candidate.key,
                records=list(candidate.records),
                summary=candidate.summary,
                unit=candidate.unit,
                occurred_on=candidate.occurred_on,
                restricted=bool(candidate.restricted),
            )
        made.append(warning)
    if made:
        logger.info("Raised %d early warnings", len(made))
    return made


def follow_case(case):
    """The warnings that name ``case`` follow it: sealed from every unit for
    good once it is about accusation material (the unit may be the accused
    one), and given the case's unit when they had none (raised before the
    case was routed) or concern that case alone (it was routed elsewhere).
    A surge of a unit stays that unit's."""

    uid = IUUID(case, None)
    if not uid:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type=PORTAL_TYPE, warning_records=uid
    )
    if not brains:
        return []
    accusation = is_accusation_case(case)
    unit = getattr(case, "responsible_unit", None)
    changed = []
    for brain in brains:
        warning = brain._unrestrictedGetObject()
        if is_frozen(warning):
            continue  # filed: its metadata are proven by its manifest (its case is filed too)
        restricted = bool(getattr(warning, "restricted", False)) or accusation
        new_unit = warning.unit
        if (
            unit
            and warning.rule_kind != "surge"
            and (not warning.unit or list(warning.records) == [uid])
        ):
            new_unit = unit
        if (
            restricted == bool(getattr(warning, "restricted", False))
            and new_unit == warning.unit
        ):
            continue
        warning.restricted, warning.unit = restricted, new_unit
        warning_changed(warning, None)  # the unit grants again (none when restricted)
        warning.reindexObject(idxs=["warning_unit"])
        changed.append(warning)
    return changed


def _ready(folder, rules, periods):
    """``(folder, rules, periods)`` to evaluate with, the current ones where
    not given; no folder or no rule: nothing to do (``folder`` None)."""
    folder = folder if folder is not None else warning_folder()
    if folder is not None and rules is None:
        rules, periods = current_rules()
    return (folder if rules else None), rules, periods


def evaluate_case(case, rules=None, periods=None, folder=None):
    """Raise the warnings ``case`` calls for; returns the new ones."""
    folder, rules, periods = _ready(folder, rules, periods)
    if folder is None:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    candidates = candidates_for_case(
        case, rules, periods, catalog, existing=folder.__contains__
    )
    return raise_candidates(candidates, folder)


def evaluate_report(report, day, rules=None, periods=None, folder=None):
    """Raise the warnings the disputes of a submitted screening report call for."""
    folder, rules, periods = _ready(folder, rules, periods)
    if folder is None:
        return []
    return raise_candidates(candidates_for_report(report, rules, periods, day), folder)
