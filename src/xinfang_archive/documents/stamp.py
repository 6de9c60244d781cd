"""The filing stamp (归档章, DA/T 22-2015) and the stamped renditions of a file."""

from io import BytesIO
from pypdf import PdfReader
from pypdf import PdfWriter
from pypdf import Transformation
from pypdf.generic import DictionaryObject
from pypdf.generic import NameObject
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer
from xinfang_archive import _
from xinfang_archive.documents.fonts import font_name
from xinfang_archive.documents.layout import ArchiveCanvas
from xinfang_archive.documents.layout import build_pdf
from xinfang_archive.documents.layout import content_width
from xinfang_archive.documents.layout import form_table
from xinfang_archive.documents.layout import MARGIN
from xinfang_archive.documents.layout import number_text
from xinfang_archive.documents.layout import PORTRAIT
from xinfang_archive.documents.layout import title_block
from xinfang_archive.documents.layout import yyyymmdd
from xinfang_archive.i18n import record_text


STAMP_WIDTH = 45 * mm
STAMP_HEIGHT = 16 * mm
STAMP_OFFSET = 8 * mm  # from the top and right edges of the page
STAMP_COLOR = colors.HexColor("#c8102e")
LABEL_SIZE = 5.5
VALUE_SIZE = 9
COLUMNS = 3
CELL_PADDING = 1
RESOURCES = "/Resources"


class RenditionError(ValueError):
    """The PDF cannot be stamped; file it with a cover sheet instead."""


def stamp_cells(stamp):
    """``(label, value)`` of the six cells, row by row from the top left."""
    return (
        (_("Fonds code"), stamp.fonds_code),
        (_("Year"), str(stamp.year)),
        (_("Item number"), stamp.item_text),
        (_("Organisation (subject)"), stamp.organisation_code),
        (_("Retention period"), stamp.retention),
        (_("Pages"), number_text(stamp.pages)),
    )


def draw_stamp(canvas, x, y, stamp):
    """Draw the stamp with its lower left corner at ``(x, y)``: 2 × 3 cells."""
    cell_width, cell_height = STAMP_WIDTH / COLUMNS, STAMP_HEIGHT / 2
    canvas.saveState()
    canvas.setStrokeColor(STAMP_COLOR)
    canvas.setFillColor(STAMP_COLOR)
    canvas.setLineWidth(0.8)
    canvas.rect(x, y, STAMP_WIDTH, STAMP_HEIGHT)
    canvas.line(x, y + cell_height, x + STAMP_WIDTH, y + cell_height)
    for column in range(1, COLUMNS):
        canvas.line(
            x + column * cell_width, y, x + column * cell_width, y + STAMP_HEIGHT
        )
    for index, (label, value) in enumerate(stamp_cells(stamp)):
        row, column = divmod(index, COLUMNS)
        centre = x + (column + 0.5) * cell_width
        bottom = y + (1 - row) * cell_height
        _centred(
            canvas,
            record_text(label),
            centre,
            bottom + cell_height - LABEL_SIZE - 1,
            LABEL_SIZE,
            cell_width,
        )
        _centred(canvas, value, centre, bottom + 2, VALUE_SIZE, cell_width)
    canvas.restoreState()


def _centred(canvas, text, centre, baseline, size, cell_width):
    """Text centred in its cell, scaled down if it is wider than the cell."""
    room = cell_width - 2 * CELL_PADDING
    width = stringWidth(text, font_name(), size)
    if width > room:
        size *= room / width
    canvas.setFont(font_name(), size)
    canvas.drawCentredString(centre, baseline, text)


def stamp_position(page_width, page_height):
    """Lower left corner of the stamp in the top right margin of a page."""
    x = max(0, page_width - STAMP_OFFSET - STAMP_WIDTH)
    y = max(0, page_height - STAMP_OFFSET - STAMP_HEIGHT)
    return x, y


