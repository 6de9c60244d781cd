"""The bulletin's reportlab charts as SVG to inline in an HTML page.

The drawings name the archive's embedded CJK font by its reportlab name,
which no browser knows: it is replaced by a stack of CJK fonts (WenQuanYi
first, the font of the PDF).  Every drawing uses the ids ``clip`` and
``group``; inlined several times in one page, the first ``clip`` would cut
the others, so each chart gets ids of its own.
"""

from reportlab.graphics import renderSVG
from xinfang_archive.documents.fonts import font_name
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

import re


FONT_STACK = (
    "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', 'SimHei', sans-serif"
)
_HEAD = re.compile(r"^.*?<svg ", re.S)
_TITLE = re.compile(r"<title>.*?</title>\s*<desc>.*?</desc>", re.S)


def inline_svg(drawing, key, label):
    """The ``<svg>`` element of ``drawing`` (no XML prolog), with ids
    prefixed by ``key`` and ``label`` as its accessible name."""
    text = renderSVG.drawToString(drawing)
    text = _HEAD.sub(
        f'<svg class="xf-chart" role="img" aria-label={quoteattr(label)} ',
        text,
        count=1,
    )
    text = _TITLE.sub(f"<title>{escape(label)}</title>", text, count=1)
    text = text.replace('id="clip"', f'id="{key}-clip"').replace(
        "url(#clip)", f"url(#{key}-clip)"
    )
    text = text.replace('id="group"', f'id="{key}-group"')
    return text.replace(f"font-family: {font_name()}", f"font-family: {FONT_STACK}")
