"""The one small interface both search engines implement."""

from zope.interface import Attribute
from zope.interface import Interface


class ISearchEngine(Interface):
    """An embedded full-text index of the archive (one per index directory).

    Writes go through ``apply`` (one writer, one commit); the caller holds
    the cross-process lock (``store.IndexStore``).
    """

    name = Attribute("Engine name: 'whoosh' or 'tantivy'.")
    path = Attribute("Directory of the index.")

    def apply(changes, bulk=False):
        """Write ``{uid: IndexDocument or None}`` (None: remove) in one commit.
        ``bulk``: the documents are not in the index yet (a rebuild)."""

    def index(docs):
        """Add or replace documents (``apply`` with documents only)."""

    def unindex(uids):
        """Remove documents by UID."""

    def search(request):
        """Run a ``SearchRequest``; return a ``SearchResult``."""

    def matching(query, view="grams"):
        """``{uid: score}`` of every document matching the ``querylang``
        AST ``query`` in its text ``view`` (``model.TEXT_VIEWS``), personal
        view left out and no security filter (the catalog's text indexes;
        the catalog filters)."""

    def facets(request):
        """Facet counts only: ``{name: [(value, count), …]}``."""

    def similar(words, principals=None, exclude_uids=(), limit=10, query=None):
        """Documents sharing the most of ``words`` (more-like-this), within
        ``query`` (a ``querylang`` AST) if given."""

    def clear():
        """Remove every document."""

    def stats():
        """``{"engine", "path", "documents", "size_bytes"}``."""

    def stamps():
        """``{uid: stamp}`` of every indexed document (for verify-index)."""
