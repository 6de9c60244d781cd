"""DA/T 46-2009 style metadata (文书类电子文件元数据) of one record.

Element names and their grouping are the standard's, in Chinese, as far as
our data carries them; what the standard has no element for (the record's
kind and registration number, the SHA-256 digests) is an extension and is
marked so in ``schemas/dat46.xsd``.  Optional elements are left out when
empty, so that an element in the document always carries a value.
"""

from copy import deepcopy
from datetime import date
from datetime import datetime
from lxml import etree
from xinfang_archive.exchange.model import RecordInfo


NAMESPACE = "urn:xinfang-archive:dat46:1"
SCHEMA = "dat46.xsd"
ROOT = "电子文件元数据"
FORMAT_VERSION = "1"
AGGREGATIONS = ("件", "文件")
KINDS = (
    "case",
    "document",
    "reply",
    "supervision",
    "hearing",
    "transcript",
    "meeting",
    "accountability",
    "reception",
    "screening",
    "warning",
)
DIGEST_ALGORITHM = "SHA-256"
PART_OF = ("组成", "属于", "本文件是所属信访件（或听证）的组成部分")


def q(tag):
    """Qualified name in the DA/T 46 namespace."""
    return f"{{{NAMESPACE}}}{tag}"


def clean(value):
    """The value as stripped text, or "" for None and blanks."""
    if value is None:
        return ""
    return str(value).strip()


