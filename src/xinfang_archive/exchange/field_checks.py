"""A record's field values against its content schema and the site's
vocabularies, validated as the forms would, with each error as the Chinese
text an operator can act on."""

from plone.dexterity.interfaces import IDexterityFTI
from xinfang_archive import _
from xinfang_archive.exchange.fields import kind_of
from xinfang_archive.exchange.fields import REFS
from xinfang_archive.exchange.fields import ROWS
from xinfang_archive.exchange.reader import schema_fields
from xinfang_archive.i18n import record_text
from zope.component import getUtility
from zope.interface import Invalid
from zope.schema import getFieldsInOrder
from zope.schema import getValidationErrors
from zope.schema import ValidationError
from zope.schema._bootstrapinterfaces import OutOfBounds
from zope.schema._bootstrapinterfaces import TooLong
from zope.schema._bootstrapinterfaces import TooShort
from zope.schema.interfaces import ConstraintNotSatisfied
from zope.schema.interfaces import RequiredMissing
from zope.schema.interfaces import WrongContainedType
from zope.schema.interfaces import WrongType


def field_problems(site, item, path):
    """The problems of ``item``'s values (relations are checked apart:
    they may name records still to come)."""
    fields = schema_fields(item.kind.portal_type)
    values = {
        name: _complete_rows(fields[name], value)
        for name, value in item.values.items()
        if kind_of(fields[name]) != REFS
    }
    probe = _Probe(site, fields, values)
    iface = _schema(item.kind.portal_type)
    problems = []
    where = f"{item.kind.element} {path or item.identifier}"
    for name, error in getValidationErrors(iface, probe):
        if name is not None and name in fields and kind_of(fields[name]) == REFS:
            continue
        title = record_text(fields[name].title) if name in fields else ""
        detail = _error_text(error)
        problems.append(f"{where}：{title or name or '不变式'}：{detail}")
    return problems


def _complete_rows(field, value):
    """Rows with every sub-field, for validation only: a row that lacks a
    key is stored as given (that is how it was filed), but validated as the
    form would have seen it."""
    if kind_of(field) != ROWS or not value:
        return value
    row_fields = getFieldsInOrder(field.value_type.schema)
    return [
        dict({name: sub.default for name, sub in row_fields}, **row) for row in value
    ]


def _schema(portal_type):
    return getUtility(IDexterityFTI, name=portal_type).lookupSchema()


class _Probe:
    """Stands for the record while its values are validated: fields read
    their values from here, vocabularies see the site as context."""

    def __init__(self, site, fields, values):
        self.__dict__.update(dict.fromkeys(fields))
        self.__dict__.update(values)
        self._site = site


def _error_text(error):
    """A validation error as the Chinese text an operator can act on."""
    if isinstance(error, RequiredMissing):
        return record_text(_("required, but missing"))
    if isinstance(error, WrongContainedType):
        inner = error.errors or []
        return "；".join(_error_text(e) for e in inner) or record_text(
            _("an item is not valid")
        )
    if (
        isinstance(error, ConstraintNotSatisfied)
        and type(error) is ConstraintNotSatisfied
    ):
        return record_text(
            _("${value} is not an allowed value", mapping={"value": error.value})
        )
    if isinstance(error, (OutOfBounds, TooLong, TooShort)):
        return record_text(
            _("${value} is out of the allowed range", mapping={"value": error.value})
        )
    if isinstance(error, WrongType):
        return record_text(
            _("${value} is of the wrong type", mapping={"value": error.value})
        )
    if (
        isinstance(error, ValidationError)
        and type(error).__doc__
        and type(error).__module__.startswith("xinfang_archive")
    ):
        return record_text(error.doc())
    if isinstance(error, Invalid) and error.args and not isinstance(error.args[0], str):
        return record_text(error.args[0])
    return str(error.args[0]) if error.args else type(error).__name__
