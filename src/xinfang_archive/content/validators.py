"""Field constraints with clear (translated) messages."""

from xinfang_archive import _
from xinfang_archive.localtime import local_today
from xinfang_archive.privacy.idcard import id_number_problem
from zope.schema import ValidationError

import re


class InvalidIdNumber(ValidationError):
    __doc__ = _(
        "The ID number is not a valid 18-character resident ID number "
        "(shape, birth date or check digit is wrong)."
    )


class InvalidPhone(ValidationError):
    __doc__ = _(
        "The phone number must have 7 to 13 digits (mobile or area code + number)."
    )


class DateInFuture(ValidationError):
    __doc__ = _("The date cannot be in the future.")


class TextTooLong(ValidationError):
    __doc__ = _("The text is too long.")

    def __init__(self, value, limit):
        super().__init__(value)
        self.length, self.limit = len(value), limit

    def doc(self):
        return _(
            "Too long: ${length} characters, at most ${limit}.",
            mapping={"length": self.length, "limit": self.limit},
        )

    def __str__(self):
        return f"Too long: {self.length} characters, at most {self.limit}."


# The longest a person types in each kind of field (a request that sends
# more is refused with a message, and nothing of it is kept).
TITLE_CHARS = 200
NAME_CHARS = 50
LINE_CHARS = 200
TEXT_CHARS = 20_000


def at_most(limit):
    """A field constraint: at most ``limit`` characters."""

    def constraint(value):
        if value and len(value) > limit:
            raise TextTooLong(value, limit)
        return True

    constraint.__name__ = f"at_most_{limit}"
    return constraint


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
    if value and value > local_today():
        raise DateInFuture(value)
    return True
