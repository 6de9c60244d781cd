"""Package XML: DA/T 46 metadata, DA/T 48-style envelopes, PREMIS-style events (no site)."""

from datetime import datetime
from datetime import UTC
from lxml import etree
from pathlib import Path
from tests.helpers.package_xml import CASE_UID
from tests.helpers.package_xml import CST
from tests.helpers.package_xml import FILES
from tests.helpers.package_xml import full_record
from tests.helpers.package_xml import GENERATED
from tests.helpers.package_xml import LETTER
from tests.helpers.package_xml import make_envelope
from tests.helpers.package_xml import SCAN
from tests.helpers.package_xml import sha
from xinfang_archive.exchange import dat46
from xinfang_archive.exchange import envelope as env
from xinfang_archive.exchange import events as ev
from xinfang_archive.exchange.model import Event
from xinfang_archive.exchange.model import RecordInfo

import base64
import pytest


SCHEMAS = Path(dat46.__file__).parent / "schemas"
DOC_UID = "fedcba9876543210fedcba9876543210"


def schema(name):
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def minimal_record(**overrides):
    values = {
        "kind": "document",
        "uid": DOC_UID,
        "identifier": "materials/doc-1",
        "path": "",
        "title": "来信材料",
        "responsible": "张三",
        "date": None,
        "language": "",
    }
    values.update(overrides)
    return RecordInfo(**values)


def M(tag):
    return dat46.q(tag)


def texts(element, path):
    return [
        node.text
        for node in element.iterfind(
            path, {"m": dat46.NAMESPACE, "e": env.NAMESPACE, "p": ev.NAMESPACE}
        )
    ]


def assert_no_empty_elements(root):
    for node in root.iter():
        assert len(node) or (node.text and node.text.strip()), f"empty {node.tag}"


# ----- the schemas themselves -----


@pytest.mark.parametrize("name", ["dat46.xsd", "envelope.xsd", "events.xsd"])
def test_schema_is_well_formed_and_compiles(name):
    tree = etree.parse(str(SCHEMAS / name))
    assert tree.getroot().tag == "{http://www.w3.org/2001/XMLSchema}schema"
    etree.XMLSchema(tree)


# ----- DA/T 46 metadata -----


def test_full_metadata_validates_and_carries_everything():
    root = dat46.record_metadata(full_record(), generated=GENERATED)
    schema("dat46.xsd").assertValid(root)
    assert_no_empty_elements(root)
    assert root.get("生成时间") == "2025-01-06T10:30:00+08:00"
    assert texts(root, "m:聚合层次") == ["件"]
    assert texts(root, "m:来源/m:全宗名称") == ["某市信访局"]
    assert texts(root, "m:档号/m:档号值") == ["X001-XF·2024-D30-JSJ-0007"]
    assert texts(root, "m:档号/m:年度") == ["2024"]
    assert texts(root, "m:档号/m:室编件号") == ["7"]
    assert root.find("m:档号/m:保管期限", {"m": dat46.NAMESPACE}).get("代码") == "30y"
    assert texts(root, "m:内容描述/m:关键词") == ["征地拆迁", "补偿款"]
    assert texts(root, "m:内容描述/m:文件编号") == ["某信复〔2024〕12号"]
    assert texts(root, "m:内容描述/m:日期") == ["2024-03-05"]
    assert texts(root, "m:形式特征/m:件数") == ["2"]
    assert texts(root, "m:文件数据/m:文档/m:存储位置/m:当前位置") == [
        f.href for f in FILES
    ]
    assert texts(root, "m:文件数据/m:文档/m:数字摘要") == [f.sha256 for f in FILES]
    assert texts(root, "m:业务实体/m:业务状态") == ["已归档"]
    assert texts(root, "m:元数据摘要") == ["a" * 64]


def test_minimal_metadata_validates_and_omits_empty_optionals():
    root = dat46.record_metadata(
        minimal_record(summary="  ", document_number="", keywords=[""]),
        aggregation="文件",
        generated=GENERATED,
    )
    schema("dat46.xsd").assertValid(root)
    assert_no_empty_elements(root)
    for absent in (
        "来源",
        "档号",
        "文件数据",
        "业务实体",
        "实体关系",
        "元数据摘要",
        "内容描述/m:摘要",
        "内容描述/m:关键词",
        "内容描述/m:文件编号",
        "内容描述/m:日期",
        "内容描述/m:密级",
        "形式特征/m:页数",
        "形式特征/m:语种",
        "业务标识/m:案内路径",
    ):
        assert root.find(f"m:{absent}", {"m": dat46.NAMESPACE}) is None, absent
    assert texts(root, "m:形式特征/m:件数") == ["0"]


def test_part_carries_the_case_code_and_its_own_identity():
    part = full_record(
        kind="reply",
        uid=DOC_UID,
        identifier="replies/reply-1",
        path="replies/reply-1",
        parent_uid=CASE_UID,
        files=[],
    )
    root = dat46.record_metadata(part, aggregation="文件", generated=GENERATED)
    schema("dat46.xsd").assertValid(root)
    assert texts(root, "m:电子文件号") == [DOC_UID]
    assert texts(root, "m:业务标识/m:对象类型") == ["reply"]
    assert texts(root, "m:业务标识/m:案内路径") == ["replies/reply-1"]
    assert texts(root, "m:档号/m:档号值") == ["X001-XF·2024-D30-JSJ-0007"]
    assert texts(root, "m:实体关系/m:实体标识符") == [CASE_UID]


