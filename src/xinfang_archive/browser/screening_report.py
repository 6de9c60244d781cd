"""The page of a screening report (排查报告): the disputes found, or the
zero report, as the reader may see them.

Parties, measures and the matter are free text a unit may have typed an ID
number or phone into: without "View personal data" they are masked
(``privacy.masking``).  Each dispute that became a case shows the case's
number and how its handling stands now, to those who may see the case; the
registrar converts the others (``@@dispute-to-case``).
"""

from plone import api
from Products.Five.browser import BrowserView
from xinfang_archive.content.dispute_link import case_links
from xinfang_archive.content.dispute_link import CONVERTIBLE_STATES
from xinfang_archive.content.dispute_link import dispute_key
from xinfang_archive.permissions import AddPetitionCase
from xinfang_archive.privacy.masking import DISPUTE_TEXT_COLUMNS
from xinfang_archive.privacy.masking import rows_for_viewer
from xinfang_archive.privacy.masking import text_for_viewer
from xinfang_archive.vocabularies.fixed import DISPUTE_STATES
from xinfang_archive.vocabularies.fixed import RISK_GRADES
from xinfang_archive.vocabularies.registry import title_of
from xinfang_archive.workflow.titles import object_state_text
from xinfang_archive.workflow.titles import state_text
from zope.i18n import translate


class ScreeningReportPage(BrowserView):
    def t(self, message, domain="xinfang_archive"):
        return translate(message, domain=domain, context=self.request)

    def unit(self):
        return title_of("units", self.context.unit)

    def state(self):
        return object_state_text(self.context, self.request)

    def notes(self):
        return text_for_viewer(self.context, getattr(self.context, "notes", None))

    def may_convert(self):
        if api.content.get_state(self.context, default=None) not in CONVERTIBLE_STATES:
            return False
        cases = api.portal.get().get("cases")
        return cases is not None and api.user.has_permission(AddPetitionCase, obj=cases)

    def _cases(self, uids):
        """{UID: brain} of the linked cases the user may see."""
        if not uids:
            return {}
        return {
            brain.UID: brain
            for brain in api.content.find(UID=list(uids), portal_type="PetitionCase")
        }

    def disputes(self):
        rows = [row for row in (self.context.disputes or ()) if row]
        links = case_links(self.context)
        cases = self._cases(links.values())
        grades, states = dict(RISK_GRADES), dict(DISPUTE_STATES)
        convert = self.may_convert()
        shown = []
        for row, masked in zip(
            rows,
            rows_for_viewer(self.context, rows, texts=DISPUTE_TEXT_COLUMNS),
            strict=False,
        ):
            key = dispute_key(row)
            brain = cases.get(links.get(key))
            shown.append(
                {
                    **masked,
                    "category": title_of("categories", row.get("category")),
                    "risk_grade": self.t(grades[row["risk_grade"]])
                    if row.get("risk_grade") in grades
                    else "",
                    "state": self.t(states[row["state"]])
                    if row.get("state") in states
                    else "",
                    "deadline": row["deadline"].isoformat()
                    if row.get("deadline")
                    else "",
                    "case": brain
                    and {
                        "url": brain.getURL(),
                        "number": brain.registration_number or brain.Title,
                        "state": state_text(
                            brain.review_state, "PetitionCase", self.request
                        ),
                        "unit": title_of("units", brain.case_unit),
                    },
                    "linked": key in links,
                    "convert_url": (
                        f"{self.context.absolute_url()}/@@dispute-to-case?key={key}"
                        if convert and key not in links
                        else None
                    ),
                }
            )
        return shown
