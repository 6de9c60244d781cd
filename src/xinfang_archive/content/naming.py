"""Ids of new cases come from their registration numbers (xf-2024-000123)."""

from plone.app.content.interfaces import INameFromTitle
from xinfang_archive.content.registration import ensure_registration_number
from zope.interface import implementer


class INameFromRegistrationNumber(INameFromTitle):
    """Behavior interface: the name of a new case is its registration number."""


@implementer(INameFromRegistrationNumber)
class NameFromRegistrationNumber:
    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        return ensure_registration_number(self.context).lower()
