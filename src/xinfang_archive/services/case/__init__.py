"""Serialization of cases: masked personal data and the statutory clock."""
