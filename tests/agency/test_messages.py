"""Every message carries every field the interface's tables mark required, spelled as there."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from desktop.agency import ProtocolError, build_envelope, field_tables, first_missing_field, input_of
from desktop.agency.messages import Message, PersonQuery, Reconciliation
from desktop.agency.outpatient import FeeUpload, Reversal, Settlement, VisitInfo
from tests.agency.samples import AT, MSGID, PSN, SENDER, fee, samples


def envelope_of(message: Message) -> dict[str, Any]:
    return build_envelope(SENDER, message.infno, MSGID, input_of(message), at=AT, insuplc_admdvs="360121")


def required_paths(envelope: dict[str, Any]) -> list[str]:
    """Every required field's path in this envelope, found from the tables."""
    tables = field_tables()
    transaction = tables.transaction(envelope["infno"])
    paths = list(tables.envelope_required)
    for node, fields in transaction.nodes.items():
        names = [name for name in fields if name in transaction.required]
        if transaction.node_is_list(node):
            paths += [f"input.{node}[{i}].{name}" for i in range(len(envelope["input"][node])) for name in names]
        else:
            paths += [f"input.{node}.{name}" for name in names]
    return paths


def remove(envelope: dict[str, Any], path: str) -> dict[str, Any]:
    changed = copy.deepcopy(envelope)
    target: Any = changed
    *parents, last = path.replace("[", ".").replace("]", "").split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    del target[last]
    return changed


CASES = [(message, path) for message in samples() for path in required_paths(envelope_of(message))]


@pytest.mark.parametrize("message", samples(), ids=lambda m: m.infno)
def test_each_message_is_complete(message: Message) -> None:
    envelope = envelope_of(message)
    assert first_missing_field(envelope) is None
    assert set(envelope) == set(field_tables().envelope_all)


@pytest.mark.parametrize(("message", "path"), CASES, ids=[f"{m.infno}:{p}" for m, p in CASES])
def test_the_check_names_exactly_the_field_taken_away(message: Message, path: str) -> None:
    assert first_missing_field(remove(envelope_of(message), path)) == path


def test_money_goes_as_two_decimal_numbers_counts_and_prices_with_their_scale() -> None:
    (line,) = input_of(FeeUpload((fee(),)))["feedetail"]
    assert (str(line["det_item_fee_sumamt"]), str(line["cnt"]), str(line["pric"])) == ("25.00", "2.0000", "12.500000")
    data = input_of(
        Reconciliation(
            "390", "360121", dt.date(2026, 11, 1), dt.date(2026, 11, 30), Decimal(25), Decimal("15.5"), Decimal(0), 1
        )
    )["data"]
    assert (str(data["medfee_sumamt"]), str(data["fund_pay_sumamt"]), data["stmt_begndate"]) == (
        "25.00",
        "15.50",
        "2026-11-01",
    )


def test_amounts_with_a_third_decimal_or_a_sign_are_refused() -> None:
    with pytest.raises(ProtocolError, match="more than 2 decimal places") as refused:
        input_of(FeeUpload((fee().__class__(**{**_fields(fee()), "det_item_fee_sumamt": Decimal("25.001")}),)))
    assert refused.value.field == "input.feedetail[0].det_item_fee_sumamt"
    with pytest.raises(ProtocolError, match="negative"):
        input_of(
            Settlement(
                PSN,
                "02",
                "ID",
                Decimal("-1.00"),
                "MD1",
                "B1",
                "390",
                False,
                fulamt_ownpay_amt=Decimal(0),
                inscp_scp_amt=Decimal("-1.00"),
            )
        )


def _fields(value: Any) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__dataclass_fields__}


def test_a_settlement_whose_parts_do_not_add_up_is_refused() -> None:
    with pytest.raises(ProtocolError, match="is not the sum"):
        input_of(
            Settlement(
                PSN,
                "02",
                "ID",
                Decimal("25.00"),
                "MD1",
                "B1",
                "390",
                False,
                fulamt_ownpay_amt=Decimal("5.00"),
                inscp_scp_amt=Decimal("19.00"),
            )
        )


def test_builders_refuse_what_the_interface_cannot_carry() -> None:
    with pytest.raises(ProtocolError, match="card_sn"):
        input_of(PersonQuery("03", "G44000001"))
    with pytest.raises(ProtocolError, match="msgid"):
        input_of(Reversal(PSN, "not-a-msgid", "2207"))
    with pytest.raises(ProtocolError, match="oinfno"):
        input_of(Reversal(PSN, MSGID, "2201"))
    with pytest.raises(ProtocolError, match="dise_codg"):
        input_of(VisitInfo("MD1", PSN, AT, (), med_type="14"))
    with pytest.raises(ProtocolError) as empty:
        input_of(FeeUpload((fee("").__class__(**{**_fields(fee()), "bilg_dr_name": ""}),)))
    assert empty.value.field == "input.feedetail[0].bilg_dr_name"


def test_the_envelope_needs_the_insurance_division_when_a_person_is_named() -> None:
    message = Reversal(PSN, MSGID, "2207")
    with pytest.raises(ProtocolError) as refused:
        build_envelope(SENDER, message.infno, MSGID, input_of(message), at=AT)
    assert refused.value.field == "insuplc_admdvs"
    query = PersonQuery("02", "360121196006150013")
    assert build_envelope(SENDER, "1101", MSGID, input_of(query), at=AT)["insuplc_admdvs"] == ""


def test_the_envelope_refuses_another_facilitys_msgid_and_unknown_transactions() -> None:
    with pytest.raises(ProtocolError, match="does not start with the facility code"):
        build_envelope(SENDER, "9001", "H99999999999202611231000000001", {}, at=AT)
    with pytest.raises(ProtocolError, match="not a transaction"):
        build_envelope(SENDER, "9999", MSGID, {}, at=AT)


def test_the_envelope_carries_the_send_time_in_beijing() -> None:
    envelope = envelope_of(samples()[0])
    assert envelope["inf_time"] == "2026-11-23 10:00:00"
    assert envelope["input"] == {"signIn": {"opter_no": "7", "ip": "192.168.1.20"}}
    assert (envelope["recer_sys_code"], envelope["opter_type"], envelope["infver"]) == ("YBXT", "1", "V1.0")
