"""When minutes may be published: the problems that refuse ``publish``.

As for cases (``workflow/rules.py``), one function serves the workflow
guard, the preview page and the REST answer, so a refusal always says why.
"""

from plone import api
from xinfang_archive import _
from xinfang_archive.hearings.filing import cases_all_filed
from xinfang_archive.hearings.masks import review_digest


def publish_problems(transcript):
    problems = []
    hearing = transcript.hearing()
    if hearing is None:
        return [_("The transcript is not kept in a hearing.")]
    if not getattr(hearing, "public", False):
        problems.append(
            _("The hearing was not public: its minutes may not be published.")
        )
    if api.content.get_state(hearing, default=None) != "held":
        problems.append(
            _("Only the minutes of a hearing that was held may be published.")
        )
    reviewed = getattr(transcript, "mask_review_digest", None)
    if not reviewed:
        problems.append(_("Review the masks in the preview before publishing."))
    elif reviewed != review_digest(transcript):
        problems.append(
            _(
                "The transcript or the parties changed after the masks were reviewed: "
                "review the masks again."
            )
        )
    return problems


def file_problems(transcript):
    """Minutes are filed with their cases: when every case of the hearing is."""

    hearing = transcript.hearing()
    if hearing is None or not cases_all_filed(hearing):
        return [
            _(
                "The minutes are filed with their cases: not every case of the hearing is filed yet."
            )
        ]
    return []


def transition_problems(transcript, transition_id):
    if transition_id == "publish":
        return publish_problems(transcript)
    if transition_id == "file":
        return file_problems(transcript)
    return []
