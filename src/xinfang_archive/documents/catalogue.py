"""The filing catalogue (归档文件目录) of one year/retention/organisation group."""

from io import BytesIO
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.styles import Border
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.styles import Side
from openpyxl.utils import get_column_letter
from xinfang_archive import _
from xinfang_archive.documents.layout import build_pdf
from xinfang_archive.documents.layout import column_widths
from xinfang_archive.documents.layout import content_width
from xinfang_archive.documents.layout import grid_table
from xinfang_archive.documents.layout import header_row
from xinfang_archive.documents.layout import heading_line
from xinfang_archive.documents.layout import labelled
from xinfang_archive.documents.layout import LANDSCAPE
from xinfang_archive.documents.layout import number_text
from xinfang_archive.documents.layout import paragraph
from xinfang_archive.documents.layout import title_block
from xinfang_archive.documents.layout import yyyymmdd
from xinfang_archive.i18n import record_text


TITLE = _("Filing catalogue")
COLUMNS = (
    _("No."),
    _("Archival code"),
    _("Document number"),
    _("Author (responsible)"),
    _("Document title"),
    _("Date"),
    _("Security classification"),
    _("Pages"),
    _("Remarks"),
)
PDF_WIDTHS_MM = (11, 46, 35, 32, None, 20, 14, 11, 26)
XLSX_WIDTHS = (6, 28, 20, 18, 50, 11, 8, 6, 18)
# Columns whose text may be long: wrapped inside their cell.
WRAPPED = frozenset((2, 3, 4, 8))
CENTRED = (0, 5, 6, 7)
DATE_COLUMN = 5


def heading_pairs(heading):
    """``(label, value)`` of the heading: fonds, year, retention, organisation."""
    return (
        (_("Fonds code"), heading.fonds_code),
        (_("Fonds name"), heading.fonds_name),
        (_("Year"), heading.year),
        (_("Retention period"), f"{heading.retention} {heading.retention_title}"),
        (
            _("Organisation (subject)"),
            f"{heading.organisation_code} {heading.organisation_title}",
        ),
    )


def row_values(row):
    """The cells of a row: numbers stay numbers, the date is YYYYMMDD text."""
    return (
        row.number,
        row.archival_code,
        row.document_number,
        row.responsible,
        row.title,
        yyyymmdd(row.date),
        row.classification,
        row.pages,
        row.remarks,
    )


def catalogue_pdf(heading, rows):
    """The catalogue as an A4 landscape PDF."""
    table_rows = [header_row(COLUMNS)] + [_pdf_cells(row) for row in rows]
    widths = column_widths(content_width(LANDSCAPE), PDF_WIDTHS_MM)
    story = [
        *title_block(TITLE, heading_line(heading_pairs(heading))),
        grid_table(table_rows, widths, header_rows=1, centred_columns=CENTRED),
    ]
    return build_pdf(story, pagesize=LANDSCAPE, title=record_text(TITLE))


def _pdf_cells(row):
    # Paragraphs only where text wraps: plain strings are much faster to lay out.
    return [
        paragraph(value) if column in WRAPPED else number_text(value)
        for column, value in enumerate(row_values(row))
    ]


THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
HEADER_ROW = 3
ALIGNMENTS = tuple(
    Alignment(
        vertical="center",
        wrap_text=column in WRAPPED,
        horizontal="center" if column in CENTRED else None,
    )
    for column in range(len(COLUMNS))
)


def catalogue_xlsx(heading, rows):
    """The catalogue as a one-sheet workbook, printed like the PDF."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = record_text(TITLE)[:31]
    _write_title(sheet, heading)
    _write_table(sheet, rows)
    _set_up_printing(sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_title(sheet, heading):
    last = get_column_letter(len(COLUMNS))
    sheet.append([record_text(TITLE)])
    sheet.append(
        ["    ".join(labelled(label, value) for label, value in heading_pairs(heading))]
    )
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.row_dimensions[1].height = 28


def _write_table(sheet, rows):
    sheet.append([record_text(label) for label in COLUMNS])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
        cell.border = BORDER
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        values = zip(row_values(row), ALIGNMENTS, strict=False)
        for column, (value, alignment) in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a title, not a formula openpyxl would store
            cell.border = BORDER
            cell.alignment = alignment
        sheet.cell(row=number, column=DATE_COLUMN + 1).number_format = "@"
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _set_up_printing(sheet):
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = record_text(
        _("Page ${page} of ${pages}", mapping={"page": "&P", "pages": "&N"})
    )
