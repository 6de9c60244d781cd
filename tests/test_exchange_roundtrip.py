"""Round trip: export a site's records and import them into an empty site;
the second site then exports the very same records (metadata, files,
versions, workflow states and history, 档号, manifest, amendments)."""

from datetime import timedelta
from lxml import etree
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from tests.helpers.archival import add_document
from tests.helpers.archival import as_archivist
from tests.helpers.archival import as_manager
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.archival import make_pdf
from tests.helpers.cases import case_data
from tests.helpers.hearings import published_minutes
from tests.helpers.relations import relation
from xinfang_archive.exchange.importer import IMPORTED
from xinfang_archive.exchange.importer import Importer
from xinfang_archive.exchange.package import build_package
from xinfang_archive.exchange.verify import verify_package
from xinfang_archive.exchange.writer import exchange_bytes
from zope.component.hooks import setSite
from zope.lifecycleevent import modified

import difflib
import transaction


def rich_records(portal):
    """A filed case (related to an earlier case that is not exported) with
    an edited (two-version) document, a reply, a supervision and an
    amendment; a second case in progress that refers to
    it; a held hearing on the second case with published minutes; a
    finalized coordination meeting that decided on both cases; a decided
    accountability record on the second case naming a person; the leader's
    reception day the second case was received at, held, with its minutes,
    an instruction and a follow-up on it, edited once; a filed screening
    report of two disputes, one of which became the second case; another
    unit's zero report that the accountability record names."""
    from plone.dexterity.utils import createContentInContainer
    from xinfang_archive.archival.amend import amend

    earlier = api.content.create(
        container=portal["cases"],
        type="PetitionCase",
        **case_data(title="早年的同一事项"),
    )  # never exported
    first = api.content.create(
        container=portal["cases"],
        type="PetitionCase",
        **case_data(related_cases=[relation(earlier)]),
    )
    document = add_document(first)
    document.title = "调查报告（修订）"
    document.file = NamedBlobFile(
        data=make_pdf(3, "revised"),
        filename="report-v2.pdf",
        contentType="application/pdf",
    )
    document.pages = 3
    modified(document)  # the second version, as an edit form makes it
    createContentInContainer(
        first,
        "Supervision",
        checkConstraints=False,
        method="phone",
        issued_by="市信访局",
        issued_on=first.received_date,
        due_date=first.received_date,
        instructions="请尽快办理。",
    )
    close_case(first)
    as_archivist(portal)
    do(first, "file")
    amend(document, {"responsible": "住房和城乡建设局办公室"}, reason="责任者名称有误")
    as_manager(portal)
    from datetime import time

    reception = (
        createContentInContainer(  # 领导接待日: the second case was received there
            portal["receptions"],
            "LeaderReception",
            leader="周建国",
            post="副县长",
            reception_date=first.received_date,
            start_time=time(9),
            end_time=time(11),
            place="接待大厅",
        )
    )
    second = api.content.create(
        container=portal["cases"],
        type="PetitionCase",
        **case_data(
            title="拆迁安置房质量问题",
            related_cases=[relation(first)],
            channel="reception_day",
            reception=relation(reception),
        ),
    )
    do(reception, "hold")
    reception.minutes = RichTextValue(
        "<p>周建国副县长接待了拆迁安置房质量问题的信访人。</p>",
        "text/html",
        "text/x-html-safe",
    )
    reception.instructions = [
        {
            "case_number": second.registration_number,
            "instructed_on": first.received_date,
            "instruction": "请自然资源局会同住建局一周内复核。",
        }
    ]
    reception.follow_ups = [
        {
            "case_number": second.registration_number,
            "day": first.received_date + timedelta(days=1),
            "note": "已询问复核进度。",
        }
    ]
    modified(reception)  # its second version
    from tests.helpers.screening import dispute
    from xinfang_archive.content.dispute_link import dispute_key
    from xinfang_archive.content.dispute_link import link

    day = first.received_date
    report = api.content.create(
        container=portal["screening"],
        type="ScreeningReport",
        title="",
        unit="JSJ",
        period=f"{day.year}-{day.month:02d}",
        zero_report=False,
        notes="两起纠纷，一起已转信访件。",
        disputes=[
            dispute(
                matter="拆迁安置房质量问题",
                parties="安置小区业主约30户",
                category="urban",
            ),
            dispute(matter="物业费纠纷", deadline=None),
        ],
    )
    do(report, "submit")
    link(report, dispute_key(report.disputes[0]), second)
    do(report, "accept")
    as_archivist(portal)
    do(report, "file")
    as_manager(portal)
    do(second, "accept")
    hearing, _transcript, _notice = published_minutes(portal, second)
    meeting = api.content.create(
        container=portal["meetings"],
        type="CoordinationMeeting",
        title="",
        kind="leading_group",
        meeting_date=second.received_date,
        chair="李建国（副县长）",
        attendee_units=["JSJ", "ZRZY"],
        attendees=["王强（住建局局长）", "陈明（自然资源局副局长）"],
        decisions=[
            {
                "case_number": first.registration_number,
                "unit": "JSJ",
                "due_date": None,
                "instructions": "维持原处理意见。",
                "settled": True,
            },
            {
                "case_number": second.registration_number,
                "unit": "ZRZY",
                "due_date": second.received_date + timedelta(days=30),
                "instructions": "自然资源局牵头复核安置房质量。",
                "settled": False,
            },
        ],
        minutes=RichTextValue(
            "<p>会议研究了两件信访事项。</p>", "text/html", "text/x-html-safe"
        ),
    )
    do(meeting, "submit")
    do(meeting, "finalize")
    from xinfang_archive.localtime import local_today

    late = api.content.create(  # a zero report the accountability record also names
        container=portal["screening"],
        type="ScreeningReport",
        title="",
        unit="ZRZY",
        period=f"{day.year}-{day.month:02d}",
        zero_report=True,
        disputes=[],
    )
    do(late, "submit")
    accountability = api.content.create(
        container=portal["accountability"],
        type="AccountabilityRecord",
        title="",
        unit="JSJ",
        cause="other",
        linked_cases=[relation(second)],
        screening_reports=[relation(late)],
        measure="talk",
        facts="逾期办理，其排查报告亦迟报。",
        authority="县信访局",
        decision_date=local_today(),
        person_name="东方志明",
        person_post="副局长",
    )
    do(accountability, "decide")
    transaction.commit()
    return first, second, hearing, meeting, accountability, reception, report, late


