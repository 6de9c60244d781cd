"""Input that some transitions take with them (the extension's days, reason, approver).

Shared by the REST endpoint and the transition form, so that both validate
the same way.  Input is written only when the user may edit the case.
"""

from AccessControl import getSecurityManager
from xinfang_archive import _
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory


INPUTS = {
    "assign": ("responsible_unit", "case_handler"),
    "extend": ("extension_days", "extension_reason", "extension_approved_by"),
}


# Inputs that must be one of a vocabulary's values.
CHOICES = {
    "responsible_unit": "xinfang_archive.units",
    "case_handler": "xinfang_archive.case_handlers",
}


class TransitionInputError(ValueError):
    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def input_fields(transition):
    return INPUTS.get(transition, ())


def apply_transition_input(case, transition, data):
    fields = input_fields(transition)
    given = {name: data[name] for name in fields if name in data}
    if not given:
        return
    if not getSecurityManager().checkPermission("Modify portal content", case):
        raise TransitionInputError([_("You may not change this case.")])
    if "extension_days" in given:
        try:
            given["extension_days"] = int(given["extension_days"])
        except (TypeError, ValueError):
            raise TransitionInputError(
                [_("The extension must be a whole number of days.")]
            ) from None
    for name, value in given.items():
        if isinstance(value, str):
            value = value.strip()
        if name in CHOICES and value:
            vocabulary = getUtility(IVocabularyFactory, CHOICES[name])(case)
            if value not in vocabulary:
                raise TransitionInputError(
                    [
                        _(
                            "Unknown value for ${field}: ${value}.",
                            mapping={"field": name, "value": value},
                        )
                    ]
                )
        setattr(case, name, value or None)
