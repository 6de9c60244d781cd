"""The demo-data generator: corpus sentences, petitioners and whole cases."""

from collections import Counter
from datetime import date
from datetime import timedelta
from plone import api
from xinfang_archive.controlpanel.settings import DEFAULT_UNITS
from xinfang_archive.demo import corpus
from xinfang_archive.demo import people
from xinfang_archive.demo.generator import CaseGenerator
from xinfang_archive.demo.generator import generate_cases
from xinfang_archive.demo.generator import plan_timeline
from xinfang_archive.demo.generator import STATE_BLOCK
from xinfang_archive.demo.generator import state_plan
from xinfang_archive.demo.generator import STATES
from xinfang_archive.localtime import local_today
from xinfang_archive.privacy.idcard import check_digit
from xinfang_archive.privacy.idcard import id_number_problem
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.workflow.clocks import current_deadline
from xinfang_archive.workflow.replies import replies

import pytest
import random
import re
import transaction


VALID_ID = "110101199003074514"  # as in tests/helpers/cases.py
CJK = re.compile(r"^[\u4e00-\u9fff]+$")
MOBILE = re.compile(r"^1[3589]\d{9}$")
NUMBER = re.compile(r"^X信[\u4e00-\u9fff]*〔\d{4}〕\d+号$")


def bundled_lines():
    return corpus.BUNDLED.read_text(encoding="utf-8").splitlines()


# corpus


def test_sentences_of_text_cleans_scraped_pages():
    text = "\n".join(
        [
            "把群众利益举过头顶――丰城市信访工作的实践和启示信访工作是主渠道。全市围绕确保稳定这个中心...",
            "上传人:音乐台 文档编号:1180789 上传时间:2018-12-09 格式:DOC 页数:13",
            "一、构建网络知民情，畅通渠道。信访是反映社情民意的渠道,是群众说话、求决、讲理的地方。",
            "太短。" + "很" * 90 + "长的句子。",
            "**是市委所在地，是全市政治、经济、文化中心。",
            "对群众来信来访，各责任单位一定要强化信访意识，没有句号的半句",
        ]
    )
    assert corpus.sentences_of_text(text) == [
        "构建网络知民情，畅通渠道。",
        # half-width punctuation of the page becomes full-width
        "信访是反映社情民意的渠道，是群众说话、求决、讲理的地方。",
    ]


def test_bundled_sentences_are_clean_and_many():
    lines = bundled_lines()
    assert len(lines) >= 200
    assert len(set(lines)) == len(lines)
    for line in lines:
        assert corpus.MIN_LENGTH <= len(line) <= corpus.MAX_LENGTH, line
        assert line[-1] in "。！？”", line
        assert "..." not in line and "*" not in line


def test_bundled_sentences_match_the_corpus():
    """Beside the shared corpus (as in CI), the bundled file is its faithful
    extract; without it (an installed package), the bundled file is used."""
    corpus_dir = corpus.find_corpus_dir()
    if corpus_dir is None:
        assert corpus.load_sentences() == bundled_lines()
        return
    assert corpus.extract_sentences(corpus_dir) == bundled_lines(), (
        "regenerate with: python -m xinfang_archive.demo.corpus"
    )
    assert (
        "信访工作是党和政府联系广大群众的主渠道，是维护社会稳定的“桥头堡”，是反映社情民意的“晴雨表”。"
        in bundled_lines()
    )


def test_load_sentences_from_a_given_directory(tmp_path):
    (tmp_path / "a.txt").write_text(
        "信访工作是党和政府联系群众的桥梁。要把问题解决在基层。", encoding="utf-8"
    )
    (tmp_path / "b.md").write_text("不读这个文件里面的任何句子。", encoding="utf-8")
    assert corpus.load_sentences(tmp_path) == [
        "信访工作是党和政府联系群众的桥梁。",
        "要把问题解决在基层。",
    ]
    with pytest.raises(FileNotFoundError):
        corpus.load_sentences(tmp_path / "missing")


