"""msgid: 12 + 14 + 4 characters, Beijing time; the wire: decimals as written, no floats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.agency import ProtocolError, decode, encode, make_msgid, parse_msgid
from desktop.agency.msgid import CHINA

CODE = "H36012100101"


def test_a_msgid_is_the_facility_the_beijing_time_and_the_sequence() -> None:
    at = dt.datetime(2026, 11, 23, 2, 5, 9, tzinfo=dt.UTC)
    msgid = make_msgid(CODE, at, 42)
    assert msgid == "H36012100101" + "20261123100509" + "0042"
    assert len(msgid) == 30
    parsed = parse_msgid(msgid)
    assert (parsed.facility_code, parsed.sequence) == (CODE, 42)
    assert parsed.sent_at == at


@given(
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(  # noqa: DTZ001  # hypothesis bounds are naive
        lambda moment: moment.replace(microsecond=0, tzinfo=CHINA)
    ),
    st.integers(0, 9999),
)
@settings(max_examples=50, deadline=None)
def test_msgids_read_back_as_written(at: dt.datetime, sequence: int) -> None:
    parsed = parse_msgid(make_msgid(CODE, at, sequence))
    assert (parsed.sent_at, parsed.sequence) == (at, sequence)


@pytest.mark.parametrize(
    ("code", "at", "sequence", "field"),
    [
        ("H3601210010", dt.datetime(2026, 1, 1, tzinfo=CHINA), 1, "fixmedins_code"),
        ("H3601210010-", dt.datetime(2026, 1, 1, tzinfo=CHINA), 1, "fixmedins_code"),
        (CODE, dt.datetime(2026, 1, 1), 1, "msgid"),  # noqa: DTZ001  # the naive time is the point
        (CODE, dt.datetime(2026, 1, 1, tzinfo=CHINA), 10000, "msgid"),
    ],
)
def test_bad_msgid_parts_are_refused(code: str, at: dt.datetime, sequence: int, field: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        make_msgid(code, at, sequence)
    assert refused.value.field == field


@pytest.mark.parametrize(
    "text", ["H36012100101202611231005090042X", "H3601210010120261123100509004", "H36012100101202613231005090042"]
)
def test_malformed_msgids_are_refused(text: str) -> None:
    with pytest.raises(ProtocolError, match="msgid"):
        parse_msgid(text)


def test_the_wire_keeps_decimals_as_written_and_sorts_keys() -> None:
    body = encode({"b": Decimal("12.50"), "a": [1, "张", None, True], "c": Decimal("0.000001")})
    assert body == '{"a":[1,"张",null,true],"b":12.50,"c":0.000001}'.encode()
    back = decode(body)
    assert back["b"] == Decimal("12.50")
    assert str(back["b"]) == "12.50"
    assert encode(back) == body


def test_floats_and_odd_values_never_go_on_the_wire() -> None:
    with pytest.raises(TypeError, match="floats"):
        encode({"amount": 12.5})
    with pytest.raises(ValueError, match="finite"):
        encode({"amount": Decimal("NaN")})
    with pytest.raises(TypeError):
        encode({1: "x"})


@pytest.mark.parametrize("body", [b"[1, 2]", b"{", b'{"a": NaN}', b"\xff"])
def test_a_body_that_is_not_one_json_object_is_refused(body: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode(body)
