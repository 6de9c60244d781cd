"""Hearings with cases and transcripts, ready to publish (shared by the hearing tests)."""

from plone import api
from plone.dexterity.utils import createContentInContainer
from tests.helpers.archival import add_reply
from tests.helpers.archival import do
from tests.helpers.relations import relation
from xinfang_archive.localtime import local_today


TODAY = local_today()

PETITIONER = "王秀英"
PETITIONER_ADDRESS = "浙江省杭州市西湖区文三路259号3幢501室"
PETITIONER_PHONE = "13912345678"
THIRD_PARTY = "欧阳明"
CHAIR = "李建国"
PANEL = ["陈志强", "刘芳"]

TRANSCRIPT_TURNS = [
    {"speaker": CHAIR, "role": "chair", "text": "现在开始听证。请信访人陈述。"},
    {
        "speaker": PETITIONER,
        "role": "petitioner",
        "text": f"我叫{PETITIONER}，住在{PETITIONER_ADDRESS}，电话{PETITIONER_PHONE}，"
        "身份证号110101199003074514。2024年5月6日拆迁时我的车浙A12345被拖走。",
    },
    {
        "speaker": THIRD_PARTY,
        "role": "third_party",
        "text": f"我是{THIRD_PARTY}，邻居，可以作证。",
    },
    {
        "speaker": "赵磊",
        "role": "unit",
        "text": "根据杭信访〔2024〕15号文件，补偿款12000元已于6月发放。",
    },
]


def petitioner_row():
    return {
        "name": PETITIONER,
        "id_number": "110101199003074514",
        "phone": PETITIONER_PHONE,
        "address": PETITIONER_ADDRESS,
        "representative": False,
    }


def make_hearing(
    portal, cases, *, public=True, hearing_date=None, end_date=None, **fields
):
    values = {
        "title": f"关于{PETITIONER}征地补偿问题的听证",
        "cases": [relation(case) for case in cases],
        "hearing_date": hearing_date or TODAY,
        "end_date": end_date,
        "place": "市信访局三楼听证室",
        "chair": CHAIR,
        "panel": list(PANEL),
        "parties": [
            {
                "name": PETITIONER,
                "role": "petitioner",
                "organisation": None,
                "address": PETITIONER_ADDRESS,
                "private": True,
            },
            {
                "name": THIRD_PARTY,
                "role": "third_party",
                "organisation": None,
                "address": None,
                "private": True,
            },
            {
                "name": "赵磊",
                "role": "unit",
                "organisation": "住房和城乡建设局",
                "address": None,
                "private": False,
            },
        ],
        "public": public,
        "agenda": f"听取信访人{PETITIONER}关于征地补偿款的陈述。",
    }
    values.update(fields)
    # As the add form and REST do: the name chooser names it after its number.
    return createContentInContainer(portal["hearings"], "Hearing", **values)


def add_transcript(hearing, turns=None, free_text=None):
    return createContentInContainer(
        hearing,
        "HearingTranscript",
        checkConstraints=False,
        title="听证笔录",
        turns=list(TRANSCRIPT_TURNS if turns is None else turns),
        free_text=free_text,
    )


def approve(transcript):
    do(transcript, "submit")
    do(transcript, "approve")


def review_masks(transcript, exclusions=(), additions=()):
    """What the preview's save button does."""
    from xinfang_archive.hearings.masks import review_digest

    transcript.mask_exclusions = list(exclusions)
    transcript.mask_additions = list(additions)
    transcript.mask_review_digest = review_digest(transcript)
    transcript.mask_reviewed_by = api.user.get_current().getId()


def published_minutes(portal, case):
    """A held public hearing on ``case`` with its minutes published; returns
    (hearing, transcript, notice)."""
    from xinfang_archive.hearings.publication import notice_of

    hearing = make_hearing(portal, [case])
    do(hearing, "hold")
    transcript = add_transcript(hearing)
    approve(transcript)
    review_masks(transcript)
    do(transcript, "publish")
    return hearing, transcript, notice_of(transcript)


def to_rereview(case):
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    add_reply(case, "handling_opinion", outcome="not_supported")
    do(case, "reply")
    do(case, "request_review")
    add_reply(case, "review_opinion", outcome="explain", number="信〔2024〕2号")
    do(case, "reply_review")
    do(case, "request_rereview")


SECRETS = (
    PETITIONER,
    THIRD_PARTY,
    "文三路",
    PETITIONER_PHONE,
    "110101199003074514",
    "浙A12345",
)
