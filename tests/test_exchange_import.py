"""Importing exchange XML into the site: checks, per-item errors, dry run,
idempotence, versions, states and the archival data of filed cases."""

from lxml import etree
from plone import api
from tests.helpers.archival import add_document
from tests.helpers.archival import as_archivist
from tests.helpers.archival import as_manager
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.archival import make_pdf
from tests.helpers.cases import case_data
from tests.helpers.exchange import exchange_document
from tests.helpers.exchange import file_element
from tests.helpers.exchange import legacy_case
from xinfang_archive.exchange.importer import CHECKED
from xinfang_archive.exchange.importer import FAILED
from xinfang_archive.exchange.importer import IMPORTED
from xinfang_archive.exchange.importer import Importer
from xinfang_archive.exchange.importer import SKIPPED
from xinfang_archive.exchange.safexml import load_schema
from xinfang_archive.exchange.writer import exchange_bytes

import hashlib
import pytest
import transaction


def run_import(site, tmp_path, data, name="import.xml", **options):
    path = tmp_path / name
    path.write_bytes(data)
    return Importer(site, **options).run([path])


def cases_numbered(site, number):
    return site.portal_catalog.unrestrictedSearchResults(
        portal_type="PetitionCase", registration_number=number
    )


def outcome(report, identifier):
    return next(o for o in report.outcomes if o.identifier == identifier)


def test_legacy_cases_are_imported_and_bad_ones_reported_and_skipped(site, tmp_path):
    good = legacy_case("JX-2021-000001", state="accepted")
    bad_date = legacy_case("JX-2021-000002", received="2021-02-30")
    bad_code = legacy_case("JX-2021-000003", channel="fax")
    pdf = make_pdf(1)
    bad_checksum = legacy_case(
        "JX-2021-000004", file_xml=file_element(pdf, sha256="0" * 64)
    )
    escaping = legacy_case(
        "JX-2021-000005", file_xml=file_element(pdf, href="../../etc/passwd")
    )
    no_file = legacy_case(
        "JX-2021-000006", file_xml=file_element(pdf, href="files/missing.pdf")
    )
    report = run_import(
        site,
        tmp_path,
        exchange_document(good, bad_date, bad_code, bad_checksum, escaping, no_file),
    )
    assert [o.status for o in report.outcomes] == [IMPORTED] + [FAILED] * 5
    texts = {o.identifier: " ".join(o.texts()) for o in report.outcomes}
    assert "XSD" in texts["JX-2021-000002"] and "2021-02-30" in texts["JX-2021-000002"]
    assert "渠道" in texts["JX-2021-000003"]
    assert "SHA-256" in texts["JX-2021-000004"]
    assert (
        "导入范围之外" in texts["JX-2021-000005"]
        or "相对路径" in texts["JX-2021-000005"]
    )
    assert "缺失" in texts["JX-2021-000006"] or "找不到" in texts["JX-2021-000006"]
    transaction.begin()
    imported = cases_numbered(site, "JX-2021-000001")[0]._unrestrictedGetObject()
    assert api.content.get_state(imported) == "accepted"
    assert imported.getId() == "jx-2021-000001"
    assert imported.petitioners[0]["name"] == "赵六"
    [document] = imported.objectValues()
    assert document.file.data.startswith(b"%PDF") and document.title == "来信原件1"
    history = imported.workflow_history["xf_case_workflow"]
    assert [e["review_state"] for e in history] == ["registered", "accepted"]
    assert history[-1]["comments"] == "旧系统迁移" and history[-1]["actor"] == "legacy"
    assert imported.created().ISO8601().startswith("2021-03-04T09:00:00")
    for number in (
        "JX-2021-000002",
        "JX-2021-000003",
        "JX-2021-000004",
        "JX-2021-000005",
    ):
        assert not cases_numbered(site, number)
    # searchable like any case, and it has its own query code
    assert site.portal_catalog(SearchableText="村道破损")
    from xinfang_archive.publicquery.codes import code_of

    assert code_of(imported)
    # its package's events say when and from what this archive took it in
    from xinfang_archive.exchange.describe import case_events

    creation, ingestion = case_events(imported)
    assert (creation.type, ingestion.type) == ("creation", "ingestion")
    assert (
        ingestion.detail == "导入：import.xml（来自 旧信访系统）"
        and ingestion.agent == api.user.get_current().getId()
    )


