"""The destruction list (销毁清册) of an approved disposition."""

from reportlab.platypus import KeepTogether
from xinfang_archive import _
from xinfang_archive.documents.layout import build_pdf
from xinfang_archive.documents.layout import column_widths
from xinfang_archive.documents.layout import content_width
from xinfang_archive.documents.layout import grid_table
from xinfang_archive.documents.layout import header_row
from xinfang_archive.documents.layout import heading_line
from xinfang_archive.documents.layout import LANDSCAPE
from xinfang_archive.documents.layout import number_text
from xinfang_archive.documents.layout import paragraph
from xinfang_archive.documents.layout import sign_off_table
from xinfang_archive.documents.layout import spacer
from xinfang_archive.documents.layout import title_block
from xinfang_archive.documents.layout import yyyymmdd
from xinfang_archive.i18n import record_text


TITLE = _("Destruction list")
COLUMNS = (
    _("No."),
    _("Archival code"),
    _("Document title"),
    _("Year"),
    _("Retention period"),
    _("Pages"),
    _("Reason for destruction"),
)
WIDTHS_MM = (11, 46, None, 14, 20, 12, 70)
CENTRED = (0, 3, 4, 5)


def destruction_list_pdf(info, rows):
    """The 销毁清册 as an A4 landscape PDF, ready to sign."""
    width = content_width(LANDSCAPE)
    table_rows = [header_row(COLUMNS)] + [_cells(row) for row in rows]
    story = [
        *title_block(
            TITLE,
            heading_line(
                (
                    (_("Fonds code"), info.fonds_code),
                    (_("Fonds name"), info.fonds_name),
                    (_("Appraisal reference"), info.appraisal_reference),
                    (_("Appraised on"), yyyymmdd(info.appraised_on)),
                )
            ),
        ),
        grid_table(
            table_rows,
            column_widths(width, WIDTHS_MM),
            header_rows=1,
            centred_columns=CENTRED,
        ),
        spacer(4),
        KeepTogether([paragraph(_totals(rows)), spacer(3), _sign_off(info, width)]),
    ]
    return build_pdf(story, pagesize=LANDSCAPE, title=record_text(TITLE))


def _cells(row):
    return [
        str(row.number),
        row.archival_code,
        paragraph(row.title),
        str(row.year),
        row.retention,
        number_text(row.pages),
        paragraph(row.reason),
    ]


def _totals(rows):
    pages = sum(row.pages or 0 for row in rows)
    return record_text(
        _(
            "Total: ${items} items, ${pages} pages",
            mapping={"items": len(rows), "pages": pages},
        )
    )


def _sign_off(info, width):
    return sign_off_table(
        (
            (_("Proposed by (appraisal)"), info.proposed_by, info.appraised_on),
            (_("Approved by"), info.approved_by, info.approved_on),
            (_("Supervised by"), info.supervised_by, info.destroyed_on),
            (_("Destroyed by"), info.executed_by, info.destroyed_on),
        ),
        width,
    )
