"""Search engines: ``whoosh`` (pure Python) and ``tantivy`` (Rust, tantivy-py)."""

from xinfang_archive.search.engines.tantivy_engine import TantivyEngine
from xinfang_archive.search.engines.whoosh_engine import WhooshEngine


ENGINES = ("tantivy", "whoosh")


def engine_class(name):
    if name == "whoosh":
        return WhooshEngine
    if name == "tantivy":
        return TantivyEngine
    raise ValueError(
        f"Unknown search engine: {name!r} (choose from {', '.join(ENGINES)})"
    )
