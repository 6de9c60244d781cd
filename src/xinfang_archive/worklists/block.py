"""A block of a role's home: its heading, rows, count and full list."""

from dataclasses import dataclass
from dataclasses import field
from xinfang_archive.localtime import chinese_day
from xinfang_archive.localtime import local_day
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


def rows_of(brains, detail, title=None):
    """The first rows of ``brains``: title (``title(brain)``, else the
    brain's) and link, ``detail(brain)`` beside."""
    return [
        Row(
            url=brain.getURL(),
            title=title(brain) if title else brain.Title,
            detail=detail(brain),
        )
        for brain in brains[:ROWS_SHOWN]
    ]


def day_of(value):
    """``2026年12月3日``: the bureau's day of a date, datetime or Zope DateTime."""
    day = local_day(value)
    return chinese_day(day) if day else ""


def list_block(block_id, title, brains, detail, more_url, row_title=None, **options):
    """A block listing the first of ``brains`` (``detail(brain)`` beside each), with their count."""
    return Block(
        id=block_id,
        title=title,
        rows=rows_of(brains, detail, row_title),
        count=count_of(brains),
        more_url=more_url,
        **options,
    )


def count_of(brains):
    """How many a catalog query matched, limited or not (``sort_limit``)."""
    return getattr(brains, "actual_result_count", None) or len(brains)
