from __future__ import annotations

import pytest

from desktop.privacy import mask_id_number, mask_name, mask_phone


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