def stamped_pdf(original, stamp):
    """An archival rendition: the original PDF with the stamp on its first page.

    The rendition is an incremental update of the original: its first
    ``len(original)`` bytes are the original file, byte for byte, and the
    update only overlays the stamp on page 1.
    """
    reader = _open(original)
    try:
        writer = PdfWriter(reader, incremental=True)
        first = writer.pages[0]
        _own_resources(first)
        overlay, placement = _overlay(first, stamp)
        first.merge_transformed_page(overlay, placement)
        output = BytesIO()
        writer.write(output)
    except Exception as exc:  # pypdf fails in many ways on damaged files
        raise RenditionError(f"The PDF cannot be stamped: {exc}") from exc
    return output.getvalue()


def _open(original):
    try:
        reader = PdfReader(BytesIO(original))
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as exc:  # pypdf fails in many ways on damaged files
        raise RenditionError(f"The file is not a readable PDF: {exc}") from exc
    if encrypted:
        raise RenditionError(
            "The PDF is encrypted (password-protected) and cannot be stamped."
        )
    if not pages:
        raise RenditionError("The PDF has no pages.")
    return reader


def _own_resources(page):
    """Give ``page`` resource dictionaries of its own.

    Merging adds the stamp's font to the page's resources; other pages often
    share them, and must stay as they were.
    """
    own = DictionaryObject()
    for key, value in page.get(RESOURCES, DictionaryObject()).get_object().items():
        value = value.get_object()
        own[key] = (
            DictionaryObject(value) if isinstance(value, DictionaryObject) else value
        )
    page[NameObject(RESOURCES)] = own


def _overlay(page, stamp):
    """A one-page PDF with the stamp, and where it goes on ``page``.

    The overlay is drawn upright on the page as displayed (its crop box, turned
    by the page's /Rotate); the transformation maps it into the page's own,
    unrotated coordinates.
    """
    box, rotation = page.cropbox, page.rotation % 360
    width, height = float(box.width), float(box.height)
    left, bottom = float(box.left), float(box.bottom)
    shown = (height, width) if rotation in (90, 270) else (width, height)
    buffer = BytesIO()
    canvas = ArchiveCanvas(buffer, pagesize=shown)
    draw_stamp(canvas, *stamp_position(*shown), stamp)
    canvas.save()
    overlay = PdfReader(BytesIO(buffer.getvalue())).pages[0]
    # Where the displayed page's lower left corner lies in page coordinates.
    corner = {0: (0, 0), 90: (width, 0), 180: (width, height), 270: (0, height)}
    dx, dy = corner[rotation]
    placement = Transformation().rotate(rotation).translate(left + dx, bottom + dy)
    return overlay, placement


def cover_sheet(stamp, info):
    """An A4 cover sheet with the stamp and the metadata of a filed file."""

    def first_page(canvas, document):
        draw_stamp(canvas, *stamp_position(*PORTRAIT), stamp)

    title = _("Filing cover sheet")
    clear_of_stamp = Spacer(0, STAMP_OFFSET + STAMP_HEIGHT + 6 * mm - MARGIN)
    story = [
        clear_of_stamp,
        *title_block(title),
        form_table(_cover_pairs(info), content_width(PORTRAIT)),
    ]
    return build_pdf(
        story,
        pagesize=PORTRAIT,
        title=record_text(title),
        numbered=False,
        on_first_page=first_page,
    )


def _cover_pairs(info):
    size = record_text(_("${bytes} bytes", mapping={"bytes": f"{info.size:,}"}))
    return (
        (_("Document title"), info.title),
        (_("Archival code"), info.archival_code),
        (_("Author (responsible)"), info.responsible),
        (_("Date"), yyyymmdd(info.date)),
        (_("Document number"), info.document_number),
        (_("Security classification"), info.classification),
        (_("File name"), info.filename),
        (_("Size"), size),
        (_("SHA-256"), info.sha256),
    )
