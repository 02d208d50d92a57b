"""Typed inputs for one outpatient settlement: 2201 → 2203 → 2204 → 2206/2207, 2208 cancel, 2601 reversal,
and the cancels of a visit the agency never settled: 2205 (its fee details) and 2202 (its registration)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from desktop.agency import codes
from desktop.agency.msgid import parse_msgid
from desktop.agency.values import amount, count, price, time_text
from desktop.agency.wire import ProtocolError

# Transactions a 2601 reversal may undo: the ones that move money.
REVERSIBLE = ("2207", "2208")


def _flag(value: bool) -> str:
    return "1" if value else "0"


@dataclass(frozen=True, slots=True)
class Registration:
    """2201 门诊挂号; the agency answers with the visit's ``mdtrt_id``."""

    infno: ClassVar[str] = "2201"
    psn_no: str
    insutype: str
    begntime: dt.datetime
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    ipt_otp_no: str
    atddr_no: str
    dr_name: str
    dept_code: str
    dept_name: str
    caty: str

    def to_input(self) -> dict[str, Any]:
        return {
            "data": {
                "psn_no": self.psn_no,
                "insutype": self.insutype,
                "begntime": time_text(self.begntime, "input.data.begntime"),
                "mdtrt_cert_type": self.mdtrt_cert_type,
                "mdtrt_cert_no": self.mdtrt_cert_no,
                "ipt_otp_no": self.ipt_otp_no,
                "atddr_no": self.atddr_no,
                "dr_name": self.dr_name,
                "dept_code": self.dept_code,
                "dept_name": self.dept_name,
                "caty": self.caty,
            }
        }


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """One ``diseinfo`` row of 2203 (``diag_type`` 1 western, 2 TCM disease, 3 TCM syndrome)."""

    diag_srt_no: int
    diag_code: str
    diag_name: str
    diag_dept: str
    dise_dor_no: str
    dise_dor_name: str
    diag_time: dt.datetime
    diag_type: str = "1"
    vali_flag: str = "1"
    main: bool = False  # maindiag_flag: the visit's main diagnosis, exactly one

    def to_record(self, index: int) -> dict[str, Any]:
        return {
            "diag_type": self.diag_type,
            "maindiag_flag": _flag(self.main),
            "diag_srt_no": self.diag_srt_no,
            "diag_code": self.diag_code,
            "diag_name": self.diag_name,
            "diag_dept": self.diag_dept,
            "dise_dor_no": self.dise_dor_no,
            "dise_dor_name": self.dise_dor_name,
            "diag_time": time_text(self.diag_time, f"input.diseinfo[{index}].diag_time"),
            "vali_flag": self.vali_flag,
        }


@dataclass(frozen=True, slots=True)
class VisitInfo:
    """2203 门诊就诊信息上传: ``mdtrtinfo`` and the diagnoses (``med_type`` 11 general, 14 chronic)."""

    infno: ClassVar[str] = "2203"
    mdtrt_id: str
    psn_no: str
    begntime: dt.datetime
    diagnoses: tuple[Diagnosis, ...]
    med_type: str = codes.GENERAL_OUTPATIENT
    main_cond_dscr: str = ""
    dise_codg: str = ""
    dise_name: str = ""

    def to_input(self) -> dict[str, Any]:
        if self.med_type == codes.CHRONIC_OUTPATIENT and not self.dise_codg:
            raise ProtocolError("input.mdtrtinfo.dise_codg", "a chronic-disease visit (med_type 14) names its disease")
        if sum(d.main for d in self.diagnoses) != 1:
            raise ProtocolError("input.diseinfo", "exactly one diagnosis is the main one (maindiag_flag 1)")
        visit = {
            "mdtrt_id": self.mdtrt_id,
            "psn_no": self.psn_no,
            "med_type": self.med_type,
            "begntime": time_text(self.begntime, "input.mdtrtinfo.begntime"),
        }
        optional = {"main_cond_dscr": self.main_cond_dscr, "dise_codg": self.dise_codg, "dise_name": self.dise_name}
        visit.update({name: value for name, value in optional.items() if value})
        return {"mdtrtinfo": visit, "diseinfo": [d.to_record(i) for i, d in enumerate(self.diagnoses)]}


