"""Masking personal data for screens, receipts, exports and logs.

ID numbers show their first four and last four characters (enough for a clerk to
confirm the card in hand); names show their first character.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any


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


def mask_numbers_in(text: str) -> str:
    """Free text (an agency's refusal naming the person, say) with every long number masked."""
    return _LONG_NUMBER.sub(lambda found: mask_id_number(found.group()), text)


# --- the one rule, by role --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Masking:
    """What a reader of a screen, a receipt, an export or a log sees of a person's numbers.

    One rule everywhere: the ID number and the phone number in full only for a role with
    ``Permission.SEE_FULL_ID`` (``for_role``), on that person's screens and exports; masked
    for everyone else, and always on receipts (handed to the patient), in logs, in the
    audit log's details and in what the command line prints (``MASKED``).
    """

    full_id: bool = False

    def id_number(self, number: str) -> str:
        return number if self.full_id else mask_id_number(number)

    def phone(self, phone: str) -> str:
        return phone if self.full_id else mask_phone(phone)

    def free_text(self, text: str) -> str:
        return text if self.full_id else mask_numbers_in(text)


MASKED = Masking(full_id=False)


def for_role(role: str) -> Masking:
    from desktop.staff import Permission, may

    return Masking(full_id=may(role, Permission.SEE_FULL_ID))


def mask_log_records() -> None:
    """Every log record from here on, whoever wrote it and wherever it goes, with long numbers masked.

    A record factory rather than a handler's filter: it covers handlers added later too
    (a file a clinic's IT sets up, pytest's capture). Idempotent.
    """
    current = logging.getLogRecordFactory()
    if getattr(current, "masks_numbers", False):
        return

    def masked(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        try:
            text = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: the handler reports it as logging does
            return record
        masked_text = mask_numbers_in(text)
        if masked_text != text or record.args:
            record.msg, record.args = masked_text, ()
        return record

    masked.masks_numbers = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masked)
