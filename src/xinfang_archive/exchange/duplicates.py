"""Whether a record is in the archive already: a rerun of a killed import
skips what was committed (same UID, or same registration or hearing
number), and a record that clashes with another one is refused."""

from plone.uuid.interfaces import IUUID
from xinfang_archive import _
from xinfang_archive.exchange.reader import RecordProblem
from xinfang_archive.exchange.targets import brains


def existing(record, known, catalog):
    """``(why record is skipped, its brain)`` when it is here already,
    ``(None, None)`` to import it; raises ``RecordProblem`` when it clashes
    with another record."""
    if not known.may_hold(record):
        return None, None
    by_uid = list(brains(catalog, UID=record.uid)) if record.uid else []
    by_number = _by_number(record, known, catalog)
    if by_uid:
        brain = by_uid[0]
        if _other_record(record, brain, by_number):
            raise RecordProblem(
                [
                    _(
                        "The UID ${uid} already belongs to another record (${path}).",
                        mapping={"uid": record.uid, "path": brain.getPath()},
                    )
                ]
            )
        return _("Already in the archive (same UID): skipped."), brain
    if by_number:
        if record.uid and record.uid != by_number[0].UID:
            raise RecordProblem(
                [
                    _(
                        "The number ${number} already belongs to another record with another UID.",
                        mapping={"number": record.identifier},
                    )
                ]
            )
        return _("Already in the archive (same number): skipped."), by_number[0]
    return None, None


def _by_number(record, known, catalog):
    """The record here with the case's registration or the hearing's number."""
    number = record.values.get("registration_number")
    if record.kind.element == "case" and number:
        return list(
            brains(
                catalog,
                portal_type=record.kind.portal_type,
                registration_number=number,
            )
        )
    if record.kind.element == "hearing" and record.values.get("hearing_number"):
        uid = known.hearing_numbers.get(record.values["hearing_number"])
        return list(brains(catalog, UID=uid)) if uid else []
    return []


def _other_record(record, brain, by_number):
    """Whether the record here with the UID is another one than ``record``:
    another type, or another number than the record's."""
    number = record.values.get("registration_number")
    return (
        brain.portal_type != record.kind.portal_type
        or (by_number and record.uid != by_number[0].UID)
        or (
            record.kind.element == "case"
            and number
            and brain.registration_number != number
        )
    )


class Known:
    """The UIDs and numbers in the site, read from the catalog once and then
    kept up to date by the import.  Asking the catalog for each case would
    make it index everything written so far first, case by case; this way
    the catalog is asked only about a record that may already be there."""

    def __init__(self, site, catalog):
        self.uids = set(catalog._catalog.getIndex("UID").uniqueValues())
        self.numbers = set(catalog.uniqueValuesFor("registration_number"))
        hearings = site.get("hearings")
        self.hearing_numbers = {
            hearing.hearing_number: IUUID(hearing)
            for hearing in (hearings.objectValues() if hearings is not None else ())
            if getattr(hearing, "hearing_number", None)
        }

    def may_hold(self, record):
        uids = {item.uid for _path, item in record.walk() if item.uid}
        if uids & self.uids:
            return True
        if record.kind.element == "case":
            return record.values.get("registration_number") in self.numbers
        if record.kind.element == "hearing":
            return record.values.get("hearing_number") in self.hearing_numbers
        return False  # an accountability record: known by its UID

    def add(self, record):
        self.uids.update(item.uid for _path, item in record.walk() if item.uid)
        if record.kind.element == "case":
            self.numbers.add(record.values.get("registration_number"))
        elif record.kind.element == "hearing":
            self.hearing_numbers[record.values.get("hearing_number")] = record.uid
