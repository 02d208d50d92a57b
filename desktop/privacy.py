"""Masking personal data for screens, receipts and logs.

ID numbers show their first four and last four characters (enough for a clerk to
confirm the card in hand); names show their first character.
"""

from __future__ import annotations

import datetime as dt
import re


def mask_id_number(number: str) -> str:
    """'360121196006150013' → '3601**********0013'."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """'张伟' → '张*', '欧阳娜娜' → '欧***'."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


def mask_phone(phone: str) -> str:
    """'13812345678' → '138****5678'."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


# An ID number (18), a person number (20) or a card serial standing alone in free text;
# a msgid, which begins with its facility code's letter, is not a person and stays whole.
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{15,20}[0-9Xx]?(?![0-9A-Za-z])")
# A timestamp as the interface writes them without separators (refmsg_time, respond_time:
# yyyyMMddHHmmssSSS; the time inside a msgid or inf_refmsgid: yyyyMMddHHmmss) names nobody.
_STAMP_LENGTHS = (14, 17)


def _is_timestamp(number: str) -> bool:
    if len(number) not in _STAMP_LENGTHS or not number.isdigit():
        return False
    try:
        moment = dt.datetime.strptime(number[:14], "%Y%m%d%H%M%S")  # noqa: DTZ007 — only its shape matters
    except ValueError:
        return False
    return 1990 <= moment.year <= 2199


def mask_numbers_in(text: str) -> str:
    """Free text (an agency's refusal naming the person, say) with every long number masked;
    timestamps (``20261120093012422``) keep their digits, as they name nobody."""
    return _LONG_NUMBER.sub(
        lambda found: found.group() if _is_timestamp(found.group()) else mask_id_number(found.group()), text
    )
