"""@@amend: the amendment form of a filed record (case or document).

The object's own schema (the fields the user may write, as autoform decides
from the schema's permissions) plus a required reason.  Saving calls
``archival.amend.amend`` with the fields that changed; a refused amendment
changes nothing and shows why.
"""

from plone import api
from plone.autoform.form import AutoExtensibleForm
from plone.dexterity.interfaces import IDexterityFTI
from plone.supermodel import model
from plone.z3cform.layout import wrap_form
from xinfang_archive import _
from xinfang_archive.archival.amend import amend
from xinfang_archive.archival.amend import AmendmentRefused
from xinfang_archive.archival.amend import PERSONAL_FIELDS
from xinfang_archive.archival.manifest import _plain
from xinfang_archive.privacy.masking import can_view_personal_data
from z3c.form import button
from z3c.form import form
from z3c.form.interfaces import NOT_CHANGED
from zope import schema
from zope.component import getUtility
from zope.i18n import translate

import transaction


class IAmendment(model.Schema):
    amendment_reason = schema.Text(
        title=_("Reason for the amendment"),
        description=_(
            "Recorded with the values before and after, in the version history and the audit trail."
        ),
        required=True,
    )


class AmendForm(AutoExtensibleForm, form.Form):
    ignoreContext = False
    label = _("Amend a filed record")

    @property
    def schema(self):
        return getUtility(IDexterityFTI, name=self.context.portal_type).lookupSchema()

    additionalSchemata = (IAmendment,)

    def updateFields(self):
        super().updateFields()
        for name in list(self.fields):
            if name.endswith("amendment_reason"):
                self.fields[name].ignoreContext = True
        if not can_view_personal_data(self.context):
            # the form would show them unmasked: only who may read them amends them
            self.fields = self.fields.omit(*PERSONAL_FIELDS)

    @button.buttonAndHandler(_("Save the amendment"), name="save")
    def handle_save(self, action):
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        # additional schemata's fields are keyed by their prefixed name
        reason = data.pop("IAmendment.amendment_reason", None) or data.pop(
            "amendment_reason", ""
        )
        changes = {
            name: value
            for name, value in data.items()
            if value is not NOT_CHANGED
            and _plain(getattr(self.context, name, None)) != _plain(value)
        }
        try:
            amend(self.context, changes, reason)
        except AmendmentRefused as refused:
            transaction.doom()
            self.status = translate(refused.message, context=self.request)
            return
        api.portal.show_message(
            translate(_("The amendment was recorded."), context=self.request),
            self.request,
        )
        self.request.response.redirect(self.context.absolute_url())

    @button.buttonAndHandler(_("Cancel"), name="cancel")
    def handle_cancel(self, action):
        self.request.response.redirect(self.context.absolute_url())


AmendView = wrap_form(AmendForm)
