"""Registry records of the search (``xinfang_archive.search.*``), edited in
the 全文检索设置 control panel."""

from xinfang_archive import _
from xinfang_archive.search.analysis import DEFAULT_DICTIONARY
from xinfang_archive.search.engines import ENGINES
from zope import schema
from zope.interface import Interface
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


ENGINE_VOCABULARY = SimpleVocabulary(
    [
        SimpleTerm(name, name, title)
        for name, title in (
            ("tantivy", "Tantivy"),
            ("whoosh", "Whoosh"),
        )
        if name in ENGINES
    ]
)

PREFIX = "xinfang_archive.search"


class ISearchSettings(Interface):
    engine = schema.Choice(
        title=_("Search engine"),
        description=_("After a change, rebuild the index (xinfang-archive reindex)."),
        vocabulary=ENGINE_VOCABULARY,
        default="tantivy",
    )
    index_path = schema.TextLine(
        title=_("Index directory"),
        description=_(
            "Leave empty for search-index next to the database (var/search-index)."
        ),
        required=False,
        default="",
    )
    dictionary = schema.List(
        title=_("Domain dictionary"),
        description=_(
            "One word per line: words of petition work that the segmenter must "
            "keep whole (ranking). Changes apply to documents indexed afterwards; "
            "rebuild the index to apply them to all."
        ),
        value_type=schema.TextLine(),
        required=False,
        default=list(DEFAULT_DICTIONARY),
    )


def search_settings():
    from plone.registry.interfaces import IRegistry
    from zope.component import queryUtility

    registry = queryUtility(IRegistry)
    if registry is None:
        return None
    try:
        return registry.forInterface(ISearchSettings, prefix=PREFIX)
    except KeyError:
        return None  # the add-on is not installed in this site
