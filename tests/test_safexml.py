"""Hardened XML reading: hostile files are refused before anything is expanded or fetched."""

from lxml import etree
from xinfang_archive.exchange import safexml
from xinfang_archive.exchange.safexml import load_schema
from xinfang_archive.exchange.safexml import parse
from xinfang_archive.exchange.safexml import schema_for
from xinfang_archive.exchange.safexml import validation_errors
from xinfang_archive.exchange.safexml import XMLRefused

import pytest
import resource
import socket
import time


DOCTYPE = "The file has a document type declaration (DOCTYPE)"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""


@pytest.fixture
def listener():
    """A local port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


def assert_no_connection(server):
    time.sleep(0.05)
    with pytest.raises(BlockingIOError):
        server.accept()


def refusal(source, **kwargs):
    with pytest.raises(XMLRefused) as info:
        parse(source, **kwargs)
    return info.value


# -- good files


def test_good_file_from_bytes_and_path(tmp_path):
    data = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- 注释 -->\n<a xmlns="urn:t"><b>信访 &amp; 复查</b></a>'.encode()
    path = tmp_path / "good.xml"
    path.write_bytes(data)
    for source in (data, path, str(path)):
        root = parse(source).getroot()
        assert root.tag == "{urn:t}a" and root[0].text == "信访 & 复查"
        assert root[0].sourceline == 3


def test_declared_encodings_are_read(tmp_path):
    for encoding in ("GB18030", "UTF-16"):
        data = f'<?xml version="1.0" encoding="{encoding}"?><a>拆迁补偿</a>'.encode(
            encoding.lower()
        )
        assert parse(data).getroot().text == "拆迁补偿"


def test_parse_takes_paths_or_bytes_only():
    with pytest.raises(TypeError):
        parse(123)


# -- DTDs, entities, network


def test_billion_laughs_refused_at_once_without_expansion():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    error = refusal(BILLION_LAUGHS, name="lolz.xml")
    assert (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 20 * 1024
    )  # KB: nothing expanded
    assert error.message.startswith(DOCTYPE) and error.path == "lolz.xml"
    assert "lol" not in str(error.message)


def test_xxe_file_entity_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    for target in ("file:///etc/passwd", secret.as_uri()):
        data = (
            f'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY xxe SYSTEM "{target}">]>\n'
            f"<a>&xxe;</a>"
        ).encode()
        path = tmp_path / "xxe.xml"
        path.write_bytes(data)
        for source in (data, path):
            error = refusal(source)
            assert error.message.startswith(DOCTYPE)
            shown = " ".join(
                [str(error), repr(error), str(error.message.mapping), str(error.path)]
            )
            assert "root:" not in shown and "TOP-SECRET" not in shown


def test_external_dtd_and_parameter_entities_refused_without_network(listener):
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/evil.dtd"
    documents = [
        f'<?xml version="1.0"?><!DOCTYPE a SYSTEM "{url}"><a/>',
        f'<?xml version="1.0"?><!DOCTYPE a PUBLIC "-//EVIL//DTD//EN" "{url}"><a/>',
        f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY % ext SYSTEM "{url}"> %ext;]><a/>',
        f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY % p "<!ENTITY x SYSTEM \'{url}\'>"> %p;]><a>&x;</a>',
    ]
    for document in documents:
        assert refusal(document.encode()).message.startswith(DOCTYPE)
    assert_no_connection(listener)


def test_doctype_found_behind_comments_and_in_other_encodings():
    prolog = '<?xml version="1.0" encoding="{}"?>\n<!-- a -->\n<?pi x?>\n<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'
    for encoding in ("UTF-8", "UTF-16", "GB18030"):
        data = prolog.format(encoding).encode(encoding.lower())
        assert refusal(data).message.startswith(DOCTYPE)


def test_hardened_parser_options():
    parser = safexml.hardened_parser()
    root = etree.fromstring(b'<!DOCTYPE a [<!ENTITY x "expanded">]><a>&x;</a>', parser)
    assert "expanded" not in etree.tostring(root).decode()


# -- size, form, encoding


def test_oversized_refused_before_reading(tmp_path):
    data = b"<<<not xml at all" * 100
    path = tmp_path / "big.xml"
    path.write_bytes(data)
    for source in (data, path):
        error = refusal(source, max_bytes=1000)
        assert error.message == "The file is too large (${size}, at most ${limit})."
        assert error.message.mapping == {"size": "1.7 KB", "limit": "1000 B"}
    assert parse(b"<a/>", max_bytes=4).getroot().tag == "a"


def test_malformed_names_line_and_reason():
    error = refusal(b'<?xml version="1.0"?>\n<a>\n  <b>\n</a>\n', name="bad.xml")
    assert error.line == 4 and error.path == "bad.xml"
    assert error.message.mapping["line"] == 4
    assert "Opening and ending tag mismatch" in error.message.mapping["reason"]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    for source in (b"", path, b"   \n"):
        assert refusal(source).message == "The file is empty."


def test_missing_file(tmp_path):
    assert (
        refusal(tmp_path / "nothing.xml").message
        == "The file could not be read: ${error}"
    )


def test_bad_encoding():
    error = refusal(b'<?xml version="1.0"?>\n<a>\xff\xfe</a>')
    assert error.message.startswith("The file is not valid UTF-8") and error.line == 2
    error = refusal(b'<?xml version="1.0" encoding="no-such-encoding"?><a/>')
    assert error.message.startswith("The file is not valid UTF-8")


def test_huge_text_node_must_be_referenced():
    data = b"<file>" + b"QUJD" * (10 * 1024 * 1024 // 4 + 1) + b"</file>"
    error = refusal(data)
    assert "must be referenced" in error.message and error.line == 1


def test_deep_nesting_refused():
    error = refusal(b"<a>" * 300 + b"</a>" * 300)
    assert error.message.startswith("Elements are nested more than 256 levels deep")


def test_messages_in_chinese(zh_cn):
    assert "含有文档类型声明（DOCTYPE）" in str(refusal(BILLION_LAUGHS))
    assert str(refusal(b"<a>\n<b></a>")).startswith("XML 格式错误（第 2 行）")
    assert str(refusal(b"<a/>" * 10, max_bytes=10)) == "文件过大（40 B，最多 10 B）。"
    assert "必须以引用方式提供" in str(refusal(b"<f>" + b"A" * 10_000_001 + b"</f>"))
    assert str(refusal(b"")) == "文件为空。"


# -- schemas


SCHEMA = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"
  xmlns="urn:t" elementFormDefault="qualified">
  <xs:include schemaLocation="{include}"/>
  <xs:element name="root" type="T"/>
</xs:schema>"""
TYPES = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"
  xmlns="urn:t" elementFormDefault="qualified">
  <xs:complexType name="T"><xs:sequence>
    <xs:element name="n" type="xs:int" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType>
