"""Resident ID numbers: stdnum's checks with a plain message for each way a number is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric

from desktop.identity.id_number import (
    IdNumberError,
    IdNumberProblem,
    birth_date_of,
    gender_of,
    normalise_id_number,
    validate_id_number,
)
from desktop.identity.reads import mask_number
from desktop.privacy import mask_id_number, mask_name
from tests.identity.roster import valid_id

GOOD = valid_id("360121", dt.date(1960, 6, 15), 1)


def _problem(text: str, today: dt.date | None = None) -> IdNumberError:
    with pytest.raises(IdNumberError) as caught:
        validate_id_number(text, today)
    return caught.value


def test_a_number_stdnum_accepts_is_returned_in_standard_form() -> None:
    assert ric.is_valid(GOOD)
    assert validate_id_number(GOOD) == GOOD
    assert validate_id_number(" " + GOOD[:6] + " " + GOOD[6:] + "\n") == GOOD


def test_full_width_digits_and_a_small_x_are_tidied() -> None:
    with_x = next(
        valid_id("360121", dt.date(1960, 6, 15), s)
        for s in range(1, 200)
        if valid_id("360121", dt.date(1960, 6, 15), s).endswith("X")
    )
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in with_x[:-1]) + "x"
    assert normalise_id_number(full_width) == with_x
    assert validate_id_number(full_width) == with_x


@pytest.mark.parametrize(
    ("text", "problem", "chinese"),
    [
        ("", IdNumberProblem.EMPTY, "未输入身份证号"),
        ("3601211960061500", IdNumberProblem.LENGTH, "应为18位，输入的是16位"),
        ("360121600615001", IdNumberProblem.LENGTH, "15位的一代身份证号"),
        ("3601211960O6150015", IdNumberProblem.FORMAT, "前17位应为数字"),
        ("36012119600615001Y", IdNumberProblem.FORMAT, "末位为数字或X"),
    ],
)
def test_shape_failures_say_what_is_wrong(text: str, problem: IdNumberProblem, chinese: str) -> None:
    error = _problem(text)
    assert error.problem is problem
    assert chinese in error.chinese
    assert error.english
    assert error.english.isascii()


def test_a_wrong_check_digit_is_called_a_typing_slip() -> None:
    wrong = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
    error = _problem(wrong)
    assert error.problem is IdNumberProblem.CHECK_DIGIT
    assert "校验位" in error.chinese
    assert "check digit" in error.english


def test_an_impossible_birth_date_is_refused() -> None:
    body = "360121" + "19600230" + "0010"
    error = _problem(body[:-1] + ric.calc_check_digit(body))
    assert error.problem is IdNumberProblem.BIRTH_DATE
    assert "出生日期不是真实的日期" in error.chinese


def test_a_birth_date_after_the_day_is_refused() -> None:
    later = valid_id("360121", dt.date(2024, 6, 1), 1)
    assert validate_id_number(later) == later
    error = _problem(later, today=dt.date(2024, 5, 10))
    assert error.problem is IdNumberProblem.BIRTH_DATE
    assert "晚于今天" in error.chinese


def test_an_unknown_region_is_refused() -> None:
    error = _problem(valid_id("999999", dt.date(1960, 6, 15), 1))
    assert error.problem is IdNumberProblem.REGION
    assert "行政区划" in error.chinese
    assert _problem(valid_id("360199", dt.date(1960, 6, 15), 1)).problem is IdNumberProblem.REGION


def test_a_region_created_after_the_birth_year_is_accepted() -> None:
    # 曲江区 (440205) dates from 2004; people born before it hold numbers issued with it.
    older = valid_id("440205", dt.date(1960, 6, 15), 3)
    assert not ric.is_valid(older)
    assert validate_id_number(older) == older


def test_no_message_repeats_the_number() -> None:
    for text in (
        GOOD[:-1] + "0" if GOOD[-1] != "0" else GOOD[:-1] + "1",
        GOOD[:17],
        valid_id("999999", dt.date(1960, 6, 15), 1),
    ):
        error = _problem(text)
        assert text not in str(error)
        assert text[6:14] not in str(error)  # not even the birth date


def test_birth_date_and_gender_come_from_the_number() -> None:
    assert birth_date_of(GOOD) == dt.date(1960, 6, 15)
    assert gender_of(valid_id("360121", dt.date(1960, 6, 15), 1)) == "1"
    assert gender_of(valid_id("360121", dt.date(1960, 6, 15), 2)) == "2"


def test_masking_keeps_first_four_and_last_four() -> None:
    assert mask_id_number(GOOD) == GOOD[:4] + "*" * 10 + GOOD[-4:]
    assert mask_number("A00000012") == "A000*0012"
    assert mask_number("1234") == "****"
    assert mask_name("张伟") == "张*"
