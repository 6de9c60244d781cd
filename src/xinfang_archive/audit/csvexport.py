"""Audit entries as CSV that Excel opens correctly: UTF-8 with a BOM, local time.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a
tab / carriage return) get a leading apostrophe: titles and paths come from
users, and an export must not turn into a way to run formulas on the
auditor's machine.
"""

from xinfang_archive import _
from xinfang_archive.audit.store import canonical_json
from xinfang_archive.i18n import record_text
from xinfang_archive.localtime import local_text

import csv
import io


HEADER = (
    _("No."),
    _("Time"),
    _("User"),
    _("Action"),
    _("Object path"),
    _("Object title"),
    _("Details"),
    _("Hash"),
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FLUSH_EVERY = 1000  # rows buffered between writes to the stream


def row(entry):
    cells = (
        entry.seq,
        local_text(entry.time),
        entry.actor,
        entry.action,
        entry.object_path,
        entry.object_title,
        canonical_json(entry.details),
        entry.hash,
    )
    return [_safe(cell) for cell in cells]


def _safe(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def write_csv(entries, stream):
    """Write ``entries`` (AuditEntry objects) to ``stream``; the number of rows.

    ``stream`` is a binary stream or anything with ``write(bytes)`` (a
    response), or a text stream (opened with ``newline=""``).
    """
    write = (
        stream.write
        if isinstance(stream, io.TextIOBase)
        else (lambda text: stream.write(text.encode("utf-8")))
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([record_text(label) for label in HEADER])
    count = 0
    for count, entry in enumerate(entries, 1):
        writer.writerow(row(entry))
        if count % FLUSH_EVERY == 0:
            write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    write(buffer.getvalue())
    return count
