"""Amounts in capitals (大写) as the People's Bank's rules for payment documents write them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.capitals import in_capitals

DIGITS = {c: n for n, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
PLACES = {"拾": 10, "佰": 100, "仟": 1000}


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("0.50", "伍角整"),
        ("0.05", "伍分"),
        ("1", "壹元整"),
        ("10.00", "壹拾元整"),  # a 拾 at the head keeps its 壹
        ("42.50", "肆拾贰元伍角整"),
        ("100.05", "壹佰元零伍分"),  # the zero before the 分 is written
        ("1409.50", "壹仟肆佰零玖元伍角整"),  # the rules' own example
        ("6007.14", "陆仟零柒元壹角肆分"),  # two zeros between digits: one 零
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("100005000", "壹亿零伍仟元整"),
        ("-3.20", "负叁元贰角整"),
    ],
)
def test_amounts_written_as_the_rules_give_them(amount: str, words: str) -> None:
    assert in_capitals(Decimal(amount)) == words


def read_back(words: str) -> Decimal:
    """The figure the words stand for: a reader of the capitals, independent of how they were written."""
    words = words.removesuffix("整")
    yuan, _, fraction = words.rpartition("元") if "元" in words else ("", "", words)
    total = section = number = 0
    for char in yuan:
        if char in DIGITS:
            number = DIGITS[char]
        elif char in PLACES:
            section += number * PLACES[char]
            number = 0
        elif char == "万":
            total += (section + number) * 10_000
            section = number = 0
        elif char == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
    total += section + number
    fraction = fraction.removeprefix("零")  # 元零伍分: the zero 角 said
    fen = sum(
        DIGITS[digit] * {"角": 10, "分": 1}[unit] for digit, unit in zip(fraction[::2], fraction[1::2], strict=True)
    )
    return Decimal(total) + Decimal(fen) / 100


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13 - 1))
def test_the_words_read_back_to_the_amount(fen: int) -> None:
    amount = Decimal(fen) / 100
    words = in_capitals(amount)
    assert read_back(words) == amount
    assert not any(char.isascii() for char in words)
    assert words.endswith("分") != words.endswith("整")  # 整 only where there are no 分
    assert "零零" not in words
