"""Money as ``Decimal`` yuan with two places, and as integer fen for storage.

Floats never carry money: every amount enters as text or integer fen.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from desktop.input_error import show

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

# ASCII digits only: ``\d`` also matches full-width "１２" and Arabic-Indic "١٢", which Decimal reads.
_AMOUNT = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")


class AmountError(ValueError):
    """Text that is not a non-negative amount with at most two decimals."""


def parse_amount(text: str) -> Decimal:
    """Read '12.50', '12.5' or '12' as yuan; refuse signs, exponents and a third decimal."""
    if _AMOUNT.fullmatch(text) is None:
        raise AmountError(_describe_bad_amount(text))
    return Decimal(text).quantize(FEN)


def _describe_bad_amount(text: str) -> str:
    stripped = text.strip()
    shown = show(text)
    if stripped.startswith("-"):
        return f"amount {shown} is negative; amounts are zero or more"
    if re.fullmatch(r"[0-9]+\.[0-9]{3,}", stripped):
        return f"amount {shown} has more than 2 decimal places"
    if any(c.isdigit() and not c.isascii() for c in text):
        return f"amount {shown} has digits that are not ASCII; write the amount with 0-9"
    return f'amount {shown} is not a number of yuan like "12.50"'


def round_fen(value: Decimal) -> Decimal:
    """Round half-up to the fen, as the agency does."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(value: Decimal) -> int:
    """Yuan to integer fen for storage; the value must already be whole fen."""
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{value} is not a whole number of fen")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def format_amount(value: Decimal) -> str:
    """'12.50' — the contract's money text."""
    text = str(value)
    # A value already in fen prints plainly as "….dd"; only others need quantizing. This is the quote's
    # hot path, hence an index rather than a slice (a slice costs as much as the ``str``) and ``try``.
    # Scientific notation never has its point third from the end: it ends in an exponent ("E+5", "E-12").
    try:
        if text[-3] == ".":
            return text
    except IndexError:  # "5", "12": whole yuan
        pass
    return f"{value.quantize(FEN):f}"