def test_dry_run_reports_and_writes_nothing(site, tmp_path):
    before = len(site.portal_catalog.unrestrictedSearchResults())
    data = exchange_document(
        legacy_case("JX-2021-000011"), legacy_case("JX-2021-000012", channel="fax")
    )
    report = run_import(site, tmp_path, data, dry_run=True)
    assert [o.status for o in report.outcomes] == [CHECKED, FAILED]
    transaction.begin()
    assert len(site.portal_catalog.unrestrictedSearchResults()) == before
    assert not cases_numbered(site, "JX-2021-000011")


def test_running_again_skips_what_is_there_and_clashes_are_refused(site, tmp_path):
    uid = "a" * 32
    data = exchange_document(
        legacy_case("JX-2021-000021", uid=uid), legacy_case("JX-2021-000022")
    )
    first = run_import(site, tmp_path, data)
    again = run_import(site, tmp_path, data)
    assert [o.status for o in first.outcomes] == [IMPORTED, IMPORTED]
    assert [o.status for o in again.outcomes] == [SKIPPED, SKIPPED]
    transaction.begin()
    assert len(cases_numbered(site, "JX-2021-000021")) == 1
    clash = run_import(
        site,
        tmp_path,
        exchange_document(legacy_case("JX-2021-000023", uid=uid)),
        "b.xml",
    )
    assert clash.outcomes[0].status == FAILED and uid in " ".join(
        clash.outcomes[0].texts()
    )
    assert not cases_numbered(site, "JX-2021-000023")


def test_a_number_given_twice_or_missing_is_refused(site, tmp_path):
    twice = exchange_document(
        legacy_case("JX-2021-000031"), legacy_case("JX-2021-000031")
    )
    report = run_import(site, tmp_path, twice)
    # the schema's identity constraint names the second one
    assert [o.status for o in report.outcomes] == [IMPORTED, FAILED]
    assert "XSD" in " ".join(report.outcomes[1].texts())
    nameless = legacy_case("JX-2021-000032").replace(
        "<registration_number>JX-2021-000032</registration_number>", ""
    )
    report = run_import(site, tmp_path, exchange_document(nameless), "nameless.xml")
    assert (
        report.outcomes[0].status == FAILED
        and "登记编号" in report.outcomes[0].texts()[0]
    )


@pytest.mark.parametrize(
    "payload, expected",
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><exchange>&c;</exchange>',
            "DTD",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            "DTD",
        ),
        (b"<exchange><case>", "1"),
    ],
)
def test_hostile_and_broken_files_are_refused_with_a_clear_message(
    site, tmp_path, payload, expected
):
    report = run_import(site, tmp_path, payload)
    assert not report.outcomes and len(report.refused_files) == 1
    assert expected in report.refused_files[0][1]


def test_oversized_files_are_refused_before_parsing(site, tmp_path):
    data = exchange_document(legacy_case("JX-2021-000041"))
    report = run_import(site, tmp_path, data, max_bytes=len(data) - 1)
    assert report.refused_files and not report.outcomes
    transaction.begin()
    assert not cases_numbered(site, "JX-2021-000041")


# --- our own records: versions, states and archival data -----------------------


@pytest.fixture()
def filed_case(site):
    case = api.content.create(
        container=site["cases"], type="PetitionCase", **case_data()
    )
    add_document(case)
    close_case(case)
    as_archivist(site)
    do(case, "file")
    as_manager(site)
    transaction.commit()
    return case


def test_export_validates_against_the_schema(filed_case):
    data = exchange_bytes([filed_case])
    root = etree.fromstring(data)
    schema = load_schema("exchange.xsd")
    assert schema.validate(root), schema.error_log
    assert (
        root.find(f"{{{root.nsmap[None]}}}case/{{{root.nsmap[None]}}}archival")
        is not None
    )
    # the petitioner's secret query code is never written
    from xinfang_archive.publicquery.codes import code_of

    assert code_of(filed_case) and code_of(filed_case).encode() not in data


