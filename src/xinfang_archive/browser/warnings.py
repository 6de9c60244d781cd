"""预警 pages: the warnings list (@@warnings, the default view of
/warnings), a warning's page and the acknowledge form (@@acknowledge).

Every list reads the catalog once (filters by state, rule and unit, newest
first, a page at a time); what a user sees is only what they may view.  The
summary is written from codes and counts, the note of an acknowledgement is
free text: shown masked without "View personal data".  A warning's records
are listed only where the user may read them (``earlywarning.records``).
"""

from plone import api
from plone.autoform.form import AutoExtensibleForm
from plone.batching import Batch
from plone.memoize.view import memoize
from plone.protect import CheckAuthenticator
from plone.supermodel import model
from plone.z3cform.layout import wrap_form
from Products.Five.browser import BrowserView
from xinfang_archive import _
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import TEXT_CHARS
from xinfang_archive.earlywarning.acknowledge import acknowledge
from xinfang_archive.earlywarning.acknowledge import may_acknowledge
from xinfang_archive.earlywarning.acknowledge import RAISED
from xinfang_archive.earlywarning.records import records_for_viewer
from xinfang_archive.earlywarning.rules import rule_titles
from xinfang_archive.privacy.masking import text_for_viewer
from xinfang_archive.vocabularies.fixed import WARNING_KINDS
from xinfang_archive.vocabularies.registry import unit_paths
from xinfang_archive.workflow.titles import object_state_text
from xinfang_archive.workflow.titles import state_text
from z3c.form import button
from z3c.form import form
from zExceptions import Unauthorized
from zope import schema
from zope.i18n import translate
from zope.interface import Invalid

import transaction
import urllib.parse


PAGE_SIZE = 30
STATES = ("raised", "acknowledged")


def _t(request, message, domain="xinfang_archive"):
    return translate(message, domain=domain, context=request)


def warning_rows(brains, request, units=None):
    """Rows of a list of warning brains (the dashboard's box and the list)."""
    units = unit_paths() if units is None else units
    return [
        {
            "url": brain.getURL(),
            "title": brain.Title,
            "summary": brain.Description,
            "unit": units.get(brain.warning_unit, brain.warning_unit or ""),
            "state": brain.review_state,
            "state_title": state_text(brain.review_state, "EarlyWarning", request),
            "raised": brain.created.strftime("%Y-%m-%d") if brain.created else "",
        }
        for brain in brains
    ]


class WarningsView(BrowserView):
    """The warnings list: ?state=raised|acknowledged&rule=<id>&unit=<code>&b_start=N."""

    def __call__(self):
        form = self.request.form
        self.state = form.get("state") if form.get("state") in STATES else ""
        self.rules = rule_titles()
        self.rule = form.get("rule") if form.get("rule") in self.rules else ""
        self.units = unit_paths()
        self.unit = form.get("unit") if form.get("unit") in self.units else ""
        return self.index()

    def query(self):
        query = {
            "portal_type": "EarlyWarning",
            "sort_on": "created",
            "sort_order": "descending",
            "path": "/".join(self.context.getPhysicalPath()),
        }
        if self.state:
            query["review_state"] = self.state
        if self.rule:
            query["warning_rule"] = self.rule
        if self.unit:
            query["warning_unit"] = self.unit
        return query

    def batch(self):
        if not hasattr(self, "_batch"):
            try:
                start = max(int(self.request.form.get("b_start") or 0), 0)
            except ValueError:
                start = 0
            brains = api.portal.get_tool("portal_catalog")(
                b_start=start, b_size=PAGE_SIZE, **self.query()
            )
            self._batch = Batch(brains, PAGE_SIZE, start)
        return self._batch

    def rows(self):
        return warning_rows(self.batch(), self.request, self.units)

    def state_options(self):
        return [
            {
                "value": state,
                "title": state_text(state, "EarlyWarning", self.request),
                "selected": state == self.state,
            }
            for state in STATES
        ]

    def rule_options(self):
        return [
            {"value": rule_id, "title": title, "selected": rule_id == self.rule}
            for rule_id, title in self.rules.items()
        ]

    def unit_options(self):
        return [
            {"value": code, "title": title, "selected": code == self.unit}
            for code, title in self.units.items()
        ]

    def _start(self):
        return (self.batch().pagenumber - 1) * PAGE_SIZE

    def previous_url(self):
        return self.page_url(self._start() - PAGE_SIZE) if self._start() > 0 else None

    def next_url(self):
        start = self._start() + PAGE_SIZE
        return self.page_url(start) if start < self.batch().sequence_length else None

    def page_url(self, start):
        params = {
            k: v
            for k, v in (
                ("state", self.state),
                ("rule", self.rule),
                ("unit", self.unit),
            )
            if v
        }
        params["b_start"] = start
        return (
            f"{self.context.absolute_url()}/@@warnings?{urllib.parse.urlencode(params)}"
        )