def comparable(data):
    """Exchange XML without the export's own time stamp."""
    root = etree.fromstring(data)
    root.attrib.pop("created", None)
    return etree.tostring(root, encoding="unicode")


def empty_site(app):
    from plone.app.testing import login
    from plone.app.testing import SITE_OWNER_NAME
    from Products.CMFPlone.factory import addPloneSite

    login(app, SITE_OWNER_NAME)  # the owner of the Zope root, Manager in every site
    site = addPloneSite(
        app,
        "second",
        extension_ids=("plone.app.contenttypes:default", "xinfang_archive:default"),
        setup_content=False,
    )
    setSite(site)
    transaction.commit()
    return site


def test_export_then_import_into_an_empty_site_gives_the_same_records(
    site, functional_app, tmp_path
):
    first, second, hearing, meeting, accountability, reception, screening, late = (
        rich_records(site)
    )
    before = {
        obj.UID(): comparable(exchange_bytes([obj]))
        for obj in (
            first,
            second,
            hearing,
            meeting,
            accountability,
            reception,
            screening,
            late,
        )
    }
    outside_uid = first.related_cases[0].to_object.UID()
    package = tmp_path / "package"
    result = build_package([first, second], package)
    assert verify_package(package).ok
    assert (
        result.cases == 2
        and result.hearings == 1
        and result.meetings == 1
        and result.accountability == 1
    )
    assert result.receptions == 1 and result.screening == 2 and result.shared == []
    # the default rules' warnings about these records only come along (whole, like a hearing)
    inside = {obj.UID() for obj in (first, second, reception, screening, late)}
    warnings = [w for w in site["warnings"].objectValues() if set(w.records) <= inside]
    assert result.warnings == len(warnings)
    assert {p.name for p in (package / "data").glob("warnings/*")} == {
        w.getId() for w in warnings
    }
    before.update({w.UID(): comparable(exchange_bytes([w])) for w in warnings})
    # what a reception day and a report are in the package's DA/T 46 metadata
    dat46 = (
        package
        / "data"
        / "screening"
        / screening.getId()
        / "metadata"
        / "_screening.xml"
    ).read_text("utf-8")
    assert (
        "矛盾纠纷排查报告" in dat46
        and screening.archival_code in dat46
        and "住房和城乡建设局" in dat46
    )
    dat46 = (
        package
        / "data"
        / "receptions"
        / reception.getId()
        / "metadata"
        / "_reception.xml"
    ).read_text("utf-8")
    assert "领导信访接待日记录" in dat46 and "周建国（副县长）" in dat46
    # the filed report's own filing is among the package's events
    events = etree.parse(str(package / "data" / "events.xml")).getroot()
    filings = [
        e
        for e in events.iter()
        if (e.text or "").startswith(f"归档立案，档号 {screening.archival_code}")
    ]
    assert len(filings) == 1

    other = empty_site(functional_app)
    report = Importer(other).run([package])
    assert [o.status for o in report.outcomes] == [IMPORTED] * (8 + len(warnings)), [
        o.texts() for o in report.outcomes
    ]
    # reception days and screening reports first: the cases name them
    assert [o.kind for o in report.outcomes[:4]] == [
        "reception",
        "screening",
        "screening",
        "case",
    ]
    transaction.begin()

    def get(uid):
        [brain] = other.portal_catalog.unrestrictedSearchResults(UID=uid)
        return brain._unrestrictedGetObject()

    for uid, expected in before.items():
        imported = get(uid)
        assert imported is not None and imported.getPhysicalPath()[1] == "second"
        again = comparable(exchange_bytes([imported]))
        assert again == expected, "\n".join(
            difflib.unified_diff(
                expected.splitlines(), again.splitlines(), lineterm="", n=1
            )
        )

    copy = get(first.UID())
    assert api.content.get_state(copy) == "filed"
    assert copy.archival_code == first.archival_code
    # byte-identical files, the versions with their times, authors and comments
    doc_copy = copy[next(i for i in copy.objectIds() if i.startswith("diao"))]
    original = first[doc_copy.getId()]
    assert doc_copy.file.data == original.file.data
    history = other.portal_repository.getHistoryMetadata(doc_copy)
    assert history.getLength(countPurged=False) == 3  # first, edited, amended
    # the numbering register knows the number; the manifest still proves the records
    from xinfang_archive.archival.codes import parse
    from xinfang_archive.archival.fixity import run_fixity
    from xinfang_archive.archival.numbering import group_state

    assert (
        group_state(parse(copy.archival_code).group, other).items[copy.item_number]
        == copy.UID()
    )
    assert run_fixity(other).ok
    # the relation and the hearing point at the imported cases
    second_copy = get(second.UID())
    assert second_copy.related_cases[0].to_object.UID() == first.UID()
    # the reception day came with the package: held again, its record of the day
    # on the imported case, which it receives again
    from xinfang_archive.content.dispute_link import case_links
    from xinfang_archive.content.dispute_link import dispute_key
    from xinfang_archive.content.dispute_link import source_of
    from xinfang_archive.content.reception_links import received_cases

    reception_copy = get(reception.UID())
    assert second_copy.reception.to_object.UID() == reception.UID()
    assert received_cases(reception_copy) == [second_copy]
    assert api.content.get_state(reception_copy) == "held"
    assert (
        reception_copy.instructions[0]["instruction"]
        == "请自然资源局会同住建局一周内复核。"
    )
    assert (
        other.portal_repository.getHistoryMetadata(reception_copy).getLength(
            countPurged=False
        )
        == 2
    )
    # the screening report is filed under its own 档号; its dispute and the case are linked both ways
    screening_copy = get(screening.UID())
    assert screening_copy.getPhysicalPath()[1:] == (
        "second",
        "screening",
        screening.getId(),
    )
    assert api.content.get_state(screening_copy) == "filed"
    assert screening_copy.archival_code == screening.archival_code
    key = dispute_key(screening.disputes[0])
    assert case_links(screening_copy) == {key: second.UID()}
    assert source_of(second_copy) == (screening.UID(), key)
    assert get(hearing.UID()).cases[0].to_object.UID() == second.UID()
    assert get(accountability.UID()).linked_cases[0].to_object.UID() == second.UID()
    assert get(accountability.UID()).screening_reports[0].to_object.UID() == late.UID()
    # the meeting is final again, its decisions on the imported cases
    meeting_copy = get(meeting.UID())
    assert api.content.get_state(meeting_copy) == "finalized"
    assert meeting_copy.case_numbers() == [
        first.registration_number,
        second.registration_number,
    ]
    assert meeting_copy.decisions[1]["due_date"] == second.received_date + timedelta(
        days=30
    )
    # the published minutes are public again
    from xinfang_archive.hearings.publication import notice_of

    transcript = get(hearing.UID()).objectValues()[0]
    assert api.content.get_state(notice_of(transcript)) == "published"
    # the earlier case is not in the second archive: the relation remembers it
    [outside] = copy.related_cases
    assert outside.to_object is None and outside.target_uid == outside_uid
    assert any("不在档案馆中" in warning for warning in report.warnings)