def test_load_sentences_from_environment(tmp_path, monkeypatch):
    (tmp_path / "c.txt").write_text(
        "领导干部要带头接访下访化解矛盾。", encoding="utf-8"
    )
    monkeypatch.setenv(corpus.ENV_VARIABLE, str(tmp_path))
    assert corpus.find_corpus_dir() == tmp_path
    assert corpus.load_sentences() == ["领导干部要带头接访下访化解矛盾。"]


def test_load_sentences_falls_back_to_the_bundled_file(tmp_path, monkeypatch):
    monkeypatch.delenv(corpus.ENV_VARIABLE, raising=False)
    monkeypatch.setattr(corpus, "find_corpus_dir", lambda: None)
    assert corpus.load_sentences() == bundled_lines()


# people


def test_id_number_of_known_parts():
    assert id_number_problem(VALID_ID) is None
    assert people.id_number("110101", date(1990, 3, 7), 451) == VALID_ID


def test_random_petitioners_are_plausible():
    rng = random.Random(11)
    places = people.Places(parse_lines(DEFAULT_UNITS))
    towns = ("城关镇", "青山乡", "河西镇")
    today = local_today()
    sexes = Counter()
    for _i in range(500):
        row = people.random_petitioner(rng, places)
        assert set(row) == {"name", "id_number", "phone", "address", "representative"}
        assert CJK.match(row["name"]) and 2 <= len(row["name"]) <= 4
        number = row["id_number"]
        assert id_number_problem(number) is None, number
        assert number[17] == check_digit(number[:17])
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert 18 <= (today - born).days / 365.25 <= 90
        sexes[int(number[16]) % 2] += 1
        assert MOBILE.match(row["phone"]), row["phone"]
        assert row["address"].startswith(towns), row["address"]
        assert row["address"].endswith(("号", "室"))
    assert sexes[0] and sexes[1]
    assert len(people.random_phone(rng)) == 11


def test_village_addresses_name_their_township():
    rng = random.Random(1)
    places = people.Places(parse_lines(DEFAULT_UNITS))
    assert places.address(rng, "CGZ-DC").startswith("城关镇东村")
    assert places.full_title("HXZ-LT") == "河西镇柳塘村"
    assert places.township_of("QSX-SP") == "QSX"


# plans (no site needed)


def test_every_block_of_the_state_plan_holds_every_state():
    block = sum(n for _state, n in STATE_BLOCK)
    plan = state_plan(3 * block + 7, random.Random(5))
    assert len(plan) == 3 * block + 7
    for start in range(0, 3 * block, block):
        assert set(plan[start : start + block]) == set(STATES)
    counts = Counter(plan[: 3 * block])
    assert counts["closed"] == 3 * dict(STATE_BLOCK)["closed"]
    assert counts.most_common(1)[0][0] == "closed"


def test_timelines_keep_the_statutory_periods():
    rng = random.Random(2)
    today = local_today()
    overdue = Counter()
    years = set()
    for i in range(3000):
        state = STATES[i % len(STATES)]
        received, events, extension = plan_timeline(state, rng, today)
        days = [received] + [when for _t, when in events]
        assert days == sorted(days)
        assert days[-1] <= today
        assert received >= today - timedelta(days=4 * 365)
        when = dict(events)
        if "accept" in when:
            assert (when["accept"] - received).days <= 15
        if "reply" in when:
            assert (when["reply"] - when["accept"]).days <= 60 + extension
        if "extend" in when:
            assert 1 <= extension <= 30
            assert (when["extend"] - when["accept"]).days <= 60
        if "request_review" in when:
            assert (when["request_review"] - when["reply"]).days <= 30
        if "reply_review" in when:
            assert (when["reply_review"] - when["request_review"]).days <= 30
        if "request_rereview" in when:
            assert (when["request_rereview"] - when["reply_review"]).days <= 30
        if state in ("closed", "rejected"):
            years.add(received.year)
        elif state != "replied":
            # Open cases are recent.
            assert (today - received).days <= 200
            if state == "registered" and (today - received).days > 15:
                overdue[state] += 1
            if state == "in_review" and (today - when["request_review"]).days > 30:
                overdue[state] += 1
    assert len(years) >= 4
    assert overdue["registered"] > 20 and overdue["in_review"] > 20