def test_missing_title_raises_and_the_schema_rejects_an_empty_one():
    with pytest.raises(ValueError, match="题名"):
        dat46.record_metadata(full_record(title="  "), generated=GENERATED)
    root = dat46.record_metadata(full_record(), generated=GENERATED)
    root.find(M("内容描述")).find(M("题名")).text = ""
    assert not schema("dat46.xsd").validate(root)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"responsible": ""}, "责任者"),
        ({"kind": "minutes"}, "kind"),
        ({"created": datetime(2024, 1, 1, 9, 0)}, "timezone"),
        ({"archival_code": ""}, "档号"),
    ],
)
def test_bad_records_raise(change, message):
    with pytest.raises(ValueError, match=message):
        dat46.record_metadata(full_record(**change), generated=GENERATED)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="聚合层次"):
        dat46.record_metadata(full_record(), aggregation="案卷", generated=GENERATED)
    with pytest.raises(ValueError, match="timezone"):
        dat46.record_metadata(full_record(), generated=datetime(2025, 1, 6))


def test_metadata_bytes_round_trip_chinese():
    data = dat46.metadata_bytes(
        dat46.record_metadata(full_record(), generated=GENERATED)
    )
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert (
        "关于𠮷家村征地补偿款".encode() in data
    )  # literal UTF-8, not character references
    assert b"\n  <" in data
    parsed = etree.fromstring(data)
    schema("dat46.xsd").assertValid(parsed)
    assert texts(parsed, "m:内容描述/m:题名") == [full_record().title]
    assert texts(parsed, "m:内容描述/m:摘要") == [full_record().summary]


# ----- DA/T 48-style envelopes -----


def test_envelope_embeds_and_references_files():
    info = full_record()
    root = make_envelope(info, content={FILES[1].href: SCAN, "data/other": b"ignored"})
    schema("envelope.xsd").assertValid(root)
    ns = {"e": env.NAMESPACE, "m": dat46.NAMESPACE}
    documents = root.findall("e:被签名对象/e:封装内容/e:文件数据/e:文档", ns)
    assert [d.get("封装方式") for d in documents] == ["引用", "嵌入"]
    referenced, embedded = documents
    assert referenced.find("e:编码", ns) is None
    assert referenced.findtext("e:存储位置", namespaces=ns) == FILES[0].href
    assert referenced.findtext("e:计算机文件大小", namespaces=ns) == str(len(LETTER))
    assert referenced.findtext("e:数字摘要", namespaces=ns) == sha(LETTER)
    assert referenced.findtext("e:格式信息", namespaces=ns) == "TXT"
    assert (
        base64.b64decode(embedded.findtext("e:编码/e:编码数据", namespaces=ns)) == SCAN
    )
    metadata = root.find("e:被签名对象/e:封装内容/e:文件实体块/m:电子文件元数据", ns)
    assert metadata.findtext("m:电子文件号", namespaces=ns) == CASE_UID
    assert env.envelope_digest_ok(root)


def test_minimal_envelope_validates():
    root = make_envelope(minimal_record())
    schema("envelope.xsd").assertValid(root)
    assert (
        root.find(f"{{{env.NAMESPACE}}}被签名对象//{{{env.NAMESPACE}}}文件数据") is None
    )
    assert env.envelope_digest_ok(root)


def test_envelope_digest_detects_one_changed_character():
    info = full_record()
    data = env.envelope_bytes(make_envelope(info, content={FILES[0].href: LETTER}))
    parsed = etree.fromstring(data)
    assert env.envelope_digest_ok(parsed)
    schema("envelope.xsd").assertValid(parsed)
    tampered = data.replace("𠮷家村".encode(), "吉家村".encode(), 1)
    assert tampered != data
    assert not env.envelope_digest_ok(etree.fromstring(tampered))


def test_envelope_digest_survives_reindenting():
    data = env.envelope_bytes(make_envelope(full_record()))
    flat = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    assert env.envelope_digest_ok(flat)
    assert env.envelope_digest_ok(etree.fromstring(env.envelope_bytes(flat)))


def test_envelope_digest_missing_or_foreign_algorithm():
    root = make_envelope(full_record())
    root.find(env.q("封装包摘要")).set("摘要算法", "MD5")
    assert not env.envelope_digest_ok(root)
    root.remove(root.find(env.q("封装包摘要")))
    assert not env.envelope_digest_ok(root)


