"""Published hearing minutes (听证笔录（公开版）) as PDF.

Rendered from a notice, which holds masked text only: nothing unmasked can
reach this document.
"""

from xinfang_archive import _
from xinfang_archive.documents.layout import build_pdf
from xinfang_archive.documents.layout import content_width
from xinfang_archive.documents.layout import form_table
from xinfang_archive.documents.layout import paragraph
from xinfang_archive.documents.layout import PORTRAIT
from xinfang_archive.documents.layout import spacer
from xinfang_archive.documents.layout import title_block
from xinfang_archive.i18n import record_text
from xinfang_archive.vocabularies.fixed import HEARING_ROLES


TITLE = _("Hearing minutes (public version)")


def _chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def render_minutes(notice):
    """The PDF of ``notice`` (a HearingNotice)."""
    roles = {code: record_text(title) for code, title in HEARING_ROLES}
    width = content_width(PORTRAIT)
    days = _chinese_date(notice.hearing_date)
    if notice.end_date and notice.end_date != notice.hearing_date:
        days += f"至{_chinese_date(notice.end_date)}"
    story = title_block(TITLE, notice.title)
    story.append(
        form_table(
            [
                (_("Hearing number"), notice.hearing_number or ""),
                (_("Hearing date"), days),
                (_("Place"), notice.place or ""),
                (_("Chair"), notice.chair or ""),
                (_("Hearing panel"), "、".join(notice.panel or ())),
                (_("Published on"), _chinese_date(notice.published_on)),
            ],
            width,
        )
    )
    if notice.agenda:
        story += [
            spacer(4),
            paragraph(record_text(_("Agenda")), "heading"),
            paragraph(notice.agenda, "body"),
        ]
    if notice.turns:
        story += [spacer(4), paragraph(record_text(_("Speaker turns")), "heading")]
        for turn in notice.turns:
            role = roles.get(turn.get("role"), "")
            speaker = (
                f"{turn.get('speaker') or ''}（{role}）"
                if role
                else turn.get("speaker") or ""
            )
            story.append(paragraph(f"{speaker}：{turn.get('text') or ''}", "body"))
    if notice.free_text:
        story += [spacer(4)]
        story += [
            paragraph(line, "body")
            for line in notice.free_text.splitlines()
            if line.strip()
        ]
    return build_pdf(
        story, pagesize=PORTRAIT, title=f"{record_text(TITLE)} {notice.hearing_number}"
    )
