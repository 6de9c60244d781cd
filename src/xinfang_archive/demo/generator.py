"""Realistic demo (and benchmark) petition cases.

``generate_cases(portal, count)`` registers ``count`` cases in the case folder
and drives each one through the case workflow, with its documents and
statutory replies, to a planned state:

* the states come in shuffled blocks of ``len(STATE_BLOCK)`` cases, so every
  block holds every state of ``xf_case_workflow`` (most cases closed);
* closed and rejected cases are spread over the last ``YEARS`` years, open
  cases are recent, a few of them overdue so that the dashboards have work;
* the statutory dates follow the received date (acceptance within 15 days,
  reply within the handling period, review requested within 30 days …).

The workflow stamps *today* on every transition and its rules look at
*today*, so each transition is taken with the dates its rule checks moved to
today for a moment, and the dates of the plan are written afterwards.  Texts
(summaries, documents, reply bodies) are made of corpus sentences.

The caller commits.
"""

from DateTime import DateTime
from datetime import timedelta
from html import escape
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from Products.CMFCore.indexing import processQueue
from xinfang_archive.content.case import COLLECTIVE_MIN_PEOPLE
from xinfang_archive.content.case import MAX_REPRESENTATIVES
from xinfang_archive.content.reception_links import RECEPTION_CHANNEL
from xinfang_archive.content.registration import format_number
from xinfang_archive.content.registration import next_sequence
from xinfang_archive.controlpanel.settings import get_settings
from xinfang_archive.demo.corpus import load_sentences
from xinfang_archive.demo.people import Places
from xinfang_archive.demo.people import random_name
from xinfang_archive.demo.people import random_petitioner
from xinfang_archive.demo.receptions import DemoReceptions
from xinfang_archive.localtime import local_today
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import registry_lines

import random
import transaction


CASES_ID = "cases"
WORKFLOW_ID = "xf_case_workflow"
YEARS = 4
SAVEPOINT_EVERY = 100

# One block of planned final states; every block is shuffled on its own.
STATE_BLOCK = (
    ("closed", 12),
    ("rejected", 2),
    ("registered", 2),
    ("accepted", 1),
    ("in_progress", 4),
    ("replied", 2),
    ("in_review", 1),
    ("in_rereview", 1),
)
STATES = tuple(state for state, _n in STATE_BLOCK)

# The transitions that lead to each state (optional steps are decided per case).
TRANSITIONS_TO = {
    "registered": (),
    "rejected": ("reject",),
    "accepted": ("accept",),
    "in_progress": ("accept", "assign"),
    "replied": ("accept", "assign", "reply"),
    "in_review": ("accept", "assign", "reply", "request_review"),
    "in_rereview": (
        "accept",
        "assign",
        "reply",
        "request_review",
        "reply_review",
        "request_rereview",
    ),
}

# The clock field each transition stamps with today.
STAMPS = {
    "accept": "accepted_on",
    "assign": "assigned_on",
    "extend": "extended_on",
    "reply": "replied_on",
    "request_review": "review_requested_on",
    "reply_review": "review_replied_on",
    "request_rereview": "rereview_requested_on",
    "reply_rereview": "closed_on",
    "close": "closed_on",
}
# Clock fields a rule compares with today: set to today while transitioning.
CHECKED_AGAINST_TODAY = {
    "extend": ("accepted_on",),
    "request_review": ("replied_on",),
    "request_rereview": ("review_replied_on",),
}
# The reply a transition needs first.
REPLY_BEFORE = {
    "reject": "rejection_notice",
    "extend": "extension_notice",
    "reply": "handling_opinion",
    "reply_review": "review_opinion",
    "reply_rereview": "rereview_opinion",
}
REPLY_AFTER = {"accept": "acceptance_notice"}

CHANNEL_WEIGHTS = {
    "letter": 26,
    "visit": 24,
    "online": 20,
    "hotline": 14,
    "mailbox": 8,
    "reception_day": 4,
    "outreach": 4,
}
GRADE_WEIGHTS = {"early": 30, "ordinary": 55, "key": 15}
OUTCOME_WEIGHTS = {"support": 35, "explain": 45, "not_supported": 20}
SATISFACTION_WEIGHTS = {"satisfied": 60, "basically": 30, "dissatisfied": 10}