def test_envelope_rejects_wrong_content_and_foreign_metadata():
    info = full_record()
    with pytest.raises(ValueError, match="does not match"):
        make_envelope(info, content={FILES[0].href: LETTER + b"!"})
    other = dat46.record_metadata(minimal_record(), generated=GENERATED)
    with pytest.raises(ValueError, match="another record"):
        env.envelope(info, other, generated=GENERATED, producer="x")
    with pytest.raises(ValueError, match="timezone"):
        env.envelope(
            info,
            dat46.record_metadata(info, generated=GENERATED),
            generated=datetime(2025, 1, 6),
            producer="x",
        )


# ----- PREMIS-style events -----


def event(identifier, minute, type_="fixity", agent="xinfang-archive", **overrides):
    values = {
        "identifier": identifier,
        "type": type_,
        "time": datetime(2025, 1, 6, 9, minute, tzinfo=CST),
        "agent": agent,
        "outcome": "success",
        "detail": "固定性检查：全部文件摘要一致",
        "object_uid": CASE_UID,
        "object_identifier": "X001-XF·2024-D30-JSJ-0007",
    }
    values.update(overrides)
    return Event(**values)


def test_events_sorted_validated_and_agents_distinct():
    events = [
        event("evt-3", 30, "export"),
        event("evt-2", 10, "filing", agent="archivist1"),
        event(
            "evt-1",
            10,
            "creation",
            agent="registrar1",
            object_identifier="XF-2024-000123",
            detail="登记信访件",
            outcome_detail="已登记",
        ),
        # Same instant in UTC, written with another offset: sorts by time, not text.
        event(
            "evt-0",
            0,
            "validation",
            time=datetime(2025, 1, 6, 1, 5, tzinfo=UTC),
            detail="",
            outcome="failure",
            outcome_detail="档号格式不符：缺少件号",
        ),
    ]
    root = ev.events_document(events, package_id="pkg-2025-0001", generated=GENERATED)
    schema("events.xsd").assertValid(root)
    assert_no_empty_elements(root)
    assert texts(root, "p:event/p:eventIdentifier/p:eventIdentifierValue") == [
        "evt-0",
        "evt-1",
        "evt-2",
        "evt-3",
    ]
    assert texts(root, "p:event/p:eventDateTime")[0] == "2025-01-06T01:05:00+00:00"
    assert texts(root, "p:agent/p:agentIdentifier/p:agentIdentifierValue") == [
        "archivist1",
        "registrar1",
        "xinfang-archive",
    ]
    assert texts(root, "p:agent/p:agentType") == ["person", "person", "software"]
    first, second = root.findall(ev.q("event"))[:2]
    assert first.find(ev.q("eventDetailInformation")) is None
    assert texts(
        first, "p:eventOutcomeInformation/p:eventOutcomeDetail/p:eventOutcomeDetailNote"
    ) == ["档号格式不符：缺少件号"]
    assert texts(first, "p:linkingObjectIdentifier/p:linkingObjectIdentifierType") == [
        "UID",
        "档号",
    ]
    assert texts(second, "p:linkingObjectIdentifier/p:linkingObjectIdentifierType") == [
        "UID",
        "登记号",
    ]
    assert texts(second, "p:linkingAgentIdentifier/p:linkingAgentRole") == [
        "implementer"
    ]


def test_events_bytes_round_trip_chinese():
    root = ev.events_document(
        [event("evt-1", 1)], package_id="pkg-1", generated=GENERATED
    )
    data = ev.events_bytes(root)
    assert "固定性检查：全部文件摘要一致".encode() in data
    parsed = etree.fromstring(data)
    schema("events.xsd").assertValid(parsed)
    assert texts(parsed, "p:event/p:eventDetailInformation/p:eventDetail") == [
        "固定性检查：全部文件摘要一致"
    ]


def test_no_events_is_a_valid_document():
    root = ev.events_document([], package_id="pkg-1", generated=GENERATED)
    schema("events.xsd").assertValid(root)
    assert len(root) == 0


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"time": datetime(2025, 1, 6, 9, 0)}, "timezone"),
        ({"type": "deletion"}, "type"),
        ({"outcome": "maybe"}, "outcome"),
        ({"agent": " "}, "agent"),
    ],
)
def test_bad_events_raise(bad, message):
    with pytest.raises(ValueError, match=message):
        ev.events_document(
            [event("evt-1", 1, **bad)], package_id="pkg-1", generated=GENERATED
        )


def test_duplicate_event_identifiers_raise_and_fail_the_schema():
    with pytest.raises(ValueError, match="duplicate"):
        ev.events_document(
            [event("evt-1", 1), event("evt-1", 2)],
            package_id="pkg-1",
            generated=GENERATED,
        )
    root = ev.events_document(
        [event("evt-1", 1), event("evt-2", 2)], package_id="pkg-1", generated=GENERATED
    )
    root.findall(
        f"{ev.q('event')}/{ev.q('eventIdentifier')}/{ev.q('eventIdentifierValue')}"
    )[1].text = "evt-1"
    assert not schema("events.xsd").validate(root)


def test_unknown_event_type_fails_the_schema():
    root = ev.events_document(
        [event("evt-1", 1)], package_id="pkg-1", generated=GENERATED
    )
    root.find(f"{ev.q('event')}/{ev.q('eventType')}").text = "deletion"
    assert not schema("events.xsd").validate(root)
