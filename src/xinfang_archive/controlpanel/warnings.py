"""The 预警设置 control panel (@@warning-settings): the rules of early
warning and the sensitive periods.

Every list is checked as it is saved (``earlywarning.rules``): a line that is
not a rule, a number that is not a positive whole number, an unknown
category or unit, a day that is not a day or a period that ends before it
starts, and an id used twice (across the lists too) are refused with a
Chinese message naming the line, and nothing is saved.
"""

from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from xinfang_archive import _
from xinfang_archive.earlywarning import rules as R
from xinfang_archive.earlywarning.settings import IWarningSettings
from xinfang_archive.earlywarning.settings import PREFIX
from z3c.form import validator
from z3c.form.interfaces import IErrorViewSnippet
from zope.component import getMultiAdapter
from zope.interface import Invalid
from zope.schema.interfaces import IField


KIND_OF_FIELD = {name: kind for kind, name in R.FIELDS.items()}


class WarningSettingsForm(RegistryEditForm):
    schema = IWarningSettings
    schema_prefix = PREFIX
    label = _("Early warning settings")
    description = _(
        "The rules that raise early warnings (社会稳定预警) on the dashboard and in the warnings list, "
        "and the sensitive periods (重要会议、重大活动期间)."
    )

    def extractData(self, setErrors=True):
        data, errors = super().extractData(setErrors=setErrors)
        if errors:
            return data, errors
        try:
            R.parse_all(data)
        except R.RuleError as error:
            name = next(
                (
                    name
                    for name in (*R.FIELDS.values(), R.PERIODS_FIELD)
                    if error.line in (data.get(name) or ())
                ),
                R.FIELDS[R.COLLECTIVE],
            )
            errors = (*errors, self._error(name, Invalid(error.message), setErrors))
        return data, errors

    def _error(self, name, error, set_error):
        widget = self.widgets[name]
        view = getMultiAdapter(
            (error, self.request, widget, widget.field, self, self.context),
            IErrorViewSnippet,
        )
        view.update()
        if set_error:
            widget.error = view
        return view


class WarningSettingsView(ControlPanelFormWrapper):
    form = WarningSettingsForm


class WarningSettingsValidator(validator.SimpleFieldValidator):
    """Registry fields carry no constraints: the form checks each list here."""

    def validate(self, value):
        super().validate(value)
        name = self.field.__name__
        try:
            if name in KIND_OF_FIELD:
                R.parse_kind(KIND_OF_FIELD[name], value or [], R.known_codes())
            elif name == R.PERIODS_FIELD:
                R.parse_periods(value or [])
        except R.RuleError as error:
            raise Invalid(error.message) from None


validator.WidgetValidatorDiscriminators(
    WarningSettingsValidator, view=WarningSettingsForm, field=IField
)