# whole cases


@pytest.fixture()
def demo_cases(manager):
    progress = []
    cases = generate_cases(
        manager, 40, seed=3, progress=lambda done, total: progress.append((done, total))
    )
    return manager, cases, progress


def test_generate_cases(demo_cases):
    portal, cases, progress = demo_cases
    today = local_today()
    assert len(cases) == 40
    assert len(portal["cases"].objectIds()) == 40
    assert progress == [(n, 40) for n in range(1, 41)]

    states = Counter(api.content.get_state(case) for case in cases)
    assert set(states) == set(STATES)
    assert states.most_common(1)[0][0] == "closed"
    brains = api.content.find(portal_type="PetitionCase", review_state="closed")
    assert len(brains) == states["closed"]

    assert len({case.received_date.year for case in cases}) >= 3
    for field, name in (
        ("channel", "channels"),
        ("category", "categories"),
        ("grade", "grades"),
    ):
        codes = {
            row[0]
            for row in parse_lines(
                api.portal.get_registry_record(f"xinfang_archive.{name}")
            )
        }
        used = Counter(getattr(case, field) for case in cases)
        assert set(used) <= codes
        assert len(used) >= min(3, len(codes))
    flags = Counter(flag for case in cases for flag in case.flags)
    assert flags["collective"] and flags["skip_level"]

    # Cases are registered in the order of receipt: numbers follow the dates.
    assert [c.received_date for c in cases] == sorted(c.received_date for c in cases)
    for year in {case.received_date.year for case in cases}:
        numbers = [c.registration_number for c in cases if c.received_date.year == year]
        assert numbers == sorted(numbers)
    for case in cases:
        assert case.getId() == case.registration_number.lower()
        assert case.registration_number.startswith(f"XF-{case.received_date.year}-")
        rows = case.petitioners
        assert rows and case.people_count >= len(rows)
        assert sum(1 for row in rows if row["representative"]) <= 5
        if "collective" in case.flags:
            assert case.people_count >= 5
            assert 1 <= sum(1 for row in rows if row["representative"]) <= 5
        for row in rows:
            assert id_number_problem(row["id_number"]) is None
            assert MOBILE.match(row["phone"])
        clocks = [
            case.received_date,
            case.accepted_on,
            case.assigned_on,
            case.replied_on,
            case.review_requested_on,
            case.review_replied_on,
            case.rereview_requested_on,
            case.closed_on,
        ]
        present = [day for day in clocks if day]
        assert present == sorted(present), (case.getId(), clocks)
        assert all(day <= today for day in [*present, case.follow_up_date] if day)
        if case.accepted_on:
            assert (case.accepted_on - case.received_date).days <= 15
        history = case.workflow_history["xf_case_workflow"]
        times = [entry["time"] for entry in history]
        assert times == sorted(times)
        assert times[-1].asdatetime().date() <= today
        assert case.created().asdatetime().date() == case.received_date


def test_generated_cases_follow_the_workflow_rules(demo_cases):
    _portal, cases, _progress = demo_cases
    today = local_today()
    overdue = 0
    for case in cases:
        state = api.content.get_state(case)
        kinds = {reply.kind: reply for reply in replies(case)}
        for reply in kinds.values():
            assert reply.reply_date <= today
            assert NUMBER.match(reply.document_number), reply.document_number
        if state in ("rejected",) or (
            state == "closed" and "rejection_notice" in kinds
        ):
            assert "rejection_notice" in kinds and case.accepted_on is None
        if state in ("accepted", "in_progress", "replied", "in_review", "in_rereview"):
            assert case.accepted_on and "acceptance_notice" in kinds
        if state in ("in_progress", "replied", "in_review", "in_rereview"):
            assert case.responsible_unit and case.assigned_on
        if state in ("replied", "in_review", "in_rereview") or (
            state == "closed" and case.accepted_on
        ):
            opinion = kinds["handling_opinion"]
            assert opinion.outcome and opinion.reply_date >= case.accepted_on
            assert case.replied_on == opinion.reply_date
            assert case.outcome
        if case.extended_on:
            assert "extension_notice" in kinds and 1 <= case.extension_days <= 30
            assert case.extension_reason and case.extension_approved_by
        if state == "in_review":
            assert (
                case.review_requested_on
                and (case.review_requested_on - case.replied_on).days <= 30
            )
        if state == "in_rereview":
            assert "review_opinion" in kinds and case.rereview_requested_on
        deadline, _kind = current_deadline(case, state)
        if state in ("closed", "rejected"):
            assert deadline is None
        elif deadline is not None and deadline < today:
            overdue += 1
    open_cases = [
        c for c in cases if api.content.get_state(c) not in ("closed", "rejected")
    ]
    assert open_cases and overdue < len(open_cases)


