"""Transfer (移交) of filed records to the archives, as an approved
appraisal's execution.

The records go out as one archival package (``exchange/package.py``):
built, validated and given its checksum before anything in the site
changes, and deleted again if the transaction does not commit.  Then each case records the transfer (time, actor, receiver,
package and its SHA-256) and moves to the ``transferred`` state: the copy
kept here stays frozen, is no longer amended here and is no longer due for
appraisal.  The package path and checksum are kept on the appraisal.
"""

from datetime import datetime
from datetime import UTC
from pathlib import Path
from persistent.list import PersistentList
from plone import api
from xinfang_archive import _
from xinfang_archive.archival.refusal import DispositionRefused
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.archival.states import TRANSFERRED
from xinfang_archive.audit.recorder import record
from xinfang_archive.exchange.package import build_package
from xinfang_archive.exchange.package import kept_only_if_committed
from xinfang_archive.exchange.package import PackageError

import os


TRANSFER_ENV = "XINFANG_TRANSFER_DIR"


def transfer_directory(site=None):
    """Where transfer packages are written: $XINFANG_TRANSFER_DIR, the
    configured directory, or ``transfers`` beside the database."""
    if os.environ.get(TRANSFER_ENV):
        return Path(os.environ[TRANSFER_ENV])
    settings = filing_settings()
    configured = (
        (getattr(settings, "transfer_directory", None) or "").strip()
        if settings
        else ""
    )
    if configured:
        return Path(configured)
    if os.environ.get("XINFANG_ARCHIVE_VAR"):
        return Path(os.environ["XINFANG_ARCHIVE_VAR"]) / "transfers"
    site = site if site is not None else api.portal.get()
    jar = getattr(site, "_p_jar", None)
    name = jar.db().storage.getName() if jar is not None else ""
    if name and os.path.isfile(name):
        return Path(name).resolve().parent.parent / "transfers"
    return None


def destination_problems():
    """Why no transfer package can be written now (empty: it can)."""
    directory = transfer_directory()
    if directory is None:
        return [
            _("No directory for transfer packages is configured (filing settings).")
        ]
    if not directory.is_absolute():
        return [
            _(
                "The directory of transfer packages must be an absolute path: ${path}.",
                mapping={"path": str(directory)},
            )
        ]
    probe = directory if directory.exists() else directory.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK):
        return [
            _(
                "The directory of transfer packages cannot be written: ${path}.",
                mapping={"path": str(directory)},
            )
        ]
    return []


def package_name(appraisal, now):
    settings = filing_settings()
    fonds = (settings.fonds_code if settings else "") or "X"
    return f"transfer-{fonds}-{now:%Y%m%d-%H%M%S}-{appraisal.getId()}"


def transfer(appraisal, cases):
    """Write the package of ``cases``, then record the transfer on each."""
    problems = destination_problems()
    if problems:
        raise DispositionRefused(problems)
    settings = filing_settings()
    receiver = settings.transfer_receiver if settings else ""
    now = datetime.now(UTC)
    directory = transfer_directory()
    directory.mkdir(parents=True, exist_ok=True)
    actor = api.user.get_current().getId()
    try:
        result = build_package(
            cases,
            directory / package_name(appraisal, now),
            purpose="transfer",
            receiver=receiver,
            actor=actor,
        )
    except PackageError as error:
        raise DispositionRefused([error.message]) from None
    kept_only_if_committed(result)
    wftool = api.portal.get_tool("portal_workflow")
    for case in cases:
        workflow = wftool.getWorkflowsFor(case)[0]
        entry = {
            "time": now.isoformat(),
            "actor": actor,
            "receiver": receiver,
            "package": result.path.name,
            "package_sha256": result.digest,
            "appraisal": appraisal.absolute_url_path(),
        }
        if getattr(case, "transfers", None) is None:
            case.transfers = PersistentList()
        case.transfers.append(entry)
        wftool.setStatusOf(
            workflow.getId(),
            case,
            {
                "action": "transfer",
                "review_state": TRANSFERRED,
                "actor": actor,
                "comments": f"移交{receiver}：{result.path.name}（SHA-256 {result.digest}）",
                "time": datetime_now(),
            },
        )
        workflow.updateRoleMappingsFor(case)
        case.reindexObject(
            idxs=["review_state"]
        )  # not a change of the record: no new modified date
        case.reindexObjectSecurity()
        record(
            "transfer",
            case,
            details={
                "archival_code": case.archival_code,
                "receiver": receiver,
                "package": result.path.name,
                "sha256": result.digest,
            },
        )
    appraisal.transfer_package = str(result.path)
    appraisal.transfer_sha256 = result.digest
    return result


def datetime_now():
    from DateTime import DateTime

    return DateTime()
