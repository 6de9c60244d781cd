"""Records of the site as ``RecordInfo`` and their history as ``Event``s,
for the DA/T 46 metadata, the envelopes and the events of a package."""

from Acquisition import aq_base
from datetime import datetime
from datetime import UTC
from plone import api
from plone.uuid.interfaces import IUUID
from xinfang_archive.archival.codes import parse as parse_code
from xinfang_archive.archival.manifest import METADATA
from xinfang_archive.archival.manifest import metadata_digest
from xinfang_archive.archival.manifest import records_of
from xinfang_archive.exchange.model import Event
from xinfang_archive.exchange.model import FileInfo
from xinfang_archive.exchange.model import RecordInfo
from xinfang_archive.i18n import record_text
from xinfang_archive.reports.screening import first_submission
from xinfang_archive.vocabularies.fixed import PERIOD_TITLES
from xinfang_archive.vocabularies.fixed import REPLY_KINDS
from xinfang_archive.vocabularies.registry import title_of
from xinfang_archive.workflow.titles import object_state_text


AGENT = "xinfang-archive"
FORMATS = {
    "pdf": "PDF",
    "docx": "DOCX",
    "text": "TXT",
    "png": "PNG",
    "jpeg": "JPEG",
    "tiff": "TIFF",
}
KIND_OF_TYPE = {
    "PetitionCase": "case",
    "CaseDocument": "document",
    "Reply": "reply",
    "Supervision": "supervision",
    "Hearing": "hearing",
    "HearingTranscript": "transcript",
    "CoordinationMeeting": "meeting",
    "AccountabilityRecord": "accountability",
    "LeaderReception": "reception",
    "ScreeningReport": "screening",
    "EarlyWarning": "warning",
}


def _aware(value):
    if value is None:
        return None
    if hasattr(value, "asdatetime"):
        value = value.asdatetime()
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _format_name(entry, filename):
    kind = (entry or {}).get("kind") or ""
    if kind in FORMATS:
        return FORMATS[kind]
    return (
        (filename.rpartition(".")[2] or "").upper() if "." in (filename or "") else ""
    )


