"""The sandbox agency over real HTTP: refusals that name the field, signatures, the settlement flow."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from desktop.agency import Sm2Signer, sign_envelope
from desktop.agency.messages import AccumulatorQuery, CatalogueDownload, PersonQuery, SignIn, SignOut
from desktop.agency.outpatient import (
    CancelSettlement,
    Diagnosis,
    FeeDetail,
    FeeUpload,
    PreSettlement,
    Registration,
    VisitInfo,
)
from desktop.agency.replies import (
    read_accumulators,
    read_cancellation,
    read_catalogue,
    read_fee_lines,
    read_person,
    read_registration,
    read_settlement,
    read_sign_in,
)
from desktop.agency.signing import SM2, generate_private_key
from desktop.sandbox.server import SandboxServer
from tests.sandbox.helpers import (
    DOCTOR,
    EMPLOYEE,
    RESIDENT,
    RESIDENT_ID,
    SECRETS,
    TOWNSHIP,
    VISIT_TIME,
    Clinic,
)

LINES = [("XA01", "2", "12.50"), ("XC01", "1", "68.00")]


def registration(psn_no: str = RESIDENT) -> Registration:
    return Registration(psn_no, "390", VISIT_TIME, "02", RESIDENT_ID, "OP1", DOCTOR, "李春生", "A03", "全科", "A03")


def resign(clinic: Clinic, envelope: dict[str, Any]) -> dict[str, Any]:
    return sign_envelope(envelope, Sm2Signer(SECRETS[clinic.code]))


def admin(http: httpx.Client, sandbox: SandboxServer, path: str) -> Any:
    from desktop.agency import decode

    return decode(http.get(f"{sandbox.url}/_admin/{path}").content)


# --- refusals ---------------------------------------------------------------------------


def test_a_missing_input_field_is_refused_by_name(clinic: Clinic) -> None:
    envelope = clinic.request(registration())
    del envelope["input"]["data"]["dr_name"]
    reply = clinic.post(resign(clinic, envelope))
    assert reply.infcode == -1
    assert "input.data.dr_name" in reply.err_msg


def test_a_missing_envelope_field_is_refused_by_name(clinic: Clinic) -> None:
    envelope = clinic.request(registration())
    envelope["opter_name"] = ""
    reply = clinic.post(resign(clinic, envelope))
    assert reply.infcode == -1
    assert reply.err_msg.startswith("opter_name ")


def test_insurance_division_is_required_when_a_person_is_named(clinic: Clinic) -> None:
    envelope = clinic.request(registration())
    envelope["insuplc_admdvs"] = ""
    reply = clinic.post(resign(clinic, envelope))
    assert "insuplc_admdvs" in reply.err_msg


def test_a_fee_line_missing_its_price_is_named_with_its_index(clinic: Clinic) -> None:
    mdtrt_id, _ = clinic.visit(RESIDENT, [("XA01", "1", "12.50")])
    line = FeeDetail(
        "9",
        mdtrt_id,
        RESIDENT,
        "B2",
        VISIT_TIME,
        "EA01",
        "EA01",
        Decimal("20.00"),
        Decimal(1),
        Decimal("20.00"),
        "A03",
        "全科",
        DOCTOR,
        "李春生",
    )
    envelope = clinic.request(FeeUpload((line, line)))
    del envelope["input"]["feedetail"][1]["pric"]
    reply = clinic.post(resign(clinic, envelope))
    assert "input.feedetail[1].pric" in reply.err_msg


def test_a_signature_with_another_key_is_refused(clinic: Clinic) -> None:
    clinic.secret = generate_private_key()
    reply = clinic.send(registration())
    assert reply.infcode == -1
    assert "bad signature" in reply.err_msg


def test_messages_are_signed_sm2_within_signtypes_ten_characters(clinic: Clinic) -> None:
    envelope = clinic.request(registration())
    assert envelope["signtype"] == SM2
    assert len(envelope["signtype"]) <= 10
    assert len(envelope["cainfo"]) <= 1024
    assert clinic.post(envelope).ok


def test_a_body_altered_after_signing_is_refused(clinic: Clinic) -> None:
    envelope = clinic.request(registration())
    envelope["input"]["data"]["psn_no"] = "44020000000000000002"
    reply = clinic.post(envelope)
    assert "bad signature" in reply.err_msg


def test_an_unsigned_message_is_refused(clinic: Clinic) -> None:
    envelope = clinic.request(registration())
    envelope["cainfo"] = ""
    assert "not signed" in clinic.post(envelope).err_msg


def test_a_facility_without_a_registered_key_is_refused(sandbox: SandboxServer, http: httpx.Client) -> None:
    stranger = Clinic(sandbox.url, "H99999999999", http, secret=generate_private_key())
    assert "no SM2 public key" in stranger.send(registration()).err_msg


def test_a_message_that_is_not_json_is_refused(sandbox: SandboxServer, http: httpx.Client) -> None:
    response = http.post(sandbox.url, content=b"{not json")
    assert response.json()["infcode"] == -1
    assert "not JSON" in response.json()["err_msg"]


# --- sign-in, person, catalogue --------------------------------------------------------


def test_sign_in_gives_a_session_number_that_sign_out_closes(clinic: Clinic) -> None:
    signed = read_sign_in(clinic.send(SignIn("clerk", "192.168.1.20")))
    assert len(signed.sign_no) == 30

    def in_session() -> str:
        envelope = clinic.request(registration())
        envelope["sign_no"] = signed.sign_no
        return clinic.post(resign(clinic, envelope)).err_msg

    assert in_session() == ""
    assert clinic.send(SignOut(signed.sign_no, "clerk")).ok
    assert "sign in again" in in_session()


def test_person_info_by_id_number_card_and_e_voucher(clinic: Clinic) -> None:
    by_id = read_person(clinic.send(PersonQuery("02", RESIDENT_ID), insuplc=""))
    assert by_id.psn_no == RESIDENT
    insurance = by_id.insurance("390")
    assert insurance is not None
    assert insurance.insuplc_admdvs == "440200"
    by_card = read_person(clinic.send(PersonQuery("03", "G44000001", card_sn="SN0001"), insuplc=""))
    assert by_card.psn_no == RESIDENT
    by_voucher = read_person(clinic.send(PersonQuery("01", "EVOUCHER-TOKEN-1"), insuplc=""))
    assert by_voucher.psn_no == RESIDENT
    wrong_sn = clinic.send(PersonQuery("03", "G44000001", card_sn="SN9999"), insuplc="")
    assert "card_sn" in wrong_sn.err_msg
    assert clinic.send(PersonQuery("02", "110101199001010011"), insuplc="").infcode == -1


def test_catalogue_downloads_carry_classes_and_only_newer_versions(clinic: Clinic) -> None:
    drugs = read_catalogue(clinic.send(CatalogueDownload("1301")))
    assert {(r.med_list_codg, r.item_class) for r in drugs.records} == {("XA01", "A"), ("XC01", "C")}
    services = read_catalogue(clinic.send(CatalogueDownload("1305")))
    assert {r.med_list_codg for r in services.records} == {"EA01", "TA01"}
    materials = read_catalogue(clinic.send(CatalogueDownload("1306")))
    assert [(r.med_list_codg, r.chrgitm_lv) for r in materials.records] == [("MA01", "02")]
    newer = read_catalogue(clinic.send(CatalogueDownload("1301", ver=drugs.records[0].ver)))
    assert newer.data_cn == 0


# --- the settlement flow ----------------------------------------------------------------


def test_register_visit_fees_settle(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    assert total == Decimal("93.00")
    msgid = clinic.msgid()
    reply = clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total, out_of_scope=Decimal("68.00")), msgid=msgid)
    info = read_settlement(reply)
    assert info.setl_id
    assert info.medins_setl_id == msgid
    assert (info.medfee_sumamt, info.inscp_scp_amt, info.fulamt_ownpay_amt) == (
        Decimal("93.00"),
        Decimal("25.00"),
        Decimal("68.00"),
    )
    assert (info.hifp_pay, info.fund_pay_sumamt, info.acct_pay, info.psn_cash_pay) == (
        Decimal("17.50"),
        Decimal("17.50"),
        Decimal("0.00"),
        Decimal("75.50"),
    )
    assert info.pool_prop_selfpay == Decimal("0.7000")
    assert [f.fund_pay_type for f in info.funds] == ["390100"]
    booked = admin(clinic.http, sandbox, "settlements")["settlements"]
    assert [(s["setl_id"], s["status"]) for s in booked] == [(info.setl_id, "booked")]
    ytd = admin(clinic.http, sandbox, f"accumulators?psn_no={RESIDENT}&year=2026")
    assert ytd["fund_paid"] == Decimal("17.50")


def test_fee_results_give_each_line_its_scope(clinic: Clinic) -> None:
    mdtrt_id, _ = clinic.visit(RESIDENT, [("XA01", "1", "12.50")])
    line = FeeDetail(
        "7",
        mdtrt_id,
        RESIDENT,
        "B1",
        VISIT_TIME,
        "XC01",
        "XC01",
        Decimal("68.00"),
        Decimal(1),
        Decimal("68.00"),
        "A03",
        "全科",
        DOCTOR,
        "李春生",
    )
    clinic.map("XC01")
    (result,) = read_fee_lines(clinic.send(FeeUpload((line,))))
    assert (result.fulamt_ownpay_amt, result.inscp_scp_amt, result.chrgitm_lv) == (
        Decimal("68.00"),
        Decimal("0.00"),
        "03",
    )


def test_pre_settlement_gives_the_split_without_booking(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    pre = PreSettlement(RESIDENT, "02", RESIDENT_ID, total, mdtrt_id, "B1", "390", acct_used_flag=False)
    preview = read_settlement(clinic.send(pre), booked=False)
    assert admin(clinic.http, sandbox, "settlements")["settlements"] == []
    booked = read_settlement(clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total, out_of_scope=Decimal(68))))
    assert (preview.hifp_pay, preview.psn_cash_pay) == (booked.hifp_pay, booked.psn_cash_pay)


def test_a_claimed_total_that_is_not_the_fees_is_refused(clinic: Clinic) -> None:
    mdtrt_id, _ = clinic.visit(RESIDENT, LINES)
    reply = clinic.send(clinic.settlement(RESIDENT, mdtrt_id, Decimal("90.00")))
    assert "medfee_sumamt 90.00 is not the uploaded fee details' total 93.00" in reply.err_msg


def test_a_visit_settles_once_while_its_settlement_stands(clinic: Clinic) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    first = read_settlement(clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total, out_of_scope=Decimal(68))))
    second = clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total, out_of_scope=Decimal(68)))
    assert second.infcode == -1
    assert first.setl_id in second.err_msg


def test_fees_are_checked_against_the_catalogue_and_their_arithmetic(clinic: Clinic) -> None:
    mdtrt_id, _ = clinic.visit(RESIDENT, [("XA01", "1", "12.50")])

    def upload(code: str, amount: str) -> str:
        line = FeeDetail(
            "8",
            mdtrt_id,
            RESIDENT,
            "B1",
            VISIT_TIME,
            code,
            code,
            Decimal(amount),
            Decimal(2),
            Decimal("12.50"),
            "A03",
            "全科",
            DOCTOR,
            "李春生",
        )
        return clinic.send(FeeUpload((line,))).err_msg

    assert "med_list_codg ZZ99 is not in the agency's catalogue" in upload("ZZ99", "25.00")
    assert "is not cnt × pric = 25.00" in upload("XA01", "24.00")
    assert upload("XA01", "25.00") == ""  # the refusals above booked nothing, so line 8 is new
    assert "feedetl_sn 8 was already uploaded" in upload("XA01", "25.00")


def test_an_employee_pays_from_the_personal_account(clinic: Clinic, sandbox: SandboxServer) -> None:
    info = clinic.settle(
        EMPLOYEE, [("XA01", "4", "12.50"), ("XC01", "1", "68.00")], insutype="310", account=True, insuplc="360121"
    )
    assert info.fund_pay_sumamt + info.acct_pay + info.psn_cash_pay == info.medfee_sumamt == Decimal("118.00")
    assert info.acct_pay > 0
    assert info.balc == Decimal("500.00") - info.acct_pay
    assert "310200" in {f.fund_pay_type for f in info.funds}


def test_cancel_restores_the_figures_and_lets_the_visit_settle_again(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    info = read_settlement(clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total, out_of_scope=Decimal(68))))
    cancelled = read_cancellation(clinic.send(CancelSettlement(info.setl_id, mdtrt_id, RESIDENT)))
    assert cancelled.fund_pay_sumamt == -info.fund_pay_sumamt
    assert cancelled.pdn_cash_pay == -info.psn_cash_pay
    assert admin(clinic.http, sandbox, f"accumulators?psn_no={RESIDENT}&year=2026")["fund_paid"] == 0
    again = clinic.send(CancelSettlement(info.setl_id, mdtrt_id, RESIDENT))
    assert "already cancelled" in again.err_msg
    resettled = read_settlement(clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total, out_of_scope=Decimal(68))))
    assert resettled.setl_id != info.setl_id
    statuses = [s["status"] for s in admin(clinic.http, sandbox, "settlements")["settlements"]]
    assert statuses == ["cancelled", "booked"]


def test_accumulators_5206_after_a_settlement(clinic: Clinic) -> None:
    clinic.settle(RESIDENT, LINES)
    figures = read_accumulators(clinic.send(AccumulatorQuery(RESIDENT, "202611")))
    assert figures.fund_paid("390", 2026) == Decimal("17.50")
    assert figures.deductible_met("390", 2026) == 0
    assert figures.value("S0000", "390", 2026) == Decimal("93.00")
    assert figures.value("C0000", "390", 2026) == 1


def test_a_settlement_for_another_facilitys_visit_is_refused(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    village = Clinic(sandbox.url, "H44020000102", clinic.http)
    reply = village.send(village.settlement(RESIDENT, mdtrt_id, total, out_of_scope=Decimal(68)))
    assert "not a visit registered by this facility" in reply.err_msg
    assert TOWNSHIP not in reply.err_msg


def test_envelope_keys_of_the_wrong_type_are_refused(clinic: Clinic) -> None:
    envelope = clinic.request(SignIn("clerk", "10.0.0.1"))
    envelope["infno"] = 9001
    reply = clinic.post(resign(clinic, envelope))
    assert reply.err_msg == "infno must be text"


def test_a_fault_inside_the_agency_books_nothing_and_says_so(
    clinic: Clinic, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.sandbox import agency

    def broken(call: Any) -> Any:
        call.connection.execute("INSERT INTO sign_in (code, opter_no, signed_in_at) VALUES ('x', 'y', 'z')")
        raise ZeroDivisionError

    monkeypatch.setitem(agency.HANDLERS, "9001", broken)
    message = SignIn("clerk", "10.0.0.1")
    msgid = clinic.msgid()
    reply = clinic.send(message, msgid=msgid)
    assert "nothing was booked" in reply.err_msg
    assert sandbox.connection.execute("SELECT COUNT(*) FROM sign_in").fetchone()[0] == 0
    monkeypatch.undo()
    assert clinic.send(message, msgid=msgid).ok  # the msgid was not spent


def test_a_field_longer_than_the_interface_allows_is_refused_by_name(clinic: Clinic) -> None:
    envelope = clinic.request(registration())
    envelope["input"]["data"]["ipt_otp_no"] = "OP" * 20  # 字符型 30
    reply = clinic.post(resign(clinic, envelope))
    assert reply.infcode == -1
    assert "input.data.ipt_otp_no" in reply.err_msg
    assert "allows 30" in reply.err_msg


def test_a_doctor_is_named_by_practitioner_code_not_by_username(clinic: Clinic) -> None:
    envelope = clinic.request(registration())
    envelope["input"]["data"]["atddr_no"] = "doctor1"
    reply = clinic.post(resign(clinic, envelope))
    assert "医保医师代码" in reply.err_msg


def test_a_fee_line_for_an_item_the_facility_never_mapped_is_refused(clinic: Clinic) -> None:
    mdtrt_id, _ = clinic.visit(RESIDENT, [("XA01", "1", "12.50")])
    line = FeeDetail(
        "8", mdtrt_id, RESIDENT, "B1", VISIT_TIME, "EA01", "LOCAL-EA01", Decimal("20.00"), Decimal(1),
        Decimal("20.00"), "A03", "全科", DOCTOR, "李春生",
    )  # fmt: skip
    reply = clinic.send(FeeUpload((line,)))
    assert "目录未对照" in reply.err_msg
    assert "LOCAL-EA01" in reply.err_msg


def test_a_visit_needs_exactly_one_main_diagnosis(clinic: Clinic) -> None:
    mdtrt_id = read_registration(clinic.send(registration())).mdtrt_id
    other = Diagnosis(1, "J06.900", "急性上呼吸道感染", "全科", DOCTOR, "李春生", VISIT_TIME, main=True)
    envelope = clinic.request(VisitInfo(mdtrt_id, RESIDENT, VISIT_TIME, (other,)))
    envelope["input"]["diseinfo"][0]["maindiag_flag"] = "0"
    assert "maindiag_flag" in clinic.post(resign(clinic, envelope)).err_msg
