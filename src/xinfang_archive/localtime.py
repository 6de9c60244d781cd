"""The bureau's clock: times are stored in UTC and shown in China Standard Time."""

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
