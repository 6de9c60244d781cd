"""verify-package: missing, changed and extra files apart, package checksum, XML in the payload."""

from xinfang_archive.exchange.safexml import load_schema
from xinfang_archive.exchange.verify import package_digest
from xinfang_archive.exchange.verify import report_lines
from xinfang_archive.exchange.verify import verify_package
from xinfang_archive.exchange.verify import write_package_digest

import bagit
import hashlib
import pytest


NS = "urn:test:record"
SCHEMA = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS}"
  xmlns="{NS}" elementFormDefault="qualified">
  <xs:element name="record"><xs:complexType><xs:sequence>
    <xs:element name="title" type="xs:string"/>
    <xs:element name="pages" type="xs:positiveInteger"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>"""
GOOD_XML = f'<?xml version="1.0" encoding="UTF-8"?>\n<record xmlns="{NS}">\n  <title>答复意见书</title>\n  <pages>3</pages>\n</record>\n'
BAD_XML = f'<?xml version="1.0" encoding="UTF-8"?>\n<record xmlns="{NS}">\n  <title>答复意见书</title>\n  <pages>三</pages>\n</record>\n'
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=False)
    )
    + "]>\n<l>&i;</l>\n"
)


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    directory = tmp_path_factory.mktemp("xsd")
    (directory / "record.xsd").write_text(SCHEMA)
    return {NS: load_schema("record.xsd", directory=directory)}


@pytest.fixture
def bag(tmp_path):
    """A package of three payload files (one XML) with its package checksum."""
    bag_dir = tmp_path / "xf-2024-000123"
    (bag_dir / "files").mkdir(parents=True)
    (bag_dir / "files" / "reply.pdf").write_bytes(b"%PDF-1.7 reply" * 100)
    (bag_dir / "files" / "minutes.pdf").write_bytes(b"%PDF-1.7 minutes" * 100)
    (bag_dir / "record.xml").write_text(GOOD_XML, encoding="utf-8")
    bagit.make_bag(
        str(bag_dir), {"Source-Organization": "某市信访局"}, checksums=["sha256"]
    )
    write_package_digest(bag_dir)
    return bag_dir


def test_package_digest_file(bag):
    path = write_package_digest(bag)
    assert path == bag.parent / "xf-2024-000123.sha256"
    expected = hashlib.sha256((bag / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    assert package_digest(bag) == expected
    assert path.read_text() == f"{expected}  xf-2024-000123/tagmanifest-sha256.txt\n"


def test_intact_package(bag, schemas):
    report = verify_package(bag, schemas=schemas)
    assert report.ok and report.digest == "ok"
    assert (
        report.missing,
        report.changed,
        report.extra,
        report.structure,
        report.invalid_xml,
    ) == ([],) * 5
    assert (
        report.files_checked == 6
    )  # three payload files, bagit.txt, bag-info.txt, manifest
    assert report.bytes_checked == sum(
        p.stat().st_size
        for p in bag.rglob("*")
        if p.is_file() and p.name != "tagmanifest-sha256.txt"
    )


def test_deleted_payload_file_is_missing_only(bag):
    (bag / "data" / "files" / "reply.pdf").unlink()
    report = verify_package(bag)
    assert report.missing == ["data/files/reply.pdf"]
    assert report.changed == [] and report.extra == [] and not report.ok
    assert any("Payload-Oxum" in problem for problem in report.structure)


def test_changed_payload_file_is_changed_only(bag):
    (bag / "data" / "files" / "reply.pdf").write_bytes(b"%PDF-1.7 forged" * 100)
    report = verify_package(bag)
    assert report.changed == ["data/files/reply.pdf"]
    assert report.missing == [] and report.extra == [] and not report.ok


def test_deleted_and_changed_reported_apart(bag):
    (bag / "data" / "files" / "reply.pdf").unlink()
    (bag / "data" / "files" / "minutes.pdf").write_bytes(b"%PDF-1.7 forged")
    (bag / "data" / "forged.pdf").write_bytes(b"%PDF-1.7")
    report = verify_package(bag, processes=2)
    assert report.missing == ["data/files/reply.pdf"]
    assert report.changed == ["data/files/minutes.pdf"]
    assert report.extra == ["data/forged.pdf"]


def test_extra_file(bag):
    (bag / "data" / "files" / "later.pdf").write_bytes(b"%PDF-1.7")
    report = verify_package(bag)
    assert (
        report.extra == ["data/files/later.pdf"]
        and report.missing == report.changed == []
    )
    assert not report.ok


def test_edited_bag_info_is_changed(bag):
    info = bag / "bag-info.txt"
    info.write_text(
        info.read_text(encoding="utf-8").replace("某市信访局", "另一单位"),
        encoding="utf-8",
    )
    report = verify_package(bag)
    assert report.changed == ["bag-info.txt"] and not report.ok


def test_changed_manifest_is_caught(bag):
    """A forger who rewrites a file and its manifest line is caught by the tag manifest,
    and, if the tag manifest is rewritten too, by the package checksum."""
    target = bag / "data" / "files" / "reply.pdf"
    target.write_bytes(b"%PDF-1.7 forged")
    manifest = bag / "manifest-sha256.txt"
    old = hashlib.sha256(b"%PDF-1.7 reply" * 100).hexdigest()
    manifest.write_text(
        manifest.read_text().replace(
            old, hashlib.sha256(b"%PDF-1.7 forged").hexdigest()
        )
    )
    report = verify_package(bag)
    assert report.changed == ["manifest-sha256.txt"] and report.digest == "ok"
    bagit.Bag(str(bag)).save(
        manifests=True
    )  # rewrites the tag manifest (and Payload-Oxum)
    report = verify_package(bag)
    assert report.changed == [] and report.structure == []
    assert report.digest == "mismatch" and not report.ok


def test_package_checksum_absent_or_wrong(bag):
    digest_file = bag.parent / "xf-2024-000123.sha256"
    digest_file.write_text("0" * 64 + "  xf-2024-000123/tagmanifest-sha256.txt\n")
    assert verify_package(bag).digest == "mismatch"
    digest_file.unlink()
    report = verify_package(bag)
    assert report.digest == "absent"
    assert report.missing == report.changed == report.extra == report.structure == []
    assert not report.ok  # a package without its checksum is not complete


def test_not_a_bag(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.txt").write_text("x")
    report = verify_package(plain)
    assert (
        len(report.structure) == 1
        and "bagit.txt" in report.structure[0]
        and not report.ok
    )
    report = verify_package(tmp_path / "nothing")
    assert report.structure and report.digest == "absent" and not report.ok


def test_manifest_without_sha256(tmp_path):
    bag_dir = tmp_path / "md5bag"
    bag_dir.mkdir()
    (bag_dir / "a.txt").write_text("x")
    bagit.make_bag(str(bag_dir), checksums=["md5"])
    report = verify_package(bag_dir)
    assert any("manifest-sha256.txt" in problem for problem in report.structure)
    assert any("tagmanifest-sha256.txt" in problem for problem in report.structure)


def test_xml_failing_its_schema(tmp_path, schemas):
    bag_dir = tmp_path / "pkg"
    bag_dir.mkdir()
    (bag_dir / "bad.xml").write_text(BAD_XML, encoding="utf-8")
    (bag_dir / "good.xml").write_text(GOOD_XML, encoding="utf-8")
    (bag_dir / "other.xml").write_text('<x xmlns="urn:unknown"><y/></x>')
    bagit.make_bag(str(bag_dir), checksums=["sha256"])
    write_package_digest(bag_dir)
    report = verify_package(bag_dir, schemas=schemas)
    assert [(path, line) for path, line, _ in report.invalid_xml] == [
        ("data/bad.xml", 4)
    ]
    assert "'三' is not a valid value" in report.invalid_xml[0][2]
    assert not report.ok and report.changed == []
    assert verify_package(bag_dir, schemas=schemas, validate_xml=False).ok


def test_hostile_xml_in_payload_refused_without_expansion(tmp_path):
    bag_dir = tmp_path / "pkg"
    bag_dir.mkdir()
    (bag_dir / "laughs.xml").write_text(LAUGHS)
    bagit.make_bag(str(bag_dir), checksums=["sha256"])
    write_package_digest(bag_dir)
    report = verify_package(bag_dir)
    [(path, line, message)] = report.invalid_xml
    assert path == "data/laughs.xml" and line is None
    assert "DOCTYPE" in message and "aaaaaaaaaaaaaaaaaaaa" not in message


def test_progress(bag):
    calls = []
    verify_package(bag, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(6, 7), (7, 7)]


def test_report_lines_in_chinese(bag, zh_cn):
    lines = report_lines(verify_package(bag))
    assert lines[0] == f"包：{bag}"
    assert lines[1].startswith("已校验文件：6 个（")
    assert lines[2] == "包校验值 xf-2024-000123.sha256：一致"
    assert lines[-1] == "包完好"

    (bag / "data" / "files" / "reply.pdf").unlink()
    (bag / "data" / "files" / "minutes.pdf").write_bytes(b"forged")
    (bag / "data" / "extra.txt").write_text("x")
    (bag / "data" / "record.xml").write_text(LAUGHS)
    (bag.parent / "xf-2024-000123.sha256").unlink()
    lines = report_lines(verify_package(bag))
    assert "包校验值 xf-2024-000123.sha256：缺失" in lines
    text = "\n".join(lines)
    assert "缺失（1）：\n  data/files/reply.pdf\n" in text
    assert "已变更（2）：\n  data/files/minutes.pdf\n  data/record.xml\n" in text
    assert "多余（1）：\n  data/extra.txt\n" in text
    assert "结构（1）：\n  Payload-Oxum 与载荷不符" in text
    assert "XML（1）：\n  data/record.xml: 文件含有文档类型声明（DOCTYPE）" in text
    assert lines[-1] == "包有问题"


def test_envelope_digest_checked(tmp_path):
    from tests.helpers.package_xml import full_record
    from tests.helpers.package_xml import make_envelope
    from xinfang_archive.exchange.envelope import envelope_bytes

    bag_dir = tmp_path / "pkg"
    (bag_dir / "envelopes").mkdir(parents=True)
    data = envelope_bytes(make_envelope(full_record()))
    (bag_dir / "envelopes" / "intact.xml").write_bytes(data)
    (bag_dir / "envelopes" / "edited.xml").write_bytes(
        data.replace("补偿款".encode(), "补助款".encode(), 1)
    )
    bagit.make_bag(str(bag_dir), checksums=["sha256"])  # manifests made after the edit
    write_package_digest(bag_dir)
    report = verify_package(bag_dir)
    assert (
        report.missing == report.changed == report.extra == [] and report.digest == "ok"
    )
    [(path, line, message)] = report.invalid_xml
    assert (path, line) == (
        "data/envelopes/edited.xml",
        None,
    ) and "封装包摘要" in message
    assert not report.ok
    # the same findings when the XML files are checked by worker processes
    (bag_dir / "data" / "envelopes" / "intact.xml").write_bytes(
        data.replace(b"<", b"<<", 1)
    )
    serial = verify_package(bag_dir).invalid_xml
    calls = []
    parallel = verify_package(
        bag_dir, processes=2, progress=lambda done, total: calls.append(done)
    )
    assert parallel.invalid_xml == serial and len(serial) == 2
    assert parallel.changed == ["data/envelopes/intact.xml"] and calls[-2:] == [6, 7]


def test_a_replaced_file_with_remade_manifests_is_found_by_its_record(tmp_path, zh_cn):
    """The record's XML declares each file's SHA-256: a file replaced and the
    manifests and package checksum made again still differs from it."""
    bag_dir = tmp_path / "xf-2024-000124"
    (bag_dir / "files").mkdir(parents=True)
    original = b"%PDF-1.7 reply" * 100
    (bag_dir / "files" / "reply.pdf").write_bytes(original)
    declared = hashlib.sha256(original).hexdigest()
    (bag_dir / "record.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<record xmlns="urn:test:other">'
        f'<file href="files/reply.pdf" sha256="{declared}" size="{len(original)}"/></record>\n',
        encoding="utf-8",
    )
    bagit.make_bag(
        str(bag_dir), {"Source-Organization": "某市信访局"}, checksums=["sha256"]
    )
    write_package_digest(bag_dir)
    assert verify_package(bag_dir).ok
    (bag_dir / "data" / "files" / "reply.pdf").write_bytes(b"%PDF-1.7 forged" * 100)
    bagit.Bag(str(bag_dir)).save(manifests=True)
    write_package_digest(bag_dir)
    report = verify_package(bag_dir)
    assert (
        report.changed == [] and report.digest == "ok"
    )  # the manifests agree with the forgery
    assert report.undeclared == ["data/files/reply.pdf"] and not report.ok
    lines = report_lines(report)
    assert any("data/files/reply.pdf" in line for line in lines)
    assert lines[-1] == "包有问题"


def test_the_recorded_checksum_comes_before_the_verdict(bag, zh_cn):
    recorded = package_digest(bag)
    lines = report_lines(verify_package(bag, expected_sha256=recorded.upper()))
    assert recorded in lines[-2] and lines[-1] == "包完好"
    lines = report_lines(verify_package(bag, expected_sha256="0" * 64))
    assert "0" * 64 in lines[-2] and lines[-1] == "包有问题"
