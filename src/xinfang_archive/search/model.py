"""The engine-neutral shapes: what is indexed, what is asked, what comes back."""

from dataclasses import dataclass
from dataclasses import field


# Keyword fields with exact filters and facet counts.
FACETS = (
    "portal_type",
    "year",
    "category",
    "unit",
    "channel",
    "grade",
    "state",
    "retention",
    "cause",
    "measure",
    "kind",
)
KEYWORDS = (
    "portal_type",
    "category",
    "unit",
    "channel",
    "grade",
    "state",
    "retention",
    "cause",
    "measure",
    "kind",
)
SORTS = ("relevance", "date", "-date")
# The text views a query can be asked of: all the text, the title alone,
# the description alone (Plone's SearchableText, Title, Description).
TEXT_VIEWS = ("grams", "title", "description")
# How deep results can be paged: engines collect offset + limit hits up
# front (Tantivy reserves memory for them), so the window is bounded.
MAX_WINDOW = 10_000


@dataclass
class IndexDocument:
    """One object as the engines index it (built by ``extract.document_for``).

    ``grams`` and ``personal`` are folded text (see ``analysis``), as are
    ``title`` and ``description`` (the catalog's Title and Description
    indexes search them alone, personal numbers left out); ``words``
    the jieba words; ``allowed``/``personal_allowed`` the roles and
    ``user:…`` tokens that may see the object / its personal data;
    ``stored`` what a hit shows (title, masked text for snippets, path,
    codes, dates); ``stamp`` what ``verify-index`` compares with the catalog.
    """

    uid: str
    grams: str
    words: list
    personal: list
    allowed: list
    personal_allowed: list
    stamp: str
    stored: dict
    keywords: dict = field(default_factory=dict)
    year: int = 0
    date: int = 0  # YYYYMMDD
    title: str = ""
    description: str = ""


@dataclass
class SearchRequest:
    """A search as the engines receive it.

    ``query`` is a ``querylang`` AST; ``principals`` the requesting user's
    roles and ``user:…`` tokens (None: no security filter, for the command
    line and the benchmark).
    """

    query: object
    principals: list = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 10
    facets: tuple = ()
    facet_size: int = 50
    boost_words: list = field(default_factory=list)
    exclude_uids: tuple = ()


@dataclass
class Hit:
    uid: str
    score: float
    stored: dict


@dataclass
class SearchResult:
    total: int
    hits: list
    facets: dict = field(default_factory=dict)  # name -> [(value, count), …]
