"""The shared JSON reader refuses, with the field, what would otherwise be a traceback."""

from __future__ import annotations

import codecs

import pytest

from desktop.json_input import MAX_INTEGER_DIGITS, decode, lines, load_bytes, loads, show
from desktop.policy.codec import InputError


def _refusal(data: bytes) -> InputError:
    with pytest.raises(InputError) as caught:
        load_bytes(data)
    return caught.value


def test_utf8_with_and_without_bom_reads() -> None:
    assert load_bytes(b'{"name": "\xe5\xbc\xa0"}') == {"name": "张"}
    assert load_bytes(codecs.BOM_UTF8 + b"[1]") == [1]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ('{"a": 1}'.encode("utf-16"), "UTF-16"),
        ('{"a": 1}'.encode("utf-16-le"), "UTF-16"),
        ('{"a": 1}'.encode("utf-32"), "UTF-32"),
        (b'{"a": "\xff"}', "byte 0xFF at byte 8"),
        (b"1" * 5000, "5,000 digits"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
        (b"NaN", "NaN"),
        (b"[1e400]", "too large"),
        (b"{", "not valid JSON"),
    ],
)
def test_bad_bytes_are_refused_in_words(data: bytes, words: str) -> None:
    error = _refusal(data)
    assert words in error.message
    assert error.field == "(input)"


def test_a_lone_surrogate_is_named_by_its_path() -> None:
    error = _refusal(b'{"visit": {"items": [{"name": "a\\udc00"}]}}')
    assert error.field == "visit.items.0.name"


def test_a_paired_surrogate_escape_is_a_character() -> None:
    assert loads('"\\ud83d\\ude00"') == "\U0001f600"


def test_integers_up_to_the_limit_read() -> None:
    assert loads("9" * MAX_INTEGER_DIGITS) == int("9" * MAX_INTEGER_DIGITS)


def test_show_cuts_a_huge_text_and_says_how_long() -> None:
    shown = show("x" * 100_000)
    assert len(shown) < 80
    assert "100,000 characters" in shown


def test_a_bad_line_costs_only_itself() -> None:
    read = list(lines([b"{}\n", b"\xff\r\n", b"[]"]))
    assert read[0] == (1, "{}")
    assert isinstance(read[1][1], InputError)
    assert read[2] == (3, "[]")


def test_decode_names_the_field_given() -> None:
    with pytest.raises(InputError) as caught:
        decode(b"\xfe\xff\x00{", "reason")
    assert caught.value.field == "reason"
