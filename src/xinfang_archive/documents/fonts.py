"""The embedded CJK TrueType font of every PDF the archive writes.

reportlab's built-in ``STSong-Light`` CID font is never used: it is not
embedded, so a PDF written with it depends on the reader's fonts and is not
fit for the archive.
"""

from functools import cache
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError
from reportlab.pdfbase.ttfonts import TTFont

import os


DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT_ENV = "XINFANG_CJK_FONT"
DEBIAN_PACKAGE = "fonts-wqy-zenhei"


class FontMissing(RuntimeError):
    """The CJK TrueType font cannot be found or loaded."""


def font_path():
    """The font file: ``$XINFANG_CJK_FONT`` or WenQuanYi Zen Hei."""
    return os.environ.get(FONT_ENV) or DEFAULT_FONT


def font_name():
    """The reportlab name of the registered CJK font (registered on first use)."""
    return _register(font_path())


@cache
def _register(path):
    # Cached per path: a failed look-up raises and is not cached, so a later
    # call with a corrected path or environment tries again.
    if not Path(path).is_file():
        raise FontMissing(
            f"The CJK font {path} does not exist. Install the Debian package "
            f"{DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE}) or set "
            f"{FONT_ENV} to a TrueType font file (.ttf or .ttc) with Chinese glyphs."
        )
    name = f"XinfangCJK-{Path(path).stem}"
    try:
        # subfontIndex picks the first face of a .ttc collection (Zen Hei).
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except TTFError as exc:
        raise FontMissing(
            f"The font {path} cannot be embedded ({exc}). reportlab needs a "
            f"TrueType font: install the Debian package {DEBIAN_PACKAGE} or set "
            f"{FONT_ENV} to another TrueType file (CFF-based .otf fonts do not work)."
        ) from exc
    return name
