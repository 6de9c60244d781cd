"""Cases received at a leader's reception day (领导接待日).

A case registered with channel 领导接待日 names the reception it was
received at (``reception`` on the case, a relation); a reception finds its
cases by the back references.  Either without the other is refused with a
message, on the registration form and however a case is added.
"""

from Acquisition import aq_base
from plone import api
from xinfang_archive import _
from xinfang_archive.content.interfaces import ILeaderReception
from xinfang_archive.content.interfaces import IPetitionCase
from zope.component import queryUtility
from zope.interface import Invalid
from zope.intid.interfaces import IIntIds


RECEPTION_CHANNEL = "reception_day"
RELATIONSHIP = "reception"


def _target(value):
    """The reception named by a relation value (on a case) or an object (in form data)."""
    if value is None:
        return None
    if ILeaderReception.providedBy(value):
        return value
    target = getattr(value, "to_object", None)
    return target if ILeaderReception.providedBy(target) else None


def reception_of(case):
    """The reception ``case`` was received at, or None."""
    return _target(getattr(aq_base(case), "reception", None))


def received_cases(reception):
    """The cases that name ``reception`` (any state, unrestricted: callers
    show each only to those who may View it)."""
    intids = queryUtility(IIntIds)
    if intids is None or intids.queryId(reception) is None:
        return []
    found = []
    for relation in api.relation.get(
        target=reception, relationship=RELATIONSHIP, unrestricted=True
    ):
        case = relation.from_object
        if case is not None and IPetitionCase.providedBy(case) and case not in found:
            found.append(case)
    found.sort(key=lambda case: getattr(case, "registration_number", None) or "")
    return found


def case_numbers(reception):
    return {
        case.registration_number
        for case in received_cases(reception)
        if case.registration_number
    }


def channel_problem(channel, reception):
    """The message refusing a channel and reception that do not go together, or None."""
    if channel == RECEPTION_CHANNEL and reception is None:
        return _(
            "A case received at a leader's reception day (领导接待日) must name that reception."
        )
    if channel != RECEPTION_CHANNEL and reception is not None:
        return _(
            "Only a case with channel 领导接待日 is linked to a reception day: "
            "choose that channel or remove the reception."
        )
    return None


def form_problem(data):
    """The check of the case forms; an older case on that channel without a
    reception (registered before receptions were recorded) stays editable."""
    channel = getattr(data, "channel", None)
    reception = _target(getattr(data, "reception", None))
    context = getattr(data, "__context__", None)
    if (
        reception is None
        and channel == RECEPTION_CHANNEL
        and IPetitionCase.providedBy(context)
        and getattr(context, "channel", None) == RECEPTION_CHANNEL
        and reception_of(context) is None
    ):
        return None
    return channel_problem(channel, reception)


def _names_a_reception(case):
    """A reception (or, on an imported record, one not in this archive: a
    broken relation that remembers it)."""
    value = getattr(aq_base(case), "reception", None)
    return (
        reception_of(case) is not None or getattr(value, "target_uid", None) is not None
    )


def case_added(case, event):
    """However a case is added (REST, code): the channel and the reception go
    together.  An imported record (``_v_imported``) was registered elsewhere,
    perhaps before reception days were recorded: it keeps what it says."""
    if getattr(case, "_v_imported", False):
        return
    named = (
        case if _names_a_reception(case) else None
    )  # channel_problem asks only whether one is named
    problem = channel_problem(getattr(case, "channel", None), named)
    if problem:
        raise Invalid(problem)
