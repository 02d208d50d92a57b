from __future__ import annotations

import pytest

from desktop.privacy import mask_id_number, mask_name, mask_numbers_in, mask_phone


@pytest.mark.parametrize(
    ("number", "masked"),
    [("360121196006150013", "3601**********0013"), ("36012119600615001X", "3601**********001X"), ("1234", "****")],
)
def test_id_numbers_keep_only_their_ends(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(("name", "masked"), [("张伟", "张*"), ("欧阳娜娜", "欧***"), ("", "")])
def test_names_keep_their_first_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_phones_keep_prefix_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"


def test_timestamps_in_free_text_keep_their_digits_and_people_do_not() -> None:
    text = "refmsg_time 20261203062412422 at 20261120093000: psn 36010000000000000001, id 360121196006150013"
    masked = mask_numbers_in(text)
    assert "20261203062412422" in masked  # yyyyMMddHHmmssSSS names nobody
    assert "20261120093000" in masked
    assert "36010000000000000001" not in masked
    assert "360121196006150013" not in masked
    assert mask_numbers_in("19991399250000000") != "19991399250000000"  # not a real time: masked
