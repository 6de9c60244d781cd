"""Demo early warnings (预警) over the years of the demo cases.

The rules already ran on each demo case as it was committed; here the demo
gives the bureau its sensitive periods (全国两会 and 国庆 of each demo year,
when none are configured), runs the rules again over every case (those
periods were not known then) and every submitted screening report, dates
each warning on the day of its matter, and has a registrar acknowledge most
warnings older than a month, each with a note.

``warning_units`` returns the work as units, each a callable the caller
commits (and does again after a conflict with the serving site).
"""

from AccessControl.users import SimpleUser
from DateTime import DateTime
from datetime import datetime
from datetime import time
from datetime import timedelta
from plone import api
from xinfang_archive.demo.generator import YEARS
from xinfang_archive.earlywarning.acknowledge import acknowledge
from xinfang_archive.earlywarning.raising import evaluate_case
from xinfang_archive.earlywarning.raising import evaluate_report
from xinfang_archive.earlywarning.raising import warning_folder
from xinfang_archive.earlywarning.rules import current_rules
from xinfang_archive.earlywarning.settings import PREFIX
from xinfang_archive.localtime import LOCAL_TIME
from xinfang_archive.localtime import local_today
from xinfang_archive.reports.screening import first_submission

import random


DEMO_REGISTRAR = "demo-warnings"
CASES_PER_UNIT = 200
ACKNOWLEDGE_AFTER = 30  # days: older warnings are mostly acknowledged
ACKNOWLEDGED_SHARE = 0.85
NOTES = (
    "已电话联系责任单位，包案领导已到位，正在做好稳控化解工作。",
    "已约谈信访人，说明政策依据，情绪稳定。",
    "已报分管领导，责成属地乡镇落实包保责任。",
    "经核实为同一事项重复反映，已合并办理。",
    "已纳入重点信访事项台账，按周调度。",
    "已会同相关部门研判，暂无进京赴省苗头。",
)


def demo_periods(today, years=YEARS):
    """全国两会 and 国庆 of each demo year, as registry lines."""
    lines = []
    for year in range(today.year - years, today.year + 1):
        lines.append(f"全国两会|{year}-03-03|{year}-03-15")
        lines.append(f"国庆节|{year}-10-01|{year}-10-07")
    return lines


def _stamp(day, hour, minute=0):
    return DateTime(datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TIME))


def warning_units(portal, seed=0, today=None, size=CASES_PER_UNIT):
    today = today or local_today()
    rng = random.Random(seed + 41)
    folder = warning_folder(portal)
    if folder is None:
        return

    def periods_unit():
        record = f"{PREFIX}.sensitive_periods"
        if not api.portal.get_registry_record(record, default=None):
            api.portal.set_registry_record(record, demo_periods(today))
        return []

    yield periods_unit
    catalog = api.portal.get_tool("portal_catalog")
    uids = [
        b.UID
        for b in catalog.unrestrictedSearchResults(
            portal_type="PetitionCase", sort_on="received_date"
        )
    ]
    for first in range(0, len(uids), size):
        yield _cases_unit(catalog, folder, uids[first : first + size])
    yield _reports_unit(catalog, folder)

    def acknowledge_unit(state, ids):
        def make():
            rng.setstate(state)  # done again after a conflict: the same draws
            return _date_and_acknowledge(portal, folder, rng, today, ids)

        return make

    warnings = sorted(
        folder.objectValues(), key=lambda w: (w.occurred_on or today, w.getId())
    )
    ids = [warning.getId() for warning in warnings]
    for first in range(0, len(ids), size):
        yield acknowledge_unit(rng.getstate(), ids[first : first + size])


def _objects(catalog, **query):
    return [
        b._unrestrictedGetObject() for b in catalog.unrestrictedSearchResults(**query)
    ]


def _cases_unit(catalog, folder, uids):
    def make():
        rules, periods = current_rules()
        made = []
        for case in _objects(catalog, UID=uids):
            made.extend(evaluate_case(case, rules, periods, folder))
        return made

    return make


def _reports_unit(catalog, folder):
    def make():
        rules, periods = current_rules()
        made = []
        for report in _objects(
            catalog,
            portal_type="ScreeningReport",
            review_state=("submitted", "accepted", "filed"),
        ):
            made.extend(
                evaluate_report(
                    report,
                    first_submission(report) or local_today(),
                    rules,
                    periods,
                    folder,
                )
            )
        return made

    return make


def _date_and_acknowledge(portal, folder, rng, today, ids):
    """Each warning of ``ids`` dated on the day of its matter; most of those
    older than a month acknowledged a few days later, with a note."""
    registrar = SimpleUser(DEMO_REGISTRAR, "", ["Registrar"], []).__of__(
        portal.acl_users
    )
    done = []
    for warning in [folder[i] for i in ids if i in folder]:
        day = min(warning.occurred_on or today, today)
        warning.creation_date = _stamp(day, rng.randint(8, 17), rng.randint(0, 59))
        old = (today - day).days > ACKNOWLEDGE_AFTER
        if (
            old
            and api.content.get_state(warning) == "raised"
            and rng.random() < ACKNOWLEDGED_SHARE
        ):
            with api.env.adopt_user(user=registrar):
                acknowledge(warning, rng.choice(NOTES))
            when = min(day + timedelta(days=rng.randint(0, 5)), today)
            stamp = _stamp(when, rng.randint(8, 17), rng.randint(0, 59))
            warning.acknowledged_on = (
                stamp.asdatetime().astimezone(LOCAL_TIME).replace(tzinfo=None)
            )
            history = warning.workflow_history["xf_warning_workflow"]
            warning.workflow_history["xf_warning_workflow"] = tuple(
                dict(entry, time=stamp)
                if entry.get("action") == "acknowledge"
                else entry
                for entry in history
            )
            done.append(warning)
        warning.reindexObject()
    return done
