"""The 信访档案设置 control panel: deadlines, numbering and vocabularies."""

from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from xinfang_archive import _
from xinfang_archive.controlpanel.settings import IArchiveSettings
from xinfang_archive.controlpanel.settings import valid_code_lines
from xinfang_archive.controlpanel.settings import VOCABULARY_FIELDS
from z3c.form import validator
from zope.interface import Invalid
from zope.schema.interfaces import IField

import string


class ArchiveSettingsForm(RegistryEditForm):
    schema = IArchiveSettings
    schema_prefix = "xinfang_archive"
    label = _("Petition archive settings")
    description = _("Statutory deadlines, registration numbers and vocabularies.")


class ArchiveSettingsView(ControlPanelFormWrapper):
    form = ArchiveSettingsForm


def check_registration_format(value):
    """The format must number with {seq} and may use {year}, nothing else."""
    try:
        names = {
            f[1] for f in string.Formatter().parse(value or "") if f[1] is not None
        }
        sample = value.format(year=2024, seq=1)
    except (ValueError, KeyError, IndexError, AttributeError):
        raise Invalid(_("The format is not a valid pattern.")) from None
    if "seq" not in names or not names <= {"year", "seq"} or not sample:
        raise Invalid(
            _("The format must contain {seq} and may contain {year}, nothing else.")
        )


class SettingsValidator(validator.SimpleFieldValidator):
    """Checks the settings that registry fields cannot constrain themselves.

    (Registry fields are persisted, so they carry no constraint functions;
    discriminating on field instances would mark them with interfaces and
    break their persistence, hence one validator dispatching on the name.)
    """

    def validate(self, value):
        super().validate(value)
        name = self.field.__name__
        if name == "registration_number_format":
            check_registration_format(value)
        elif name in VOCABULARY_FIELDS:
            valid_code_lines(value or [])


validator.WidgetValidatorDiscriminators(
    SettingsValidator, view=ArchiveSettingsForm, field=IField
)
