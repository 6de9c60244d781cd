"""Screening reports (矛盾纠纷排查) and their disputes."""

from DateTime import DateTime
from datetime import date
from datetime import datetime
from datetime import time
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from xinfang_archive.localtime import LOCAL_TIME


def dispute(**overrides):
    row = {
        "matter": "小区物业费纠纷",
        "parties": "业主与物业公司，约30户",
        "people_count": 30,
        "category": "urban",
        "risk_grade": "ordinary",
        "measures": "街道牵头调解",
        "responsible": "王五",
        "deadline": date(2026, 12, 20),
        "state": "open",
    }
    row.update(overrides)
    return row


def file_report(unit="JSJ", period="2026-11", zero=False, disputes=None):
    disputes = [] if zero else (disputes or [dispute()])
    return api.content.create(
        container=api.portal.get()["screening"],
        type="ScreeningReport",
        title="",
        unit=unit,
        period=period,
        zero_report=zero,
        disputes=disputes,
    )


def as_manager(portal):
    login(portal, TEST_USER_NAME)
    setRoles(portal, TEST_USER_ID, ["Manager"])


def submitted_on(report, day):
    """Backdate the report's submission to noon of ``day`` (local time)."""
    stamp = DateTime(datetime.combine(day, time(12), tzinfo=LOCAL_TIME))
    history = report.workflow_history["xf_screening_workflow"]
    report.workflow_history["xf_screening_workflow"] = tuple(
        dict(entry, time=stamp) if entry["action"] == "submit" else entry
        for entry in history
    )