@dataclass(frozen=True, slots=True)
class FeeDetail:
    """One ``feedetail`` row: ``det_item_fee_sumamt`` must be ``cnt × pric`` rounded to the fen."""

    feedetl_sn: str
    mdtrt_id: str
    psn_no: str
    chrg_bchno: str
    fee_ocur_time: dt.datetime
    med_list_codg: str
    medins_list_codg: str
    det_item_fee_sumamt: Decimal
    cnt: Decimal
    pric: Decimal
    bilg_dept_codg: str
    bilg_dept_name: str
    bilg_dr_codg: str
    bilg_dr_name: str
    rx_circ_flag: bool = False
    hosp_appr_flag: str = "1"
    rxno: str = ""
    dise_codg: str = ""  # a chronic-disease visit's disease (门诊慢特病病种目录代码)

    def to_record(self, index: int) -> dict[str, Any]:
        where = f"input.feedetail[{index}]"
        record = {
            "feedetl_sn": self.feedetl_sn,
            "mdtrt_id": self.mdtrt_id,
            "psn_no": self.psn_no,
            "chrg_bchno": self.chrg_bchno,
            "rx_circ_flag": _flag(self.rx_circ_flag),
            "fee_ocur_time": time_text(self.fee_ocur_time, f"{where}.fee_ocur_time"),
            "med_list_codg": self.med_list_codg,
            "medins_list_codg": self.medins_list_codg,
            "det_item_fee_sumamt": amount(self.det_item_fee_sumamt, f"{where}.det_item_fee_sumamt"),
            "cnt": count(self.cnt, f"{where}.cnt"),
            "pric": price(self.pric, f"{where}.pric"),
            "bilg_dept_codg": self.bilg_dept_codg,
            "bilg_dept_name": self.bilg_dept_name,
            "bilg_dr_codg": self.bilg_dr_codg,
            "bilg_dr_name": self.bilg_dr_name,
            "hosp_appr_flag": self.hosp_appr_flag,
        }
        if self.rxno:
            record["rxno"] = self.rxno
        if self.dise_codg:
            record["dise_codg"] = self.dise_codg
        return record


@dataclass(frozen=True, slots=True)
class FeeUpload:
    """2204 门诊费用明细信息上传: the visit's fee lines, one ``feedetail`` each."""

    infno: ClassVar[str] = "2204"
    details: tuple[FeeDetail, ...]

    def to_input(self) -> dict[str, Any]:
        if not self.details:
            raise ProtocolError("input.feedetail", "a fee upload needs at least one line")
        return {"feedetail": [d.to_record(i) for i, d in enumerate(self.details)]}


@dataclass(frozen=True, slots=True)
class PreSettlement:
    """2206 门诊预结算: the split the agency would make, without booking it."""

    infno: ClassVar[str] = "2206"
    psn_no: str
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    medfee_sumamt: Decimal
    mdtrt_id: str
    chrg_bchno: str
    insutype: str
    acct_used_flag: bool
    med_type: str = codes.GENERAL_OUTPATIENT
    psn_setlway: str = codes.ORDINARY_SETTLEMENT

    def to_input(self) -> dict[str, Any]:
        return {
            "data": {
                "psn_no": self.psn_no,
                "mdtrt_cert_type": self.mdtrt_cert_type,
                "mdtrt_cert_no": self.mdtrt_cert_no,
                "med_type": self.med_type,
                "medfee_sumamt": amount(self.medfee_sumamt, "input.data.medfee_sumamt"),
                "psn_setlway": self.psn_setlway,
                "mdtrt_id": self.mdtrt_id,
                "chrg_bchno": self.chrg_bchno,
                "acct_used_flag": _flag(self.acct_used_flag),
                "insutype": self.insutype,
            }
        }


