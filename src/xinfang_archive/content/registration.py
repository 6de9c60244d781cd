"""Registration numbers (登记编号) of petition cases.

A number is taken in the transaction that creates the case, from one
persistent counter per year.  The counter deliberately has *no* conflict
resolution: two transactions that take a number at once conflict, and the
loser is retried by the publisher (or by the caller), so a number is never
handed out twice and never skipped once committed.
"""

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from plone.registry.interfaces import IRegistry
from xinfang_archive.localtime import local_today
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.component.hooks import getSite

import re


ANNOTATION_KEY = "xinfang_archive.registration_counters"
FORMAT_RECORD = "xinfang_archive.registration_number_format"
DEFAULT_FORMAT = "XF-{year}-{seq:06d}"


class YearCounter(Persistent):
    """The last number handed out in one year."""

    def __init__(self):
        self.value = 0


def _counters(site, key=ANNOTATION_KEY):
    annotations = IAnnotations(site)
    counters = annotations.get(key)
    if counters is None:
        counters = annotations[key] = OOBTree()
    return counters


def next_sequence(year, site=None, key=ANNOTATION_KEY):
    """The next number of ``year`` in the series kept under ``key``."""
    site = site if site is not None else getSite()
    counters = _counters(site, key)
    counter = counters.get(year)
    if counter is None:
        counter = counters[year] = YearCounter()
    counter.value += 1
    return counter.value


def format_number(year, seq):
    fmt = getUtility(IRegistry).get(FORMAT_RECORD, None) or DEFAULT_FORMAT
    return fmt.format(year=year, seq=seq)


def _pattern(fmt):
    """A regular expression for the numbers ``fmt`` makes."""
    parts = re.split(r"(\{year\}|\{seq[^}]*\})", fmt)
    regex = "".join(
        "(?P<year>\\d{4})"
        if part == "{year}"
        else "(?P<seq>\\d+)"
        if part.startswith("{seq")
        else re.escape(part)
        for part in parts
    )
    return re.compile(f"^{regex}$")


def reserve_number(number, fmt=None, key=ANNOTATION_KEY, site=None):
    """Raise the year's counter to ``number`` (one made elsewhere, e.g.
    imported) so that no later registration is given it again."""
    if fmt is None:
        fmt = getUtility(IRegistry).get(FORMAT_RECORD, None) or DEFAULT_FORMAT
    match = _pattern(fmt).match(number or "")
    if match is None:
        return False
    year, seq = int(match.group("year")), int(match.group("seq"))
    counters = _counters(site if site is not None else getSite(), key)
    counter = counters.get(year)
    if counter is None:
        counter = counters[year] = YearCounter()
    if counter.value < seq:
        counter.value = seq
    return True


def ensure_registration_number(case):
    """Give ``case`` its number unless it has one; returns the number."""
    number = getattr(case, "registration_number", None)
    if number:
        return number
    received = getattr(case, "received_date", None)
    year = received.year if received else local_today().year
    case.registration_number = format_number(year, next_sequence(year))
    return case.registration_number


def case_added(case, event):
    ensure_registration_number(case)
