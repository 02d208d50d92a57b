"""The agency's answers: the reply envelope, then typed results per transaction.

Readers accept amounts as JSON numbers or as text (some gateways send text) and name
the field they cannot read. A reply with ``infcode`` other than 0 raises ``AgencyRefusedError``
carrying ``err_msg``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from desktop.agency import codes
from desktop.agency.values import read_date, read_decimal, read_text, read_time
from desktop.agency.wire import ProtocolError

SUCCESS = 0
FAILURE = -1


class AgencyRefusedError(Exception):
    """The agency answered and said no (``infcode`` -1): nothing was booked for this message."""

    def __init__(self, infcode: int, err_msg: str) -> None:
        super().__init__(err_msg or f"infcode {infcode}")
        self.infcode = infcode
        self.err_msg = err_msg


@dataclass(frozen=True, slots=True)
class Reply:
    infcode: int
    inf_refmsgid: str
    refmsg_time: str
    respond_time: str
    err_msg: str
    warn_msg: str
    output: Mapping[str, Any]

    @property
    def ok(self) -> bool:
        return self.infcode == SUCCESS

    def checked(self) -> Reply:
        """This reply, or ``AgencyRefusedError`` when the agency refused the message."""
        if not self.ok:
            raise AgencyRefusedError(self.infcode, self.err_msg)
        return self


def parse_reply(raw: Mapping[str, Any]) -> Reply:
    code = raw.get("infcode")
    if isinstance(code, str) and code.strip().lstrip("-").isdigit():
        code = int(code)  # some gateways write "0"
    if isinstance(code, Decimal) and code.is_finite() and code == code.to_integral_value():
        code = int(code)
    if isinstance(code, bool) or not isinstance(code, int):
        raise ProtocolError("infcode", f"{code!r} is not a status code")
    output = raw.get("output")
    if output is None or output == "":
        output = {}
    if not isinstance(output, Mapping):
        raise ProtocolError("output", "must be a JSON object")
    return Reply(
        infcode=code,
        inf_refmsgid=str(raw.get("inf_refmsgid") or ""),
        refmsg_time=str(raw.get("refmsg_time") or ""),
        respond_time=str(raw.get("respond_time") or ""),
        err_msg=str(raw.get("err_msg") or ""),
        warn_msg=str(raw.get("warn_msg") or ""),
        output=output,
    )


def _node(reply: Reply, name: str) -> Any:
    value = reply.checked().output.get(name)
    if value is None:
        raise ProtocolError(f"output.{name}", "is missing from the agency's answer")
    return value


def _records(reply: Reply, name: str) -> list[Any]:
    value = reply.checked().output.get(name, [])
    if not isinstance(value, list):
        raise ProtocolError(f"output.{name}", "must be a list")
    return value


# --- 9001 -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignedIn:
    sign_no: str
    sign_time: str


def read_sign_in(reply: Reply) -> SignedIn:
    node = _node(reply, "signinoutb")
    return SignedIn(read_text(node, "sign_no", "output.signinoutb"), read_text(node, "sign_time", "output.signinoutb"))


# --- 1101 -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Insurance:
    insutype: str
    psn_type: str
    balc: Decimal
    cvlserv_flag: str
    insuplc_admdvs: str
    psn_insu_stas: str = ""
    emp_name: str = ""


@dataclass(frozen=True, slots=True)
class Identity:
    psn_idet_type: str
    begntime: str
    endtime: str = ""
    memo: str = ""


@dataclass(frozen=True, slots=True)
class PersonInfo:
    psn_no: str
    psn_cert_type: str
    certno: str
    psn_name: str
    gend: str
    brdy: dt.date | None
    age: Decimal
    insurances: tuple[Insurance, ...]
    identities: tuple[Identity, ...]

    def insurance(self, insutype: str) -> Insurance | None:
        return next((i for i in self.insurances if i.insutype == insutype), None)


def read_person(reply: Reply) -> PersonInfo:
    base = _node(reply, "baseinfo")
    where = "output.baseinfo"
    brdy = read_text(base, "brdy", where, required=False)
    return PersonInfo(
        psn_no=read_text(base, "psn_no", where),
        psn_cert_type=read_text(base, "psn_cert_type", where),
        certno=read_text(base, "certno", where),
        psn_name=read_text(base, "psn_name", where),
        gend=read_text(base, "gend", where),
        brdy=read_date(base, "brdy", where) if brdy else None,
        age=read_decimal(base, "age", where, places=1),
        insurances=tuple(_insurance(r, f"output.insuinfo[{i}]") for i, r in enumerate(_records(reply, "insuinfo"))),
        identities=tuple(_identity(r, f"output.idetinfo[{i}]") for i, r in enumerate(_records(reply, "idetinfo"))),
    )


def _insurance(record: Any, where: str) -> Insurance:
    return Insurance(
        insutype=read_text(record, "insutype", where),
        psn_type=read_text(record, "psn_type", where),
        balc=read_decimal(record, "balc", where),
        cvlserv_flag=read_text(record, "cvlserv_flag", where),
        insuplc_admdvs=read_text(record, "insuplc_admdvs", where),
        psn_insu_stas=read_text(record, "psn_insu_stas", where, required=False),
        emp_name=read_text(record, "emp_name", where, required=False),
    )


def _identity(record: Any, where: str) -> Identity:
    return Identity(
        psn_idet_type=read_text(record, "psn_idet_type", where),
        begntime=read_text(record, "begntime", where),
        endtime=read_text(record, "endtime", where, required=False),
        memo=read_text(record, "memo", where, required=False),
    )


# --- 2201 / 2204 ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Registered:
    mdtrt_id: str
    psn_no: str
    ipt_otp_no: str


def read_registration(reply: Reply) -> Registered:
    node = _node(reply, "data")
    where = "output.data"
    return Registered(
        read_text(node, "mdtrt_id", where), read_text(node, "psn_no", where), read_text(node, "ipt_otp_no", where)
    )


@dataclass(frozen=True, slots=True)
class FeeLine:
    feedetl_sn: str
    det_item_fee_sumamt: Decimal
    inscp_scp_amt: Decimal
    fulamt_ownpay_amt: Decimal
    chrgitm_lv: str
    med_chrgitm_type: str


def read_fee_lines(reply: Reply) -> tuple[FeeLine, ...]:
    lines = []
    for index, record in enumerate(_records(reply, "result")):
        where = f"output.result[{index}]"
        lines.append(
            FeeLine(
                feedetl_sn=read_text(record, "feedetl_sn", where),
                det_item_fee_sumamt=read_decimal(record, "det_item_fee_sumamt", where),
                inscp_scp_amt=read_decimal(record, "inscp_scp_amt", where, required=False),
                fulamt_ownpay_amt=read_decimal(record, "fulamt_ownpay_amt", where, required=False),
                chrgitm_lv=read_text(record, "chrgitm_lv", where),
                med_chrgitm_type=read_text(record, "med_chrgitm_type", where),
            )
        )
    return tuple(lines)


# --- 2206 / 2207 / 2208 ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FundPayment:
    fund_pay_type: str
    fund_payamt: Decimal
    inscp_scp_amt: Decimal
    crt_payb_lmt_amt: Decimal
    fund_pay_type_name: str = ""


@dataclass(frozen=True, slots=True)
class SettlementInfo:
    """``setlinfo`` of 2206/2207: the agency's split. ``setl_id`` is empty for a 2206 pre-settlement.

    ``psn_cash_pay`` is what the patient pays in cash; ``medins_setl_id`` echoes the
    request's ``msgid``; ``balc`` is the personal account balance after the settlement.
    """

    setl_id: str
    mdtrt_id: str
    psn_no: str
    setl_time: dt.datetime | None
    medfee_sumamt: Decimal
    fulamt_ownpay_amt: Decimal
    inscp_scp_amt: Decimal
    act_pay_dedc: Decimal
    hifp_pay: Decimal
    pool_prop_selfpay: Decimal
    fund_pay_sumamt: Decimal
    psn_part_amt: Decimal
    acct_pay: Decimal
    psn_cash_pay: Decimal
    balc: Decimal
    medins_setl_id: str
    funds: tuple[FundPayment, ...]


def read_settlement(reply: Reply, *, booked: bool = True) -> SettlementInfo:
    """2207's answer (``booked``) or 2206's (no ``setl_id``)."""
    node = _node(reply, "setlinfo")
    where = "output.setlinfo"

    def money(name: str) -> Decimal:
        return read_decimal(node, name, where)

    return SettlementInfo(
        setl_id=read_text(node, "setl_id", where, required=booked),
        mdtrt_id=read_text(node, "mdtrt_id", where),
        psn_no=read_text(node, "psn_no", where),
        setl_time=read_time(node, "setl_time", where, required=booked),
        medfee_sumamt=money("medfee_sumamt"),
        fulamt_ownpay_amt=money("fulamt_ownpay_amt"),
        inscp_scp_amt=money("inscp_scp_amt"),
        act_pay_dedc=read_decimal(node, "act_pay_dedc", where, required=False),
        hifp_pay=money("hifp_pay"),
        pool_prop_selfpay=read_decimal(node, "pool_prop_selfpay", where, places=4),
        fund_pay_sumamt=money("fund_pay_sumamt"),
        psn_part_amt=money("psn_part_amt"),
        acct_pay=money("acct_pay"),
        psn_cash_pay=money("psn_cash_pay"),
        balc=money("balc"),
        medins_setl_id=read_text(node, "medins_setl_id", where, required=booked),
        funds=_funds(reply),
    )


def _funds(reply: Reply) -> tuple[FundPayment, ...]:
    funds = []
    for index, record in enumerate(_records(reply, "setldetail")):
        where = f"output.setldetail[{index}]"
        funds.append(
            FundPayment(
                fund_pay_type=read_text(record, "fund_pay_type", where),
                fund_payamt=read_decimal(record, "fund_payamt", where),
                inscp_scp_amt=read_decimal(record, "inscp_scp_amt", where),
                crt_payb_lmt_amt=read_decimal(record, "crt_payb_lmt_amt", where),
                fund_pay_type_name=read_text(record, "fund_pay_type_name", where, required=False),
            )
        )
    return tuple(funds)


@dataclass(frozen=True, slots=True)
class Cancellation:
    """2208's ``setlinfo``: the cancelling record (its own ``setl_id``), amounts negative.

    The interface spells the cash field ``pdn_cash_pay`` here.
    """

    setl_id: str
    mdtrt_id: str
    setl_time: dt.datetime | None
    medfee_sumamt: Decimal
    fund_pay_sumamt: Decimal
    hifp_pay: Decimal
    acct_pay: Decimal
    pdn_cash_pay: Decimal
    balc: Decimal
    medins_setl_id: str


def read_cancellation(reply: Reply) -> Cancellation:
    node = _node(reply, "setlinfo")
    where = "output.setlinfo"
    return Cancellation(
        setl_id=read_text(node, "setl_id", where),
        mdtrt_id=read_text(node, "mdtrt_id", where),
        setl_time=read_time(node, "setl_time", where),
        medfee_sumamt=read_decimal(node, "medfee_sumamt", where),
        fund_pay_sumamt=read_decimal(node, "fund_pay_sumamt", where),
        hifp_pay=read_decimal(node, "hifp_pay", where),
        acct_pay=read_decimal(node, "acct_pay", where),
        pdn_cash_pay=read_decimal(node, "pdn_cash_pay", where),
        balc=read_decimal(node, "balc", where),
        medins_setl_id=read_text(node, "medins_setl_id", where),
    )


# --- 5206 / 1301–1307 / 3201 ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Accumulation:
    insutype: str
    year: str
    cum_ym: str
    cum_type_code: str
    cum: Decimal


@dataclass(frozen=True, slots=True)
class Accumulators:
    entries: tuple[Accumulation, ...]

    def value(self, cum_type_code: str, insutype: str, year: int) -> Decimal:
        """One figure for the year, zero when the agency lists none."""
        return sum(
            (
                e.cum
                for e in self.entries
                if e.cum_type_code == cum_type_code and e.insutype == insutype and e.year == str(year)
            ),
            start=Decimal("0.00"),
        )

    def deductible_met(self, insutype: str, year: int) -> Decimal:
        return self.value(codes.CUM_DEDUCTIBLE, insutype, year)

    def fund_paid(self, insutype: str, year: int) -> Decimal:
        return self.value(codes.CUM_POOLING[insutype], insutype, year)

    def fund_paid_out_of_city(self, insutype: str, year: int) -> Decimal:
        return self.value(codes.CUM_POOLING_OUT_OF_CITY[insutype], insutype, year)


def read_accumulators(reply: Reply) -> Accumulators:
    entries = []
    for index, record in enumerate(_records(reply, "cuminfo")):
        where = f"output.cuminfo[{index}]"
        entries.append(
            Accumulation(
                insutype=read_text(record, "insutype", where),
                year=read_text(record, "year", where),
                cum_ym=read_text(record, "cum_ym", where, required=False),
                cum_type_code=read_text(record, "cum_type_code", where),
                cum=read_decimal(record, "cum", where),
            )
        )
    return Accumulators(tuple(entries))


@dataclass(frozen=True, slots=True)
class CatalogueRecord:
    """One downloaded catalogue line; ``chrgitm_lv`` 01/02/03 is the class 甲/乙/丙."""

    med_list_codg: str
    med_list_name: str
    chrgitm_lv: str
    med_chrgitm_type: str
    pric: Decimal
    ver: str
    vali_flag: str
    pinyin: str = ""  # 拼音助记码, where the catalogue has it
    spec: str = ""

    @property
    def item_class(self) -> str:
        found = codes.LEVEL_ITEM_CLASS.get(self.chrgitm_lv)
        if found is None:
            raise ProtocolError("chrgitm_lv", f"{self.chrgitm_lv!r} is not 01, 02 or 03")
        return found


@dataclass(frozen=True, slots=True)
class CatalogueFile:
    file_qury_no: str
    filename: str
    dld_end_time: str
    data_cn: int
    records: tuple[CatalogueRecord, ...]


def read_catalogue(reply: Reply) -> CatalogueFile:
    output = reply.checked().output
    where = "output"
    records = []
    for index, record in enumerate(_records(reply, "data")):
        at = f"output.data[{index}]"
        records.append(
            CatalogueRecord(
                med_list_codg=read_text(record, "med_list_codg", at),
                med_list_name=read_text(record, "med_list_name", at),
                chrgitm_lv=read_text(record, "chrgitm_lv", at),
                med_chrgitm_type=read_text(record, "med_chrgitm_type", at),
                pric=read_decimal(record, "pric", at, places=6),
                ver=read_text(record, "ver", at),
                vali_flag=read_text(record, "vali_flag", at),
                pinyin=read_text(record, "pinyin", at, required=False),
                spec=read_text(record, "spec", at, required=False),
            )
        )
    data_cn = read_decimal(output, "data_cn", where, places=0)
    if data_cn != len(records):
        raise ProtocolError("output.data_cn", f"says {data_cn} records but {len(records)} came")
    return CatalogueFile(
        file_qury_no=read_text(output, "file_qury_no", where),
        filename=read_text(output, "filename", where),
        dld_end_time=read_text(output, "dld_end_time", where),
        data_cn=int(data_cn),
        records=tuple(records),
    )


@dataclass(frozen=True, slots=True)
class StatementFigures:
    """The agency's own count and sums for the period, where its answer gives them."""

    fixmedins_setl_cnt: int
    medfee_sumamt: Decimal
    fund_pay_sumamt: Decimal
    acct_pay: Decimal


