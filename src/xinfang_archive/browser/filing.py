"""Filing pages: one case (@@file-case) and a batch (@@batch-filing).

GET shows the four-properties check and what filing would assign; POST
(CSRF-protected) files.  A refused filing changes nothing and lists the
problems by property.
"""

from datetime import date
from plone import api
from plone.protect import CheckAuthenticator
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.archival.checks import PROPERTY_TITLES
from xinfang_archive.archival.filing import file_cases
from xinfang_archive.archival.filing import FilingRefused
from xinfang_archive.archival.filing import make_plan
from xinfang_archive.archival.filing import TRANSITION
from xinfang_archive.localtime import local_today
from xinfang_archive.vocabularies.fixed import PERIOD_TITLES
from xinfang_archive.vocabularies.registry import titles
from xinfang_archive.vocabularies.registry import unit_paths
from zope.i18n import translate

import transaction


def problem_rows(problems, request, case=None):
    """Problems as dicts with the property's title and the record's title."""
    rows = []
    for problem in problems:
        record = ""
        if problem.path and case is not None:
            obj = case.unrestrictedTraverse(problem.path, None)
            record = obj.Title() if obj is not None else problem.path
        rows.append(
            {
                "property": translate(
                    PROPERTY_TITLES[problem.property], context=request
                ),
                "message": translate(problem.message, context=request),
                "record": record,
            }
        )
    return rows


class FileCaseView(BrowserView):
    template = ViewPageTemplateFile("templates/file_case.pt")

    def __call__(self):
        self.errors = []
        if self.request.method == "POST" and self.request.form.get("form.submitted"):
            CheckAuthenticator(self.request)
            try:
                api.content.transition(obj=self.context, transition=TRANSITION)
            except FilingRefused as refused:
                transaction.doom()
                self.plan_problems = refused.problems
            except (WorkflowException, api.exc.InvalidParameterError):
                transaction.doom()
                self.errors = [self._t(_("You may not file this case."))]
            else:
                api.portal.show_message(
                    self._t(
                        _(
                            "Filed under ${code}.",
                            mapping={"code": self.context.archival_code},
                        )
                    ),
                    self.request,
                )
                return self.request.response.redirect(self.context.absolute_url())
        self.plan = make_plan(self.context)
        if not hasattr(self, "plan_problems"):
            self.plan_problems = self.plan.problems
        return self.template()

    def _t(self, message):
        return translate(message, context=self.request)

    def problems(self):
        return problem_rows(self.plan_problems, self.request, self.context)

    def may_file(self):
        wftool = api.portal.get_tool("portal_workflow")
        return any(
            a["id"] == TRANSITION for a in wftool.listActionInfos(object=self.context)
        )

    def summary(self):
        plan = self.plan
        files = [e for e in plan.manifest if e["field"] != "metadata"]
        return {
            "code": plan.preview_code,
            "period": plan.period,
            "period_title": self._t(PERIOD_TITLES[plan.period]) if plan.period else "",
            "rules": plan.rules,
            "organisation": plan.organisation_title,
            "files": files,
            "records": sum(1 for e in plan.manifest if e["field"] == "metadata"),
        }


class BatchFilingView(BrowserView):
    """Closed cases by year, unit and category; file those selected."""

    template = ViewPageTemplateFile("templates/batch_filing.pt")
    limit = 1000

    def __call__(self):
        self.result = None
        form = self.request.form
        if self.request.method == "POST" and form.get("form.submitted"):
            CheckAuthenticator(self.request)
            uids = form.get("uids") or []
            cases = (
                [b._unrestrictedGetObject() for b in self._closed(UID=uids)]
                if uids
                else []
            )
            self.result = file_cases(cases)
        return self.template()

    def _t(self, message):
        return translate(message, context=self.request)

    def filters(self):
        form = self.request.form
        return {
            "year": form.get("year", ""),
            "unit": form.get("unit", ""),
            "category": form.get("category", ""),
        }

    def choices(self):
        this_year = local_today().year
        return {
            "years": [str(y) for y in range(this_year, this_year - 30, -1)],
            "units": sorted(unit_paths().items(), key=lambda kv: kv[1]),
            "categories": sorted(titles("categories").items()),
        }

    def _closed(self, **extra):
        query = {
            "portal_type": "PetitionCase",
            "review_state": "closed",
            "sort_on": "closed_on",
            "path": "/".join(self.context.getPhysicalPath()),
        }
        filters = self.filters()
        if filters["year"].isdigit():
            year = int(filters["year"])
            query["closed_on"] = {
                "query": [date(year, 1, 1), date(year, 12, 31)],
                "range": "min:max",
            }
        if filters["unit"]:
            query["case_unit"] = filters["unit"]
        if filters["category"]:
            query["case_category"] = filters["category"]
        query.update(extra)
        return api.portal.get_tool("portal_catalog")(**query)

    def candidates(self):
        units = unit_paths()
        categories = titles("categories")
        return [
            {
                "uid": b.UID,
                "url": b.getURL(),
                "number": b.registration_number,
                "title": b.Title,
                "closed": b.closed_on,
                "unit": units.get(b.case_unit, b.case_unit or ""),
                "category": categories.get(b.case_category, b.case_category or ""),
            }
            for b in self._closed()[: self.limit]
        ]

    def filed(self):
        return (
            [
                {"url": case.absolute_url(), "code": code, "title": case.Title()}
                for case, code in self.result.filed
            ]
            if self.result
            else []
        )

    def refused(self):
        if not self.result:
            return []
        return [
            {
                "url": case.absolute_url(),
                "title": case.Title(),
                "number": case.registration_number,
                "problems": problem_rows(problems, self.request, case),
            }
            for case, problems in self.result.refused
        ]