# Units that usually handle a category (属地管理, 谁主管谁负责); "place" is the
# township where the petitioner lives.
CATEGORY_UNITS = {
    "land": ("ZRZY", "place"),
    "labour": ("RSJ",),
    "enterprise": ("RSJ",),
    "welfare": ("MZJ", "place"),
    "legal": ("SFJ",),
    "village": ("place",),
    "discipline": ("JW",),
    "urban": ("JSJ",),
    "environment": ("HBJ",),
    "other": ("place", "XF"),
}

COMPANIES = (
    "县农机厂",
    "红星机械厂",
    "城关建筑公司",
    "青山水泥厂",
    "河西砖瓦厂",
    "恒达化工有限公司",
    "县纺织厂",
    "鑫源房地产开发公司",
    "宏远物流公司",
)

# Per category: subjects and the petitioner's matter; {place} {company} {year}.
CATEGORY_TEXTS = {
    "land": (
        (
            "反映{place}征地补偿款未足额发放问题",
            "{year}年{place}部分土地被征收，征地补偿款至今未足额发放到户",
        ),
        (
            "要求解决{place}房屋拆迁安置问题",
            "房屋被拆除后安置房迟迟未交付，过渡费也已停发",
        ),
        (
            "反映{place}承包土地被违规占用问题",
            "家中承包的责任田被他人违规占用建房，多次协调未果",
        ),
    ),
    "labour": (
        (
            "反映{company}拖欠工资问题",
            "在{company}务工期间被拖欠工资，企业负责人一直推脱",
        ),
        ("要求补缴养老保险问题", "原单位未按规定为其缴纳养老保险，影响退休待遇"),
        (
            "反映工伤认定及待遇落实问题",
            "{year}年在{company}工作时受伤，工伤待遇至今没有落实",
        ),
    ),
    "enterprise": (
        (
            "反映原{company}改制职工安置问题",
            "原{company}改制时职工安置不到位，经济补偿金未兑现",
        ),
        ("要求落实企业改制遗留问题", "企业改制后拖欠的集资款和医药费一直未予解决"),
    ),
    "welfare": (
        ("申请最低生活保障待遇问题", "家庭生活困难，多次申请最低生活保障未获批准"),
        (
            "反映{place}低保评定不公问题",
            "{place}低保评定过程不公开，部分不符合条件的人员享受低保",
        ),
        ("要求解决临时救助问题", "家人患重病住院，医疗费用负担沉重，要求给予临时救助"),
    ),
    "legal": (
        (
            "反映法院判决执行难问题",
            "民事判决生效后对方一直未履行，申请执行至今没有结果",
        ),
        ("对交通事故纠纷处理结果不服问题", "对交通事故责任认定和赔偿结果不服"),
    ),
    "village": (
        (
            "反映{place}村务财务不公开问题",
            "{place}村务财务长期不公开，集体收入去向不明",
        ),
        (
            "反映{place}集体资金使用问题",
            "{place}集体土地租金的使用未经村民代表大会讨论",
        ),
    ),
    "discipline": (
        (
            "举报{place}村干部违规问题",
            "{place}村干部在项目建设中优亲厚友、虚报冒领补贴",
        ),
        ("举报有关人员违规收受财物问题", "有关工作人员在办理审批事项时收受财物"),
    ),
    "urban": (
        ("反映{place}小区物业管理问题", "小区物业服务不到位，公共维修资金使用不透明"),
        ("反映违章建筑影响通行问题", "邻居违规搭建房屋，占用公共通道，影响出行安全"),
        ("反映道路施工噪声扰民问题", "附近道路夜间施工噪声很大，严重影响居民休息"),
    ),
    "environment": (
        (
            "反映{company}排放废气污染问题",
            "{company}长期排放刺鼻废气，周边群众深受其害",
        ),
        ("反映{place}养殖场污染问题", "{place}养殖场粪污直排，污染河道和农田"),
    ),
    "other": (
        ("反映个人生活困难问题", "因病致贫，生活十分困难，希望得到政府帮助"),
        ("咨询相关政策落实问题", "对有关惠民政策的落实情况有疑问，要求予以答复"),
    ),
}
REQUESTS = {
    "land": "要求尽快足额发放补偿款，妥善解决安置问题。",
    "labour": "要求督促用人单位依法支付工资，落实社会保险待遇。",
    "enterprise": "要求按政策落实改制职工的安置和补偿。",
    "welfare": "要求按政策给予救助，保障基本生活。",
    "legal": "要求依法公正处理，维护其合法权益。",
    "village": "要求公开村务财务，查清集体资金去向。",
    "discipline": "要求纪检监察机关调查核实，依纪依法处理。",
    "urban": "要求有关部门依法查处，恢复正常生活秩序。",
    "environment": "要求依法查处污染行为，还群众良好环境。",
    "other": "要求有关部门予以帮助和答复。",
}
OUTCOME_SENTENCES = {
    "support": "经研究，你反映的问题属实，诉求合理，予以支持，责成有关单位在规定期限内落实到位。",
    "explain": "经调查核实，有关部门已依法依规处理，现将有关政策和情况向你解释说明。",
    "not_supported": "经调查核实，你的诉求缺乏事实和政策依据，不予支持。",
}
REPLY_OPENINGS = {
    "acceptance_notice": "你反映的“{title}”信访事项，经审查符合受理条件，本机关决定予以受理。",
    "rejection_notice": "你反映的“{title}”事项，属于应当通过诉讼、仲裁等法定途径解决的事项，根据《信访工作条例》，本机关不予受理。",
    "extension_notice": "你反映的“{title}”信访事项，因情况复杂，经批准，办理期限延长{days}日。",
    "handling_opinion": "你反映的“{title}”信访事项，经调查核实，现提出处理意见如下。",
    "review_opinion": "你对“{title}”处理意见不服提出的复查申请，本机关已依法复查，现提出复查意见如下。",
    "rereview_opinion": "你对“{title}”复查意见不服提出的复核申请，本机关已依法复核。本复核意见为最终意见，同一信访事项不再受理。",
}
REPLY_NUMBER_PREFIXES = {
    "acceptance_notice": "X信受",
    "rejection_notice": "X信不受",
    "extension_notice": "X信延",
    "handling_opinion": "X信处",
    "review_opinion": "X信复查",
    "rereview_opinion": "X信复核",
}
EXTENSION_REASONS = (
    "案情复杂，涉及多个部门，需进一步调查核实。",
    "需要组织听证并补充调查，听证时间不计入办理期限。",
    "涉及历史遗留问题，相关档案资料需要调取核实。",
)
FOLLOW_UP_NOTES = {
    "satisfied": "电话回访，信访人对处理结果表示满意。",
    "basically": "上门回访，信访人表示基本满意，希望后续继续关注。",
    "dissatisfied": "电话回访，信访人对处理结果仍不满意，已做解释疏导工作。",
}
LEADER_POSITIONS = ("副县长", "县委常委", "局长", "镇长", "乡党委书记", "副局长")
INTAKE_DOCUMENTS = {
    "letter": "来信原件",
    "visit": "来访登记表",
    "online": "网上信访事项打印件",
    "hotline": "12345热线工单",
    "mailbox": "市长信箱来信",
    "reception_day": "领导接待日接谈记录",
    "outreach": "下访约访记录",
}


