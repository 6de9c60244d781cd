"""Field deserializers that answer wrong JSON types with a 400, not a 500.

plone.restapi turns a field deserializer's ``ValueError`` into a 400 naming
the field; its own deserializers let a list given for a choice (``TypeError:
unhashable``) or a string given for a table row (``AttributeError``) escape
as a 500.  These, registered for the archive's browser layer, check the
shape first and then do what plone.restapi's do.
"""

from collective.z3cform.datagridfield.deserializer import DatagridRowDeserializer
from collective.z3cform.datagridfield.interfaces import IRow
from plone.dexterity.interfaces import IDexterityContent
from plone.restapi.deserializer.dxfields import ChoiceFieldDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from xinfang_archive import _
from xinfang_archive.interfaces import IXinfangArchiveLayer
from zope.component import adapter
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import implementer
from zope.schema.interfaces import IChoice


def _refused(message, request, field):
    """A ValueError with ``message`` (naming ``${field}``) in the user's language."""
    named = Message(message, mapping={"field": translate(field.title, context=request)})
    return ValueError(translate(named, context=request))


@implementer(IFieldDeserializer)
@adapter(IChoice, IDexterityContent, IXinfangArchiveLayer)
class OneChoiceDeserializer(ChoiceFieldDeserializer):
    def __call__(self, value):
        if isinstance(value, dict) and "token" in value:
            value = value["token"]
        if isinstance(value, (list, tuple, set, dict)):
            raise _refused(
                _("${field}: one value (a code) is expected, not a list or an object."),
                self.request,
                self.field,
            )
        return super().__call__(value)


@implementer(IFieldDeserializer)
@adapter(IRow, IDexterityContent, IXinfangArchiveLayer)
class RowDeserializer(DatagridRowDeserializer):
    def __call__(self, row):
        if not isinstance(row, dict):
            raise _refused(
                _("${field}: each row is an object of named values."),
                self.request,
                self.field,
            )
        return super().__call__(row)
