"""Chinese full-text search of the archive.

One small engine interface (``interfaces.ISearchEngine``) with two
implementations, Whoosh and Tantivy, fed through CMFCore's index queue so
that the index only ever reflects committed transactions.
"""
