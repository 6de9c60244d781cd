"""@@case-transition: perform one transition of a case from the web UI.

GET shows the transition with its reasons to refuse and, for the extension,
its input fields; POST (CSRF-protected) applies the input and the transition
in one transaction, or changes nothing and shows why.
"""

from plone import api
from plone.protect import CheckAuthenticator
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.content.case import IPetitionCaseSchema
from xinfang_archive.workflow.inputs import apply_transition_input
from xinfang_archive.workflow.inputs import CHOICES
from xinfang_archive.workflow.inputs import input_fields
from xinfang_archive.workflow.inputs import TransitionInputError
from xinfang_archive.workflow.rules import transition_problems
from zope.component import getUtility
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.schema.interfaces import IVocabularyFactory

import transaction


class CaseTransitionView(BrowserView):
    template = ViewPageTemplateFile("templates/case_transition.pt")

    def __call__(self):
        self.errors = []
        self.transition_id = self.request.form.get("transition", "")
        workflow = api.portal.get_tool("portal_workflow").getWorkflowsFor(self.context)[
            0
        ]
        self.transition = workflow.transitions.get(self.transition_id)
        if self.transition is None:
            self.errors = [
                self._t(
                    _("Unknown transition: ${t}.", mapping={"t": self.transition_id})
                )
            ]
            return self.template()
        if self.request.method == "POST" and self.request.form.get("form.submitted"):
            CheckAuthenticator(self.request)
            if self._perform():
                return self.request.response.redirect(self.context.absolute_url())
        return self.template()

    def _t(self, message):
        return translate(message, context=self.request)

    def title(self):
        return (
            self._t(Message(self.transition.title, domain="plone"))
            if self.transition
            else ""
        )

    def inputs(self):
        return input_fields(self.transition_id)

    def choices(self):
        """Select inputs of the transition (unit and handler for "assign")."""

        result = []
        for name in self.inputs():
            if name not in CHOICES:
                continue
            vocabulary = getUtility(IVocabularyFactory, CHOICES[name])(self.context)
            result.append(
                {
                    "name": name,
                    "label": self._t(IPetitionCaseSchema[name].title),
                    "current": self.value(name),
                    "terms": [{"value": t.value, "title": t.title} for t in vocabulary],
                }
            )
        return result

    def value(self, name):
        return self.request.form.get(name, getattr(self.context, name, None) or "")

    def problems(self):
        if self.transition is None:
            return []
        return [
            self._t(p) for p in transition_problems(self.context, self.transition_id)
        ]

    def _perform(self):
        form = self.request.form
        try:
            apply_transition_input(
                self.context,
                self.transition_id,
                {k: form[k] for k in self.inputs() if k in form},
            )
            problems = transition_problems(self.context, self.transition_id)
            if problems:
                raise TransitionInputError(problems)
            api.portal.get_tool("portal_workflow").doActionFor(
                self.context, self.transition_id, comment=form.get("comment", "")
            )
        except TransitionInputError as error:
            transaction.doom()
            self.errors = [self._t(m) for m in error.messages]
            return False
        except WorkflowException as error:
            transaction.doom()
            self.errors = [self._t(Message(str(error), domain="plone"))]
            return False
        api.portal.show_message(
            self._t(_("Done: ${title}.", mapping={"title": self.title()})),
            request=self.request,
        )
        return True
