"""The records an imported record names, found in the site as it is now.

The catalog is asked unrestricted: an import sees the whole archive, and
what it finds decides whether a record waits, is refused or points at it.
"""


def brains(catalog, **query):
    return catalog.unrestrictedSearchResults(**query)


def case_for(catalog, uid, identifier, receptions=False):
    """The case ``uid`` or ``identifier`` names (or, for a relation that
    may name one, the reception day), or None."""
    types = ("PetitionCase", "LeaderReception") if receptions else ("PetitionCase",)
    found = brains(catalog, UID=uid, portal_type=types) if uid else []
    if not found and identifier:
        found = brains(
            catalog, portal_type="PetitionCase", registration_number=identifier
        )
    if not found and identifier and receptions:
        found = brains(catalog, portal_type="LeaderReception", getId=identifier)
    if found:
        return found[0]._unrestrictedGetObject()
    return None


def target_for(catalog, uid, identifier):
    """What a relation names: a case or reception day, else (a screening
    report an accountability record names) any record by its UID."""
    target = case_for(catalog, uid, identifier, receptions=True)
    if target is None and uid:
        found = brains(catalog, UID=uid)
        target = found[0]._unrestrictedGetObject() if found else None
    return target