def _renumbered(data, case):
    """The export of ``case`` as another case: new UIDs, number and 档号 item."""
    text = data.decode("utf-8")
    for obj in [case, *list(case.objectValues())]:
        text = text.replace(obj.UID(), hashlib.md5(obj.UID().encode()).hexdigest())
    text = text.replace(case.registration_number, case.registration_number + "9")
    text = text.replace(case.archival_code, case.archival_code[:-4] + "0999")
    text = text.replace(
        "<item_number>1</item_number>", "<item_number>999</item_number>"
    )
    return text.replace(f'id="{case.getId()}"', 'id="renumbered"').encode("utf-8")


def test_a_filed_case_whose_records_differ_from_its_manifest_is_refused_whole(
    site, filed_case, tmp_path
):
    from xinfang_archive.archival.codes import parse
    from xinfang_archive.archival.numbering import group_state

    data = _renumbered(exchange_bytes([filed_case]), filed_case)
    before = len(site.portal_catalog.unrestrictedSearchResults())
    report = run_import(site, tmp_path, data)
    [item] = report.outcomes
    assert item.status == FAILED, item.texts()
    assert any("摘要" in text for text in item.texts())
    assert report.versions == report.files == 0  # nothing of it is counted
    transaction.begin()
    assert "renumbered" not in site["cases"]
    assert len(site.portal_catalog.unrestrictedSearchResults()) == before
    group = group_state(parse(filed_case.archival_code).group)
    assert 999 not in group.items and group.last == 1


def test_the_upgrade_rebases_relation_digests_only_where_the_record_is_unchanged(
    site, filed_case
):
    from tests.helpers.relations import relation
    from xinfang_archive.archival.fixity import run_fixity
    from xinfang_archive.archival.freeze import amending
    from xinfang_archive.archival.manifest import legacy_relation_id
    from xinfang_archive.archival.manifest import metadata_digest
    from xinfang_archive.upgrades.exchange import rebase_relation_digests

    other = api.content.create(
        container=site["cases"], type="PetitionCase", **case_data(title="另一件")
    )
    with amending(filed_case):
        filed_case.related_cases = [relation(other)]
    # as filing wrote it before 1004: the relation named by its intid
    legacy = metadata_digest(filed_case, relation=legacy_relation_id)
    entries = [
        dict(e, sha256=legacy) if e["field"] == "metadata" and not e["path"] else e
        for e in filed_case.archival_manifest
    ]
    filed_case.archival_manifest = tuple(entries)
    assert not run_fixity(site).ok
    assert rebase_relation_digests(site) == 1
    assert run_fixity(site).ok
    assert rebase_relation_digests(site) == 0


# --- what an import may not do -------------------------------------------------


def _history(state, last=None):
    last = last or state
    return f"""
    <lifecycle>
      <created>2021-03-04T09:00:00+08:00</created>
      <modified>2021-03-04T10:00:00+08:00</modified>
      <workflow id="xf_case_workflow" state="{state}">
        <entry state="registered" time="2021-03-04T09:00:00+08:00" actor="legacy"/>
        <entry state="{last}" action="x" time="2021-03-04T10:00:00+08:00" actor="legacy"/>
      </workflow>
    </lifecycle>"""


@pytest.mark.parametrize(
    "state, last, expected",
    [
        ("filed", "filed", "档号"),  # filed without its archival data
        ("accepted", "filed", "工作流历史"),  # the history ends elsewhere
        ("accepted", "bogus", "bogus"),  # a state the workflow does not have
    ],
)
def test_an_import_cannot_invent_states(site, tmp_path, state, last, expected):
    case = legacy_case("JX-2021-000051").replace(
        "\n    <documents>", _history(state, last) + "\n    <documents>", 1
    )
    report = run_import(site, tmp_path, exchange_document(case))
    assert report.outcomes[0].status == FAILED
    assert expected in " ".join(report.outcomes[0].texts())
    transaction.begin()
    assert not cases_numbered(site, "JX-2021-000051")