def require_aware(value, what):
    """Times go into the package with their offset: a naive one is ambiguous."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware: {value!r}")
    return value.isoformat()


def add(parent, tag, value, attrib=None):
    """Append ``<tag>value</tag>`` unless the value is empty; return it or None."""
    text = clean(value)
    if not text:
        return None
    element = etree.SubElement(
        parent, q(tag), {k: v for k, v in (attrib or {}).items() if v}
    )
    element.text = text
    return element


def attach(parent, group):
    """Append a group element only if something went into it."""
    if len(group):
        parent.append(group)
    return group


def positive(value):
    """Counts of 0 or None mean "not known" and are left out."""
    return str(value) if value else ""


def iso_date(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise ValueError(f"not a date: {value!r}")
    return value.isoformat()


def file_format(info):
    """格式信息: the format name, else the media type."""
    return clean(info.format_name) or clean(info.content_type)


def check_required(info):
    missing = [
        label
        for label, value in (
            ("电子文件号 (uid)", info.uid),
            ("标识号 (identifier)", info.identifier),
            ("题名 (title)", info.title),
            ("责任者 (responsible)", info.responsible),
        )
        if not clean(value)
    ]
    if missing:
        raise ValueError(
            f"record {clean(info.uid) or '?'}: missing required " + ", ".join(missing)
        )
    if info.kind not in KINDS:
        raise ValueError(
            f"record {info.uid}: unknown kind {info.kind!r} (one of {', '.join(KINDS)})"
        )


def record_metadata(
    info: RecordInfo, *, aggregation="件", generated: datetime
) -> etree._Element:
    """The ``电子文件元数据`` element of one record (see ``schemas/dat46.xsd``).

    ``aggregation`` is 聚合层次: "件" for the filed item (the case), "文件"
    for one of its parts.  A part carries the case's 档号 (the builder copies
    it into its RecordInfo) and its own identity (UID, kind, path) and
    points to the case in 实体关系.  Raises ValueError when a required value
    (uid, identifier, title, responsible, a known kind) is missing.
    """
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"聚合层次 must be one of {AGGREGATIONS}, not {aggregation!r}")
    check_required(info)
    root = etree.Element(
        q(ROOT),
        {"版本": FORMAT_VERSION, "生成时间": require_aware(generated, "generated")},
        nsmap={None: NAMESPACE},
    )
    add(root, "聚合层次", aggregation)

    source = etree.Element(q("来源"))
    if clean(info.fonds_name):
        add(source, "全宗名称", info.fonds_name)
        # The fonds is the bureau's own: its name is the 立档单位's name.
        add(source, "立档单位名称", info.fonds_name)
    attach(root, source)

    add(root, "电子文件号", info.uid)

    identity = etree.SubElement(root, q("业务标识"))
    add(identity, "对象类型", info.kind)
    add(identity, "标识号", info.identifier)
    add(identity, "案内路径", info.path)

    code = etree.Element(q("档号"))
    add(code, "档号值", info.archival_code)
    add(code, "全宗号", info.fonds_code)
    add(code, "年度", f"{info.filing_year:04d}" if info.filing_year else "")
    add(
        code,
        "保管期限",
        clean(info.retention_title) or info.retention_period,
        {"代码": clean(info.retention_period)},
    )
    add(
        code,
        "机构或问题",
        clean(info.organisation_code) or info.organisation_title,
        {
            "名称": clean(info.organisation_title)
            if clean(info.organisation_code)
            else ""
        },
    )
    add(code, "类别号", info.category_code)
    add(code, "室编件号", positive(info.item_number))
    if len(code) and not clean(info.archival_code):
        raise ValueError(f"record {info.uid}: 档号 parts without the 档号 itself")
    attach(root, code)

    content = etree.SubElement(root, q("内容描述"))
    add(content, "题名", info.title)
    seen = set()
    for keyword in info.keywords or ():
        keyword = clean(keyword)
        if keyword and keyword not in seen:
            seen.add(keyword)
            add(content, "关键词", keyword)
    add(content, "摘要", info.summary)
    add(content, "文件编号", info.document_number)
    add(content, "责任者", info.responsible)
    add(content, "日期", iso_date(info.date))
    add(content, "文种", info.document_kind)
    add(
        content,
        "密级",
        clean(info.classification_title) or info.classification,
        {"代码": clean(info.classification)},
    )

    form = etree.SubElement(root, q("形式特征"))
    add(form, "件数", str(len(info.files or ())))
    add(form, "页数", positive(info.pages))
    add(form, "语种", info.language)

    data = etree.Element(q("文件数据"))
    for number, item in enumerate(info.files or (), start=1):
        document = etree.SubElement(data, q("文档"))
        add(document, "文档标识符", item.field)
        add(document, "文档序号", str(number))
        add(document, "计算机文件名", item.filename)
        add(document, "计算机文件大小", str(item.size))
        add(
            document,
            "格式信息",
            file_format(item),
            {"媒体类型": clean(item.content_type)},
        )
        add(document, "页数", positive(item.pages))
        location = etree.SubElement(document, q("存储位置"))
        add(location, "当前位置", item.href)
        add(
            document, "数字摘要", clean(item.sha256).lower(), {"算法": DIGEST_ALGORITHM}
        )
    attach(root, data)

    business = etree.Element(q("业务实体"))
    add(
        business,
        "业务状态",
        clean(info.state_title) or info.state,
        {"代码": clean(info.state)},
    )
    if info.created is not None:
        add(business, "创建时间", require_aware(info.created, "created"))
    if info.modified is not None:
        add(business, "修改时间", require_aware(info.modified, "modified"))
    add(business, "版本数", positive(info.versions))
    attach(root, business)

    if clean(info.parent_uid):
        relation = etree.SubElement(root, q("实体关系"))
        add(relation, "实体标识符", info.parent_uid)
        add(relation, "关系类型", PART_OF[0])
        add(relation, "关系", PART_OF[1])
        add(relation, "关系描述", PART_OF[2])

    add(
        root,
        "元数据摘要",
        clean(info.metadata_sha256).lower(),
        {"算法": DIGEST_ALGORITHM},
    )
    return root


def xml_bytes(element):
    """UTF-8 with an XML declaration, indented (on a copy: the tree is left as is)."""
    if isinstance(element, etree._ElementTree):
        element = element.getroot()
    copy = deepcopy(
        element
    )  # (tostring's default ASCII cannot carry Chinese tag names)
    copy.tail = None
    etree.indent(copy, space="  ")
    return etree.tostring(copy, xml_declaration=True, encoding="UTF-8")


def metadata_bytes(element) -> bytes:
    """The metadata document as bytes for the package."""
    return xml_bytes(element)
