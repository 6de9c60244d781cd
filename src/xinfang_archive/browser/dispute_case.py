"""@@dispute-to-case: a screened dispute becomes a case in one step.

The form opens filled from the dispute (matter, category, number of people,
the unit, the risk grade as the case's grade); the registrar adds what a
case needs that a screening row does not hold (the petitioner's name as
registered, the channel, the received date) and saves: the case is
registered in /cases and linked to the dispute both ways
(``content.dispute_link``).  A dispute already converted, or a report not
yet submitted, is refused with the reason and nothing is saved.
"""

from plone import api
from plone.autoform.form import AutoExtensibleForm
from plone.protect import CheckAuthenticator
from plone.supermodel import model
from plone.z3cform.layout import wrap_form
from xinfang_archive import _
from xinfang_archive.content.dispute_link import check_convertible
from xinfang_archive.content.dispute_link import dispute_of
from xinfang_archive.content.dispute_link import link
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import NAME_CHARS
from xinfang_archive.content.validators import not_in_future
from xinfang_archive.content.validators import TEXT_CHARS
from xinfang_archive.content.validators import TITLE_CHARS
from xinfang_archive.content.validators import valid_phone
from xinfang_archive.i18n import record_text
from xinfang_archive.localtime import local_today
from xinfang_archive.permissions import AddPetitionCase
from z3c.form import button
from z3c.form import form
from zExceptions import Unauthorized
from zope import schema
from zope.i18n import translate
from zope.interface import Invalid

import transaction


CASES_ID = "cases"
DEFAULT_CHANNEL = "outreach"  # 下访/约访: the bureau went to the dispute


class IDisputeCase(model.Schema):
    key = schema.ASCIILine(title=_("Dispute"), required=True)
    title = schema.TextLine(
        title=_("Subject"), required=True, constraint=at_most(TITLE_CHARS)
    )
    petitioner_name = schema.TextLine(
        title=_("Petitioner"),
        description=_(
            "The name to register; the screening's parties are shown in the summary."
        ),
        required=True,
        constraint=at_most(NAME_CHARS),
    )
    petitioner_phone = schema.TextLine(
        title=_("Phone"), required=False, constraint=valid_phone
    )
    channel = schema.Choice(
        title=_("Channel"), vocabulary="xinfang_archive.channels", required=True
    )
    received_date = schema.Date(
        title=_("Received date"), required=True, constraint=not_in_future
    )
    people_count = schema.Int(
        title=_("Number of people"), required=True, min=1, max=100000
    )
    category = schema.Choice(
        title=_("Category"), vocabulary="xinfang_archive.categories", required=True
    )
    grade = schema.Choice(
        title=_("Grade"), vocabulary="xinfang_archive.grades", required=True
    )
    responsible_unit = schema.Choice(
        title=_("Responsible unit"), vocabulary="xinfang_archive.units", required=False
    )
    summary = schema.Text(
        title=_("Summary of the matter"), required=True, constraint=at_most(TEXT_CHARS)
    )


def summary_of(report, row):
    """The case's summary, in the record's language (it is kept, not shown)."""
    parts = [
        row.get("matter") or "",
        record_text(
            _("Parties: ${parties}", mapping={"parties": row.get("parties") or ""})
        ),
        record_text(_("Measures: ${measures}", mapping={"measures": row["measures"]}))
        if row.get("measures")
        else "",
        record_text(
            _(
                "Found by the dispute screening: ${report}",
                mapping={"report": report.Title()},
            )
        ),
    ]
    return "\n".join(part for part in parts if part)


class DisputeCaseForm(AutoExtensibleForm, form.Form):
    schema = IDisputeCase
    ignoreContext = True
    label = _("Register the dispute as a case")

    def update(self):
        self.cases = api.portal.get()[CASES_ID]
        if not api.user.has_permission(AddPetitionCase, obj=self.cases):
            raise Unauthorized("dispute-to-case")
        super().update()

    def updateWidgets(self):
        super().updateWidgets()
        self.widgets["key"].mode = "hidden"
        if self.request.method == "GET":
            self._prefill(self.request.form.get("key") or "")

    def _prefill(self, key):
        row = dispute_of(self.context, key)
        if row is None:
            self.status = translate(
                _(
                    "This dispute is not in the screening report (it may have been changed)."
                ),
                context=self.request,
            )
            return
        values = {
            "key": key,
            "title": row.get("matter") or "",
            "people_count": str(row.get("people_count") or 1),
            "summary": summary_of(self.context, row),
            "received_date": local_today().isoformat(),
        }
        for name, value in values.items():
            self.widgets[name].value = value
        for name, value in (
            ("category", row.get("category")),
            ("grade", row.get("risk_grade")),
            ("channel", DEFAULT_CHANNEL),
            ("responsible_unit", self.context.unit),
        ):
            if value:
                self.widgets[name].value = [value]

    @button.buttonAndHandler(_("Register the case"), name="register")
    def handle_register(self, action):
        CheckAuthenticator(self.request)
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        try:
            check_convertible(self.context, data["key"])
            case = api.content.create(
                container=self.cases,
                type="PetitionCase",
                title=data["title"],
                channel=data["channel"],
                received_date=data["received_date"],
                petitioners=[
                    {
                        "name": data["petitioner_name"],
                        "phone": data.get("petitioner_phone"),
                        "id_number": None,
                        "address": None,
                        "representative": False,
                    }
                ],
                people_count=data["people_count"],
                category=data["category"],
                grade=data["grade"],
                flags=set(),
                responsible_unit=data.get("responsible_unit"),
                summary=data["summary"],
            )
            link(self.context, data["key"], case)
        except Invalid as refused:
            transaction.doom()
            self.status = translate(refused.args[0], context=self.request)
            return
        api.portal.show_message(
            translate(_("The dispute was registered as a case."), context=self.request),
            self.request,
        )
        self.request.response.redirect(case.absolute_url())

    @button.buttonAndHandler(_("Cancel"), name="cancel")
    def handle_cancel(self, action):
        self.request.response.redirect(self.context.absolute_url())


DisputeCaseView = wrap_form(DisputeCaseForm)
