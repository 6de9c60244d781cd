"""The bureau's clock: times are stored in UTC and shown in China Standard Time."""

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo


LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def local_today():
    """Today in the bureau's time (a UTC server's date lags eight hours behind)."""
    return datetime.now(LOCAL_TIME).date()


def local_text(value, seconds=True):
    """``YYYY-MM-DD HH:MM[:SS]`` of an aware datetime or ISO string ("" for None)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(LOCAL_TIME).strftime(
        "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    )


def local_day(value):
    """The bureau's date of an aware datetime, a Zope DateTime or an ISO
    string (a naive datetime is taken as it is; a date is returned as it is);
    None for nothing or for an unreadable string."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if hasattr(value, "asdatetime"):  # Zope's DateTime (workflow history)
        value = value.asdatetime()
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TIME).date() if value.tzinfo else value.date()
    return value if isinstance(value, date) else None


def iso_day(value):
    """``YYYY-MM-DD`` of ``local_day(value)``, "" without one."""
    day = local_day(value)
    return day.isoformat() if day else ""


def chinese_day(day):
    """``2026年12月3日``: a date as Chinese documents write it."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_time(value):
    """``2026年12月3日 07:41``: a moment (aware datetime, Zope DateTime or ISO
    string) in the bureau's time; "" for nothing."""
    if value is None or value == "":
        return ""
    if hasattr(value, "asdatetime"):  # a Zope DateTime
        value = value.asdatetime()
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    moment = value.astimezone(LOCAL_TIME)
    return f"{chinese_day(moment.date())} {moment:%H:%M}"