class WarningPage(BrowserView):
    """A warning's page: its rule, what triggered it (the records the user
    may read), its state and acknowledgement."""

    def t(self, message, domain="xinfang_archive"):
        return _t(self.request, message, domain)

    def kind(self):
        return self.t(
            dict(WARNING_KINDS).get(
                self.context.rule_kind, self.context.rule_kind or ""
            )
        )

    def state(self):
        return object_state_text(self.context, self.request)

    def unit(self):
        return unit_paths().get(self.context.unit, self.context.unit or "")

    def summary(self):
        return text_for_viewer(self.context, self.context.summary)

    @memoize
    def records(self):
        return records_for_viewer(self.context)

    def hidden_records(self):
        """How many of its records the user may not read (they are not named)."""
        return len(self.context.records or ()) - len(self.records())

    def acknowledgement(self):
        if not getattr(self.context, "acknowledged_on", None):
            return None
        return {
            "by": self.context.acknowledged_by,
            "on": self.context.acknowledged_on.strftime("%Y-%m-%d %H:%M"),
            "note": text_for_viewer(self.context, self.context.acknowledgement),
        }

    def may_acknowledge(self):
        return may_acknowledge(self.context)


class IAcknowledge(model.Schema):
    note = schema.Text(
        title=_("Note"),
        description=_("What is known or done about the warning (required)."),
        required=True,
        constraint=at_most(TEXT_CHARS),
    )


class AcknowledgeForm(AutoExtensibleForm, form.Form):
    schema = IAcknowledge
    ignoreContext = True
    label = _("Acknowledge the warning")

    def update(self):
        if api.content.get_state(self.context, default=None) != RAISED:
            # a second head, a double submit, the back button: say so, do nothing
            api.portal.show_message(
                translate(
                    _("This warning has already been acknowledged."),
                    context=self.request,
                ),
                self.request,
                type="warning",
            )
            self.request.response.redirect(self.context.absolute_url())
            return
        if not may_acknowledge(self.context):
            raise Unauthorized("acknowledge")
        super().update()

    def render(self):
        if self.request.response.getStatus() in (301, 302):
            return ""
        return super().render()

    @button.buttonAndHandler(_("Acknowledge"), name="acknowledge")
    def handle_acknowledge(self, action):
        CheckAuthenticator(self.request)
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        try:
            acknowledge(self.context, data.get("note"))
        except Invalid as refused:
            transaction.doom()
            self.status = translate(refused.args[0], context=self.request)
            return
        api.portal.show_message(
            translate(_("The warning was acknowledged."), context=self.request),
            self.request,
        )
        self.request.response.redirect(self.context.absolute_url())

    @button.buttonAndHandler(_("Cancel"), name="cancel")
    def handle_cancel(self, action):
        self.request.response.redirect(self.context.absolute_url())


AcknowledgeView = wrap_form(AcknowledgeForm)