def test_accountability_records_round_trip(site, functional_app, tmp_path):
    """An accountability record naming a person and a case, decided, with a
    second version: exported after its case, imported into an empty site, it
    exports the very same (the relation points at the imported case)."""
    from xinfang_archive.localtime import local_today

    case = api.content.create(
        container=site["cases"], type="PetitionCase", **case_data()
    )
    record = api.content.create(
        container=site["accountability"],
        type="AccountabilityRecord",
        title="",
        unit="JSJ",
        cause="overdue",
        linked_cases=[relation(case)],
        measure="admonition",
        facts="逾期办理。",
        authority="县信访工作联席会议",
        decision_date=local_today(),
        person_name="东方志明",
        person_post="副局长",
        screening_periods=["2026-10"],
    )
    record.facts = "逾期办理，经督查属实。"
    modified(record)
    do(record, "decide")
    transaction.commit()
    before = comparable(exchange_bytes([record]))
    assert "东方志明" in before and "accountability" in before
    path = tmp_path / "exchange.xml"
    path.write_bytes(exchange_bytes([case, record]))

    other = empty_site(functional_app)
    report = Importer(other).run([path])
    assert [o.status for o in report.outcomes] == [IMPORTED] * 2, [
        o.texts() for o in report.outcomes
    ]
    transaction.begin()
    [brain] = other.portal_catalog.unrestrictedSearchResults(UID=record.UID())
    copy = brain._unrestrictedGetObject()
    assert copy.getPhysicalPath()[1:3] == ("second", "accountability")
    assert copy.getId() == record.getId() and api.content.get_state(copy) == "decided"
    again = comparable(exchange_bytes([copy]))
    assert again == before, "\n".join(
        difflib.unified_diff(before.splitlines(), again.splitlines(), lineterm="", n=1)
    )
    assert copy.linked_cases[0].to_object.UID() == case.UID()
    assert copy.linked_cases[0].to_object.getPhysicalPath()[1] == "second"