def _describe(obj, case, path, files, fonds_name):  # noqa: C901
    """``RecordInfo`` of ``obj`` (a record of ``case``, or a hearing record)."""
    kind = KIND_OF_TYPE[obj.portal_type]
    info = RecordInfo(
        kind=kind,
        uid=IUUID(obj),
        identifier="",
        path=path,
        title=obj.Title(),
        responsible="",
        date=None,
        state=api.content.get_state(obj, default="") or "",
        created=_aware(obj.created()),
        modified=_aware(obj.modified()),
        files=list(files),
        fonds_name=fonds_name,
    )
    info.state_title = (
        object_state_text(obj, target_language="zh_CN") if info.state else ""
    )
    repository = api.portal.get_tool("portal_repository")
    if repository.isVersionable(obj):
        history = repository.getHistoryMetadata(obj)
        info.versions = history.getLength(countPurged=False) if history else 0
    if kind == "case":
        info.identifier = obj.registration_number or obj.getId()
        info.date = obj.received_date
        info.responsible = title_of("units", obj.responsible_unit) or fonds_name
        info.keywords = [
            k
            for k in (
                title_of("categories", obj.category),
                title_of("channels", obj.channel),
            )
            if k
        ]
        info.document_kind = "信访件"
    elif kind == "document":
        info.identifier = path
        info.responsible = obj.responsible or ""
        info.date = obj.document_date
        info.document_number = obj.document_number or ""
        info.classification = obj.classification or ""
        info.classification_title = title_of("classifications", obj.classification)
        info.pages = obj.pages
        info.document_kind = title_of("document_kinds", obj.document_kind)
    elif kind == "reply":
        info.identifier = path
        info.responsible = fonds_name
        info.date = obj.reply_date
        info.document_number = obj.document_number or ""
        info.document_kind = (
            record_text(dict(_reply_kinds()).get(obj.kind, "")) if obj.kind else ""
        )
    elif kind == "supervision":
        info.identifier = path
        info.responsible = obj.issued_by or ""
        info.date = obj.issued_on
        info.document_kind = "督办"
    elif kind == "hearing":
        info.identifier = obj.hearing_number or obj.getId()
        info.responsible = obj.chair or ""
        info.date = obj.hearing_date
        info.document_kind = "听证会"
    elif kind == "meeting":
        info.identifier = obj.getId()
        info.responsible = obj.chair or ""
        info.date = obj.meeting_date
        info.document_kind = "会议纪要"
    elif kind == "accountability":
        info.identifier = obj.record_number or obj.getId()
        info.responsible = obj.authority or ""
        info.date = obj.decision_date
        info.document_kind = "责任追究决定"
    elif kind == "reception":
        info.identifier = obj.getId()
        info.responsible = (
            f"{obj.leader}（{obj.post}）" if obj.post else (obj.leader or "")
        )
        info.date = obj.reception_date
        info.document_kind = "领导信访接待日记录"
    elif kind == "screening":
        info.identifier = obj.getId()
        info.responsible = title_of("units", obj.unit) or ""
        # the day the unit reported (its first submission), else the day it was written
        info.date = first_submission(obj) or obj.created().asdatetime().date()
        info.document_kind = (
            "矛盾纠纷排查零报告" if obj.zero_report else "矛盾纠纷排查报告"
        )
    elif kind == "warning":
        info.identifier = obj.getId()
        info.responsible = (
            title_of("units", obj.unit) or fonds_name
        )  # a county-wide warning: the bureau's
        info.date = obj.occurred_on or obj.created().asdatetime().date()
        info.document_kind = "社会稳定预警记录"
    elif kind == "transcript":
        hearing = obj.__parent__
        info.identifier = f"{hearing.hearing_number}/{obj.getId()}"
        info.responsible = getattr(hearing, "chair", "") or ""
        info.date = getattr(hearing, "hearing_date", None)
        info.document_kind = "听证笔录"
    # 责任者 is required: a record from an older system may lack it; the
    # fonds (the bureau) answers for what it holds
    info.responsible = info.responsible or fonds_name or "信访局"
    if case is not None and getattr(aq_base(case), "archival_code", None):
        code = parse_code(case.archival_code)
        info.archival_code = case.archival_code
        info.fonds_code = case.fonds_code
        info.filing_year = case.filing_year
        info.retention_period = case.retention_period
        info.retention_title = record_text(
            PERIOD_TITLES.get(case.retention_period, case.retention_period)
        )
        info.organisation_code = case.organisation_code
        info.organisation_title = case.organisation_title or ""
        info.category_code = code.group.category
        info.item_number = case.item_number
        for entry in case.archival_manifest:
            if entry.get("uid") == info.uid and entry.get("field") == METADATA:
                info.metadata_sha256 = entry["sha256"]
    if not info.metadata_sha256:
        info.metadata_sha256 = metadata_digest(obj)
    return info


def _reply_kinds():

    return REPLY_KINDS


def file_info(field, named_file, sha256, size, href, entry=None):
    return FileInfo(
        field=field,
        filename=named_file.filename or "",
        content_type=named_file.contentType or "",
        size=size,
        sha256=sha256,
        href=href,
        pages=(entry or {}).get("pages"),
        format_name=_format_name(entry, named_file.filename),
    )


def describe_case(case, files_by_uid, fonds_name):
    """``RecordInfo`` of the case and of each record in it; ``files_by_uid``
    maps a record's UID to its ``FileInfo``s."""
    infos = []
    for path, obj in records_of(case):
        uid = IUUID(obj)
        info = _describe(obj, case, path, files_by_uid.get(uid, ()), fonds_name)
        info.parent_uid = "" if obj is case else IUUID(case)
        infos.append(info)
    return infos