@dataclass(frozen=True, slots=True)
class Statement:
    """3201's ``stmtinfo``: whether the clinic's figures match (``stmt_rslt`` 0) and why not.

    The interface's answer has only the verdict and a text; an agency that also gives its
    figures (``stmtdetail``, with the input's field names, as the sandbox does) has them
    read into ``agency``, so a period that does not balance shows both sides.
    """

    setl_optins: str
    stmt_rslt: str
    stmt_rslt_dscr: str
    agency: StatementFigures | None = None

    @property
    def matches(self) -> bool:
        return self.stmt_rslt == codes.STATEMENT_MATCHES


def read_statement(reply: Reply) -> Statement:
    node = _node(reply, "stmtinfo")
    where = "output.stmtinfo"
    detail = reply.output.get("stmtdetail")
    figures = None
    if isinstance(detail, Mapping) and detail:
        at = "output.stmtdetail"
        figures = StatementFigures(
            fixmedins_setl_cnt=int(read_decimal(detail, "fixmedins_setl_cnt", at, places=0)),
            medfee_sumamt=read_decimal(detail, "medfee_sumamt", at),
            fund_pay_sumamt=read_decimal(detail, "fund_pay_sumamt", at),
            acct_pay=read_decimal(detail, "acct_pay", at),
        )
    return Statement(
        setl_optins=read_text(node, "setl_optins", where, required=False),
        stmt_rslt=read_text(node, "stmt_rslt", where),
        stmt_rslt_dscr=read_text(node, "stmt_rslt_dscr", where, required=False),
        agency=figures,
    )
