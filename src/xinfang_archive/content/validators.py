"""Field constraints with clear (translated) messages."""
from datetime import date
from xinfang_archive import _
from xinfang_archive.privacy.idcard import id_number_problem
from zope.schema import ValidationError

import re


class InvalidIdNumber(ValidationError):
    __doc__ = _(
        "The ID number is not a valid 18-character resident ID number "
        "(shape, birth date or check digit is wrong)."
    )


class InvalidPhone(ValidationError):
    __doc__ = _("The phone number must have 7 to 13 digits (mobile or area code + number).")


class DateInFuture(ValidationError):
    __doc__ = _("The date cannot be in the future.")


_PHONE = re.compile(r"^\+?[\d\- ]{7,20}$")


def valid_id_number(value):
    if value and id_number_problem(value):
        raise InvalidIdNumber(value)
    return True


def valid_phone(value):
    if value:
        digits = re.sub(r"\D", "", value)
        if not _PHONE.match(value.strip()) or not 7 <= len(digits) <= 13:
            raise InvalidPhone(value)
    return True


def not_in_future(value):
    if value and value > date.today():
        raise DateInFuture(value)
    return True
