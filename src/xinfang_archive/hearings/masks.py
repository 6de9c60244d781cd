"""What the published minutes mask, computed from the transcript, its
hearing and the cases heard.

Known names and addresses come from the records (petitioners of the cases,
private parties of the hearing, speakers in a private role); officials
(chair, panel, parties in office, speakers in an official role) are kept.
ID numbers, phones, addresses and vehicle plates are also found by shape,
and further names may be suggested (``privacy.redaction``).  The organizer's
choices (masks not applied, further text to mask) are stored on the
transcript with a digest of everything the masks were computed from.
"""

from hashlib import sha256
from xinfang_archive.hearings.settings import hearing_settings
from xinfang_archive.privacy.redaction import apply_masks
from xinfang_archive.privacy.redaction import find_masks
from xinfang_archive.vocabularies.fixed import PRIVATE_HEARING_ROLES

import json


def _cases(hearing):
    cases = []
    for relation in getattr(hearing, "cases", None) or ():
        case = getattr(relation, "to_object", None)
        if case is not None:
            cases.append(case)
    return cases


def mask_inputs(transcript):
    """``names``, ``addresses`` and ``keep`` for ``find_masks``."""
    hearing = transcript.hearing()
    names, addresses, keep = [], [], []
    if hearing is not None:
        for case in _cases(hearing):
            for row in case.petitioners or ():
                names.append((row or {}).get("name"))
                addresses.append((row or {}).get("address"))
        for row in hearing.private_parties():
            names.append(row.get("name"))
            addresses.append(row.get("address"))
        keep.extend(hearing.officials())
    for turn in transcript.turns or ():
        speaker = (turn or {}).get("speaker")
        if (turn or {}).get("role") in PRIVATE_HEARING_ROLES:
            names.append(speaker)
        else:
            keep.append(speaker)

    def distinct(values):
        return sorted({value.strip() for value in values if value and value.strip()})

    # A name known as private is masked even where it also appears in office
    # (a petitioner recorded under the wrong role): hiding too much is safe.
    names = distinct(names)
    keep = [name for name in distinct(keep) if name not in names]
    return {"names": names, "addresses": distinct(addresses), "keep": keep}


def public_texts(transcript):
    """The texts that reach the public, as ``(field, text)`` pairs in reading order.

    Place, chair and panel are official and published as they are.
    """
    hearing = transcript.hearing()
    texts = [("title", hearing.title if hearing is not None else transcript.title)]
    if hearing is not None:
        texts.append(("agenda", hearing.agenda or ""))
    for number, turn in enumerate(transcript.turns or ()):
        turn = turn or {}
        texts.append((f"turns.{number}.speaker", turn.get("speaker") or ""))
        texts.append((f"turns.{number}.text", turn.get("text") or ""))
    texts.append(("free_text", transcript.free_text or ""))
    return texts


def review_digest(transcript):
    """Digest of what the masks depend on: texts, known names and addresses,
    the organizer's additions and exclusions, and the settings."""
    payload = {
        "texts": public_texts(transcript),
        "inputs": mask_inputs(transcript),
        "additions": sorted(transcript.mask_additions or ()),
        "exclusions": sorted(transcript.mask_exclusions or ()),
        "settings": list(hearing_settings()),
    }
    return sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


def _masks(transcript, text, additions=None):
    style, suggest = hearing_settings()
    inputs = mask_inputs(transcript)
    return find_masks(
        text,
        names=inputs["names"],
        addresses=inputs["addresses"],
        keep=inputs["keep"],
        additions=transcript.mask_additions if additions is None else additions,
        style=style,
        suggest_names=suggest,
    )


def masks_by_field(transcript, additions=None):
    """``{field: (text, masks)}`` for every public text."""
    return {
        field: (text, _masks(transcript, text, additions) if text else [])
        for field, text in public_texts(transcript)
    }


def masked_texts(transcript):
    """``{field: masked text}`` with the organizer's exclusions honoured."""
    excluded = frozenset(transcript.mask_exclusions or ())
    return {
        field: apply_masks(text, masks, excluded=excluded) if masks else text
        for field, (text, masks) in masks_by_field(transcript).items()
    }
