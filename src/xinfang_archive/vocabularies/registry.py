"""Vocabularies read from the archive's registry records.

Each record is a list of ``code|标题`` lines (see
``xinfang_archive.controlpanel.settings``).  A value stored on content that
was later removed from the list still shows, under its code, so that old
records never break.
"""

from plone.registry.interfaces import IRegistry
from zope.component import queryUtility
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


PREFIX = "xinfang_archive"


def registry_lines(name):
    registry = queryUtility(IRegistry)
    if registry is None:
        return []
    return registry.get(f"{PREFIX}.{name}", None) or []


def parse_lines(lines):
    """``[(code, title, extra columns…)]`` from ``code|title|…`` lines."""
    rows = []
    for line in lines:
        parts = [part.strip() for part in line.split("|")]
        if len(parts) >= 2 and parts[0]:
            rows.append(tuple(parts))
    return rows


def titles(name):
    """``{code: title}`` for one registry vocabulary."""
    return {row[0]: row[1] for row in parse_lines(registry_lines(name))}


def title_of(name, code):
    if not code:
        return ""
    return titles(name).get(code, code)


def unit_paths():
    """``{code: "城关镇 / 东村"}``: unit titles with their parents."""
    rows = {row[0]: row for row in parse_lines(registry_lines("units"))}

    def path(code, depth=0):
        row = rows.get(code)
        if row is None or depth > 5:
            return []
        parent = row[2] if len(row) > 2 else ""
        return (path(parent, depth + 1) if parent else []) + [row[1]]

    return {code: " / ".join(path(code)) for code in rows}


def _vocabulary(pairs):
    return SimpleVocabulary(
        [SimpleTerm(value=code, token=code, title=title) for code, title in pairs]
    )


def registry_vocabulary(name):
    @provider(IVocabularyFactory)
    def factory(context=None):
        return _vocabulary(
            (row[0], row[1]) for row in parse_lines(registry_lines(name))
        )

    return factory


@provider(IVocabularyFactory)
def units_vocabulary(context=None):
    return _vocabulary(unit_paths().items())


channels_vocabulary = registry_vocabulary("channels")
categories_vocabulary = registry_vocabulary("categories")
grades_vocabulary = registry_vocabulary("grades")
outcomes_vocabulary = registry_vocabulary("outcomes")
satisfaction_vocabulary = registry_vocabulary("satisfaction_levels")
supervision_methods_vocabulary = registry_vocabulary("supervision_methods")
classifications_vocabulary = registry_vocabulary("classifications")
document_kinds_vocabulary = registry_vocabulary("document_kinds")
