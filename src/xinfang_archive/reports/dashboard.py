"""The monthly bulletin's figures as JSON-able data, for the dashboard
(统计看板) and its JSON download.  Nothing here needs Plone.
"""

from xinfang_archive.reports.breakdown import share_tenths
from xinfang_archive.reports.figures import DIMENSIONS
from xinfang_archive.reports.figures import RATE_NAMES
from xinfang_archive.reports.figures import UNASSIGNED
from xinfang_archive.reports.text import change_text
from xinfang_archive.reports.text import period_text
from xinfang_archive.reports.titles import RATE_TITLES
from xinfang_archive.reports.titles import STAGE_TITLES
from xinfang_archive.reports.titles import Titles


def _tenths(value):
    return None if value is None else value / 10


def _rate_data(rate, name):
    return {
        "label": RATE_TITLES[name],
        "numerator": rate.numerator,
        "denominator": rate.denominator,
        "percent": _tenths(rate.tenths),
        "text": rate.text(),
    }


def _intake_data(intake, titles):
    data = {
        "total": intake.total,
        "people": intake.people,
        "repeat": intake.repeat,
        "skip_level": intake.skip_level,
        "collective": intake.collective,
        "collective_people": intake.collective_people,
    }
    for dimension in DIMENSIONS:
        order = titles.order(dimension)
        counts = sorted(
            intake.by(dimension).items(),
            key=lambda item: (-item[1], order.get(item[0], len(order)), item[0]),
        )
        data[f"by_{dimension}"] = [
            {
                "code": code,
                "title": titles(dimension, code),
                "count": count,
                "percent": _tenths(share_tenths(count, intake.total)),
            }
            for code, count in counts
        ]
    return data


def _change_data(change):
    return {
        "current": change.current,
        "previous": change.previous,
        "percent": _tenths(change.tenths),
        "text": change_text(change),
    }


def dashboard_data(bulletin, titles, *, case_titles=True):
    """The bulletin's figures as JSON-able data (dates in ISO form, percentages
    to one decimal, None where a rate has nothing to count).  Without
    ``case_titles`` the overdue cases carry no ``title``."""
    names = Titles(titles)
    data = _dashboard_data(bulletin, names)
    if not case_titles:
        for case in data["overdue"]["cases"]:
            del case["title"]
    return data


def _dashboard_data(bulletin, names):
    return {
        "period": {
            "year": bulletin.year,
            "month": bulletin.month,
            "label": period_text(bulletin.year, bulletin.month),
            "start": bulletin.start.isoformat(),
            "end": bulletin.end.isoformat(),
            "today": bulletin.today.isoformat(),
        },
        "intake": {
            "month": _intake_data(bulletin.intake, names),
            "year_to_date": _intake_data(bulletin.intake_ytd, names),
        },
        "changes": {
            "month_over_month": _change_data(bulletin.month_over_month),
            "year_over_year": _change_data(bulletin.year_over_year),
        },
        "monthly_intake": [
            {
                "year": year,
                "month": month,
                "label": period_text(year, month),
                "count": count,
            }
            for year, month, count in bulletin.monthly_intake
        ],
        "rates": {
            "month": {
                name: _rate_data(getattr(bulletin.rates, name), name)
                for name in RATE_NAMES
            },
            "year_to_date": {
                name: _rate_data(getattr(bulletin.rates_ytd, name), name)
                for name in RATE_NAMES
            },
        },
        "units": [
            {
                "rank": unit.rank,
                "code": unit.code,
                "title": names("unit", unit.code),
                "received": unit.received,
                "handling_on_time": _rate_data(
                    unit.handling_on_time, "handling_on_time"
                ),
                "satisfaction": _rate_data(unit.satisfaction, "satisfaction"),
                "open": unit.open,
                "overdue": unit.overdue,
                "score": unit.score,
                "screening_on_time": {
                    "percent": _tenths(unit.screening_on_time.tenths),
                    "text": unit.screening_on_time.text(),
                },
                "accountability": unit.accountability,
            }
            for unit in bulletin.units
        ],
        "screening": [
            {
                "period": count.period,
                "deadline": count.deadline.isoformat(),
                "units": count.units,
                "reported": count.reported,
                "zero": count.zero,
                "missing": count.missing,
                "late": count.late,
            }
            for count in bulletin.screening
        ],
        "accountability": bulletin.accountability,
        "overdue": {
            "total": bulletin.overdue_total,
            "limit": bulletin.overdue_limit,
            "not_listed": bulletin.overdue_not_listed,
            "cases": [
                {
                    "uid": case.uid,
                    "registration_number": case.registration_number,
                    "title": case.title,
                    "received": case.received.isoformat(),
                    "unit": case.unit or UNASSIGNED,
                    "unit_title": names("unit", case.unit),
                    "category": case.category,
                    "category_title": names("category", case.category),
                    "state": case.state,
                    "stage": case.stage,
                    "stage_title": STAGE_TITLES.get(case.stage, case.stage),
                    "deadline": case.deadline.isoformat(),
                    "days_overdue": case.days_overdue,
                }
                for case in bulletin.overdue
            ],
        },
    }