def test_unsafe_or_taken_ids_are_not_used(site, tmp_path):
    case = legacy_case("JX-2021-000061").replace("<case>", '<case id="view">', 1)
    report = run_import(site, tmp_path, exchange_document(case))
    assert report.outcomes[0].status == IMPORTED
    transaction.begin()
    [brain] = cases_numbered(site, "JX-2021-000061")
    assert brain.getId != "view" and "view" not in site["cases"].objectIds()


def test_schema_errors_fall_on_their_case_in_a_file_on_one_line(site, tmp_path):
    cases = [
        legacy_case("JX-2021-000071"),
        legacy_case("JX-2021-000072", received="2021-13-01"),
        legacy_case("JX-2021-000073"),
    ]
    one_line = b" ".join(
        line.strip() for line in exchange_document(*cases).splitlines()
    )
    report = run_import(site, tmp_path, one_line)
    assert [o.status for o in report.outcomes] == [IMPORTED, FAILED, IMPORTED]


def test_child_uids_given_twice_are_refused(site, tmp_path):
    case = legacy_case("JX-2021-000081", documents=2).replace(
        "<document>", f'<document uid="{"b" * 32}">'
    )
    report = run_import(site, tmp_path, exchange_document(case))
    assert (
        report.outcomes[0].status == FAILED
        and "b" * 32 in report.outcomes[0].texts()[0]
    )


def _case_broken_case_and_hearing(filed_case):
    hearing = """
  <hearing>
    <metadata>
      <hearing_number>TZ-2021-0042</hearing_number>
      <title>关于村道问题的听证</title>
      <cases><ref identifier="JX-2021-000091"/></cases>
      <hearing_date>2021-04-01</hearing_date>
      <place>听证室</place>
      <chair>李建国</chair>
    </metadata>
  </hearing>"""
    broken = _renumbered(exchange_bytes([filed_case]), filed_case).decode("utf-8")
    broken = broken[broken.index("<case ") : broken.rindex("</exchange>")]
    data = exchange_document(legacy_case("JX-2021-000091"), broken)
    return data.replace(b"</exchange>", hearing.encode() + b"</exchange>")


def test_a_dry_run_reports_what_a_real_run_would(site, filed_case, tmp_path):
    data = _case_broken_case_and_hearing(filed_case)
    before = len(site.portal_catalog.unrestrictedSearchResults())
    report = run_import(site, tmp_path, data, dry_run=True)
    # the hearing names a case of the same import; the filed case fails its manifest
    assert [o.status for o in report.outcomes] == [CHECKED, FAILED, CHECKED]
    assert "摘要" in " ".join(report.outcomes[1].texts())
    transaction.begin()
    assert len(site.portal_catalog.unrestrictedSearchResults()) == before
    assert not site["hearings"].objectIds()


def test_a_hearing_without_uid_is_not_imported_twice(site, filed_case, tmp_path):
    data = _case_broken_case_and_hearing(filed_case)
    # a dry run first, in the same process: what it wrote and threw away
    # must not be found again (the catalog caches queries on the request)
    run_import(site, tmp_path, data, dry_run=True)
    first = run_import(site, tmp_path, data)
    assert [o.status for o in first.outcomes] == [IMPORTED, FAILED, IMPORTED]
    again = run_import(site, tmp_path, data)
    assert [o.status for o in again.outcomes] == [SKIPPED, FAILED, SKIPPED]
    transaction.begin()
    assert site["hearings"].objectIds() == ["tz-2021-0042"]


