"""Disposition (处置): retention expiry, holds and appraisals.

Rules:

* a record (a filed case, or a record filed on its own such as a
  screening report, ``archival/records.py``) is *due for appraisal* once its retention has run out
  (``retention_expires`` ≤ today; permanent records never are);
* an appraisal names filed records by archival code; destroying needs every
  record due; extending needs a period longer than each record's;
* a second person, never the proposer, approves or rejects it (four eyes);
* a hold (冻结) on any of its records blocks proposing, approving and
  executing until the hold is released;
* execution destroys (content, files and versions removed; a tombstone and
  a destruction list 销毁清册 left), extends (new period and expiry, the
  archival code unchanged, the change recorded in the record's retention
  history), or transfers (移交: an archival package written and verified,
  the cases marked transferred; ``archival/transfer.py``).  Records filed
  on their own (screening reports) go the same ways as cases.
"""

from Acquisition import aq_parent
from datetime import datetime
from datetime import UTC
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.namedfile.file import NamedBlobFile
from plone.uuid.interfaces import IUUID
from Products.CMFCore.indexing import processQueue
from xinfang_archive import _
from xinfang_archive.archival.codes import parse
from xinfang_archive.archival.freeze import disposing
from xinfang_archive.archival.manifest import METADATA
from xinfang_archive.archival.manifest import records_of
from xinfang_archive.archival.numbering import group_state
from xinfang_archive.archival.records import RECORD_TYPES
from xinfang_archive.archival.refusal import DispositionRefused
from xinfang_archive.archival.retention import expiry
from xinfang_archive.archival.retention import rank
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.archival.transfer import destination_problems
from xinfang_archive.archival.transfer import transfer
from xinfang_archive.audit.recorder import record
from xinfang_archive.documents.destruction import destruction_list_pdf
from xinfang_archive.documents.records import DestructionInfo
from xinfang_archive.documents.records import DestructionRow
from xinfang_archive.i18n import record_text
from xinfang_archive.localtime import local_today
from xinfang_archive.vocabularies.fixed import PERIOD_TITLES

import time


DESTROY, EXTEND, TRANSFER = "destroy", "extend", "transfer"
OPEN_APPRAISAL_STATES = ("proposed", "approved")


def clean_codes(codes):
    return [code.strip() for code in codes or () if code and code.strip()]


def _catalog():
    return api.portal.get_tool("portal_catalog")


CASE_TYPE = "PetitionCase"


def filed_types():
    """The types a 档号 is given to: cases and the records filed on their own."""
    return [CASE_TYPE, *RECORD_TYPES]


def filed_record(code):
    """The filed case or record with archival code ``code``, or None."""
    for brain in _catalog().unrestrictedSearchResults(
        portal_type=filed_types(), review_state="filed", archival_code=code
    ):
        return brain._unrestrictedGetObject()
    return None


def unknown_codes(codes):
    return [code for code in clean_codes(codes) if filed_record(code) is None]


def active_holds(codes):
    """Active holds on any of ``codes``."""
    codes = clean_codes(codes)
    if not codes:
        return []
    return [
        b._unrestrictedGetObject()
        for b in _catalog().unrestrictedSearchResults(
            portal_type="Hold", review_state="active", held_codes=codes
        )
    ]


def held(codes):
    """``{code: [hold, …]}`` of the codes under an active hold."""
    result = {}
    for hold in active_holds(codes):
        for code in set(clean_codes(hold.archival_codes)) & set(clean_codes(codes)):
            result.setdefault(code, []).append(hold)
    return result


def open_appraisals(codes, exclude=None):
    """``{code: appraisal}`` of the codes in another proposed or approved appraisal."""
    result = {}
    for brain in _catalog().unrestrictedSearchResults(
        portal_type="Appraisal",
        review_state=OPEN_APPRAISAL_STATES,
        held_codes=clean_codes(codes),
    ):
        appraisal = brain._unrestrictedGetObject()
        if exclude is not None and IUUID(appraisal) == IUUID(exclude, None):
            continue
        for code in set(clean_codes(appraisal.archival_codes)) & set(
            clean_codes(codes)
        ):
            result[code] = appraisal
    return result


def is_due(case, today=None):
    expires = getattr(case, "retention_expires", None)
    return expires is not None and expires <= (today or local_today())


def due_brains(today=None, limit=None):
    """Catalog brains of the filed cases and records due for appraisal, oldest
    expiry first (the first ``limit`` sorted, all counted)."""
    query = {"sort_limit": limit} if limit else {}
    return _catalog()(
        portal_type=filed_types(),
        review_state="filed",
        retention_expires={"query": today or local_today(), "range": "max"},
        sort_on="retention_expires",
        **query,
    )