def test_generated_texts_come_from_the_corpus(demo_cases):
    _portal, cases, _progress = demo_cases
    sentences = corpus.load_sentences()

    def from_corpus(text):
        return sum(1 for sentence in sentences if sentence in text)

    documents = 0
    for case in cases:
        assert from_corpus(case.summary) >= 2
        for reply in replies(case):
            assert from_corpus(reply.body.raw) >= 2
            assert reply.body.mimeType == "text/html"
        for document in [
            o for o in case.objectValues() if o.portal_type == "CaseDocument"
        ]:
            documents += 1
            data = document.file.data.decode("utf-8")
            assert document.file.contentType == "text/plain"
            assert document.file.filename.endswith(".txt")
            assert data.startswith(document.title) and from_corpus(data) >= 3
            assert document.responsible and document.classification == "internal"
            assert 1 <= document.pages <= 8
            assert document.document_date <= local_today()
            if document.document_number:
                assert NUMBER.match(document.document_number), document.document_number
    assert documents >= len(cases)


def test_same_seed_same_cases(manager):
    def sample(seed):
        generator = CaseGenerator(manager, seed=seed)
        rows = []
        for state, received, events, _extension in generator.plan(10):
            fields = generator.case_fields(state, received)
            rows.append(
                (state, received, events, fields["title"], fields["petitioners"])
            )
        return rows

    assert sample(8) == sample(8)
    assert sample(8) != sample(9)


def test_demo_has_open_and_done_supervisions(manager):
    from plone import api
    from xinfang_archive.demo.generator import generate_cases

    generate_cases(manager, 60, seed=5)
    found = [b.getObject() for b in api.content.find(portal_type="Supervision")]
    assert any(not s.done for s in found), "no open supervision"
    for supervision in found:
        assert supervision.due_date >= supervision.issued_on
        state = api.content.get_state(supervision.aq_parent)
        if supervision.done:
            assert state == "closed"
        else:
            assert state in ("in_progress", "in_review", "in_rereview")


