"""What both engines share: the interface, the compiler, the convenience
methods written in terms of ``apply`` and ``search``."""

from pathlib import Path
from xinfang_archive.search import querylang as ql
from xinfang_archive.search.compile import Compiler
from xinfang_archive.search.interfaces import ISearchEngine
from xinfang_archive.search.model import MAX_WINDOW
from xinfang_archive.search.model import SearchRequest
from zope.interface import implementer


@implementer(ISearchEngine)
class BaseEngine:
    name = None
    builder = None

    def __init__(self, path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)

    def _query(self, request, similar=False):
        if (
            request.offset < 0
            or request.limit < 0
            or request.offset + request.limit > MAX_WINDOW
        ):
            raise ValueError(f"Results beyond the first {MAX_WINDOW} cannot be fetched")
        return Compiler(self.builder, request.principals).request(
            request, similar=similar
        )

    def _compile_text(self, query, view):
        return Compiler(self.builder, None, personal=False, view=view).node(query)

    def index(self, docs):
        self.apply({doc.uid: doc for doc in docs})

    def unindex(self, uids):
        self.apply(dict.fromkeys(uids))

    def similar(self, words, principals=None, exclude_uids=(), limit=10, query=None):
        request = SearchRequest(
            query=query if query is not None else ql.All(),
            principals=principals,
            limit=limit,
            boost_words=list(words),
            exclude_uids=tuple(exclude_uids),
        )
        return self.search(request, similar=True)

    def size_bytes(self):
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
