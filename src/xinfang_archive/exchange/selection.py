"""Which cases an export takes: named by registration number or 档号, the
filed cases of a filing year, or every case."""

from xinfang_archive.archival.states import FILED_STATES


def select_cases(catalog, keys=(), year=None, everything=False):
    """``(cases, unknown keys)``, each case once, in the order asked."""
    cases, unknown = [], []
    for key in keys:
        brains = catalog.unrestrictedSearchResults(
            portal_type="PetitionCase", registration_number=key
        ) or catalog.unrestrictedSearchResults(
            portal_type="PetitionCase", archival_code=key
        )
        if not brains:
            unknown.append(key)
        else:
            cases.append(brains[0]._unrestrictedGetObject())
    if year:
        brains = catalog.unrestrictedSearchResults(
            portal_type="PetitionCase",
            review_state=FILED_STATES,
            filing_year=year,
            sort_on="archival_code",
        )
        cases += [brain._unrestrictedGetObject() for brain in brains]
    if everything:
        brains = catalog.unrestrictedSearchResults(
            portal_type="PetitionCase", sort_on="registration_number"
        )
        cases += [brain._unrestrictedGetObject() for brain in brains]
    seen, unique = set(), []
    for case in cases:
        if case.UID() not in seen:
            seen.add(case.UID())
            unique.append(case)
    return unique, unknown


def selection_keys(text):
    """The keys of a selection: one per line, blank lines and ``#`` comments left out."""
    return [
        line.strip()
        for line in (text or "").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