def test_minutes_that_may_not_be_published_are_refused(site, tmp_path):
    from tests.helpers.hearings import published_minutes

    case = api.content.create(
        container=site["cases"], type="PetitionCase", **case_data()
    )
    do(case, "accept")
    hearing, transcript, _notice = published_minutes(site, case)
    data = exchange_bytes([hearing]).decode("utf-8")
    data = data.replace("<public>true</public>", "<public>false</public>")
    data = data.replace(hearing.UID(), "c" * 32).replace(
        hearing.hearing_number, "TZ-2020-0999"
    )
    data = data.replace(transcript.UID(), "d" * 32)
    report = run_import(site, tmp_path, data.encode("utf-8"))
    assert report.outcomes[0].status == FAILED
    assert "不得发布" in " ".join(report.outcomes[0].texts()) or "不公开" in " ".join(
        report.outcomes[0].texts()
    )


def test_a_damaged_package_is_not_imported(site, filed_case, tmp_path):
    from xinfang_archive.exchange.package import build_package

    package = tmp_path / "package"
    build_package([filed_case], package)
    next(package.glob("data/cases/*/files/*")).write_bytes(b"changed")
    report = Importer(site).run([package])
    assert not report.outcomes and report.refused_files
    assert "完好" in report.refused_files[0][1] or "变更" in report.refused_files[0][1]
    # nor from the directory that holds it
    report = Importer(site).run([tmp_path])
    assert (
        not report.outcomes and len(report.refused_files) == 1 and not report.warnings
    )


def test_a_symbolic_link_cannot_lead_an_import_outside(site, tmp_path):
    secret = tmp_path / "outside"
    secret.mkdir()
    data = make_pdf(1)
    (secret / "secret.pdf").write_bytes(data)
    source = tmp_path / "import"
    source.mkdir()
    (source / "files").symlink_to(secret)
    case = legacy_case(
        "JX-2021-000101", file_xml=file_element(data, href="files/secret.pdf")
    )
    (source / "cases.xml").write_bytes(exchange_document(case))
    report = Importer(site).run([source])
    assert report.outcomes[0].status == FAILED
    assert "之外" in report.outcomes[0].texts()[0]


def _related(number, *others, **options):
    refs = "".join(f'<ref identifier="{other}"/>' for other in others)
    return legacy_case(
        number,
        extra_metadata=f"\n      <related_cases>{refs}</related_cases>",
        **options,
    )


def _targets(site, number):
    case = cases_numbered(site, number)[0]._unrestrictedGetObject()
    return [
        relation.to_object.registration_number if relation.to_object else None
        for relation in case.related_cases
    ]


def test_cases_referring_to_each_other_are_related_across_commits(site, tmp_path):
    data = exchange_document(
        _related("JX-2021-000211", "JX-2021-000212"),
        _related("JX-2021-000212", "JX-2021-000211"),
    )
    report = run_import(site, tmp_path, data, commit_every=1)
    assert [o.status for o in report.outcomes] == [
        IMPORTED,
        IMPORTED,
    ] and not report.warnings
    transaction.begin()
    assert _targets(site, "JX-2021-000211") == ["JX-2021-000212"]
    assert _targets(site, "JX-2021-000212") == ["JX-2021-000211"]


def test_a_rerun_sets_the_relations_an_earlier_run_left_broken(site, tmp_path):
    """As after an import killed before the related case came in."""
    first = run_import(
        site, tmp_path, exchange_document(_related("JX-2021-000221", "JX-2021-000222"))
    )
    assert first.outcomes[0].status == IMPORTED and "JX-2021-000222" in " ".join(
        first.warnings
    )
    transaction.begin()
    assert _targets(site, "JX-2021-000221") == [None]
    data = exchange_document(
        _related("JX-2021-000221", "JX-2021-000222"), legacy_case("JX-2021-000222")
    )
    again = run_import(site, tmp_path, data)
    assert [o.status for o in again.outcomes] == [
        SKIPPED,
        IMPORTED,
    ] and not again.warnings
    transaction.begin()
    assert _targets(site, "JX-2021-000221") == ["JX-2021-000222"]