def test_demo_cases_of_earlier_years_pass_the_filing_check(demo_cases):
    """Every closed demo case of an earlier year files cleanly, hearings
    included, as ``xinfang-archive init`` makes them (the demo data is valid
    archival data); this year's closed cases stay closed."""
    from Products.CMFCore.indexing import processQueue
    from xinfang_archive.demo.filing import file_earlier_years
    from xinfang_archive.demo.hearings import add_demo_hearings
    from xinfang_archive.savepoints import forget_catalog_query_cache

    portal, cases, _progress = demo_cases
    this_year = local_today().year

    def settled_hearings(hearings):
        """Hearings of closed cases of earlier years; each must be held with
        its minutes approved (or published), or the case cannot be filed."""
        count = 0
        for hearing in hearings:
            for case in (rel.to_object for rel in hearing.cases):
                if (
                    api.content.get_state(case) != "closed"
                    or case.closed_on.year == this_year
                ):
                    continue
                assert api.content.get_state(hearing) == "held", hearing.getId()
                (transcript,) = [
                    o
                    for o in hearing.objectValues()
                    if o.portal_type == "HearingTranscript"
                ]
                assert api.content.get_state(transcript) in ("approved", "published"), (
                    hearing.getId()
                )
                count += 1
        return count

    # Whichever seed: twelve draws of the demo's hearings, each rolled back.
    # The index queue is flushed first: in this layer CMFCore's queue is not
    # joined to the transaction, so a rollback would drop what it holds.
    processQueue()
    settled = 0
    for seed in range(12):
        savepoint = transaction.savepoint()
        settled += settled_hearings(add_demo_hearings(portal, seed=seed))
        savepoint.rollback()
        forget_catalog_query_cache()
    assert settled >= 12
    # Seed 11 gives hearings to three closed cases of earlier years.
    assert settled_hearings(add_demo_hearings(portal, seed=11)) == 3
    result = file_earlier_years(portal)
    assert not result.refused, [
        (c.getId(), [str(p.message) for p in ps]) for c, ps in result.refused
    ]
    earlier = [
        c
        for c in cases
        if c.closed_on
        and c.closed_on.year < this_year
        and api.content.get_state(c) in ("closed", "filed")
    ]
    assert earlier and all(api.content.get_state(c) == "filed" for c in earlier)
    assert all(
        c.archival_code.split("·")[1].startswith(str(c.closed_on.year)) for c in earlier
    )
    assert all(
        api.content.get_state(c) == "closed"
        for c in cases
        if c.closed_on and c.closed_on.year == this_year
    )


def test_demo_hearings_publish_masked_minutes(manager):
    from xinfang_archive.demo.generator import generate_cases
    from xinfang_archive.demo.hearings import add_demo_hearings
    from xinfang_archive.hearings.publication import notice_of

    generate_cases(manager, 120, seed=5)
    hearings = add_demo_hearings(manager, seed=5)
    assert hearings
    notices = []
    for hearing in hearings:
        case = hearing.cases[0].to_object
        assert hearing.hearing_number.startswith("TZ-")
        for transcript in hearing.objectValues():
            notice = notice_of(transcript)
            if notice is None:
                continue
            notices.append(notice)
            assert hearing.public
            text = " ".join(
                [notice.title, notice.agenda or ""]
                + [t["speaker"] + t["text"] for t in notice.turns]
            )
            for row in case.petitioners:
                assert row["name"] not in text
                assert not row.get("phone") or row["phone"] not in text
            assert hearing.chair in text
    assert notices, "the demo publishes some minutes"


def test_demo_staff_work_in_their_units(manager):
    """The demo staff: bureau roles, a handler in every unit and the heads;
    random passwords; each handler sees the routed cases of its unit only."""
    from plone.app.testing import login
    from xinfang_archive.demo.staff import add_demo_staff

    staff = add_demo_staff(manager, seed=3)
    users = {user_id: password for user_id, password, _role in staff}
    assert {
        "registrar",
        "archivist",
        "inspector",
        "organizer",
        "handler-jsj",
        "handler-cgz-dc",
        "head-cgz",
    } <= set(users)
    assert "head-cgz-dc" not in users  # a village has no units below it
    assert (
        len(set(users.values())) == len(users) and min(map(len, users.values())) >= 16
    )
    assert add_demo_staff(manager, seed=3) == []  # once
    cases = generate_cases(manager, 30, seed=4)
    routed = [c for c in cases if c.responsible_unit and c.assigned_on]
    assert routed and all(
        c.case_handler == f"handler-{c.responsible_unit.lower()}" for c in routed
    )
    unit = routed[0].responsible_unit
    login(manager, f"handler-{unit.lower()}")
    seen = {b.UID for b in api.content.find(portal_type="PetitionCase")}
    assert seen == {c.UID() for c in cases if c.responsible_unit == unit}


