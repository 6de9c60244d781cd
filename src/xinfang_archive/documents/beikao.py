"""The record note sheet (备考表) of one item."""

from reportlab.lib import colors
from reportlab.lib.units import mm
from xinfang_archive import _
from xinfang_archive.documents.layout import build_pdf
from xinfang_archive.documents.layout import content_width
from xinfang_archive.documents.layout import form_table
from xinfang_archive.documents.layout import grid_table
from xinfang_archive.documents.layout import paragraph
from xinfang_archive.documents.layout import PORTRAIT
from xinfang_archive.documents.layout import RULE_COLOR
from xinfang_archive.documents.layout import sign_off_table
from xinfang_archive.documents.layout import spacer
from xinfang_archive.documents.layout import title_block
from xinfang_archive.documents.layout import yyyymmdd
from xinfang_archive.i18n import record_text


TITLE = _("Record note")
# Ruled lines of the notes box, as on the paper form: room for handwritten notes.
MIN_NOTE_LINES = 14
RULED_LINE_HEIGHT = 8 * mm


def beikao_pdf(note):
    """The 备考表 as an A4 portrait PDF, ready to sign."""
    width = content_width(PORTRAIT)
    story = [
        *title_block(TITLE),
        form_table(
            (
                (_("Archival code"), note.archival_code),
                (_("Document title"), note.title),
                (_("Filed on"), yyyymmdd(note.filed_on)),
            ),
            width,
        ),
        spacer(5),
        _notes_box(note.lines, width),
        spacer(5),
        sign_off_table(
            (
                (_("Archivist (arranged by)"), note.filed_by, note.filed_on),
                (_("Checked by"), note.checked_by, None),
            ),
            width,
        ),
    ]
    return build_pdf(story, pagesize=PORTRAIT, title=record_text(TITLE))


def _notes_box(lines, width):
    """本件情况说明: a box of ruled lines that may run on to the next page."""
    blank = max(0, MIN_NOTE_LINES - len(lines))
    rows = [[paragraph(record_text(_("Notes on this item")))]]
    rows += [[paragraph(line)] for line in lines] + [[""]] * blank
    heights = [None] * (1 + len(lines)) + [RULED_LINE_HEIGHT] * blank
    return grid_table(
        rows,
        [width],
        header_rows=1,
        row_heights=heights,
        lines="BOX",
        commands=(
            ("ALIGN", (0, 0), (0, 0), "LEFT"),
            ("LINEBELOW", (0, 0), (0, 0), 0.5, colors.black),
            ("LINEBELOW", (0, 1), (0, -2), 0.3, RULE_COLOR),
            ("TOPPADDING", (0, 1), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
        ),
    )
