"""Every field keeps to the type and length the interface's tables give it, not only its presence."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from desktop.agency import ProtocolError, build_envelope, field_tables, input_of
from desktop.agency.field_types import DATE, DATETIME, NUMBER, TEXT, FieldType, field_types, first_badly_typed
from desktop.agency.messages import Message
from tests.agency.samples import AT, MSGID, SENDER, samples


def envelope_of(message: Message) -> dict[str, Any]:
    return build_envelope(SENDER, message.infno, MSGID, input_of(message), at=AT, insuplc_admdvs="360121")


def test_the_tables_give_every_field_of_our_transactions_a_type() -> None:
    types = field_types()
    untyped = {
        (infno, name)
        for infno, transaction in field_tables().transactions.items()
        for fields in transaction.nodes.values()
        for name in fields
        if name not in types.get(infno if infno[:3] != "130" else "1301", {}) and name not in ("expContent", "ver")
    }
    # The tables give these no type: 1101's card_sn ("(not given)") and 3201's refd_setl_flag (no comment).
    assert untyped == {("1101", "card_sn"), ("3201", "refd_setl_flag")}
    assert types["envelope"]["signtype"] == FieldType(TEXT, 10)
    assert types["2204"]["det_item_fee_sumamt"] == FieldType(NUMBER, 16, 2)
    assert types["2204"]["pric"] == FieldType(NUMBER, 16, 6)
    assert types["2203"]["diag_code"] == FieldType(TEXT, 20)
    assert types["2201"]["begntime"] == FieldType(DATETIME)
    assert types["3201"]["stmt_begndate"] == FieldType(DATE)


@pytest.mark.parametrize("message", samples(), ids=lambda m: m.infno)
def test_every_message_the_program_sends_keeps_to_its_types(message: Message) -> None:
    assert first_badly_typed(envelope_of(message)) is None


def _changed(infno: str, path: list[str | int], value: Any) -> dict[str, Any]:
    envelope = copy.deepcopy(envelope_of(next(m for m in samples() if m.infno == infno)))
    target: Any = envelope
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return envelope


@pytest.mark.parametrize(
    ("infno", "path", "value", "field", "words"),
    [
        ("2203", ["input", "diseinfo", 0, "diag_code"], "J06.900" * 3, "input.diseinfo[0].diag_code", "allows 20"),
        ("2201", ["signtype"], "HMAC-SHA256", "signtype", "allows 10"),
        ("2201", ["input", "data", "dr_name"], "李" * 51, "input.data.dr_name", "allows 50"),
        ("2204", ["input", "feedetail", 1, "pric"], Decimal("12.5000001"), "input.feedetail[1].pric", "6 decimal"),
        ("2207", ["input", "data", "medfee_sumamt"], Decimal("1" * 15), "input.data.medfee_sumamt", "14 digits"),
        ("2207", ["input", "data", "medfee_sumamt"], "很多", "input.data.medfee_sumamt", "not a number"),
        ("3201", ["input", "data", "stmt_begndate"], "2026/11/01", "input.data.stmt_begndate", "not a date"),
        ("2201", ["input", "data", "begntime"], "2026-11-23T10:00:00", "input.data.begntime", "not a time"),
        ("2601", ["input", "data", "oinfno"], 2207, None, None),  # a code written as a number fits 字符型
    ],
)
def test_a_field_that_breaks_its_type_is_named(
    infno: str, path: list[str | int], value: Any, field: str | None, words: str | None
) -> None:
    found = first_badly_typed(_changed(infno, path, value))
    if field is None:
        assert found is None
        return
    assert isinstance(found, ProtocolError)
    assert found.field == field
    assert words is not None
    assert words in found.message


def test_the_envelope_builder_refuses_before_anything_is_signed() -> None:
    settlement = next(m for m in samples() if m.infno == "2201")
    long_name = SENDER.__class__(**{**{k: getattr(SENDER, k) for k in SENDER.__slots__}, "opter_name": "王" * 60})
    with pytest.raises(ProtocolError, match="allows 50") as refused:
        build_envelope(long_name, "2201", MSGID, input_of(settlement), at=AT, insuplc_admdvs="360121")
    assert refused.value.field == "opter_name"
