"""The pages of a hearing and of its transcript, personal data masked for
those without "View personal data" (as in REST): the parties' addresses and
the numbers and addresses said in the turns.  The edit form and the mask
preview keep the original for those who write and review it."""

from plone import api
from plone.memoize.view import memoize
from Products.Five.browser import BrowserView
from xinfang_archive.hearings.masks import mask_inputs
from xinfang_archive.privacy.masking import can_view_personal_data
from xinfang_archive.privacy.masking import rows_for_viewer
from xinfang_archive.privacy.masking import text_for_viewer
from xinfang_archive.vocabularies.fixed import HEARING_ROLES
from xinfang_archive.workflow.titles import object_state_msgid
from zope.i18n import translate


class HearingPage(BrowserView):
    def masked(self):
        return not can_view_personal_data(self.context)

    def parties(self):
        return rows_for_viewer(
            self.context, self.context.parties, addresses_in=("address",)
        )

    def cases(self):
        found = []
        for relation in self.context.cases or ():
            case = relation.to_object
            if case is not None and api.user.has_permission("View", obj=case):
                found.append(
                    {
                        "url": case.absolute_url(),
                        "number": case.registration_number,
                        "title": case.title,
                    }
                )
        return found

    def transcripts(self):
        return [
            o
            for o in self.context.objectValues()
            if o.portal_type == "HearingTranscript"
            and api.user.has_permission("View", obj=o)
        ]

    def state_title(self, obj):
        return object_state_msgid(obj)


class TranscriptPage(BrowserView):
    def masked(self):
        return not can_view_personal_data(self.context)

    @memoize
    def addresses(self):
        """The known addresses (of its hearing's cases and parties), once per page."""
        return mask_inputs(self.context)["addresses"] if self.masked() else ()

    def turns(self):
        rows = rows_for_viewer(
            self.context,
            self.context.turns,
            texts=("text",),
            addresses=self.addresses(),
        )
        roles = dict(HEARING_ROLES)
        for row in rows:
            role = roles.get(row.get("role"))
            row["role_title"] = (
                translate(role, context=self.request) if role else row.get("role") or ""
            )
        return rows

    def free_text(self):
        return text_for_viewer(self.context, self.context.free_text, self.addresses())
