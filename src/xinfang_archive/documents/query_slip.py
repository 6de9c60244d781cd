"""The slip that hands a petitioner their query code (查询码) over, as PDF.

The code is a bearer secret, so it is never part of a stored record (a
letter is read by staff without "View personal data" and is full-text
indexed): it is handed over on this slip, printed on demand
(``@@query-code-slip``, browser/query_code.py).
"""

from xinfang_archive import _
from xinfang_archive.documents.layout import build_pdf
from xinfang_archive.documents.layout import paragraph
from xinfang_archive.documents.layout import PORTRAIT
from xinfang_archive.documents.layout import spacer
from xinfang_archive.documents.layout import title_block
from xinfang_archive.documents.reply_letters import bureau_name
from xinfang_archive.localtime import local_today
from xinfang_archive.publicquery.codes import format_code


SLIP_TITLE = _("Query code of your petition")


def render_slip(case, code):
    today = local_today()
    story = title_block(SLIP_TITLE)
    story += [
        paragraph(f"信访件编号：{case.registration_number}", "body"),
        paragraph(f"查询码：{format_code(code)}", "title"),
        paragraph(
            "请凭此查询码在本机关网站“信访结果查询”页面查询信访事项的办理进展和结果。"
            "查询码不区分大小写，可不输入连字符。",
            "body",
        ),
        paragraph(
            "请妥善保管：任何持有查询码的人都能查看该信访事项的办理结果。", "body"
        ),
        spacer(10),
        paragraph(
            f"{bureau_name()}　{today.year}年{today.month}月{today.day}日", "body"
        ),
    ]
    return build_pdf(
        story,
        pagesize=PORTRAIT,
        title=f"查询码 {case.registration_number}",
        numbered=False,
    )