def test_a_reception_day_or_report_coming_after_its_case_is_linked_at_the_end(
    site, functional_app, tmp_path
):
    """A directory whose first file holds a case received at a reception day
    and made from a screened dispute, and whose second file holds the day and
    the report: the case comes in first, its reception relation kept broken,
    and is linked to both once they are in."""
    from datetime import time
    from plone.dexterity.utils import createContentInContainer
    from tests.helpers.screening import dispute
    from xinfang_archive.content.dispute_link import case_links
    from xinfang_archive.content.dispute_link import dispute_key
    from xinfang_archive.content.dispute_link import link
    from xinfang_archive.content.dispute_link import source_of

    day = case_data()["received_date"]
    reception = createContentInContainer(
        site["receptions"],
        "LeaderReception",
        leader="周建国",
        post="副县长",
        reception_date=day,
        start_time=time(14, 30),
        end_time=time(17),
        place="县信访局接待大厅",
    )
    case = api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(channel="reception_day", reception=relation(reception)),
    )
    report = api.content.create(
        container=site["screening"],
        type="ScreeningReport",
        title="",
        unit="JSJ",
        period=f"{day.year}-{day.month:02d}",
        disputes=[dispute()],
    )
    do(report, "submit")
    link(report, dispute_key(report.disputes[0]), case)
    transaction.commit()
    before = {
        obj.UID(): comparable(exchange_bytes([obj]))
        for obj in (case, reception, report)
    }
    folder = tmp_path / "migration"
    folder.mkdir()
    (folder / "1-cases.xml").write_bytes(exchange_bytes([case]))
    (folder / "2-records.xml").write_bytes(exchange_bytes([report, reception]))

    other = empty_site(functional_app)
    result = Importer(other).run([folder])
    assert [(o.kind, o.status) for o in result.outcomes] == [
        ("case", IMPORTED),
        ("reception", IMPORTED),
        ("screening", IMPORTED),
    ], [o.texts() for o in result.outcomes]
    transaction.begin()

    def get(uid):
        [brain] = other.portal_catalog.unrestrictedSearchResults(UID=uid)
        return brain._unrestrictedGetObject()

    copy = get(case.UID())
    assert copy.reception.to_object.UID() == reception.UID()
    assert copy.reception.to_object.getPhysicalPath()[1] == "second"
    assert source_of(copy) == (report.UID(), dispute_key(report.disputes[0]))
    assert case_links(get(report.UID())) == {
        dispute_key(report.disputes[0]): case.UID()
    }
    assert get(reception.UID()).start_time == time(14, 30)
    for uid, expected in before.items():
        again = comparable(exchange_bytes([get(uid)]))
        assert again == expected, "\n".join(
            difflib.unified_diff(
                expected.splitlines(), again.splitlines(), lineterm="", n=1
            )
        )


