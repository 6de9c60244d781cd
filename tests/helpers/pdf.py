"""PDFs read back: their text, pages, sizes and fonts."""

from io import BytesIO
from pdfminer.high_level import extract_text
from pypdf import PdfReader


A4_PORTRAIT = (595, 842)
A4_LANDSCAPE = (842, 595)


def squeeze(text):
    """Text without whitespace: wrapped cells and spaced pairs compare whole."""
    return "".join(text.split())


def pdf_text(pdf, page=None):
    pages = None if page is None else [page]
    return squeeze(extract_text(BytesIO(pdf), page_numbers=pages))


def pages_of(pdf):
    return PdfReader(BytesIO(pdf)).pages


def page_sizes(pdf):
    return [
        (round(page.mediabox.width), round(page.mediabox.height))
        for page in pages_of(pdf)
    ]


def page_fonts(page):
    font_dict = page["/Resources"].get_object().get("/Font", {})
    return [font.get_object() for font in font_dict.get_object().values()]


def embedded(font):
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and "/FontFile2" in descriptor.get_object()


def assert_fonts_embedded(pdf):
    """Every font of every page is an embedded TrueType font (no STSong-Light)."""
    for page in pages_of(pdf):
        page_font_list = page_fonts(page)
        assert page_font_list
        assert all(embedded(font) for font in page_font_list)
