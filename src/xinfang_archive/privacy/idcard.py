"""Resident identity card numbers (居民身份证号码, GB 11643-1999)."""

from datetime import date
from xinfang_archive.localtime import local_today

import re


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_digit(first17):
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=False))
    return _CHECK[total % 11]


def normalize(value):
    return (value or "").strip().upper().replace(" ", "")


def id_number_problem(value, today=None):
    """Why ``value`` is not a valid 18-character ID number, or None when it is.

    Checks shape, the embedded birth date (a real calendar day, not in the
    future) and the check digit.
    """
    value = normalize(value)
    if not _SHAPE.match(value):
        return "shape"
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "birth_date"
    if born > (today or local_today()) or born.year < 1900:
        return "birth_date"
    if check_digit(value[:17]) != value[17]:
        return "check_digit"
    return None
