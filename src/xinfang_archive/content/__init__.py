"""The archive's content: Dexterity types, their behaviours and subscribers."""

from xinfang_archive.content import modifier_conditions  # noqa: F401  (CMFEditions: conditions once per kind and transaction)
