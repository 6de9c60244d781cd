"""Sending files and refusing requests, for every view that issues a download.

A download may hold personal data and restricted material: it is never
stored in a shared cache (``private, no-store``) nor sniffed for another type.
"""

from urllib.parse import quote
from zope.i18n import translate

import re


PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(filename, fallback, disposition="attachment"):
    """``attachment; filename="ascii"; filename*=UTF-8''…`` (RFC 6266 / 5987)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback).strip("_") or "download"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def ascii_code(code):
    """The archival code in ASCII (the category dot as a full stop), for file names."""
    return (code or "").replace("·", ".")


def send(request, data, content_type, filename, fallback, disposition="attachment"):
    """``data`` as a file named ``filename`` (``fallback`` in ASCII)."""
    response = request.response
    response.setHeader("Content-Type", content_type)
    response.setHeader(
        "Content-Disposition", content_disposition(filename, fallback, disposition)
    )
    response.setHeader("Content-Length", str(len(data)))
    response.setHeader("X-Content-Type-Options", "nosniff")
    # Records may hold personal data and restricted material: no shared caches.
    response.setHeader("Cache-Control", "private, no-store")
    return data


def refuse(request, status, message):
    """A plain-text answer with ``status`` (the translated ``message``)."""
    response = request.response
    response.setStatus(status)
    response.setHeader("Content-Type", "text/plain; charset=utf-8")
    response.setHeader("Cache-Control", "private, no-store")
    return translate(message, context=request)
