"""Tamper-evident, append-only audit trail of what users do in the archive."""
