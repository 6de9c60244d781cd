"""Registry records of hearings: how the published minutes mask names."""

from plone import api
from xinfang_archive import _
from zope import schema
from zope.interface import Interface
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


PREFIX = "xinfang_archive.hearings"

NAME_MASK_STYLES = SimpleVocabulary(
    [
        SimpleTerm("surname", "surname", _("Surname and 某 (张某)")),
        SimpleTerm("full", "full", _("某某 for the whole name")),
    ]
)


class IHearingSettings(Interface):
    name_mask_style = schema.Choice(
        title=_("How names are masked in published minutes"),
        vocabulary=NAME_MASK_STYLES,
        default="surname",
        required=True,
    )
    suggest_names = schema.Bool(
        title=_("Suggest further names to mask"),
        description=_(
            "Person names recognised in the text, other than the parties and officials "
            "of the hearing, are proposed as masks in the preview."
        ),
        default=True,
        required=False,
    )


def hearing_settings():
    """(name mask style, suggest names), with the defaults when a record is missing."""
    style = api.portal.get_registry_record(
        f"{PREFIX}.name_mask_style", default="surname"
    )
    suggest = api.portal.get_registry_record(f"{PREFIX}.suggest_names", default=True)
    return style or "surname", bool(suggest)
