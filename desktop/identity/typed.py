"""The resident ID number typed at the counter or read from an ID-card reader's text output."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from desktop.identity.id_number import IdNumberError, validate_id_number
from desktop.identity.reads import CardKind, CardRead, ReaderError, ReaderProblem


def id_number_read(text: str, today: dt.date | None = None) -> CardRead:
    """A read of a resident ID number, validated first (``IdNumberError`` when it cannot be right)."""
    number = validate_id_number(text, today)
    return CardRead(CardKind.ID_NUMBER, number, holder_id_number=number)


class IdNumberReader:
    """``entered`` returns the next number typed (or sent by an ID-card reader as text)."""

    def __init__(self, entered: Callable[[], str], today: Callable[[], dt.date] | None = None) -> None:
        self._entered = entered
        self._today = today

    def read(self) -> CardRead:
        try:
            return id_number_read(self._entered(), self._today() if self._today else None)
        except IdNumberError as exc:
            raise ReaderError(ReaderProblem.BAD_ID_NUMBER, exc.chinese, exc.english) from exc