def test_demo_screening_reports_cover_every_unit_with_zero_late_and_missing(manager):
    from datetime import date
    from xinfang_archive.demo.screening import add_demo_screening
    from xinfang_archive.reports import screening

    today = date(2026, 11, 20)
    reports = add_demo_screening(manager, seed=2, today=today, periods=12)
    kind, day = screening.screening_settings()
    last = screening.last_due_period(today, kind, day)
    assert last == "2026-10"
    units = screening.report_units()
    periods = {report.period for report in reports}
    assert len(periods) == 12 and max(periods) == last and min(periods) == "2025-11"
    assert {report.unit for report in reports} == {code for code, _title in units}
    totals = {"reported": 0, "zero": 0, "missing": 0, "late": 0}
    for period in sorted(periods):
        _rows, counts = screening.period_status(
            units, screening.collect(manager["screening"], period), period, day, today
        )
        for key in totals:
            totals[key] += counts[key]
    assert all(totals.values()), (
        totals
    )  # some zero, some with disputes, some late, some missing
    states = {
        api.content.get_state(report) for report in reports if report.period == last
    }
    assert states == {"submitted"}
    assert {
        api.content.get_state(report) for report in reports if report.period != last
    } == {"accepted"}
    assert all(report.disputes for report in reports if not report.zero_report)
    assert (
        add_demo_screening(manager, seed=2, today=today, periods=12) == []
    )  # run again: nothing new


def test_demo_meetings_decide_on_cases_of_every_year_and_earlier_years_still_file(
    manager,
):
    """Meetings of every kind in every year of the demo cases, finalized
    (the latest perhaps under review), their decisions on the case pages
    and, for open cases, in the supervision list; the closed cases of
    earlier years still pass the filing check."""
    from xinfang_archive.demo.filing import file_earlier_years
    from xinfang_archive.demo.generator import generate_cases
    from xinfang_archive.demo.meetings import add_demo_meetings
    from xinfang_archive.meetings.decisions import decisions_on_case
    from xinfang_archive.meetings.decisions import find_case

    generate_cases(manager, 60, seed=5)
    meetings = add_demo_meetings(manager, seed=5)
    years = {m.meeting_date.year for m in meetings}
    assert len(years) >= 2
    assert {m.kind for m in meetings} == {"joint", "coordination", "leading_group"}
    states = [api.content.get_state(m) for m in meetings]
    assert set(states) <= {"finalized", "review"} and states.count("review") <= 1
    supervised = settled = 0
    for meeting in meetings:
        for row in meeting.decisions:
            case = find_case(row["case_number"])
            assert case.received_date <= meeting.meeting_date <= local_today()
            assert row["unit"] and (
                row["due_date"] is None or row["due_date"] >= meeting.meeting_date
            )
            if api.content.get_state(meeting) != "finalized":
                continue
            assert (meeting, row) in [(m, r) for m, r in decisions_on_case(case)]
            ours = [
                s
                for s in case.objectValues()
                if getattr(s, "meeting_uid", None) == meeting.UID()
            ]
            supervised += len(ours)
            settled += bool(row["settled"])
            assert len(ours) == (0 if row["settled"] else 1)
    assert supervised and settled
    result = file_earlier_years(manager)
    assert not result.refused, [
        (c.getId(), [str(p.message) for p in ps]) for c, ps in result.refused
    ]


def test_demo_reception_days(manager):
    """Cases on channel 领导接待日 are received at the reception day of their
    date, held, often with the leader's instruction; the coming days are
    published in advance; the days span several years."""
    from xinfang_archive.content.reception_links import RECEPTION_CHANNEL
    from xinfang_archive.content.reception_links import reception_of
    from xinfang_archive.demo.receptions import add_demo_receptions

    cases = generate_cases(manager, 150, seed=4)
    received = [case for case in cases if case.channel == RECEPTION_CHANNEL]
    assert len(received) >= 3
    for case in received:
        reception = reception_of(case)
        assert reception.reception_date == case.received_date
        assert api.content.get_state(reception) == "held"
        for row in reception.instructions:
            assert row["case_number"] in {c.registration_number for c in received}
    assert any(reception_of(case).instructions for case in received)
    assert len({case.received_date.year for case in received}) >= 2
    coming = add_demo_receptions(manager, seed=4)
    states = Counter(api.content.get_state(r) for r in coming)
    assert states == {"published": 3, "planned": 1}
    assert all(r.reception_date > local_today() for r in coming)
    held = [
        b.getObject()
        for b in api.content.find(portal_type="LeaderReception", review_state="held")
    ]
    assert held and all(r.minutes is not None for r in held)


