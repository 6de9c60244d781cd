"""Items of the archive's own listings shaped as plone.restapi's ``@search``
items are: each carries ``@id`` (its URL) and ``@type`` (its portal type),
so clients written for Plone read them alike; ``url`` stays for clients
that use it."""


def rest_item(row, portal_type=None):
    """``row`` (a dict with ``url``) with ``@id``, ``@type`` and, when it has
    a state, ``review_state`` first."""
    item = {
        "@id": row["url"],
        "@type": row.get("portal_type") or portal_type or "",
    }
    if row.get("state"):
        item["review_state"] = row["state"]
    item.update(row)
    return item
