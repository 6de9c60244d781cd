"""Search engines: ``whoosh`` (pure Python) and ``tantivy`` (Rust, tantivy-py)."""

ENGINES = ("tantivy", "whoosh")


def engine_class(name):
    if name == "whoosh":
        from xinfang_archive.search.engines.whoosh_engine import WhooshEngine

        return WhooshEngine
    if name == "tantivy":
        from xinfang_archive.search.engines.tantivy_engine import TantivyEngine

        return TantivyEngine
    raise ValueError(
        f"Unknown search engine: {name!r} (choose from {', '.join(ENGINES)})"
    )