def test_demo_accountability_records_over_the_years(demo_cases):
    """Decided accountability records over several years (overdue cases
    linked, supervisions ignored, missed screening reports), a few drafts;
    the earlier years' cases still file, and take their decided records."""
    from collections import Counter
    from xinfang_archive.archival.freeze import is_frozen
    from xinfang_archive.content.accountability import record_problems
    from xinfang_archive.demo.accountability import add_demo_accountability
    from xinfang_archive.demo.filing import file_earlier_years

    portal, _cases, _progress = demo_cases
    records = add_demo_accountability(portal, seed=3)
    states = Counter(api.content.get_state(record) for record in records)
    assert states["draft"] == 2 and states["decided"] == len(records) - 2
    assert len({record.decision_date.year for record in records}) >= 3
    causes = Counter(record.cause for record in records)
    assert (
        causes["overdue"] and causes["supervision_ignored"] and causes["missing_report"]
    )
    assert any(record.person_name for record in records)
    assert all(record_problems(record) == [] for record in records)
    for record in records:
        if record.cause == "overdue":
            (case,) = record.related_cases()
            assert case.responsible_unit == record.unit
    result = file_earlier_years(portal)
    assert not result.refused, [
        (c.getId(), [str(p.message) for p in ps]) for c, ps in result.refused
    ]
    for record in records:  # a decided record files with the last of its cases
        cases = record.related_cases()
        if cases and all(api.content.get_state(case) == "filed" for case in cases):
            assert is_frozen(record), record.getId()


def test_demo_archive_office_fills_every_screen(manager, tmp_path, monkeypatch):
    """Records due for appraisal, an appraisal waiting for the second archivist,
    one executed (a tombstone), a transfer package, a hold, and fixity runs,
    yesterday's finding the file the demo changed (restored since)."""
    from xinfang_archive.archival import disposition
    from xinfang_archive.archival.fixity import recorded_runs
    from xinfang_archive.archival.interfaces import ITombstone
    from xinfang_archive.demo.archive_office import legacy_cases
    from xinfang_archive.demo.archive_office import office_units
    from xinfang_archive.demo.filing import file_earlier_years
    from xinfang_archive.demo.staff import add_demo_staff

    monkeypatch.setenv("XINFANG_TRANSFER_DIR", str(tmp_path / "transfers"))
    add_demo_staff(manager, seed=3)
    generate_cases(manager, 30, seed=3)
    legacy = legacy_cases(manager, seed=3)
    assert {case.received_date.year for case in legacy} == {local_today().year - 12}
    assert not file_earlier_years(manager).refused
    assert {case.retention_period for case in legacy} == {"D10"}
    for _run in range(2):  # a second ``demo`` on the same site adds nothing twice
        for unit in office_units(manager, seed=3):
            unit()
    office = manager["archive-office"]
    appraisals = {
        api.content.get_state(a): a
        for a in office.objectValues()
        if a.portal_type == "Appraisal" and a.decision == "destroy"
    }
    assert set(appraisals) == {"executed", "proposed"}
    assert appraisals["executed"].approved_by == "archivist2"
    tombstones = [
        c for c in manager["cases"].objectValues() if ITombstone.providedBy(c)
    ]
    assert len(tombstones) == 1
    [transfer] = [
        a for a in office.objectValues() if getattr(a, "decision", "") == "transfer"
    ]
    assert (tmp_path / "transfers").is_dir() and transfer.transfer_sha256
    [hold] = [h for h in office.objectValues() if h.portal_type == "Hold"]
    assert api.content.get_state(hold) == "active"
    assert len(disposition.due_brains()) == len(legacy) - 1  # one destroyed
    today, yesterday, before = recorded_runs(manager)[
        :3
    ]  # newest first (of the 2nd run)
    assert before.ok and today.ok
    assert not yesterday.ok and yesterday.counts["changed"] == 1
