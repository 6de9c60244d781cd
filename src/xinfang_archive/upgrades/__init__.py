"""Upgrade steps of the ``xinfang_archive:default`` profile."""
