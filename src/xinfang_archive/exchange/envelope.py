"""DA/T 48-2009 style electronic record envelope (电子文件封装包) per record.

The envelope holds the record's DA/T 46 metadata and its files, each either
embedded (base64) or referenced (path, size, SHA-256, format) in the bag.

DA/T 48 closes the envelope with an electronic signature (电子签名块).  The
archive has no PKI and no signing keys, so instead of a signature the
envelope carries a 封装包摘要: the SHA-256 of the canonical (C14N 2.0, text
nodes trimmed) form of 被签名对象.  It proves that the envelope was not
changed after packaging (not who made it); the bag's manifest proves the
files.  Trimming text nodes keeps the digest valid when the XML is
re-indented; values are written stripped, so no information is lost.
"""

from copy import deepcopy
from datetime import datetime
from lxml import etree
from xinfang_archive.exchange import dat46
from xinfang_archive.exchange.dat46 import clean
from xinfang_archive.exchange.dat46 import require_aware
from xinfang_archive.exchange.model import RecordInfo

import base64
import hashlib
import hmac


NAMESPACE = "urn:xinfang-archive:envelope:1"
SCHEMA = "envelope.xsd"
ROOT = "电子文件封装包"
DAT48_VERSION = "2009"
ENVELOPE_TYPE = "原始型"
FORMAT_DESCRIPTION = (
    "本封装包依据 DA/T 48-2009《基于XML的电子文件封装规范》的结构生成，"
    "元数据依据 DA/T 46-2009《文书类电子文件元数据方案》；"
    "未使用电子签名，以“封装包摘要”（被签名对象规范化后的 SHA-256 摘要）代替。"
)
TYPE_DESCRIPTION = "原始封装：本封装包在归档导出时生成，封装后未经修改。"
ENCODING_DESCRIPTION = "编码数据为计算机文件二进制流的 Base64 编码（RFC 4648）。"
DIGEST_ALGORITHM = "SHA-256"
C14N_METHOD = "http://www.w3.org/2010/xml-c14n2"
C14N_PARAMETERS = "TrimTextNodes=true"


def q(tag):
    return f"{{{NAMESPACE}}}{tag}"


def add(parent, tag, value, attrib=None):
    element = etree.SubElement(parent, q(tag), attrib or {})
    element.text = value
    return element


def signed_object_digest(signed) -> str:
    """SHA-256 over the C14N 2.0 (TrimTextNodes) form of ``被签名对象``."""
    # Serialised first: canonicalize() cannot see namespaces declared above a subtree.
    canonical = etree.canonicalize(
        etree.tostring(signed, encoding="unicode", with_tail=False), strip_text=True
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def envelope(
    info: RecordInfo,
    metadata: etree._Element,
    *,
    content: dict[str, bytes] | None = None,
    generated: datetime,
    producer: str,
) -> etree._Element:
    """The ``电子文件封装包`` element of one record (see ``schemas/envelope.xsd``).

    ``metadata`` is the record's ``dat46.record_metadata`` element; a copy is
    embedded.  A file whose href is a key of ``content`` is embedded, the
    others are referenced; keys that are no file of the record are ignored.
    Embedded bytes must match the file's size and SHA-256 (ValueError).
    """
    if metadata.tag != dat46.q(dat46.ROOT):
        raise ValueError(f"not DA/T 46 metadata: {metadata.tag}")
    if clean(metadata.findtext(dat46.q("电子文件号"))) != clean(info.uid):
        raise ValueError(f"the metadata describes another record than {info.uid}")
    if not clean(producer):
        raise ValueError("producer (封装包创建单位) is required")
    content = content or {}

    root = etree.Element(q(ROOT), nsmap={None: NAMESPACE})
    add(root, "封装包格式描述", FORMAT_DESCRIPTION)
    add(root, "版本", DAT48_VERSION)
    signed = etree.SubElement(root, q("被签名对象"))
    add(signed, "封装包类型", ENVELOPE_TYPE)
    add(signed, "封装包类型描述", TYPE_DESCRIPTION)
    add(signed, "封装包创建时间", require_aware(generated, "generated"))
    add(signed, "封装包创建单位", clean(producer))
    wrapped = etree.SubElement(signed, q("封装内容"))
    entity = etree.SubElement(wrapped, q("文件实体块"))
    entity.append(deepcopy(metadata))

    if info.files:
        data = etree.SubElement(wrapped, q("文件数据"))
        for number, item in enumerate(info.files, start=1):
            embedded = content.get(item.href)
            document = etree.SubElement(
                data,
                q("文档"),
                {
                    "序号": str(number),
                    "封装方式": "嵌入" if embedded is not None else "引用",
                },
            )
            add(document, "文档标识符", clean(item.field))
            add(document, "计算机文件名", clean(item.filename))
            add(document, "计算机文件大小", str(item.size))
            add(
                document,
                "格式信息",
                dat46.file_format(item),
                {"媒体类型": clean(item.content_type)},
            )
            add(
                document,
                "数字摘要",
                clean(item.sha256).lower(),
                {"算法": DIGEST_ALGORITHM},
            )
            add(document, "存储位置", clean(item.href))
            if embedded is not None:
                if (
                    len(embedded) != item.size
                    or hashlib.sha256(embedded).hexdigest()
                    != clean(item.sha256).lower()
                ):
                    raise ValueError(
                        f"content for {item.href} does not match its size and SHA-256"
                    )
                encoding = etree.SubElement(document, q("编码"))
                add(encoding, "编码描述", ENCODING_DESCRIPTION)
                add(encoding, "编码数据", base64.b64encode(embedded).decode("ascii"))

    digest = add(
        root,
        "封装包摘要",
        None,
        {
            "摘要算法": DIGEST_ALGORITHM,
            "规范化方法": C14N_METHOD,
            "规范化参数": C14N_PARAMETERS,
        },
    )
    etree.indent(root, space="  ")
    digest.text = signed_object_digest(signed)
    return root


def envelope_digest_ok(element) -> bool:
    """Whether the 封装包摘要 still matches 被签名对象 (the envelope is unchanged)."""
    if isinstance(element, etree._ElementTree):
        element = element.getroot()
    signed = element.find(q("被签名对象"))
    digest = element.find(q("封装包摘要"))
    if signed is None or digest is None:
        return False
    if (digest.get("摘要算法"), digest.get("规范化方法"), digest.get("规范化参数")) != (
        DIGEST_ALGORITHM,
        C14N_METHOD,
        C14N_PARAMETERS,
    ):
        return False
    return hmac.compare_digest(clean(digest.text), signed_object_digest(signed))


def envelope_bytes(element) -> bytes:
    """The envelope as bytes for the package (UTF-8, XML declaration, indented)."""
    return dat46.xml_bytes(element)
