"""Records filed on their own: a unit's screening report, accepted and
ready to be filed (as the Manager, ``archival.as_manager``)."""

from tests.helpers.archival import as_manager
from tests.helpers.archival import do
from tests.helpers.screening import dispute
from tests.helpers.screening import file_report


def accepted_report(portal, unit="JSJ", period="2025-11", zero=False):
    as_manager(portal)
    report = file_report(
        unit=unit, period=period, zero=zero, disputes=None if zero else [dispute()]
    )
    do(report, "submit")
    do(report, "accept")
    return report
