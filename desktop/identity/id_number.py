"""Resident ID numbers (GB 11643) checked with python-stdnum before anything else is done with them.

Each failure has its own plain message, in Chinese for the clerk and English for the log,
and none of them repeats the number: a message may end up on a screen or in a log.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

ID_NUMBER_LENGTH = 18
_FIRST_GENERATION_LENGTH = 15


class IdNumberProblem(StrEnum):
    EMPTY = "empty"
    LENGTH = "length"
    FORMAT = "format"
    CHECK_DIGIT = "check_digit"
    BIRTH_DATE = "birth_date"
    REGION = "region"


class IdNumberError(ValueError):
    """An ID number that cannot be right; ``problem`` says which part is wrong."""

    def __init__(self, problem: IdNumberProblem, chinese: str, english: str) -> None:
        super().__init__(f"{chinese} / {english}")
        self.problem = problem
        self.chinese = chinese
        self.english = english


def normalise_id_number(text: str) -> str:
    """Full-width digits from a Chinese input method, spaces, hyphens and a lower-case x are tidied away."""
    return ric.compact("".join(unicodedata.normalize("NFKC", text).split()).replace("-", ""))


def validate_id_number(text: str, today: dt.date | None = None) -> str:
    """The number in its standard form, or ``IdNumberError`` naming what is wrong.

    Checked in the order a clerk can act on: length, characters, check digit (a typing
    slip), birth date, region. ``today``, when given, also refuses a birth date after it.
    """
    number = normalise_id_number(text)
    _check_shape(number)
    if number[-1] != ric.calc_check_digit(number):
        raise IdNumberError(
            IdNumberProblem.CHECK_DIGIT,
            "身份证号校验位不符，可能有一位录入错误，请核对",
            "the check digit does not match: probably a typing slip",
        )
    born = birth_date_of(number)
    if today is not None and born > today:
        raise IdNumberError(
            IdNumberProblem.BIRTH_DATE,
            "身份证号中的出生日期晚于今天，请核对",
            "the birth date in the ID number is after today",
        )
    if not _known_region(number[:6]):
        raise IdNumberError(
            IdNumberProblem.REGION,
            "身份证号前6位不是已知的行政区划代码，请核对",
            "the first six digits are not a known region code",
        )
    return number


def _check_shape(number: str) -> None:
    if not number:
        raise IdNumberError(IdNumberProblem.EMPTY, "未输入身份证号", "no ID number was given")
    if len(number) == _FIRST_GENERATION_LENGTH and number.isdigit():
        raise IdNumberError(
            IdNumberProblem.LENGTH,
            "这是15位的一代身份证号，请改用18位号码",
            "a 15-digit first-generation number: use the 18-character number",
        )
    if len(number) != ID_NUMBER_LENGTH:
        raise IdNumberError(
            IdNumberProblem.LENGTH,
            f"身份证号应为18位，输入的是{len(number)}位",
            f"an ID number has 18 characters, this one has {len(number)}",
        )
    if not (number[:-1].isascii() and number[:-1].isdigit()) or number[-1] not in "0123456789X":
        raise IdNumberError(
            IdNumberProblem.FORMAT,
            "身份证号前17位应为数字，末位为数字或X",
            "the first 17 characters must be digits and the last a digit or X",
        )


def birth_date_of(number: str) -> dt.date:
    """The birth date a well-formed number carries; ``IdNumberError`` when it is no real date."""
    try:
        return ric.get_birth_date(number)
    except InvalidComponent:
        raise IdNumberError(
            IdNumberProblem.BIRTH_DATE,
            "身份证号中的出生日期不是真实的日期，请核对",
            "the birth date in the ID number is not a real date",
        ) from None


def gender_of(number: str) -> str:
    """'1' male or '2' female (GB/T 2261.1) from the sequence digit: odd for men."""
    return "1" if int(number[16]) % 2 == 1 else "2"


def _known_region(code: str) -> bool:
    # stdnum's own check also demands that the county existed in the birth year, which
    # refuses real numbers issued after a county was created to people born before it
    # (曲江区 440205 dates from 2004); a code the register knows at all is accepted.
    found = numdb.get("cn/loc").info(code)
    return any("county" in props for _part, props in found)
