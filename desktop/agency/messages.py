"""Typed inputs for the counter's session, person, catalogue, accumulator and reconciliation calls.

Each dataclass knows its ``infno`` and writes its ``input`` object with the interface's
field names; ``input_of`` then checks that every field the tables mark required is there.
Outpatient settlement messages are in ``desktop.agency.outpatient``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from desktop.agency import codes
from desktop.agency.fields import CATALOGUE_INFNOS, field_tables, missing_input_field
from desktop.agency.values import amount, date_text
from desktop.agency.wire import ProtocolError


class Message(Protocol):
    """Anything that can be sent: its transaction code and its ``input`` object."""

    @property
    def infno(self) -> str: ...

    def to_input(self) -> dict[str, Any]: ...


def input_of(message: Message) -> dict[str, Any]:
    """The message's ``input``, refused with the field's path if a required field is empty."""
    payload = message.to_input()
    missing = missing_input_field(field_tables().transaction(message.infno), payload)
    if missing is not None:
        raise ProtocolError(f"input.{missing}", f"is required by {message.infno} but empty")
    return payload


def _data(**fields: Any) -> dict[str, Any]:
    """The usual ``input.data`` node, leaving out optional fields with no value."""
    return {"data": {name: value for name, value in fields.items() if value is not None and value != ""}}


@dataclass(frozen=True, slots=True)
class SignIn:
    """9001 签到: the operator signs in at the start of a counter session."""

    infno: ClassVar[str] = "9001"
    opter_no: str
    ip: str
    mac: str = ""

    def to_input(self) -> dict[str, Any]:
        node = {"opter_no": self.opter_no, "ip": self.ip}
        if self.mac:
            node["mac"] = self.mac
        return {"signIn": node}


@dataclass(frozen=True, slots=True)
class SignOut:
    """9002 签退, naming the session's ``sign_no``."""

    infno: ClassVar[str] = "9002"
    sign_no: str
    opter_no: str

    def to_input(self) -> dict[str, Any]:
        return _data(sign_no=self.sign_no, opter_no=self.opter_no)


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """1101 人员信息获取: 01 e-voucher token, 02 resident ID number, 03 social security card (+ card_sn)."""

    infno: ClassVar[str] = "1101"
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    card_sn: str = ""
    psn_cert_type: str = ""
    certno: str = ""
    psn_name: str = ""

    def to_input(self) -> dict[str, Any]:
        if self.mdtrt_cert_type not in (codes.E_VOUCHER, codes.ID_CARD, codes.SOCIAL_SECURITY_CARD):
            raise ProtocolError("input.data.mdtrt_cert_type", f"{self.mdtrt_cert_type!r} is not 01, 02 or 03")
        if self.mdtrt_cert_type == codes.SOCIAL_SECURITY_CARD and not self.card_sn:
            raise ProtocolError("input.data.card_sn", "a social security card (03) needs its card_sn")
        return _data(
            mdtrt_cert_type=self.mdtrt_cert_type,
            mdtrt_cert_no=self.mdtrt_cert_no,
            card_sn=self.card_sn,
            psn_cert_type=self.psn_cert_type,
            certno=self.certno,
            psn_name=self.psn_name,
        )


@dataclass(frozen=True, slots=True)
class AccumulatorQuery:
    """5206 人员累计信息查询: the person's year-to-date figures (``cum_ym`` yyyyMM, optional)."""

    infno: ClassVar[str] = "5206"
    psn_no: str
    cum_ym: str = ""

    def to_input(self) -> dict[str, Any]:
        if self.cum_ym and not (len(self.cum_ym) == 6 and self.cum_ym.isdigit()):
            raise ProtocolError("input.data.cum_ym", f"{self.cum_ym!r} is not a month like 202405")
        return _data(psn_no=self.psn_no, cum_ym=self.cum_ym)


@dataclass(frozen=True, slots=True)
class CatalogueDownload:
    """1301–1307 目录下载: one catalogue from version ``ver`` on ("0" for all)."""

    catalogue: str
    ver: str = "0"

    @property
    def infno(self) -> str:
        return self.catalogue

    def to_input(self) -> dict[str, Any]:
        if self.catalogue not in CATALOGUE_INFNOS:
            raise ProtocolError("infno", f"{self.catalogue!r} is not a catalogue download (1301–1307)")
        return _data(ver=self.ver)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """3201 对总账: the clinic's counts and sums for one insurance over a period."""

    infno: ClassVar[str] = "3201"
    insutype: str
    setl_optins: str
    stmt_begndate: dt.date
    stmt_enddate: dt.date
    medfee_sumamt: Decimal
    fund_pay_sumamt: Decimal
    acct_pay: Decimal
    fixmedins_setl_cnt: int
    clr_type: str = codes.OUTPATIENT_CLEARING
    refd_setl_flag: str = "0"

    def to_input(self) -> dict[str, Any]:
        if self.stmt_enddate < self.stmt_begndate:
            raise ProtocolError("input.data.stmt_enddate", "ends before stmt_begndate")
        if self.fixmedins_setl_cnt < 0:
            raise ProtocolError("input.data.fixmedins_setl_cnt", "is negative")
        return _data(
            insutype=self.insutype,
            clr_type=self.clr_type,
            setl_optins=self.setl_optins,
            stmt_begndate=date_text(self.stmt_begndate),
            stmt_enddate=date_text(self.stmt_enddate),
            medfee_sumamt=amount(self.medfee_sumamt, "input.data.medfee_sumamt", signed=True),
            fund_pay_sumamt=amount(self.fund_pay_sumamt, "input.data.fund_pay_sumamt", signed=True),
            acct_pay=amount(self.acct_pay, "input.data.acct_pay", signed=True),
            fixmedins_setl_cnt=self.fixmedins_setl_cnt,
            refd_setl_flag=self.refd_setl_flag,
        )


@dataclass(frozen=True, slots=True)
class MappingUpload:
    """3301 目录对照上传: the facility's item (``fixmedins_hilist_id``) is the national ``med_list_codg``."""

    infno: ClassVar[str] = "3301"
    fixmedins_hilist_id: str
    fixmedins_hilist_name: str
    list_type: str
    med_list_codg: str
    begndate: dt.date
    enddate: dt.date = dt.date(2099, 12, 31)
    spec: str = ""
    prcunt: str = ""

    def to_input(self) -> dict[str, Any]:
        if self.enddate < self.begndate:
            raise ProtocolError("input.data.enddate", "ends before begndate")
        return _data(
            fixmedins_hilist_id=self.fixmedins_hilist_id,
            fixmedins_hilist_name=self.fixmedins_hilist_name,
            list_type=self.list_type,
            med_list_codg=self.med_list_codg,
            begndate=date_text(self.begndate),
            enddate=date_text(self.enddate),
            spec=self.spec,
            prcunt=self.prcunt,
        )


@dataclass(frozen=True, slots=True)
class MappingWithdrawal:
    """3302 目录对照撤销: the agency forgets an item's earlier mapping (before a corrected one goes up)."""

    infno: ClassVar[str] = "3302"
    fixmedins_code: str
    fixmedins_hilist_id: str
    list_type: str
    med_list_codg: str

    def to_input(self) -> dict[str, Any]:
        return _data(
            fixmedins_code=self.fixmedins_code,
            fixmedins_hilist_id=self.fixmedins_hilist_id,
            list_type=self.list_type,
            med_list_codg=self.med_list_codg,
        )