def test_a_second_report_for_a_unit_and_period_is_refused_and_nothing_saved(
    site, tmp_path
):
    """The archive keeps one screening report per unit and period: a report
    from elsewhere (another UID) for a unit and period already reported is
    refused with a Chinese message, and nothing of it is written; the other
    records of the file come in."""
    from datetime import time
    from plone.dexterity.utils import createContentInContainer
    from tests.helpers.screening import dispute
    from uuid import uuid4
    from xinfang_archive.exchange.importer import FAILED

    report = api.content.create(
        container=site["screening"],
        type="ScreeningReport",
        title="",
        unit="JSJ",
        period="2026-10",
        disputes=[dispute()],
    )
    reception = createContentInContainer(
        site["receptions"],
        "LeaderReception",
        leader="周建国",
        post="副县长",
        reception_date=case_data()["received_date"],
        start_time=time(9),
        end_time=time(11),
        place="接待大厅",
    )
    transaction.commit()
    root = etree.fromstring(exchange_bytes([report, reception]))
    reception_element, foreign = (
        root  # the writer puts reception days first, as the schema asks
    )
    assert foreign.tag.endswith("screening")
    foreign.set("uid", uuid4().hex)  # the same unit and period from another system
    foreign.set("id", "jsj-2026-10-copy")
    reception_element.set("uid", uuid4().hex)
    path = tmp_path / "exchange.xml"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    reports_before = len(site["screening"].objectIds())

    result = Importer(site).run([path])
    assert [(o.kind, o.status) for o in result.outcomes] == [
        ("reception", IMPORTED),
        ("screening", FAILED),
    ]
    [refused] = result.outcomes[1].texts()
    assert (
        refused
        == "住房和城乡建设局已有 2026-10 的矛盾纠纷排查报告，每个单位每期只报一份。"
    )
    transaction.begin()
    assert len(site["screening"].objectIds()) == reports_before
    assert not site.portal_catalog.unrestrictedSearchResults(UID=foreign.get("uid"))
    assert site.portal_catalog.unrestrictedSearchResults(
        UID=reception_element.get("uid")
    )