def _hold_problem(codes):
    on_hold = held(codes)
    if not on_hold:
        return []
    return [
        _(
            "On hold, no disposition until the hold is released: ${codes}.",
            mapping={"codes": ", ".join(sorted(on_hold))},
        )
    ]


def proposal_problems(decision, codes, new_period=None, appraisal=None, today=None):
    """Why an appraisal of ``codes`` with ``decision`` cannot stand (empty: it can)."""
    codes = clean_codes(codes)
    if not codes:
        return [_("Name at least one archival code.")]
    problems = []
    unknown = unknown_codes(codes)
    if unknown:
        problems.append(
            _(
                "No filed record has the archival code ${codes}.",
                mapping={"codes": ", ".join(unknown)},
            )
        )
    problems += _hold_problem(codes)
    elsewhere = open_appraisals(codes, exclude=appraisal)
    if elsewhere:
        problems.append(
            _(
                "Already in another open appraisal: ${codes}.",
                mapping={"codes": ", ".join(sorted(elsewhere))},
            )
        )
    cases = [case for case in map(filed_record, codes) if case is not None]
    if decision == DESTROY:
        not_due = [case.archival_code for case in cases if not is_due(case, today)]
        if not_due:
            problems.append(
                _(
                    "Not due for appraisal (retention not run out, or permanent): ${codes}.",
                    mapping={"codes": ", ".join(not_due)},
                )
            )
    elif decision == EXTEND:
        if not new_period:
            problems.append(_("An extension names the new retention period."))
        else:
            shorter = [
                case.archival_code
                for case in cases
                if rank(new_period) <= rank(case.retention_period)
            ]
            if shorter:
                problems.append(
                    _(
                        "The new period must be longer than the current one: ${codes}.",
                        mapping={"codes": ", ".join(shorter)},
                    )
                )
    return problems


def proposer(appraisal):
    creators = appraisal.listCreators()
    return creators[0] if creators else None


def transition_problems(appraisal, transition_id, user_id=None):
    """Why ``transition_id`` of ``appraisal`` cannot happen now (empty: it can)."""
    user_id = user_id or api.user.get_current().getId()
    codes = appraisal.archival_codes
    if transition_id in ("approve", "reject") and user_id == proposer(appraisal):
        return [
            _("Four eyes: the proposer cannot approve or reject their own appraisal.")
        ]
    if transition_id == "reject":
        return []
    if transition_id == "approve":
        return proposal_problems(
            appraisal.decision, codes, appraisal.new_period, appraisal
        )
    if transition_id == "execute":
        problems = proposal_problems(
            appraisal.decision, codes, appraisal.new_period, appraisal
        )
        if appraisal.decision == TRANSFER:
            problems += destination_problems()
        return problems
    return []


def check_transition(appraisal, event):
    """Before an appraisal's transition: refuse with the reasons."""
    if event.transition is None:
        return
    problems = transition_problems(appraisal, event.transition.getId())
    if problems:
        raise DispositionRefused(problems)


def after_transition(appraisal, event):
    if event.transition is None:
        return
    tid = event.transition.getId()
    now = datetime.now(UTC)
    actor = api.user.get_current().getId()
    if tid == "approve":
        appraisal.approved_by, appraisal.approved_on = actor, now
    elif tid == "execute":
        appraisal.executed_by, appraisal.executed_on = actor, now
        execute(appraisal)
    record(
        f"appraisal.{tid}",
        appraisal,
        details={
            "decision": appraisal.decision,
            "archival_codes": clean_codes(appraisal.archival_codes),
            "new_period": appraisal.new_period,
            "comment": (event.status or {}).get("comments", "") or "",
        },
    )


def check_proposal(appraisal, event):
    """Before an appraisal is added: refuse it (nothing is added) with the reasons."""
    if event.oldParent is not None:
        return  # moved or renamed, not proposed
    problems = proposal_problems(
        appraisal.decision, appraisal.archival_codes, appraisal.new_period, appraisal
    )
    if problems:
        raise DispositionRefused(problems)


def appraisal_added(appraisal, event):
    record(
        "appraisal.propose",
        appraisal,
        details={
            "decision": appraisal.decision,
            "archival_codes": clean_codes(appraisal.archival_codes),
            "new_period": appraisal.new_period,
            "reason": appraisal.reason,
        },
    )


# --- execution ----------------------------------------------------------------


def execute(appraisal):
    cases = [filed_record(code) for code in clean_codes(appraisal.archival_codes)]
    if appraisal.decision == EXTEND:
        for case in cases:
            extend(case, appraisal)
    elif appraisal.decision == DESTROY:
        rows = [destroy(case, appraisal) for case in cases]
        appraisal.destruction_list = destruction_list(appraisal, rows)
    elif appraisal.decision == TRANSFER:
        transfer(appraisal, cases)
    else:
        raise DispositionRefused(transition_problems(appraisal, "execute"))


