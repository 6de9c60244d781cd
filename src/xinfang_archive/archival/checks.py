"""The four-properties check (四性检测, DA/T 70-2018) of a case before filing.

真实性 authenticity: metadata complete and valid, the archival code well-formed;
完整性 integrity: every document has its file, no gap in the numbering group,
checksums recorded; 可用性 usability: every file opens in an archival format;
安全性 security: declared types match the bytes, accusation material still
protected.  Each problem names its property and, where it has one, the record.
"""

from Acquisition import aq_base
from dataclasses import dataclass
from xinfang_archive import _
from xinfang_archive.archival.manifest import main_schema
from xinfang_archive.archival.manifest import main_schema_fields
from xinfang_archive.content.interfaces import ICaseDocument
from zope.interface import Invalid
from zope.schema.interfaces import ValidationError


AUTHENTICITY = "authenticity"
INTEGRITY = "integrity"
USABILITY = "usability"
SECURITY = "security"

PROPERTY_TITLES = {
    AUTHENTICITY: _("Authenticity"),
    INTEGRITY: _("Integrity"),
    USABILITY: _("Usability"),
    SECURITY: _("Security"),
}


@dataclass(frozen=True)
class Problem:
    property: str
    message: object  # translatable
    path: str = ""  # the record inside the case ("" for the case itself)


def _missing(value):
    return value is None or value == "" or value == [] or value == set() or value == ()


def metadata_problems(obj, path):
    """Required values present; every value valid for its field; invariants hold."""
    problems = []
    for name, field in main_schema_fields(obj):
        value = getattr(aq_base(obj), name, None)
        if _missing(value):
            if field.required:
                problems.append(
                    Problem(
                        AUTHENTICITY,
                        _(
                            "Required metadata missing: ${field}.",
                            mapping={"field": field.title},
                        ),
                        path,
                    )
                )
            continue
        try:
            field.bind(obj).validate(value)
        except ValidationError as error:
            problems.append(
                Problem(
                    AUTHENTICITY,
                    _(
                        "Metadata not valid: ${field} (${error}).",
                        mapping={
                            "field": field.title,
                            "error": error.doc() or type(error).__name__,
                        },
                    ),
                    path,
                )
            )
    errors = []
    try:
        main_schema(obj).validateInvariants(obj, errors)
    except Invalid:
        for error in errors:
            problems.append(
                Problem(AUTHENTICITY, error.args[0] if error.args else str(error), path)
            )
    return problems


def case_metadata_problems(case):
    """What a filed case must state beyond its schema's required fields."""
    problems = []
    if not getattr(case, "registration_number", None):
        problems.append(
            Problem(AUTHENTICITY, _("The case has no registration number."))
        )
    if not getattr(case, "closed_on", None):
        problems.append(Problem(AUTHENTICITY, _("The case has no closing date.")))
    rejected = getattr(case, "accepted_on", None) is None
    if not rejected:
        if not getattr(case, "responsible_unit", None):
            problems.append(
                Problem(AUTHENTICITY, _("The case names no responsible unit."))
            )
        if not getattr(case, "outcome", None):
            problems.append(Problem(AUTHENTICITY, _("The case records no outcome.")))
    return problems


def document_file_problems(obj, path):
    """A case document without its file cannot be filed."""
    if ICaseDocument.providedBy(obj) and not getattr(obj, "file", None):
        return [Problem(INTEGRITY, _("The document has no file."), path)]
    return []


def accusation_problems(obj, path):
    """Accusation material must not acquire View from its case."""
    if (
        ICaseDocument.providedBy(obj)
        and getattr(obj, "accusation", False)
        and not isinstance(getattr(aq_base(obj), "_View_Permission", None), tuple)
    ):
        return [
            Problem(
                SECURITY,
                _(
                    "Accusation material is not protected: its View permission is acquired."
                ),
                path,
            )
        ]
    return []