def test_a_filed_case_keeps_the_leaders_instructions_copied_at_its_filing(
    site, functional_app, tmp_path
):
    """The instructions and follow-ups a reception day gave on a case are
    copied into the case when it is filed: they travel in its archival data."""
    from datetime import time
    from plone.dexterity.utils import createContentInContainer

    as_manager(site)
    day = case_data()["received_date"]
    reception = createContentInContainer(
        site["receptions"],
        "LeaderReception",
        leader="周建国",
        post="副县长",
        reception_date=day,
        start_time=time(9),
        end_time=time(11),
        place="县信访局接待大厅",
    )
    case = api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(channel="reception_day", reception=relation(reception)),
    )
    do(reception, "hold")
    reception.instructions = [
        {
            "case_number": case.registration_number,
            "instructed_on": day,
            "instruction": "请住建局十五日内答复信访人。",
        }
    ]
    reception.follow_ups = [
        {
            "case_number": case.registration_number,
            "day": day + timedelta(days=10),
            "note": "电话过问，已完成调查核实。",
        }
    ]
    add_document(case)
    close_case(case)
    as_archivist(site)
    do(case, "file")
    as_manager(site)
    record = dict(case.reception_record)
    assert record["instructions"][0]["instruction"] == "请住建局十五日内答复信访人。"
    transaction.commit()
    data = exchange_bytes([reception, case])
    assert "请住建局十五日内答复信访人。".encode() in data
    expected = comparable(exchange_bytes([case]))
    (tmp_path / "records.xml").write_bytes(data)

    other = empty_site(functional_app)
    result = Importer(other).run([tmp_path / "records.xml"])
    assert [o.status for o in result.outcomes] == [IMPORTED, IMPORTED], [
        o.texts() for o in result.outcomes
    ]
    transaction.begin()
    [brain] = other.portal_catalog.unrestrictedSearchResults(UID=case.UID())
    copy = brain._unrestrictedGetObject()
    assert copy.reception_record == record
    assert comparable(exchange_bytes([copy])) == expected


def test_a_filed_warning_travels_with_its_case_and_comes_back_the_same(
    site, staff_users, functional_app, tmp_path
):
    """A warning about the packed case only goes in the package (data/warnings/),
    filed with its 档号; the second site holds the very same warning, and the
    import does not run the rules again on the case it brings."""
    from plone.app.testing import login
    from tests.helpers.earlywarning import set_rules
    from xinfang_archive.earlywarning.acknowledge import acknowledge
    from xinfang_archive.earlywarning.scheduling import flush

    as_manager(site)
    set_rules(collective_rules=["big|较大规模集体访|50"])
    case = api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(people_count=60, flags={"collective"}, responsible_unit="JSJ"),
    )
    (warning,) = flush()
    login(site, "registrar")
    acknowledge(warning, "已联系属地乡镇落实稳控。")
    login(site, "archivist")
    do(warning, "file")
    as_manager(site)
    transaction.commit()
    expected = comparable(exchange_bytes([warning]))
    assert warning.archival_code.encode() in exchange_bytes(
        [warning]
    )  # its archival data travel with it

    result = build_package([case], tmp_path / "package")
    assert result.warnings == 1 and verify_package(tmp_path / "package").ok
    assert (
        tmp_path / "package" / "data" / "warnings" / warning.getId() / "exchange.xml"
    ).exists()
    dat46 = (
        tmp_path
        / "package"
        / "data"
        / "warnings"
        / warning.getId()
        / "metadata"
        / "_warning.xml"
    )
    assert "社会稳定预警记录" in dat46.read_text("utf-8")

    other = empty_site(functional_app)
    report = Importer(other).run([tmp_path / "package"])
    assert [(o.kind, o.status) for o in report.outcomes] == [
        ("case", IMPORTED),
        ("warning", IMPORTED),
    ], [o.texts() for o in report.outcomes]
    transaction.begin()
    assert list(other["warnings"].objectIds()) == [
        warning.getId()
    ]  # the rules did not run on the imported case
    copy = other["warnings"][warning.getId()]
    assert (
        api.content.get_state(copy) == "filed"
        and copy.archival_code == warning.archival_code
    )
    assert copy.records == [case.UID()]
    assert comparable(exchange_bytes([copy])) == expected