@dataclass(frozen=True, slots=True)
class Settlement:
    """2207 门诊结算: books the settlement; the answer's ``setlinfo`` is the official split.

    The four amounts describe the bill as the clinic priced it: out of scope
    (``fulamt_ownpay_amt``), over a price limit, paid first by the patient, and in scope.
    """

    infno: ClassVar[str] = "2207"
    psn_no: str
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    medfee_sumamt: Decimal
    mdtrt_id: str
    chrg_bchno: str
    insutype: str
    acct_used_flag: bool
    fulamt_ownpay_amt: Decimal
    inscp_scp_amt: Decimal
    overlmt_selfpay: Decimal = Decimal("0.00")
    preselfpay_amt: Decimal = Decimal("0.00")
    med_type: str = codes.GENERAL_OUTPATIENT
    psn_setlway: str = codes.ORDINARY_SETTLEMENT
    invono: str = ""

    def to_input(self) -> dict[str, Any]:
        total = amount(self.medfee_sumamt, "input.data.medfee_sumamt")
        parts = self.fulamt_ownpay_amt + self.inscp_scp_amt + self.overlmt_selfpay + self.preselfpay_amt
        if parts != total:
            raise ProtocolError(
                "input.data.medfee_sumamt",
                f"{total} is not the sum of out of scope, in scope, over limit and paid first ({parts})",
            )
        data: dict[str, Any] = {
            "psn_no": self.psn_no,
            "mdtrt_cert_type": self.mdtrt_cert_type,
            "mdtrt_cert_no": self.mdtrt_cert_no,
            "med_type": self.med_type,
            "medfee_sumamt": total,
            "psn_setlway": self.psn_setlway,
            "mdtrt_id": self.mdtrt_id,
            "chrg_bchno": self.chrg_bchno,
            "insutype": self.insutype,
            "acct_used_flag": _flag(self.acct_used_flag),
            "fulamt_ownpay_amt": amount(self.fulamt_ownpay_amt, "input.data.fulamt_ownpay_amt"),
            "overlmt_selfpay": amount(self.overlmt_selfpay, "input.data.overlmt_selfpay"),
            "preselfpay_amt": amount(self.preselfpay_amt, "input.data.preselfpay_amt"),
            "inscp_scp_amt": amount(self.inscp_scp_amt, "input.data.inscp_scp_amt"),
        }
        if self.invono:
            data["invono"] = self.invono
        return {"data": data}


@dataclass(frozen=True, slots=True)
class CancelSettlement:
    """2208 门诊结算撤销 of a booked settlement."""

    infno: ClassVar[str] = "2208"
    setl_id: str
    mdtrt_id: str
    psn_no: str

    def to_input(self) -> dict[str, Any]:
        return {"data": {"setl_id": self.setl_id, "mdtrt_id": self.mdtrt_id, "psn_no": self.psn_no}}


@dataclass(frozen=True, slots=True)
class CancelRegistration:
    """2202 门诊挂号撤销: the visit the agency registered (2201) and will never settle."""

    infno: ClassVar[str] = "2202"
    psn_no: str
    mdtrt_id: str
    ipt_otp_no: str

    def to_input(self) -> dict[str, Any]:
        return {"data": {"psn_no": self.psn_no, "mdtrt_id": self.mdtrt_id, "ipt_otp_no": self.ipt_otp_no}}


@dataclass(frozen=True, slots=True)
class CancelFees:
    """2205 门诊费用明细信息撤销: the visit's uploaded, unsettled fee details of one charge batch."""

    infno: ClassVar[str] = "2205"
    mdtrt_id: str
    chrg_bchno: str
    psn_no: str

    def to_input(self) -> dict[str, Any]:
        return {"data": {"mdtrt_id": self.mdtrt_id, "chrg_bchno": self.chrg_bchno, "psn_no": self.psn_no}}


@dataclass(frozen=True, slots=True)
class Reversal:
    """2601 冲正: undo the 2207 or 2208 sent under ``omsgid`` whose outcome is unknown."""

    infno: ClassVar[str] = "2601"
    psn_no: str
    omsgid: str
    oinfno: str

    def to_input(self) -> dict[str, Any]:
        parse_msgid(self.omsgid)
        if self.oinfno not in REVERSIBLE:
            raise ProtocolError("input.data.oinfno", f"{self.oinfno!r} is not a settlement (2207) or cancel (2208)")
        return {"data": {"psn_no": self.psn_no, "omsgid": self.omsgid, "oinfno": self.oinfno}}
