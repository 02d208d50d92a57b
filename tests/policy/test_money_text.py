"""``format_amount`` takes a quick path for values already in fen; it must say what quantizing says."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.money import FEN, format_amount


def reference(value: Decimal) -> str:
    """The function as it stood before its quick path was tuned: the text that must not change."""
    text = str(value)
    if text[-3:-2] == "." and "E" not in text:
        return text
    return f"{value.quantize(FEN):f}"


def outcome(render: object, value: Decimal) -> str:
    assert callable(render)
    try:
        return str(render(value))
    except InvalidOperation:
        return "InvalidOperation"


EDGES = [
    "0", "5", "12", "0.5", "12.5", "12.50", "12.505", "-0.00", "-3.20", "0E-7", "1E+2", "1.00E+5", "1.2E-7",
    "123456789012.34", "1E+30", "9" * 30 + ".99", "NaN", "-Infinity", "sNaN", "0.001", "100", "7.000",
]  # fmt: skip


@pytest.mark.parametrize("text", EDGES)
def test_edge_values_format_as_before(text: str) -> None:
    value = Decimal(text)
    assert outcome(format_amount, value) == outcome(reference, value)


@settings(max_examples=500, deadline=None, database=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_any_value_formats_as_before(value: Decimal) -> None:
    assert outcome(format_amount, value) == outcome(reference, value)


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(-(10**14), 10**14), st.integers(-8, 3))
def test_scaled_values_format_as_before(digits: int, exponent: int) -> None:
    value = Decimal(digits).scaleb(exponent)
    assert outcome(format_amount, value) == outcome(reference, value)