def describe_record(record, files_by_uid, fonds_name):
    """A record on its own (no records inside): an accountability record, a
    reception day, or a screening report, which carries its own 档号 once filed."""
    filed = record if getattr(aq_base(record), "archival_code", None) else None
    info = _describe(record, filed, "", files_by_uid.get(IUUID(record), ()), fonds_name)
    info.parent_uid = ""
    return [info]


describe_accountability = describe_record


def describe_hearing(hearing, files_by_uid, fonds_name, case=None):
    infos = []
    for path, obj in records_of(hearing):
        info = _describe(obj, case, path, files_by_uid.get(IUUID(obj), ()), fonds_name)
        info.parent_uid = "" if obj is hearing else IUUID(hearing)
        infos.append(info)
    return infos


# --- events -------------------------------------------------------------------


def _iso_time(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return _aware(value)


def case_events(case, fixity_runs=()):
    """The preservation events of a case (or of a record filed on its own,
    a screening report): creation, its ingestion by import, filing, fixity
    runs (after its filing), amendments, retention changes and transfers."""
    uid, code = IUUID(case), getattr(aq_base(case), "archival_code", "") or ""
    number = getattr(aq_base(case), "registration_number", None)
    identifier = code or number or case.getId()
    events = []

    def add(kind, when, agent, detail, outcome="success", outcome_detail=""):
        events.append(
            Event(
                identifier=f"evt-{uid}-{len(events) + 1}",
                type=kind,
                time=_iso_time(when),
                agent=agent or AGENT,
                outcome=outcome,
                detail=detail,
                object_uid=uid,
                object_identifier=identifier,
                outcome_detail=outcome_detail,
            )
        )

    creators = case.listCreators()
    add(
        "creation",
        case.created(),
        creators[0] if creators else AGENT,
        f"登记信访件 {number}" if number else f"形成 {case.Title()}",
    )
    for ingestion in getattr(aq_base(case), "ingestions", None) or ():
        producer = ingestion.get("producer")
        add(
            "ingestion",
            ingestion["time"],
            ingestion.get("actor"),
            f"导入：{ingestion.get('source') or ''}"
            + (f"（来自 {producer}）" if producer else ""),
        )
    if not code:
        return events
    add(
        "filing",
        case.filed_on,
        case.filed_by,
        f"归档立案，档号 {code}，保管期限 {record_text(PERIOD_TITLES.get(case.retention_period, ''))}",
        outcome_detail=f"文件清单 {len(case.archival_manifest)} 项（含元数据摘要）",
    )
    filed_on = _aware(case.filed_on)
    for run in fixity_runs:
        if run.started is None or _aware(run.started) < filed_on:
            continue
        problems = [p for p in run.problems if p[0] == code]
        if problems:
            add(
                "fixity",
                run.started,
                AGENT,
                "固定性检查（SHA-256）",
                "failure",
                "；".join(f"{p[1]} {p[3] or p[2]}：{p[4]}" for p in problems[:20]),
            )
        else:
            add(
                "fixity",
                run.started,
                AGENT,
                "固定性检查（SHA-256）",
                "success",
                "全部文件与元数据完好",
            )
    for amendment in getattr(case, "amendments", None) or ():
        fields = "、".join(
            c.get("title") or c.get("field") for c in amendment.get("changes") or ()
        )
        add(
            "amendment",
            amendment["time"],
            amendment.get("actor"),
            f"更正 {amendment.get('path') or '信访件'}：{fields}",
            outcome_detail=amendment.get("reason") or "",
        )
    for change in getattr(case, "retention_history", None) or ():
        add(
            "retention",
            change["time"],
            change.get("actor"),
            f"保管期限 {change.get('before')} → {change.get('after')}",
            outcome_detail=change.get("reason") or "",
        )
    for transfer in getattr(case, "transfers", None) or ():
        add(
            "transfer",
            transfer["time"],
            transfer.get("actor"),
            f"移交 {transfer.get('receiver') or ''}，包 {transfer.get('package')}",
            outcome_detail=f"包校验值 SHA-256 {transfer.get('package_sha256')}",
        )
    return events
