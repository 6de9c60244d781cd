"""When rules are evaluated: once per transaction, just before it commits.

A case's registration and its changes (an edit, a transition of the case
itself: not a document added inside it) and the submission of a screening
report schedule the record; a before-commit hook evaluates the scheduled
records then, when every subscriber of the request has run.  Evaluating in
the subscribers themselves ran catalog queries in the middle of the change
(a catalog query processes the index queue first), so the search documents
of a case's documents were built from a state the rest of the transaction
then changed (verify-index on PostgreSQL: "stale in the shared log").

The hook ends by processing the index queue once more: its warnings are
indexed in this transaction, whether CMFCore's own before-commit hook ran
before it or not.  ``flush`` evaluates what is scheduled at once (tests, and
the demo, which evaluates before its own commit).
"""

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from contextlib import contextmanager
from plone import api
from Products.CMFCore.indexing import processQueue
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.earlywarning.evaluate import candidates_for_case
from xinfang_archive.earlywarning.evaluate import candidates_for_report
from xinfang_archive.earlywarning.raising import follow_case
from xinfang_archive.earlywarning.raising import raise_candidates
from xinfang_archive.earlywarning.raising import warning_folder
from xinfang_archive.earlywarning.rules import current_rules
from xinfang_archive.localtime import local_today
from xinfang_archive.privacy.accusation import is_accusation
from xinfang_archive.reports.screening import first_submission
from ZODB.POSException import ConflictError
from zope.container.interfaces import IContainerModifiedEvent

import logging
import threading
import transaction


logger = logging.getLogger("xinfang_archive.earlywarning")

_PENDING = object()  # key of the transaction's scheduled records (Transaction.data)
CASE, REPORT = "case", "report"


def _pending(txn=None):
    txn = txn if txn is not None else transaction.get()
    try:
        return txn.data(_PENDING)
    except KeyError:
        pending = {}
        txn.set_data(_PENDING, pending)
        txn.addBeforeCommitHook(_before_commit, (pending,))
        return pending


_paused = threading.local()


@contextmanager
def paused():
    """No record is scheduled in this block: an import brings records with
    the warnings their own archive raised (and acknowledged) on them; the
    rules run again on them would raise what it already holds."""
    depth = getattr(_paused, "depth", 0)
    _paused.depth = depth + 1
    try:
        yield
    finally:
        _paused.depth = depth


def schedule(obj, kind):
    if getattr(_paused, "depth", 0):
        return
    _pending()[id(aq_base(obj))] = (kind, obj)


def _still_there(obj):
    parent = aq_parent(aq_inner(obj))
    if parent is None:
        return False
    try:
        return aq_base(parent._getOb(obj.getId(), None)) is aq_base(obj)
    except Exception:
        return False


def evaluate_pending(pending):
    """Evaluate and forget the scheduled records; returns the new warnings."""
    made = []
    if not pending:
        return made
    folder = warning_folder()
    rules, periods = current_rules() if folder is not None else ([], [])
    catalog = api.portal.get_tool("portal_catalog") if rules else None
    while pending:
        _key, (kind, obj) = pending.popitem()
        if folder is None or not _still_there(obj):
            continue
        if kind == CASE:
            follow_case(obj)  # its warnings follow its unit and its accusation material
        if not rules:
            continue
        try:
            if kind == CASE:
                candidates = candidates_for_case(
                    obj, rules, periods, catalog, existing=folder.__contains__
                )
            else:
                candidates = candidates_for_report(
                    obj, rules, periods, first_submission(obj) or local_today()
                )
        except ConflictError:
            raise
        except Exception:
            # evaluation only reads: a rule that fails never refuses a registration
            logger.exception(
                "Early warning evaluation failed for %s",
                "/".join(obj.getPhysicalPath()),
            )
            continue
        made.extend(raise_candidates(candidates, folder))
    return made


def flush():
    """Evaluate now what this transaction scheduled."""
    made = evaluate_pending(_pending())
    processQueue()
    return made


def _before_commit(pending):
    if pending:
        evaluate_pending(pending)
        processQueue()


# event handlers (configure.zcml)


def case_changed(case, event):
    if IContainerModifiedEvent.providedBy(event):
        return  # something inside the case changed, not the case
    schedule(case, CASE)


def document_changed(document, event):
    """Accusation material in a case: its case's warnings follow at the commit."""

    case = aq_parent(aq_inner(document))
    if is_accusation(document) and IPetitionCase.providedBy(case):
        schedule(case, CASE)


def report_transitioned(report, event):
    if getattr(event, "action", None) == "submit":
        schedule(report, REPORT)