def _weighted(rng, codes, weights):
    """A code, weighted by ``weights`` (5 for codes it does not know)."""
    return rng.choices(codes, weights=[weights.get(code, 5) for code in codes])[0]


def _codes(name):
    return [row[0] for row in parse_lines(registry_lines(name))]


def state_plan(count, rng):
    """The final states of ``count`` cases: shuffled blocks, each with every state."""
    block = [state for state, n in STATE_BLOCK for _i in range(n)]
    plan = []
    while len(plan) < count:
        chunk = list(block)
        rng.shuffle(chunk)
        plan.extend(chunk)
    return plan[:count]


def _transitions(state, rng):
    """The transitions that lead a new case to ``state``."""
    if state == "closed":
        roll = rng.random()
        if roll < 0.08:
            return ["reject", "close"]
        steps = ["accept", "assign", "reply"]
        if roll < 0.78:
            return [*steps, "close"]
        steps += ["request_review", "reply_review"]
        if roll < 0.92:
            return [*steps, "close"]
        return [*steps, "request_rereview", "reply_rereview"]
    steps = list(TRANSITIONS_TO[state])
    if state == "replied" and rng.random() < 0.25:
        steps += ["request_review", "reply_review"]
    return steps


# The statutory periods (calendar days) when no settings are given.
DEFAULT_LIMITS = {
    "accept_days": 15,
    "handle_days": 60,
    "max_extension_days": 30,
    "review_request_days": 30,
    "review_reply_days": 30,
    "rereview_request_days": 30,
    "rereview_reply_days": 30,
}


