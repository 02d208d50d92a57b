"""Masking personal data for screens, receipts and logs.

ID numbers show their first four and last four characters (enough for a clerk to
confirm the card in hand); names show their first character.
"""

from __future__ import annotations


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
