"""The 归档设置 control panel: fonds and codes, organisation codes, the
retention schedule (validated, and shown as a table under the form)."""

from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.archival.codes import CATEGORY
from xinfang_archive.archival.codes import FONDS
from xinfang_archive.archival.codes import ORGANISATION
from xinfang_archive.archival.retention import KEY_TITLES
from xinfang_archive.archival.retention import known_values
from xinfang_archive.archival.retention import parse_rules
from xinfang_archive.archival.retention import RuleError
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.archival.settings import IFilingSettings
from xinfang_archive.archival.settings import PREFIX
from xinfang_archive.vocabularies.fixed import PERIOD_TITLES
from z3c.form import validator
from zope.i18n import translate
from zope.interface import Invalid
from zope.schema.interfaces import IField


class FilingSettingsForm(RegistryEditForm):
    schema = IFilingSettings
    schema_prefix = PREFIX
    label = _("Filing settings")
    description = _(
        "Fonds and codes of the archival reference code "
        "(全宗号-门类代码·年度-保管期限-机构(问题)代码-件号) and the retention schedule."
    )


class FilingSettingsView(ControlPanelFormWrapper):
    form = FilingSettingsForm
    index = ViewPageTemplateFile("templates/filing_controlpanel.pt")

    def _t(self, message):
        return translate(message, context=self.request)

    def schedule(self):
        """Rows of the saved schedule: conditions in words, period, note."""
        settings = filing_settings()
        try:
            rules = parse_rules(settings.retention_rules or [])
        except RuleError:
            return []
        known = known_values()
        rows = []
        for rule in sorted(rules, key=lambda r: (r.is_default, r.line)):
            if rule.is_default:
                condition = self._t(_("Every other case"))
            else:
                condition = " ∧ ".join(
                    "{}: {}".format(
                        self._t(KEY_TITLES[key]),
                        " / ".join(
                            sorted(
                                self._t(known.get(key, {}).get(v, v)) for v in values
                            )
                        ),
                    )
                    for key, values in rule.terms
                )
            rows.append(
                {
                    "condition": condition,
                    "period": rule.period,
                    "period_title": self._t(PERIOD_TITLES[rule.period]),
                    "note": rule.note,
                }
            )
        return rows


def check_organisation_codes(lines):
    seen = set()
    for line in lines:
        parts = [p.strip() for p in line.split("|")]
        if (
            len(parts) < 2
            or not parts[0]
            or not ORGANISATION.match(parts[1])
            or parts[0] in seen
        ):
            raise Invalid(
                _(
                    "Each line is unit or category code|organisation code|title, the organisation "
                    "code in capital letters and digits, each source once: ${line}",
                    mapping={"line": line},
                )
            )
        seen.add(parts[0])


class FilingSettingsValidator(validator.SimpleFieldValidator):
    """Registry fields carry no constraints: the form checks them here."""

    def validate(self, value):
        super().validate(value)
        name = self.field.__name__
        if name == "fonds_code" and not FONDS.match(value or ""):
            raise Invalid(_("The fonds code is four capital letters or digits."))
        if name == "category_code" and not CATEGORY.match(value or ""):
            raise Invalid(_("The category code is two capital letters."))
        if name == "organisation_codes":
            check_organisation_codes(value or [])
        if name == "retention_rules":
            try:
                parse_rules(value or [], known_values())
            except RuleError as error:
                raise Invalid(
                    _(
                        "Retention schedule, line “${line}”: ${problem}",
                        mapping={"line": error.line, "problem": error.message},
                    )
                ) from None


validator.WidgetValidatorDiscriminators(
    FilingSettingsValidator, view=FilingSettingsForm, field=IField
)