def _limits(settings):
    limits = {}
    for name, default in DEFAULT_LIMITS.items():
        value = getattr(settings, name, None) if settings is not None else None
        limits[name] = value if isinstance(value, int) and value >= 0 else default
    return limits


def plan_timeline(state, rng, today, settings=None, years=YEARS):  # noqa: C901
    """``(received_date, [(transition, date)…], extension_days)`` for one case.

    Days are laid out from the receipt within the statutory periods of
    ``settings`` (the archive settings; the defaults of 信访工作条例 without);
    closed and rejected cases are then placed anywhere in the last ``years``
    years, open cases so that their current step is recent, or, for about
    one in seven, overdue.  No date is after ``today``.
    """
    limits = _limits(settings)
    accept_days = max(1, limits["accept_days"])
    handle_days = max(1, limits["handle_days"])
    steps = _transitions(state, rng)
    if "assign" in steps and limits["max_extension_days"] >= 1 and rng.random() < 0.15:
        steps.insert(steps.index("assign") + 1, "extend")
    extension = (
        rng.randint(min(10, limits["max_extension_days"]), limits["max_extension_days"])
        if "extend" in steps
        else 0
    )
    day = 0
    accepted = 0
    events = []
    for step in steps:
        if step == "accept":
            # Most cases are accepted within days, none after the period.
            day += min(accept_days, rng.choice((1, 2, 3, 3, 5, 7, 10, 14, 15)))
            accepted = day
        elif step == "reject":
            day += rng.randint(1, accept_days)
        elif step == "assign":
            day += rng.randint(0, 5)
        elif step == "extend":
            # Extended in the last weeks of the handling period.
            low = handle_days * 7 // 12
            day = max(day, accepted + rng.randint(low, max(low, handle_days - 2)))
        elif step == "reply":
            end = accepted + handle_days + extension
            day = min(
                end,
                max(
                    day + 1,
                    accepted + rng.randint(handle_days // 4, handle_days + extension),
                ),
            )
        elif step == "request_review":
            day += rng.randint(1, max(1, limits["review_request_days"]))
        elif step == "request_rereview":
            day += rng.randint(1, max(1, limits["rereview_request_days"]))
        elif step == "reply_review":
            day += rng.randint(1, max(1, limits["review_reply_days"]))
        elif step == "reply_rereview":
            day += rng.randint(1, max(1, limits["rereview_reply_days"]))
        elif step == "close":
            if events and events[-1][0] == "reject":
                day += rng.randint(3, 20)
            else:
                # 办结 once the petitioner let the review window pass.
                window = limits[
                    "rereview_request_days"
                    if events[-1][0] == "reply_review"
                    else "review_request_days"
                ]
                day += window + rng.randint(1, 15)
        events.append((step, day))
    last = day
    overdue = rng.random() < 0.15
    if state in ("closed", "rejected"):
        span = int(years * 365)
        start = -rng.randint(last + 1, max(last + 1, span))
    else:
        if state == "registered":
            age = (
                accept_days + rng.randint(1, 15)
                if overdue
                else rng.randint(0, accept_days - 1)
            )
        elif state == "accepted" and not overdue:
            age = rng.randint(0, min(10, handle_days - 1))
        elif state in ("accepted", "in_progress"):
            deadline = accepted + handle_days + extension - last
            age = (
                deadline + rng.randint(1, 20)
                if overdue
                else rng.randint(0, max(0, deadline - 5))
            )
        elif state == "replied":
            # Still inside the window for a review (or re-review) request.
            window = limits[
                "rereview_request_days"
                if steps[-1] == "reply_review"
                else "review_request_days"
            ]
            age = rng.randint(0, max(0, window - 1))
        else:
            period = limits[
                "review_reply_days" if state == "in_review" else "rereview_reply_days"
            ]
            age = (
                period + rng.randint(1, 15)
                if overdue
                else rng.randint(0, max(0, period - 2))
            )
        start = -(last + age)
    received = today + timedelta(days=start)
    return (
        received,
        [(step, received + timedelta(days=d)) for step, d in events],
        extension,
    )


class _Numbers:
    """Running document numbers: X信〔2024〕12号."""

    def __init__(self, start=0):
        self.start = start
        self.last = {}

    def next(self, prefix, year):
        key = (prefix, year)
        self.last[key] = self.last.get(key, self.start) + 1
        return f"{prefix}〔{year}〕{self.last[key]}号"


class CaseGenerator:
    """Makes cases one by one; one instance per run."""

    def __init__(self, portal, seed=0, corpus_dir=None):
        self.portal = portal
        self.folder = portal[CASES_ID]
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = local_today()
        self.sentences = load_sentences(corpus_dir)
        self.settings = get_settings()
        self.review_days = _limits(self.settings)["review_request_days"]
        self.channels = _codes("channels")
        self.categories = _codes("categories")
        self.grades = _codes("grades")
        self.outcomes = _codes("outcomes")
        self.satisfaction = _codes("satisfaction_levels")
        self.classifications = _codes("classifications")
        unit_rows = parse_lines(registry_lines("units"))
        self.units = [row[0] for row in unit_rows]
        self.unit_titles = {row[0]: row[1] for row in unit_rows}
        self.category_titles = {
            row[0]: row[1] for row in parse_lines(registry_lines("categories"))
        }
        self.places = Places(unit_rows)
        # Any unit may handle a case, villages only the matters of their own.
        self.handling_units = [
            code for code in self.units if code not in self.places.villages
        ] or self.units
        self.bureau = self.unit_titles.get("XF", "信访局")
        self.numbers = _Numbers(start=len(self.folder))
        self.receptions = (
            None  # the reception days (demo.receptions), made on first use
        )
        self.receivers = [random_name(self.rng) for _i in range(6)]
        self.approvers = [random_name(self.rng) for _i in range(4)]
        for name in ("channels", "categories", "grades", "units"):
            if not getattr(self, name):
                raise ValueError(f"The registry list {name} is empty")

    # texts

    def sentences_text(self, low, high):
        return self.rng.sample(
            self.sentences, min(len(self.sentences), self.rng.randint(low, high))
        )

    def handler_of(self, unit):
        """The demo staff's handler of ``unit`` (``demo.staff``), if created."""
        if not hasattr(self, "_handlers"):
            from plone import api

            group = api.group.get(groupname="case_handlers")
            self._handlers = (
                set(group.getGroupMemberIds()) if group is not None else set()
            )
        user_id = f"handler-{(unit or '').lower()}"
        return user_id if user_id in self._handlers else None

    def _unit_title(self, code):
        if not code:
            return self.bureau
        return self.places.full_title(code) or self.unit_titles.get(code, code)

    # the case

    def _unit_for(self, category, place):
        """The unit that handles a matter of ``category`` from ``place``."""
        rng = self.rng
        preferred = []
        for code in CATEGORY_UNITS.get(category, ()):
            if code == "place":
                # 属地管理: the township, or for village affairs the village.
                code = self.places.township_of(place) if place else None
                if (
                    category == "village"
                    and place in self.places.villages
                    and rng.random() < 0.5
                ):
                    code = place
            if code in self.units:
                preferred.append(code)
        if preferred and rng.random() < 0.85:
            return rng.choice(preferred)
        return rng.choice(self.handling_units)

    def case_fields(self, state, received):
        rng = self.rng
        category = rng.choice(self.categories)
        flags = set()
        collective = rng.random() < 0.08
        place = self.places.random_place(rng)
        if collective:
            flags.add("collective")
            people = (
                rng.choice((0, 1, 3, 5, 7, 10, 15, 25, 40, 55)) + COLLECTIVE_MIN_PEOPLE
            )
            rows = rng.randint(1, MAX_REPRESENTATIVES)
            petitioners = [
                random_petitioner(
                    rng, self.places, representative=True, place=place, today=self.today
                )
                for _i in range(rows)
            ]
        else:
            rows = 1 if rng.random() < 0.85 else rng.randint(2, 3)
            people = rows
            petitioners = [
                random_petitioner(rng, self.places, place=place, today=self.today)
                for _i in range(rows)
            ]
        if rng.random() < 0.1:
            flags.add("repeat")
        grade = _weighted(rng, self.grades, GRADE_WEIGHTS)
        if collective and "key" in self.grades and rng.random() < 0.5:
            grade = "key"
        if rng.random() < (0.25 if grade == "key" else 0.06):
            flags.add("skip_level")
        channel = _weighted(rng, self.channels, CHANNEL_WEIGHTS)
        if collective and "visit" in self.channels and rng.random() < 0.7:
            channel = "visit"

        place_title = self.places.full_title(place) if place else ""
        subject, matter = rng.choice(
            CATEGORY_TEXTS.get(category)
            or (("反映{category}问题", "反映有关{category}问题"),)
        )
        values = {
            "place": place_title or "当地",
            "company": rng.choice(COMPANIES),
            "year": received.year - rng.randint(0, 5),
            "category": self.category_titles.get(category, category),
        }
        first = petitioners[0]["name"]
        who = f"{first}等{people}人" if people > 1 else first
        summary = f"{who}反映：{matter.format(**values)}。" + "".join(
            self.sentences_text(2, 4)
        )

        unit = None
        if state not in ("registered", "accepted", "rejected") or rng.random() < 0.5:
            unit = self._unit_for(category, place)
        leader = None
        if grade == "key" or rng.random() < 0.3:
            leader = f"{random_name(rng)}（{rng.choice(LEADER_POSITIONS)}）"
        return {
            "title": subject.format(**values),
            "channel": channel,
            "received_date": received,
            "first_receiver": rng.choice(self.receivers),
            "petitioners": petitioners,
            "people_count": people,
            "category": category,
            "grade": grade,
            "flags": flags,
            "responsible_unit": unit,
            "leader_in_charge": leader,
            "summary": summary,
            "request": REQUESTS.get(category, "要求有关部门予以答复。"),
        }

    # documents and replies

    def office_time(self, day):
        """A time during office hours of ``day``, as a DateTime."""
        rng = self.rng
        return DateTime(
            f"{day.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00"
        )

    def _date_created(self, obj, day):
        stamp = self.office_time(day)
        obj.creation_date = stamp
        obj.modification_date = stamp
        return obj

    def add_document(
        self, case, title, responsible, when, numbered=True, accusation=False
    ):
        rng = self.rng
        index = len([i for i in case.objectIds() if i.startswith("document-")]) + 1
        text = title + "\n\n" + "\n".join(self.sentences_text(3, 8)) + "\n"
        document = api.content.create(
            container=case,
            type="CaseDocument",
            id=f"document-{index}",
            title=title,
            file=NamedBlobFile(
                data=text.encode("utf-8"),
                filename=f"document-{index}.txt",
                contentType="text/plain",
            ),
            responsible=responsible,
            document_date=when,
            document_number=self.numbers.next("X信", when.year) if numbered else None,
            classification="internal"
            if "internal" in self.classifications
            else self.classifications[0],
            pages=rng.randint(1, 8),
            accusation=accusation,
        )
        return self._date_created(document, when)

    def add_reply(self, case, kind, when, outcome=None):
        first = case.petitioners[0]["name"]
        opening = REPLY_OPENINGS[kind].format(
            title=case.title, days=case.extension_days or ""
        )
        paragraphs = [f"{first}：", opening, *self.sentences_text(2, 4)]
        if outcome:
            paragraphs.append(OUTCOME_SENTENCES.get(outcome, ""))
        if kind in ("handling_opinion", "review_opinion"):
            step = "复查" if kind == "handling_opinion" else "复核"
            paragraphs.append(
                f"如不服本意见，可自收到本意见书之日起{self.review_days}日内向上一级行政机关请求{step}。"
            )
        signer = (
            self._unit_title(case.responsible_unit)
            if kind == "handling_opinion"
            else self.bureau
        )
        paragraphs += [signer, f"{when.year}年{when.month}月{when.day}日"]
        html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
        reply = api.content.create(
            container=case,
            type="Reply",
            id=kind.replace("_", "-"),
            kind=kind,
            document_number=self.numbers.next(REPLY_NUMBER_PREFIXES[kind], when.year),
            reply_date=when,
            outcome=outcome,
            body=RichTextValue(html, "text/html", "text/x-html-safe"),
        )
        return self._date_created(reply, when)

    # the workflow

    def fire(self, case, transition, when):
        """Take ``transition`` as if today, then date it ``when``."""
        today = local_today()
        saved = {}
        for name in CHECKED_AGAINST_TODAY.get(transition, ()):
            saved[name] = getattr(case, name, None)
            setattr(case, name, today)
        try:
            api.content.transition(obj=case, transition=transition)
        finally:
            for name, value in saved.items():
                setattr(case, name, value)
        stamp = STAMPS.get(transition)
        if stamp:
            setattr(case, stamp, when)

    def drive(self, case, events, extension):
        rng = self.rng
        unit_title = self._unit_title(case.responsible_unit)
        for transition, when in events:
            kind = REPLY_BEFORE.get(transition)
            if transition == "extend":
                case.extension_days = extension
                case.extension_reason = rng.choice(EXTENSION_REASONS)
                case.extension_approved_by = rng.choice(self.approvers)
            if transition == "assign" and not case.responsible_unit:
                case.responsible_unit = self._unit_for(case.category, None)
                unit_title = self._unit_title(case.responsible_unit)
            if transition == "assign" and not case.case_handler:
                case.case_handler = self.handler_of(case.responsible_unit)
            if kind:
                outcome = None
                if kind in ("handling_opinion", "review_opinion", "rereview_opinion"):
                    outcome = _weighted(rng, self.outcomes, OUTCOME_WEIGHTS)
                self.add_reply(case, kind, when, outcome)
            if transition in ("reply", "reply_review") and rng.random() < 0.6:
                self.add_document(
                    case,
                    rng.choice(("调查笔录", "情况说明", "调查报告", "听证笔录")),
                    unit_title,
                    when - timedelta(days=rng.randint(0, 3)),
                )
            self.fire(case, transition, when)
            if transition in REPLY_AFTER:
                self.add_reply(case, REPLY_AFTER[transition], when)
            if transition == "assign":
                self.add_document(case, "交办单", self.bureau, when)

    def add_supervision(self, case, state):
        """督办 on some cases: open ones (some overdue) and, done, on closed ones."""
        rng = self.rng
        open_state = state in ("in_progress", "in_review", "in_rereview")
        if not (open_state and rng.random() < 0.35) and not (
            state == "closed" and rng.random() < 0.1
        ):
            return None
        start = case.assigned_on or case.accepted_on or case.received_date
        issued = min(self.today, start + timedelta(days=rng.randint(3, 20)))
        supervision = api.content.create(
            container=case,
            type="Supervision",
            id=f"supervision-{len(case.objectIds())}",
            method=rng.choice(("phone", "letter", "on_site")),
            issued_by=rng.choice(
                ("县信访联席会议办公室", "县委督查室", "县政府督查室")
            ),
            issued_on=issued,
            due_date=issued + timedelta(days=rng.choice((7, 10, 15))),
            instructions="请加快办理进度，按期报送办理结果。",
            done=not open_state,
            response="已按要求办理并报送结果。" if not open_state else None,
        )
        self._date_created(supervision, issued)
        return supervision

    def follow_up(self, case, closed):
        rng = self.rng
        if closed is None or rng.random() > 0.7:
            return
        when = min(self.today, closed + timedelta(days=rng.randint(3, 30)))
        satisfaction = (
            _weighted(rng, self.satisfaction, SATISFACTION_WEIGHTS)
            if self.satisfaction
            else None
        )
        case.follow_up_date = when
        case.satisfaction = satisfaction
        case.follow_up_note = FOLLOW_UP_NOTES.get(satisfaction, "已回访。")

    def plan(self, count):
        """``[(state, received, events, extension)]`` for ``count`` cases, in
        the order of receipt (so that registration numbers follow it)."""
        plans = [
            (state, *plan_timeline(state, self.rng, self.today, self.settings))
            for state in state_plan(count, self.rng)
        ]
        return sorted(plans, key=lambda plan: plan[1])

    def make_case(self, state, received, events, extension):
        fields = self.case_fields(state, received)
        # The number the case would get on adding, taken here so that the
        # case is created under its final id (no rename, no second indexing).
        number = format_number(received.year, next_sequence(received.year, self.portal))
        if fields["channel"] == RECEPTION_CHANNEL:
            if self.receptions is None:
                self.receptions = DemoReceptions(self.portal, seed=self.seed)
            fields["reception"] = self.receptions.relation(received)
        case = api.content.create(
            container=self.folder,
            type="PetitionCase",
            id=number.lower(),
            registration_number=number,
            **fields,
        )
        intake = INTAKE_DOCUMENTS.get(case.channel, "信访事项材料")
        from_petitioner = case.channel in ("letter", "mailbox", "online")
        self.add_document(
            case,
            intake,
            case.petitioners[0]["name"] if from_petitioner else self.bureau,
            received,
            numbered=not from_petitioner,
            accusation=case.category == "discipline" and from_petitioner,
        )
        if self.receptions is not None and case.channel == RECEPTION_CHANNEL:
            self.receptions.instruct(
                case, self.unit_titles.get(case.responsible_unit), self.today
            )
        self.drive(case, events, extension)
        if api.content.get_state(case) == "closed" and case.outcome:
            self.follow_up(case, case.closed_on)
        self.add_supervision(case, state)
        case.reindexObject()
        # Creation, history and last change as they would have happened.
        self._date_history(case, received, events)
        last = max([received] + [when for _t, when in events])
        case.creation_date = self.office_time(received)
        case.modification_date = self.office_time(last)
        case.reindexObject(idxs=["created", "modified"])
        return case

    def _date_history(self, case, received, events):
        """Date the workflow history entries: creation, then one per event."""
        history = getattr(case, "workflow_history", None)
        if not history or WORKFLOW_ID not in history:
            return
        entries = [dict(entry) for entry in history[WORKFLOW_ID]]
        if len(entries) != len(events) + 1:
            return
        days = [received] + [when for _t, when in events]
        previous = None
        for entry, day in zip(entries, days, strict=False):
            stamp = self.office_time(day)
            if previous is not None and stamp < previous:
                stamp = previous + 1 / 24 / 60  # a minute later, same order
            entry["time"] = previous = stamp
        history[WORKFLOW_ID] = tuple(entries)


def generate_cases(portal, count, seed=0, corpus_dir=None, progress=None):
    """Create ``count`` realistic cases in ``portal["cases"]``; returns them.

    ``progress(done, total)`` is called after each case.  The caller commits;
    every ``SAVEPOINT_EVERY`` cases the indexing queue is processed and a
    savepoint taken, to bound memory.
    """
    generator = CaseGenerator(portal, seed=seed, corpus_dir=corpus_dir)
    created = []
    for done, plan in enumerate(generator.plan(count), start=1):
        created.append(generator.make_case(*plan))
        if progress is not None:
            progress(done, count)
        if done % SAVEPOINT_EVERY == 0:
            # Index what is queued, so that the queue does not hold every case.
            processQueue()
            transaction.savepoint(optimistic=True)
    return created


def case_batches(
    portal, count, seed=0, corpus_dir=None, progress=None, size=SAVEPOINT_EVERY
):
    """The cases of ``generate_cases`` as units of work of ``size`` cases: a
    callable each, that makes them and returns them, for a caller that
    commits each unit and does one again after a conflict (the command line
    while the site serves)."""
    generator = CaseGenerator(portal, seed=seed, corpus_dir=corpus_dir)
    plans = list(generator.plan(count))

    def unit(first, chunk):
        def make():
            made = []
            for done, plan in enumerate(chunk, start=first + 1):
                made.append(generator.make_case(*plan))
                if progress is not None:
                    progress(done, count)
            return made

        return make

    for first in range(0, count, size):
        yield unit(first, plans[first : first + size])
