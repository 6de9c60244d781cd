"""The archival reference code (档号) of DA/T 22-2015.

``全宗号-门类代码·年度-保管期限-机构(问题)代码-件号``, e.g.
``X001-XF·2024-D30-JSJ-0007``: fonds code (4 letters or digits), category
code (2 capital letters), year (4 digits), retention period (Y, D30, D10),
organisation code (capital letters and digits, no hyphen: the hyphen
separates the parts), item number (4 digits, zero-padded).
"""

from dataclasses import dataclass

import re


SEPARATOR = "-"
CATEGORY_DOT = "·"  # U+00B7 between category code and year, as the standard writes it

FONDS = re.compile(r"^[A-Z0-9]{4}$")
CATEGORY = re.compile(r"^[A-Z]{2}$")
ORGANISATION = re.compile(r"^[A-Z0-9]{1,10}$")
CODE = re.compile(
    r"^(?P<fonds>[A-Z0-9]{4})-(?P<category>[A-Z]{2})·(?P<year>\d{4})"
    r"-(?P<period>Y|D30|D10)-(?P<organisation>[A-Z0-9]{1,10})-(?P<item>\d{4,})$"
)
MAX_ITEM = 9999


@dataclass(frozen=True)
class Group:
    """The numbering group of an item: numbers run 1, 2, 3 … inside it."""

    fonds: str
    category: str
    year: int
    period: str
    organisation: str

    @property
    def key(self):
        return f"{self.fonds}-{self.category}{CATEGORY_DOT}{self.year}-{self.period}-{self.organisation}"

    def code(self, item):
        return f"{self.key}-{item:04d}"


@dataclass(frozen=True)
class ArchivalCode:
    group: Group
    item: int

    def __str__(self):
        return self.group.code(self.item)


def parse(code):
    """The ``ArchivalCode`` of a well-formed 档号, else None."""
    match = CODE.match(code or "")
    if match is None:
        return None
    group = Group(
        match["fonds"],
        match["category"],
        int(match["year"]),
        match["period"],
        match["organisation"],
    )
    return ArchivalCode(group, int(match["item"]))


def well_formed(code):
    parsed = parse(code)
    return parsed is not None and 1 <= parsed.item <= MAX_ITEM and str(parsed) == code
