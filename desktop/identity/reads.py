"""What a reader saw, and the one interface every reader offers.

A ``CardRead`` never prints its numbers in full: its ``repr`` masks them, so a read that
slips into a log line or a traceback leaks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from desktop.privacy import mask_id_number, mask_name


class CardKind(StrEnum):
    """How the patient identified themselves (the agency's mdtrt_cert_type in brackets)."""

    SOCIAL_SECURITY_CARD = "ssc"  # 社会保障卡 (03)
    EVOUCHER = "evoucher"  # 医保电子凭证 (01)
    ID_NUMBER = "id_number"  # 居民身份证号 (02)


class ReaderProblem(StrEnum):
    NO_LIBRARY = "no_library"
    NO_READER = "no_reader"
    NO_CARD = "no_card"
    NOT_A_SOCIAL_SECURITY_CARD = "not_a_social_security_card"
    CARD_ERROR = "card_error"
    BAD_SCAN = "bad_scan"
    BAD_ID_NUMBER = "bad_id_number"


class ReaderError(Exception):
    """A read that did not happen: what to tell the clerk (Chinese) and the log (English)."""

    def __init__(self, problem: ReaderProblem, chinese: str, english: str) -> None:
        super().__init__(f"{chinese} / {english}")
        self.problem = problem
        self.chinese = chinese
        self.english = english


@dataclass(frozen=True, slots=True)
class CardRead:
    """One read: the kind, the number read, and what else the card carried."""

    kind: CardKind
    number: str
    holder_id_number: str | None = None  # on a social security card, or the typed number itself
    holder_name: str = ""
    card_sn: str = ""  # 卡识别码 of a social security card, which the agency's 1101 asks for

    def __repr__(self) -> str:
        holder = None if self.holder_id_number is None else mask_id_number(self.holder_id_number)
        return (
            f"CardRead(kind={self.kind.value!r}, number={mask_number(self.number)!r}, "
            f"holder_id_number={holder!r}, holder_name={mask_name(self.holder_name)!r}, "
            f"card_sn={mask_number(self.card_sn)!r})"
        )

    def masked_number(self) -> str:
        return mask_number(self.number)


def mask_number(number: str) -> str:
    """Any card number, token or ID number shown with only its first and last four characters."""
    return mask_id_number(number)


class CardReader(Protocol):
    """Anything the counter can ask for the next card: ``read()`` or ``ReaderError``."""

    def read(self) -> CardRead: ...
