"""Index documents published through the full-text change log at commit
(below Plone; also imported by a child process of test_search_changelog)."""

from xinfang_archive.search.model import IndexDocument
from xinfang_archive.search.publishing import join

import transaction


def document(uid, text):
    return IndexDocument(
        uid=uid,
        grams=text,
        words=[],
        personal=[],
        allowed=["Anonymous"],
        personal_allowed=[],
        stamp=f"stamp-{text}",
        stored={"title": text},
    )


def publish_at_commit(connection, store, dsn, docs):
    pending = dict(docs)

    def take():
        taken = dict(pending)
        pending.clear()
        return taken

    join(transaction.get(), take, connection, dsn, store)
