"""Highlighted snippets, cut from the stored (NFKC-normalised, masked) text.

The stored text never holds personal numbers in clear, so a snippet cannot
show one unmasked, whatever matched.
"""

from html import escape
from xinfang_archive.search.analysis import highlight_pattern

import re


WINDOW = 60  # characters on each side of the first match
FRAGMENTS = 2


def _merge(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text, terms, window=WINDOW, fragments=FRAGMENTS):
    """HTML: up to ``fragments`` pieces of ``text`` around matches of the
    query ``terms``, matches in ``<mark>``; the text's start if none match."""
    text = text or ""
    patterns = [p for p in (highlight_pattern(t) for t in terms) if p]
    spans = []
    if patterns:
        regex = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        spans = [m.span() for m in regex.finditer(text) if m.end() > m.start()]
    if not spans:
        head = text[: window * 2]
        return str(escape(head)) + ("…" if len(text) > len(head) else "")
    pieces = []
    windows = _merge(
        [(max(s - window, 0), min(e + window, len(text))) for s, e in spans]
    )
    for start, end in windows[:fragments]:
        inner = [(s, e) for s, e in spans if s >= start and e <= end]
        out, cursor = [], start
        for s, e in inner:
            out.append(str(escape(text[cursor:s])))
            out.append(f"<mark>{escape(text[s:e])}</mark>")
            cursor = e
        out.append(str(escape(text[cursor:end])))
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(text) else ""
        pieces.append(prefix + "".join(out).replace("\n", " ") + suffix)
    return " ".join(pieces)