def extend(case, appraisal):
    old = case.retention_period
    case.retention_period = appraisal.new_period
    case.retention_expires = expiry(case.filing_year, appraisal.new_period)
    case.retention_history.append(
        {
            "time": datetime.now(UTC).isoformat(),
            "actor": api.user.get_current().getId(),
            "before": old,
            "after": appraisal.new_period,
            "reason": appraisal.reason,
            "appraisal": appraisal.absolute_url_path(),
        }
    )
    case.reindexObject(idxs=["retention_period", "retention_expires"])
    record(
        "extend",
        case,
        details={
            "archival_code": case.archival_code,
            "before": old,
            "after": appraisal.new_period,
            "reason": appraisal.reason,
        },
    )


def purge_versions(obj):
    """Remove every stored version (CMFEditions) of ``obj`` and what is in it:
    a destroyed record must not live on in its history."""
    storage = api.portal.get_tool("portal_historiesstorage")
    handler = api.portal.get_tool("portal_historyidhandler")
    metadata = {
        "app_metadata": {},
        "sys_metadata": {
            "comment": "destroyed by appraisal",
            "timestamp": time.time(),
            "originator": None,
            "principal": api.user.get_current().getId(),
        },
    }
    for _path, record_ in records_of(obj):
        history_id = handler.queryUid(record_, None)
        if history_id is None:
            continue
        while len(storage.getHistory(history_id, countPurged=False)):
            storage.purge(history_id, 0, metadata, countPurged=False)


def destroy(case, appraisal):
    """Destroy one filed case (or record filed on its own); returns its row
    for the destruction list."""
    folder = aq_parent(case)
    case_id, code = case.getId(), case.archival_code
    pages = sum(
        e.get("pages") or 0 for e in case.archival_manifest if e["field"] != METADATA
    )
    files = [
        f"{e['path']}/{e['filename']} sha256:{e['sha256']}"
        for e in case.archival_manifest
        if e["field"] != METADATA
    ]
    row = {
        "archival_code": code,
        "title": case.Title(),
        "year": case.filing_year,
        "retention": case.retention_period,
        "pages": pages or None,
        "reason": appraisal.reason,
    }
    fields = {
        "title": case.Title(),
        "archival_code": code,
        "registration_number": getattr(case, "registration_number", None),
        "received_date": getattr(case, "received_date", None),
        "closed_on": getattr(case, "closed_on", None),
        "filing_year": case.filing_year,
        "retention_period": case.retention_period,
        "filed_on": case.filed_on,
        "destroyed_on": datetime.now(UTC),
        "reason": appraisal.reason,
        "appraisal": appraisal.absolute_url_path(),
        "proposed_by": proposer(appraisal),
        "approved_by": getattr(appraisal, "approved_by", None),
        "executed_by": api.user.get_current().getId(),
        "destroyed_files": files,
    }
    purge_versions(case)
    with disposing(case):
        folder._delObject(case_id)
    # Unindex the case and its records now: the tombstone takes the same path.
    processQueue()
    tombstone = createContentInContainer(
        folder, "Tombstone", checkConstraints=False, id=case_id, **fields
    )
    parsed = parse(code)
    state = group_state(parsed.group)
    state.items[parsed.item] = IUUID(tombstone)  # the number stays taken: no gap
    record(
        "destroy",
        tombstone,
        details={
            "archival_code": code,
            "reason": appraisal.reason,
            "files": len(files),
            "appraisal": fields["appraisal"],
        },
    )
    return row


def destruction_list(appraisal, rows):
    """The 销毁清册 PDF of an executed destruction."""

    settings = filing_settings()
    today = local_today()
    info = DestructionInfo(
        fonds_code=settings.fonds_code,
        fonds_name=settings.fonds_name,
        appraisal_reference=appraisal.basis or appraisal.Title(),
        appraised_on=appraisal.created().asdatetime().date(),
        proposed_by=proposer(appraisal) or "",
        approved_by=getattr(appraisal, "approved_by", "") or "",
        approved_on=getattr(appraisal, "approved_on", None)
        and appraisal.approved_on.date(),
        supervised_by="",
        executed_by=api.user.get_current().getId(),
        destroyed_on=today,
    )
    pdf_rows = [
        DestructionRow(
            number=i,
            archival_code=r["archival_code"],
            title=r["title"],
            year=r["year"],
            retention=record_text(PERIOD_TITLES[r["retention"]]),
            pages=r["pages"],
            reason=r["reason"],
        )
        for i, r in enumerate(rows, start=1)
    ]
    data = destruction_list_pdf(info, pdf_rows)
    return NamedBlobFile(
        data=data,
        filename=f"destruction-list-{today.isoformat()}.pdf",
        contentType="application/pdf",
    )