def _hearing(number, *versions_cases, cases=("JX-2021-000231",)):
    def metadata(numbers):
        refs = "".join(f'<ref identifier="{n}"/>' for n in numbers)
        return (
            f"<hearing_number>{number}</hearing_number><title>关于村道问题的听证</title>"
            f"<cases>{refs}</cases><hearing_date>2021-04-01</hearing_date>"
            f"<place>听证室</place><chair>李建国</chair>"
        )

    versions = "".join(
        f'<version number="{n}" time="2021-03-2{n}T09:00:00+08:00" principal="legacy" comment="v{n}">'
        f"<metadata>{metadata(numbers)}</metadata></version>"
        for n, numbers in enumerate(versions_cases)
    )
    versions = f"<versions>{versions}</versions>" if versions else ""
    return f"\n  <hearing><metadata>{metadata(cases)}</metadata>{versions}</hearing>"


def test_a_hearing_that_once_named_a_case_not_here_is_imported_not_dropped(
    site, tmp_path
):
    hearing = _hearing(
        "TZ-2021-0231", ["JX-2021-000231", "JX-2021-009999"], ["JX-2021-000231"]
    )
    data = exchange_document(legacy_case("JX-2021-000231")).replace(
        b"</exchange>", hearing.encode() + b"</exchange>"
    )
    report = run_import(site, tmp_path, data)
    assert [(o.kind, o.status) for o in report.outcomes] == [
        ("case", IMPORTED),
        ("hearing", IMPORTED),
    ]
    transaction.begin()
    hearing = site["hearings"]["tz-2021-0231"]
    assert [relation.to_object.registration_number for relation in hearing.cases] == [
        "JX-2021-000231"
    ]


def test_a_hearing_needs_its_number_and_is_known_by_it(site, tmp_path):
    case = legacy_case("JX-2021-000241")
    numbered = _hearing(
        "听证〔2021〕3号", cases=("JX-2021-000241",)
    )  # no safe id: named otherwise
    unnumbered = _hearing("", cases=("JX-2021-000241",))
    data = exchange_document(case).replace(
        b"</exchange>", (numbered + unnumbered).encode() + b"</exchange>"
    )
    report = run_import(site, tmp_path, data)
    assert [o.status for o in report.outcomes] == [IMPORTED, IMPORTED, FAILED]
    assert "听证编号" in " ".join(report.outcomes[2].texts())
    again = run_import(site, tmp_path, data)
    assert [o.status for o in again.outcomes] == [SKIPPED, SKIPPED, FAILED]
    transaction.begin()
    assert len(site["hearings"].objectIds()) == 1


def test_schema_errors_fall_on_their_case_with_a_namespace_prefix(site, tmp_path):
    import re

    cases = [
        legacy_case("JX-2021-000251"),
        legacy_case("JX-2021-000252", received="2021-13-01"),
        legacy_case("JX-2021-000253"),
    ]
    text = exchange_document(*cases).decode("utf-8")
    text = re.sub(r"<(/?)(?=[a-z])", r"<\1x:", text).replace('xmlns="', 'xmlns:x="')
    report = run_import(site, tmp_path, text.encode("utf-8"))
    assert [o.status for o in report.outcomes] == [IMPORTED, FAILED, IMPORTED]


def test_the_ingest_check_finds_records_and_files_the_manifest_does_not_list(
    site, filed_case
):
    from xinfang_archive.archival.freeze import amending
    from xinfang_archive.exchange.archival_checks import manifest_problems

    assert manifest_problems(filed_case) == []
    with amending(filed_case), api.env.adopt_roles(["Manager", "ArchiveAmender"]):
        add_document(
            filed_case, title="事后加入的材料"
        )  # past the freeze, as a forger would
    problems = manifest_problems(filed_case)
    assert len(problems) == 1 and "不在归档清单中" in api.portal.translate(
        problems[0], lang="zh_CN"
    )
    transaction.abort()


def test_a_package_names_each_case_once_and_a_failed_one_leaves_nothing(
    site, filed_case, tmp_path
):
    from xinfang_archive.exchange.package import build_package

    result = build_package([filed_case, filed_case], tmp_path / "twice")
    assert (
        result.cases == 1
        and len(list((tmp_path / "twice" / "data" / "cases").iterdir())) == 1
    )
    target = tmp_path / "failed"
    with pytest.raises(
        KeyError
    ):  # not a ValueError (a record that cannot be described)
        build_package([filed_case, site["cases"]], target)  # a folder is not a case
    assert not target.exists() and not target.with_name("failed.partial").exists()