</xs:schema>"""


@pytest.fixture
def schema_dir(tmp_path):
    directory = tmp_path / "schemas"
    directory.mkdir()
    (directory / "types.xsd").write_text(TYPES)
    (tmp_path / "outside.xsd").write_text(TYPES)
    (directory / "root.xsd").write_text(SCHEMA.format(include="types.xsd"))
    return directory


def test_schema_with_sibling_include_reports_every_error(schema_dir):
    schema = load_schema("root.xsd", directory=schema_dir)
    assert load_schema("root.xsd", directory=str(schema_dir)) is schema  # cached
    tree = parse(b'<root xmlns="urn:t">\n<n>1</n>\n<n>x</n>\n<n>2</n>\n<m/>\n</root>')
    errors = validation_errors(tree, schema)
    assert [line for line, _ in errors] == [3, 5]
    assert "'x' is not a valid value" in errors[0][1] and "{urn:t}m" in errors[1][1]
    assert (
        validation_errors(
            parse(b'<root xmlns="urn:t"><n>1</n></root>').getroot(), schema
        )
        == []
    )


def test_schema_include_outside_directory_refused(schema_dir, listener):
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/types.xsd"
    for name, include in (
        ("up.xsd", "../outside.xsd"),
        ("abs.xsd", str(schema_dir.parent / "outside.xsd")),
        ("web.xsd", url),
    ):
        (schema_dir / name).write_text(SCHEMA.format(include=include))
        with pytest.raises(XMLRefused) as info:
            load_schema(name, directory=schema_dir)
        assert info.value.message.startswith(
            "The schema ${schema} refers to ${url}, which is outside"
        )
        assert info.value.message.mapping["url"].endswith(("outside.xsd", "types.xsd"))
    assert_no_connection(listener)
    with pytest.raises(XMLRefused):
        load_schema("../outside.xsd", directory=schema_dir)


def test_schema_with_doctype_refused(schema_dir):
    (schema_dir / "dtd.xsd").write_text(
        '<!DOCTYPE xs:schema SYSTEM "XMLSchema.dtd">' + TYPES
    )
    with pytest.raises(XMLRefused) as info:
        load_schema("dtd.xsd", directory=schema_dir)
    assert info.value.message.startswith(DOCTYPE)


def test_schema_for_by_namespace(monkeypatch):
    assert schema_for(parse(b'<a xmlns="urn:unknown"/>')) is None
    assert schema_for(parse(b"<a/>").getroot()) is None
    monkeypatch.setattr(safexml, "load_schema", lambda filename: filename)
    assert (
        schema_for(
            parse(b'<x:case xmlns:x="urn:xinfang-archive:exchange:1"/>').getroot()
        )
        == "exchange.xsd"
    )
    assert (
        schema_for(parse(b'<e xmlns="urn:xinfang-archive:events:1"/>')) == "events.xsd"
    )


def test_a_utf32_file_is_named_as_such_not_empty(tmp_path):
    utf32 = '<?xml version="1.0"?><a>信访</a>'.encode("utf-32")  # with its BOM
    path = tmp_path / "utf32.xml"
    path.write_bytes(utf32)
    big_endian = b"\x00\x00\xfe\xff" + "<a/>".encode("utf-32-be")
    for source in (utf32, path, big_endian):
        message = refusal(source).message
        assert "UTF-32" in message and message != "The file is empty."
