"""POST @workflow/{transition} on a case, with the reasons when it is refused.

plone.restapi's generic endpoint answers a forbidden transition with
"No workflow provides the '${action_id}' action."  For a case, the
statutory rules say why (window passed, reply missing …) in the user's
language, and transitions that need input (the extension) take it in the
same request.  A refused request changes nothing.
"""

from plone.restapi.deserializer import json_body
from plone.restapi.services.workflow.transition import WorkflowTransition
from Products.CMFCore.utils import getToolByName
from xinfang_archive import _
from xinfang_archive.archival.checks import PROPERTY_TITLES
from xinfang_archive.archival.disposition import (
    transition_problems as appraisal_problems,
)
from xinfang_archive.archival.filing import FilingRefused
from xinfang_archive.archival.filing import TRANSITION as FILE
from xinfang_archive.earlywarning.acknowledge import acknowledgement_problems
from xinfang_archive.earlywarning.acknowledge import prepare
from xinfang_archive.earlywarning.acknowledge import TRANSITION
from xinfang_archive.hearings.rules import transition_problems as minutes_problems
from xinfang_archive.receptions.rules import transition_problems as reception_problems
from xinfang_archive.workflow.inputs import apply_transition_input
from xinfang_archive.workflow.inputs import TransitionInputError
from xinfang_archive.workflow.rules import transition_problems
from xinfang_archive.workflow.titles import state_text
from zope.i18n import translate
from zope.i18nmessageid import Message

import transaction


class CaseWorkflowTransition(WorkflowTransition):
    def _refuse(self, messages, status=400):
        transaction.doom()
        self.request.response.setStatus(status)
        texts = [translate(m, context=self.request) for m in messages]
        return {
            "error": {
                "type": "TransitionRefused",
                "message": " ".join(texts),
                "problems": texts,
            }
        }

    def reply(self):
        if self.transition is None:
            return super().reply()
        wftool = getToolByName(self.context, "portal_workflow")
        (workflow,) = wftool.getWorkflowsFor(self.context) or (None,)
        state = wftool.getInfoFor(self.context, "review_state", None)
        if workflow is None or self.transition not in workflow.transitions:
            return self._refuse(
                [_("Unknown transition: ${t}.", mapping={"t": self.transition})]
            )
        if self.transition not in workflow.states[state].transitions:
            state_title = state_text(state, self.context.portal_type, self.request)
            return self._refuse(
                [
                    _(
                        "error_transition_out_of_order",
                        default="“${transition}” is not possible while the case is “${state}”.",
                        mapping={
                            "transition": translate(
                                Message(
                                    workflow.transitions[self.transition].title,
                                    domain="plone",
                                ),
                                context=self.request,
                            ),
                            "state": state_title,
                        },
                    )
                ]
            )
        try:
            apply_transition_input(
                self.context, self.transition, json_body(self.request)
            )
        except TransitionInputError as error:
            return self._refuse(error.messages)
        problems = transition_problems(self.context, self.transition)
        if problems:
            return self._refuse(problems)
        if self.transition == FILE:
            return self._file()
        return super().reply()

    def _record_title(self, path):
        obj = self.context.unrestrictedTraverse(path, None)
        return f"{obj.Title()} ({path})" if obj is not None else path

    def _file(self):
        """Filing refuses with the four-properties check's problems, each
        prefixed with its property (真实性, 完整性 …)."""
        try:
            return super().reply()
        except FilingRefused as refused:
            return self._refuse(
                [
                    _(
                        "${property}: ${problem}",
                        mapping={
                            "property": PROPERTY_TITLES[p.property],
                            "problem": p.message
                            if not p.path
                            else _(
                                "${record}: ${problem}",
                                mapping={
                                    "record": self._record_title(p.path),
                                    "problem": p.message,
                                },
                            ),
                        },
                    )
                    for p in refused.problems
                ]
            )


class _RuledTransition(WorkflowTransition):
    """A transition refused with its rules' reasons (a 400 naming each
    problem) instead of "no workflow provides the action"."""

    def problems(self):
        """The reasons this transition is refused now (each subclass asks its rules)."""
        return []

    def reply(self):
        if self.transition is not None:
            problems = self.problems()
            if problems:
                transaction.doom()
                self.request.response.setStatus(400)
                texts = [translate(m, context=self.request) for m in problems]
                return {
                    "error": {
                        "type": "TransitionRefused",
                        "message": " ".join(texts),
                        "problems": texts,
                    }
                }
        return super().reply()


class AppraisalWorkflowTransition(_RuledTransition):
    """On an appraisal: four eyes, holds, not due, transfer not available."""

    def problems(self):

        return appraisal_problems(self.context, self.transition)


class MinutesWorkflowTransition(_RuledTransition):
    """On a transcript: publishing needs a public, held hearing and reviewed masks."""

    def problems(self):

        return minutes_problems(self.context, self.transition)


class ReceptionWorkflowTransition(_RuledTransition):
    """On a reception day: published in advance only, held on or after the day."""

    def problems(self):

        return reception_problems(self.context, self.transition)


class WarningWorkflowTransition(_RuledTransition):
    """On a warning: ``acknowledge`` takes the request's ``comment`` as its
    note (required), written with who and when before the transition, as
    the acknowledge form does."""

    def _note(self):
        return json_body(self.request).get("comment", "") or ""

    def problems(self):

        if self.transition != TRANSITION:
            return []
        return acknowledgement_problems(self.context, self._note())

    def reply(self):

        acknowledging = self.transition == TRANSITION and not self.problems()
        if acknowledging:
            prepare(self.context, self._note())
        result = super().reply()
        if acknowledging:
            self.context.reindexObject()  # its note is searchable
        return result