def test_workers_share_the_cases_and_the_end_imports_what_they_left(site, tmp_path):
    """``import --workers N`` in one process: each share imports its cases and
    leaves those naming a case of another share to the end, which then imports
    them with the hearings; merged, it is what one import gives."""
    from xinfang_archive.exchange.parallel import merge_reports
    from xinfang_archive.exchange.parallel import report_from_json
    from xinfang_archive.exchange.parallel import report_to_json
    from xinfang_archive.exchange.parallel import share_of

    numbers = [f"JX-2021-0003{n:02d}" for n in range(1, 9)]
    data = exchange_document(
        *[legacy_case(n) for n in numbers[:6]],
        _related(numbers[6], numbers[7]),
        _related(numbers[7], numbers[6]),
        _hearing("TZ-2021-0301", cases=(numbers[0],)),
    )
    root = etree.fromstring(data)
    elements = {
        e.findtext(
            f"{{{root.nsmap[None]}}}metadata/{{{root.nsmap[None]}}}registration_number"
        ): e
        for e in root
        if etree.QName(e).localname == "case"
    }
    shares = {number: share_of(elements[number], 2) for number in numbers}
    assert set(shares.values()) == {0, 1} and shares[numbers[6]] != shares[numbers[7]]
    path = tmp_path / "import.xml"
    path.write_bytes(data)
    files = [(path, tmp_path)]

    reports = []
    for share in (0, 1):
        report = Importer(site, commit_every=2, share=(share, 2)).run_files(files)
        reports.append(
            report_from_json(report_to_json(report))
        )  # as it travels between processes
        transaction.begin()
    assert not any(o.kind == "hearing" for r in reports for o in r.outcomes)
    deferred = [tuple(item) for r in reports for item in r.deferred]
    assert (
        len(deferred) == 2
    )  # the two naming each other: each waits for the other's share
    merged = merge_reports(reports)
    last = Importer(site, only=set(deferred)).run_files(files)
    merged = merge_reports([merged, last])
    assert [(o.identifier, o.status) for o in merged.outcomes] == (
        [(n, IMPORTED) for n in numbers] + [("TZ-2021-0301", IMPORTED)]
    )
    transaction.begin()
    assert _targets(site, numbers[6]) == [numbers[7]] and _targets(
        site, numbers[7]
    ) == [numbers[6]]
    assert all(len(cases_numbered(site, n)) == 1 for n in numbers)

    # a bad file is reported once, whichever share met it
    bad = [
        (str(tmp_path / "x.xml"), "拒绝"),
    ]
    one, two = (
        report_from_json(report_to_json(reports[0])),
        report_from_json(report_to_json(reports[1])),
    )
    one.refused_files, two.refused_files = list(bad), list(bad)
    assert merge_reports([one, two]).refused_files == bad
    # batches written again after a conflict are counted across workers
    one.rewritten, two.rewritten = 2, 3
    assert merge_reports([report_from_json(report_to_json(one)), two]).rewritten == 5


def test_the_numbers_an_import_brings_are_reserved_before_the_workers_start(
    site, filed_case, tmp_path
):
    from xinfang_archive.archival.codes import parse
    from xinfang_archive.archival.numbering import group_state
    from xinfang_archive.content.registration import next_sequence
    from xinfang_archive.exchange.parallel import reserve_ahead

    path = tmp_path / "import.xml"
    path.write_bytes(exchange_document(legacy_case("XF-2019-000480")))
    renumbered = tmp_path / "filed.xml"
    renumbered.write_bytes(_renumbered(exchange_bytes([filed_case]), filed_case))
    reserve_ahead(site, [(path, tmp_path), (renumbered, tmp_path)], max_bytes=10**7)
    assert group_state(parse(filed_case.archival_code).group).last == 999
    assert next_sequence(2019) == 481  # the web's next registration of 2019
    transaction.abort()
