"""Signatures over the canonical body; the agency's replies read into typed results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from desktop.agency import (
    AgencyRefusedError,
    HmacSigner,
    ProtocolError,
    SignatureError,
    decode,
    encode,
    parse_reply,
    prepare_request,
    verify_envelope,
)
from desktop.agency.replies import read_accumulators, read_catalogue, read_settlement, read_statement
from tests.agency.samples import AT, MSGID, SENDER, samples

SECRET = "facility-secret-0123456789"


def signed() -> dict[str, Any]:
    return prepare_request(SENDER, samples()[7], MSGID, HmacSigner(SECRET), at=AT, insuplc_admdvs="360121")


def test_a_signed_request_verifies_after_the_round_trip() -> None:
    envelope = signed()
    assert envelope["signtype"] == "HMAC-SHA256"
    assert len(envelope["cainfo"]) == 64
    verify_envelope(decode(encode(envelope)), HmacSigner(SECRET))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e["input"]["data"].update(medfee_sumamt=Decimal("26.00")), "does not match"),
        (lambda e: e.update(signtype="SM3"), "is not HMAC-SHA256"),
        (lambda e: e.update(cainfo=""), "not signed"),
    ],
)
def test_any_change_after_signing_fails_verification(change: Any, message: str) -> None:
    envelope = signed()
    change(envelope)
    with pytest.raises(SignatureError, match=message):
        verify_envelope(envelope, HmacSigner(SECRET))


def test_the_wrong_secret_fails_and_short_secrets_are_refused() -> None:
    with pytest.raises(SignatureError):
        verify_envelope(signed(), HmacSigner("another-secret-0123456789"))
    with pytest.raises(ValueError, match="16 bytes"):
        HmacSigner("short")


SETLINFO = {
    "mdtrt_id": "MD1",
    "setl_id": "ST1",
    "psn_no": "P1",
    "setl_time": "2026-11-23 10:00:01",
    "medfee_sumamt": "93.00",
    "fulamt_ownpay_amt": 68,
    "inscp_scp_amt": Decimal("25.00"),
    "hifp_pay": "17.50",
    "pool_prop_selfpay": "0.7",
    "fund_pay_sumamt": "17.50",
    "psn_part_amt": "75.50",
    "acct_pay": "0",
    "psn_cash_pay": "75.50",
    "balc": "0.00",
    "medins_setl_id": MSGID,
}


def test_a_settlement_reply_reads_into_decimals_whatever_the_gateway_sent() -> None:
    reply = parse_reply({"infcode": "0", "output": {"setlinfo": SETLINFO, "setldetail": []}})
    info = read_settlement(reply)
    assert (info.setl_id, info.hifp_pay, info.psn_cash_pay, info.fulamt_ownpay_amt) == (
        "ST1",
        Decimal("17.50"),
        Decimal("75.50"),
        Decimal("68.00"),
    )
    assert info.pool_prop_selfpay == Decimal("0.7000")
    assert info.act_pay_dedc == 0  # optional in the tables


def test_a_missing_or_malformed_answer_field_is_named() -> None:
    broken = {key: value for key, value in SETLINFO.items() if key != "psn_cash_pay"}
    with pytest.raises(ProtocolError) as missing:
        read_settlement(parse_reply({"infcode": 0, "output": {"setlinfo": broken}}))
    assert missing.value.field == "output.setlinfo.psn_cash_pay"
    with pytest.raises(ProtocolError) as bad:
        read_settlement(parse_reply({"infcode": 0, "output": {"setlinfo": {**SETLINFO, "balc": "1,00"}}}))
    assert bad.value.field == "output.setlinfo.balc"
    with pytest.raises(ProtocolError, match="infcode"):
        parse_reply({"infcode": "ok"})


def test_a_refusal_carries_the_agencys_message() -> None:
    reply = parse_reply({"infcode": -1, "err_msg": "人员编号不存在", "output": None})
    assert not reply.ok
    with pytest.raises(AgencyRefusedError, match="人员编号不存在"):
        read_settlement(reply)


def test_accumulators_catalogue_and_statement_replies() -> None:
    cum = read_accumulators(
        parse_reply(
            {
                "infcode": 0,
                "output": {
                    "cuminfo": [
                        {
                            "insutype": "390",
                            "year": "2026",
                            "cum_ym": "202611",
                            "cum_type_code": "D390101",
                            "cum": "120.00",
                        },
                        {
                            "insutype": "390",
                            "year": "2025",
                            "cum_ym": "202512",
                            "cum_type_code": "D390101",
                            "cum": "300.00",
                        },
                    ]
                },
            }
        )
    )
    assert cum.fund_paid("390", 2026) == Decimal("120.00")
    assert cum.deductible_met("390", 2026) == 0
    record = {
        "med_list_codg": "XA01",
        "med_list_name": "阿莫西林胶囊",
        "chrgitm_lv": "01",
        "med_chrgitm_type": "09",
        "pric": "12.5",
        "ver": "3",
        "vali_flag": "1",
    }
    output = {"file_qury_no": "Q1", "filename": "f", "dld_end_time": "2026-11-24", "data_cn": 1, "data": [record]}
    catalogue = read_catalogue(parse_reply({"infcode": 0, "output": output}))
    assert (catalogue.records[0].item_class, catalogue.records[0].pric) == ("A", Decimal("12.500000"))
    with pytest.raises(ProtocolError, match="data_cn"):
        read_catalogue(parse_reply({"infcode": 0, "output": {**output, "data_cn": 2}}))
    statement = read_statement(parse_reply({"infcode": 0, "output": {"stmtinfo": {"stmt_rslt": "1"}}}))
    assert not statement.matches


def test_an_answer_amount_with_a_third_decimal_is_refused_not_rounded() -> None:
    with pytest.raises(ProtocolError, match="more than 2 decimal places") as bad:
        read_settlement(parse_reply({"infcode": 0, "output": {"setlinfo": {**SETLINFO, "hifp_pay": "17.505"}}}))
    assert bad.value.field == "output.setlinfo.hifp_pay"
