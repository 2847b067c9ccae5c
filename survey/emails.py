"""E-mail addresses as accounts and invitees take them: one check, one stored form."""

from __future__ import annotations

import re
from typing import Any

from wtforms.validators import ValidationError

#: Deliberately loose: one "@", something on each side, a dot in the domain. The real
#: check is that the person receives the mail.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_address(form: Any, field: Any) -> None:
    """WTForms validator: a plausible e-mail address (no extra package needed)."""
    if field.data and not _EMAIL.match(field.data.strip()):
        raise ValidationError("Enter an email address like name@example.com.")


def normalise_email(email: str) -> str:
    """The stored form of an email address.

    >>> normalise_email("  Ana@Globex.Example ")
    'ana@globex.example'
    """
    return email.strip().lower()
