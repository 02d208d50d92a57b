"""SM2 signatures over the canonical body; the agency's replies read into typed results, leniently."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from tongsuopy.crypto.serialization import load_pem_public_key

from desktop.agency import (
    AgencyRefusedError,
    ProtocolError,
    SignatureError,
    Sm2Signer,
    Sm2Verifier,
    decode,
    encode,
    parse_reply,
    prepare_request,
    verify_envelope,
)
from desktop.agency.replies import read_accumulators, read_catalogue, read_settlement, read_statement
from desktop.agency.signing import KeyFormatError, generate_private_key, public_key_pem, signing_body
from tests.agency.samples import AT, MSGID, SENDER, samples

KEY = generate_private_key()
PUBLIC = public_key_pem(KEY)


def signed() -> dict[str, Any]:
    settlement = next(m for m in samples() if m.infno == "2207")
    return prepare_request(SENDER, settlement, MSGID, Sm2Signer(KEY), at=AT, insuplc_admdvs="360121")


def test_a_signed_request_verifies_after_the_round_trip_with_the_public_key_alone() -> None:
    envelope = signed()
    assert envelope["signtype"] == "SM2"  # 字符型 10: "HMAC-SHA256" did not fit
    assert len(base64.b64decode(envelope["cainfo"])) == 64  # r || s
    verify_envelope(decode(encode(envelope)), Sm2Verifier(PUBLIC))


# GB/T 32918 (SM2) over the curve sm2p256v1, checked here without the signing library:
# e = SM3(Z_A || M), Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA), ID 1234567812345678.
_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
_A = _P - 3
_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
_G = (
    0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
)
Point = tuple[int, int] | None


def _add(p: Point, q: Point) -> Point:
    if p is None or q is None:
        return p or q
    if p[0] == q[0] and (p[1] + q[1]) % _P == 0:
        return None
    slope = (3 * p[0] * p[0] + _A) * pow(2 * p[1], -1, _P) if p == q else (q[1] - p[1]) * pow(q[0] - p[0], -1, _P)
    x = (slope * slope - p[0] - q[0]) % _P
    return x, (slope * (p[0] - x) - p[1]) % _P


def _times(k: int, p: Point) -> Point:
    result: Point = None
    while k:
        if k & 1:
            result = _add(result, p)
        p, k = _add(p, p), k >> 1
    return result


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def test_the_signature_is_gb_t_32918_sm2_with_sm3_and_the_default_user_id() -> None:
    envelope = signed()
    public = load_pem_public_key(PUBLIC.encode()).public_numbers()
    xa, ya = public.x, public.y
    uid = b"1234567812345678"
    fields = (_A, _B, *_G, xa, ya)
    z = _sm3((len(uid) * 8).to_bytes(2, "big") + uid + b"".join(v.to_bytes(32, "big") for v in fields))
    e = int.from_bytes(_sm3(z + signing_body(envelope)), "big")
    raw = base64.b64decode(envelope["cainfo"])
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    point = _add(_times(s, _G), _times((r + s) % _N, (xa, ya)))
    assert point is not None
    assert (e + point[0]) % _N == r


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e["input"]["data"].update(medfee_sumamt=Decimal("26.00")), "does not match"),
        (lambda e: e.update(signtype="SM3"), "is not SM2"),
        (lambda e: e.update(cainfo=""), "not signed"),
        (lambda e: e.update(cainfo="bm90IGEgc2lnbmF0dXJl"), "does not match"),
    ],
)
def test_any_change_after_signing_fails_verification(change: Any, message: str) -> None:
    envelope = signed()
    change(envelope)
    with pytest.raises(SignatureError, match=message):
        verify_envelope(envelope, Sm2Verifier(PUBLIC))


def test_another_key_fails_and_what_is_not_an_sm2_key_is_refused() -> None:
    with pytest.raises(SignatureError):
        verify_envelope(signed(), Sm2Verifier(public_key_pem(generate_private_key())))
    with pytest.raises(KeyFormatError, match="PEM"):
        Sm2Signer("a shared secret is not a key")
    with pytest.raises(KeyFormatError, match="public key"):
        Sm2Verifier(KEY)


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
    with pytest.raises(ProtocolError) as late:
        read_settlement(parse_reply({"infcode": 0, "output": {"setlinfo": {**SETLINFO, "setl_time": "二〇二六年"}}}))
    assert late.value.field == "output.setlinfo.setl_time"
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


@pytest.mark.parametrize(
    "spelled",
    [
        {"setl_time": "20261123100001"},
        {"setl_time": "2026-11-23T10:00:01"},
        {"setl_time": "2026/11/23 10:00:01"},
        {"setl_time": "20261123100001000"},
        {"setl_time": "2026-11-23 10:00:01.000"},
        {"medfee_sumamt": 93, "fund_pay_sumamt": Decimal("17.5"), "balc": " 0 ", "act_pay_dedc": None},
        {"psn_part_amt": "75.500000", "pool_prop_selfpay": Decimal("0.70")},
        {"mdtrt_id": 300179916, "setl_id": 400125241},
    ],
)
def test_every_spelling_the_interface_allows_reads_the_same(spelled: dict[str, Any]) -> None:
    info = read_settlement(parse_reply({"infcode": "0", "output": {"setlinfo": {**SETLINFO, **spelled}}}))
    assert info.setl_time is not None
    assert info.setl_time.strftime("%Y%m%d%H%M%S") == "20261123100001"
    assert info.medfee_sumamt == Decimal("93.00")
    assert info.psn_part_amt == Decimal("75.50")
