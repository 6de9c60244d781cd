"""PREMIS-style preservation events of a package.

Element names are PREMIS 3's, in the archive's own namespace: the PREMIS
XSD cannot be fetched here, so ``schemas/events.xsd`` restates the subset we
write (see its documentation).
"""

from datetime import datetime
from lxml import etree
from xinfang_archive.exchange.dat46 import clean
from xinfang_archive.exchange.dat46 import require_aware
from xinfang_archive.exchange.dat46 import xml_bytes
from xinfang_archive.exchange.model import Event

import re


NAMESPACE = "urn:xinfang-archive:events:1"
SCHEMA = "events.xsd"
PREMIS_VERSION = "3.0"
EVENT_TYPES = (
    "creation",
    "ingestion",
    "migration",
    "filing",
    "fixity",
    "amendment",
    "retention",
    "transfer",
    "export",
    "validation",
)
OUTCOMES = ("success", "failure")
SYSTEM_AGENT = "xinfang-archive"
# DA/T 22-2015 档号 (X001-XF·2024-D30-JSJ-0007); anything else an event
# names its object by is a registration (or hearing) number.
ARCHIVAL_CODE = re.compile(r"^[^-\s]+-[A-Za-z]{2}·\d{4}-[^-\s]+-[^-\s]+-\d+$")


def q(tag):
    return f"{{{NAMESPACE}}}{tag}"


def add(parent, tag, value=None):
    element = etree.SubElement(parent, q(tag))
    if value is not None:
        element.text = value
    return element


def identifier(parent, tag, prefix, type_, value):
    """PREMIS identifier pair: ``<xIdentifier><xIdentifierType/><xIdentifierValue/>``."""
    element = add(parent, tag)
    add(element, f"{prefix}Type", type_)
    add(element, f"{prefix}Value", value)
    return element


def object_identifier_type(value):
    return "档号" if ARCHIVAL_CODE.match(value) else "登记号"


def check(event):
    problems = [
        name
        for name in ("identifier", "agent", "object_uid")
        if not clean(getattr(event, name))
    ]
    if event.type not in EVENT_TYPES:
        problems.append(f"type {event.type!r} (one of {', '.join(EVENT_TYPES)})")
    if event.outcome not in OUTCOMES:
        problems.append(f"outcome {event.outcome!r} (one of {', '.join(OUTCOMES)})")
    if problems:
        raise ValueError(
            f"event {clean(event.identifier) or '?'}: bad or missing "
            + ", ".join(problems)
        )
    require_aware(event.time, f"event {event.identifier}: time")


def events_document(
    events: list[Event], *, package_id: str, generated: datetime
) -> etree._Element:
    """The ``premis`` element listing the package's events, then their agents.

    Events are sorted by time, then identifier; agents are the distinct
    agents of the events, sorted.  Raises ValueError for a naive time, an
    unknown type or outcome, a missing value or a duplicate identifier.
    """
    if not clean(package_id):
        raise ValueError("package_id is required")
    for event in events:
        check(event)
    ids = [clean(event.identifier) for event in events]
    duplicates = sorted({value for value in ids if ids.count(value) > 1})
    if duplicates:
        raise ValueError("duplicate event identifiers: " + ", ".join(duplicates))

    root = etree.Element(
        q("premis"),
        {
            "version": PREMIS_VERSION,
            "packageIdentifier": clean(package_id),
            "generated": require_aware(generated, "generated"),
        },
        nsmap={None: NAMESPACE},
    )
    for event in sorted(events, key=lambda e: (e.time, clean(e.identifier))):
        element = add(root, "event")
        identifier(
            element,
            "eventIdentifier",
            "eventIdentifier",
            "local",
            clean(event.identifier),
        )
        add(element, "eventType", event.type)
        add(element, "eventDateTime", event.time.isoformat())
        if clean(event.detail):
            add(
                add(element, "eventDetailInformation"),
                "eventDetail",
                clean(event.detail),
            )
        outcome = add(element, "eventOutcomeInformation")
        add(outcome, "eventOutcome", event.outcome)
        if clean(event.outcome_detail):
            add(
                add(outcome, "eventOutcomeDetail"),
                "eventOutcomeDetailNote",
                clean(event.outcome_detail),
            )
        agent = identifier(
            element,
            "linkingAgentIdentifier",
            "linkingAgentIdentifier",
            *agent_identifier(event.agent),
        )
        add(
            agent,
            "linkingAgentRole",
            "executing program"
            if clean(event.agent) == SYSTEM_AGENT
            else "implementer",
        )
        identifier(
            element,
            "linkingObjectIdentifier",
            "linkingObjectIdentifier",
            "UID",
            clean(event.object_uid),
        )
        if clean(event.object_identifier):
            identifier(
                element,
                "linkingObjectIdentifier",
                "linkingObjectIdentifier",
                object_identifier_type(clean(event.object_identifier)),
                clean(event.object_identifier),
            )
    for name in sorted({clean(event.agent) for event in events}):
        agent = add(root, "agent")
        identifier(agent, "agentIdentifier", "agentIdentifier", *agent_identifier(name))
        add(agent, "agentType", "software" if name == SYSTEM_AGENT else "person")
    return root


def agent_identifier(name):
    """(type, value): the archive itself, or a user id."""
    name = clean(name)
    return ("software", name) if name == SYSTEM_AGENT else ("userid", name)


def events_bytes(element) -> bytes:
    """The events document as bytes for the package (UTF-8, XML declaration, indented)."""
    return xml_bytes(element)
