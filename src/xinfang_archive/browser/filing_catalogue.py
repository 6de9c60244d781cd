"""@@filing-catalogue on the case folder (archivists): the 归档文件目录 of
one numbering group as PDF or XLSX, one row per item (件: a filed case);
without a (valid) group, a page listing the groups with their downloads.

The catalogue describes each item as filed (all its records: page total and
highest classification, no document titles), so that it is the same whoever
prints it.  Every download is recorded in the audit trail (``export``).
"""

from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from xinfang_archive import _
from xinfang_archive.archival.catalogue import catalogue_row
from xinfang_archive.archival.catalogue import organisation_titles
from xinfang_archive.archival.codes import ORGANISATION
from xinfang_archive.archival.codes import parse
from xinfang_archive.archival.info import is_filed
from xinfang_archive.archival.retention import rank
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.archival.states import FILED_STATES
from xinfang_archive.audit.recorder import record
from xinfang_archive.browser.downloads import PDF_TYPE
from xinfang_archive.browser.downloads import send
from xinfang_archive.browser.downloads import XLSX_TYPE
from xinfang_archive.documents import catalogue
from xinfang_archive.documents.catalogue import catalogue_pdf
from xinfang_archive.documents.catalogue import catalogue_xlsx
from xinfang_archive.documents.records import CatalogueHeading
from xinfang_archive.i18n import record_text
from xinfang_archive.vocabularies.fixed import PERIOD_TITLES
from zope.i18n import translate

import re


FORMATS = {"pdf": (PDF_TYPE, catalogue_pdf), "xlsx": (XLSX_TYPE, catalogue_xlsx)}
YEAR = re.compile(r"^\d{4}$")


class FilingCatalogueView(BrowserView):
    """@@filing-catalogue?year=2024&period=D30&organisation=JSJ&format=pdf|xlsx"""

    template = ViewPageTemplateFile("templates/filing_catalogue.pt")

    def __call__(self):
        self.notice = ""
        params = self.parameters()
        fmt = (self.request.form.get("format") or "").strip().lower()
        if params is not None:
            cases = self.cases(**params)
            if cases and fmt in FORMATS:
                return self.download(params, cases, fmt)
            if not cases:
                self.notice = translate(
                    _(
                        "No filed item in the group ${year}-${period}-${organisation}: "
                        "choose one of the groups below.",
                        mapping=params,
                    ),
                    context=self.request,
                )
        return self.template()

    def parameters(self):
        """``{year, period, organisation}`` of the query, None if any is missing or bad."""
        form = self.request.form
        year, period, organisation = (
            str(form.get(name) or "").strip()
            for name in ("year", "period", "organisation")
        )
        if not (
            YEAR.match(year)
            and period in PERIOD_TITLES
            and ORGANISATION.match(organisation)
        ):
            return None
        return {"year": int(year), "period": period, "organisation": organisation}

    def _catalog(self, **query):
        return api.portal.get_tool("portal_catalog")(
            portal_type="PetitionCase", review_state=FILED_STATES, **query
        )

    def cases(self, year, period, organisation):
        """The filed cases of the group, by item number."""
        cases = [
            brain.getObject()
            for brain in self._catalog(
                filing_year=year,
                retention_period=period,
                organisation_code=organisation,
            )
        ]
        cases = [case for case in cases if is_filed(case)]
        return sorted(cases, key=lambda case: (case.fonds_code, case.item_number))

    def heading(self, params, cases):
        settings = filing_settings()
        fonds = sorted({case.fonds_code for case in cases})
        organisation = params["organisation"]
        title = next(
            (
                case.organisation_title
                for case in cases
                if getattr(case, "organisation_title", None)
            ),
            None,
        ) or organisation_titles().get(organisation, organisation)
        return CatalogueHeading(
            fonds_code="、".join(fonds) or getattr(settings, "fonds_code", ""),
            fonds_name=getattr(settings, "fonds_name", "") or "",
            year=params["year"],
            retention=params["period"],
            retention_title=translate(
                PERIOD_TITLES[params["period"]], context=self.request
            ),
            organisation_code=organisation,
            organisation_title=title,
        )

    def download(self, params, cases, fmt):
        content_type, render = FORMATS[fmt]
        rows = [catalogue_row(case) for case in cases]
        data = render(self.heading(params, cases), rows)
        group = f"{params['year']}-{params['period']}-{params['organisation']}"
        record(
            "export",
            self.context,
            details={
                "what": "filing-catalogue",
                "format": fmt,
                "year": params["year"],
                "period": params["period"],
                "organisation": params["organisation"],
                "items": len(rows),
                "first": rows[0].archival_code,
                "last": rows[-1].archival_code,
            },
        )
        return send(
            self.request,
            data,
            content_type,
            f"{record_text(catalogue.TITLE)}-{group}.{fmt}",
            f"filing-catalogue-{group}.{fmt}",
        )

    def groups(self):
        """The numbering groups with filed items: key, year, period, organisation,
        their titles, the number of items and the download links."""
        counts = {}
        for brain in self._catalog():
            code = parse(getattr(brain, "archival_code", None) or "")
            if code is not None:
                counts[code.group] = counts.get(code.group, 0) + 1
        organisations = organisation_titles()
        base = f"{self.context.absolute_url()}/@@filing-catalogue"
        result = []
        for group, count in sorted(
            counts.items(),
            key=lambda kv: (
                -kv[0].year,
                -rank(kv[0].period),
                kv[0].organisation,
                kv[0].fonds,
            ),
        ):
            query = {
                "year": group.year,
                "period": group.period,
                "organisation": group.organisation,
            }
            result.append(
                {
                    "key": group.key,
                    "year": group.year,
                    "period": group.period,
                    "period_title": translate(
                        PERIOD_TITLES[group.period], context=self.request
                    ),
                    "organisation": group.organisation,
                    "organisation_title": organisations.get(group.organisation, ""),
                    "count": count,
                    "pdf": f"{base}?{urlencode(dict(query, format='pdf'))}",
                    "xlsx": f"{base}?{urlencode(dict(query, format='xlsx'))}",
                }
            )
        return result
