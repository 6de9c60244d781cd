"""A block of a role's home: its heading, rows, count and full list."""

from dataclasses import dataclass
from dataclasses import field
from zope.i18nmessageid import Message


# Rows a block shows; its link leads to the rest.
ROWS_SHOWN = 8


@dataclass
class Row:
    url: str
    title: str
    detail: str = ""
    alert: bool = False  # overdue, a problem, waiting too long


@dataclass
class Action:
    title: Message
    url: str


@dataclass
class Block:
    id: str
    title: Message
    rows: list = field(default_factory=list)
    count: int | None = None  # None: the block is no list (a form, a status)
    more_url: str = ""
    more_title: Message | None = None  # None: "Full list"
    actions: list = field(default_factory=list)
    status: str = ""  # a line of text instead of rows (the fixity status)
    alert: bool = False  # the status calls for attention
    search_url: str = ""  # a search box posting here


def count_of(brains):
    """How many a catalog query matched, limited or not (``sort_limit``)."""
    return getattr(brains, "actual_result_count", None) or len(brains)
