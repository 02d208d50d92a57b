"""The agency's side of 2206/2207 (adjudicated with the policy engine on the agency's own
accumulators), 2208 cancel, 2601 reversal and 3201 reconciliation."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from desktop.agency import codes
from desktop.agency.msgid import CHINA
from desktop.divisions import covers, in_pooling_area
from desktop.money import format_amount, from_fen, to_fen
from desktop.policy import NotInForceError, UnknownPolicyError, quote
from desktop.policy.codec import InputError, read_request
from desktop.policy.parameters import Scheme
from desktop.policy.types import Quote
from desktop.sandbox.calls import Call, Outcome, RefusedError, number, text
from desktop.sandbox.store import move_accumulator, remember_reply
from desktop.sandbox.visits import beijing, booked_settlement, check_areas, known_person, registration

ZERO = Decimal("0.00")
_ZERO_FUNDS = ("overlmt_selfpay", "preselfpay_amt", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay")
_MORE_ZERO_FUNDS = ("maf_pay", "oth_pay", "hosp_part_amt", "acct_mulaid_pay")


@dataclass(frozen=True, slots=True)
class _Adjudged:
    visit: sqlite3.Row
    person: sqlite3.Row
    visit_date: dt.date
    chrg_bchno: str
    result: Quote
    before: Mapping[str, int]


def presettle(call: Call) -> Outcome:
    """2206: the split the agency would make now; nothing is booked."""
    adjudged = _adjudge(call)
    return _settlement_output(call, adjudged, setl_id="", balance_after=_balance_after(adjudged))


def settle(call: Call) -> Outcome:
    """2207: adjudge and book; the visit's fees may be settled once while the settlement stands."""
    adjudged = _adjudge(call)
    mdtrt_id = adjudged.visit["mdtrt_id"]
    existing = booked_settlement(call.connection, mdtrt_id)
    if existing is not None:
        raise RefusedError(f"mdtrt_id {mdtrt_id} is already settled as setl_id {existing['setl_id']}")
    result, before = adjudged.result, adjudged.before
    after = result.year_to_date_after
    person = adjudged.person
    row = call.connection.execute(
        "INSERT INTO settlement (msgid, mdtrt_id, chrg_bchno, code, psn_no, insutype, clr_optins, year, setl_date,"
        " setl_time, total_fen, in_scope_fen, out_of_scope_fen, deductible_fen, fund_fen, account_fen, cash_fen,"
        " moved_deductible_fen, moved_fund_fen, moved_out_of_city_fen, status)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'booked')",
        (
            call.msgid,
            mdtrt_id,
            adjudged.chrg_bchno,
            call.code,
            person["psn_no"],
            person["insutype"],
            person["insuplc_admdvs"],
            adjudged.visit_date.year,
            adjudged.visit_date.isoformat(),
            call.now.isoformat(),
            to_fen(result.total),
            to_fen(result.in_scope),
            to_fen(result.out_of_scope),
            to_fen(result.deductible_applied),
            to_fen(result.fund),
            to_fen(result.account),
            to_fen(result.cash),
            to_fen(after.deductible_met) - before["deductible_fen"],
            to_fen(after.fund_paid) - before["fund_fen"],
            to_fen(after.fund_paid_out_of_city) - before["out_of_city_fen"],
        ),
    )
    setl_id = f"ST{row.lastrowid:012d}"
    call.connection.execute("UPDATE settlement SET setl_id = ? WHERE id = ?", (setl_id, row.lastrowid))
    booked = call.connection.execute("SELECT * FROM settlement WHERE id = ?", (row.lastrowid,)).fetchone()
    move_accumulator(call.connection, 1, booked)
    return _settlement_output(call, adjudged, setl_id=setl_id, balance_after=_balance_after(adjudged))


def _balance_after(adjudged: _Adjudged) -> Decimal:
    return from_fen(adjudged.person["balc_fen"]) - adjudged.result.account


def _adjudge(call: Call) -> _Adjudged:
    node = call.node()
    where = "input.data"
    mdtrt_id = text(node, "mdtrt_id", where)
    psn_no = text(node, "psn_no", where)
    visit = registration(call, mdtrt_id, psn_no)
    person = known_person(call.connection, psn_no)
    check_areas(call, person)
    if text(node, "insutype", where) != visit["insutype"]:
        raise RefusedError(f"insutype {node.get('insutype')} is not the registered visit's {visit['insutype']}")
    chrg_bchno = text(node, "chrg_bchno", where)
    fees = call.connection.execute(
        "SELECT fee.*, catalogue.kind, catalogue.item_class, catalogue.med_list_name FROM fee"
        " JOIN catalogue USING (med_list_codg) WHERE mdtrt_id = ? AND chrg_bchno = ? ORDER BY feedetl_sn",
        (mdtrt_id, chrg_bchno),
    ).fetchall()
    if not fees:
        raise RefusedError(f"no fee details (2204) for mdtrt_id {mdtrt_id} under chrg_bchno {chrg_bchno}")
    claimed = number(node, "medfee_sumamt", where)
    uploaded = from_fen(sum(fee["amount_fen"] for fee in fees))
    if claimed != uploaded:
        raise RefusedError(f"medfee_sumamt {claimed} is not the uploaded fee details' total {uploaded}")
    visit_date = dt.datetime.fromisoformat(visit["begntime"]).astimezone(CHINA).date()
    before = _year_to_date(call.connection, psn_no, visit_date.year)
    request = _quote_request(call, node, visit, person, visit_date, fees, before)
    try:
        result = quote(read_request(request), call.book)
    except (InputError, UnknownPolicyError, NotInForceError) as exc:
        raise RefusedError(f"the agency cannot adjudicate this visit: {exc}") from None
    return _Adjudged(visit, person, visit_date, chrg_bchno, result, before)


def _year_to_date(connection: sqlite3.Connection, psn_no: str, year: int) -> dict[str, int]:
    row = connection.execute(
        "SELECT deductible_fen, fund_fen, out_of_city_fen FROM accumulator WHERE psn_no = ? AND year = ?",
        (psn_no, year),
    ).fetchone()
    if row is None:
        return {"deductible_fen": 0, "fund_fen": 0, "out_of_city_fen": 0}
    return dict(row)


def _quote_request(
    call: Call,
    node: Mapping[str, Any],
    visit: sqlite3.Row,
    person: sqlite3.Row,
    visit_date: dt.date,
    fees: list[sqlite3.Row],
    before: Mapping[str, int],
) -> dict[str, Any]:
    """The quote contract's request for this visit, as the agency knows it."""
    facility = call.connection.execute("SELECT * FROM facility WHERE code = ?", (call.code,)).fetchone()
    if facility is None:
        raise RefusedError(f"facility {call.code} is not on the agency's list of designated facilities")
    try:
        version = call.book.version_for(person["policy"], visit_date)
    except (UnknownPolicyError, NotInForceError) as exc:
        raise RefusedError(f"the agency cannot adjudicate this visit: {exc}") from None
    employee = version.scheme is Scheme.EMPLOYEE
    med_type = visit["med_type"] or codes.GENERAL_OUTPATIENT
    pooling = None if version.pooling_area is None else version.pooling_area.value
    in_city = in_pooling_area(person["insuplc_admdvs"], facility["admdvs"], pooling) is not False
    return {
        "policy": person["policy"],
        "visit_date": visit_date.isoformat(),
        "patient": {
            **json.loads(person["patient"]),
            "birth_date": person["brdy"],
            "account_balance": format_amount(from_fen(person["balc_fen"])),
        },
        "facility": {
            "id": facility["id"],
            "kind": facility["kind"],
            "level": facility["level"],
            "parent_id": facility["parent_id"],
            "in_city": in_city,
            "designated": bool(facility["designated_employee"] if employee else facility["designated_resident"]),
        },
        "visit": {
            "filed_out_of_area": not in_city
            and _filed(call.connection, person["psn_no"], visit_date, facility["admdvs"]),
            "emergency": med_type == codes.EMERGENCY,
            "disease": visit["dise_codg"] if med_type == codes.CHRONIC_OUTPATIENT else None,
            "items": [
                {
                    "code": fee["med_list_codg"],
                    "name": fee["med_list_name"],
                    "kind": fee["kind"],
                    "class": fee["item_class"],
                    "amount": format_amount(from_fen(fee["amount_fen"])),
                }
                for fee in fees
            ],
        },
        "year_to_date": {
            "deductible_met": format_amount(from_fen(before["deductible_fen"])),
            "fund_paid": format_amount(from_fen(before["fund_fen"])),
            "fund_paid_out_of_city": format_amount(from_fen(before["out_of_city_fen"])),
        },
        "pay_from_account": node.get("acct_used_flag") == "1",
    }


def _filed(connection: sqlite3.Connection, psn_no: str, day: dt.date, admdvs: str) -> bool:
    """异地安置 or 转诊备案 on the agency's books, in force on the day, for the facility's place."""
    rows = connection.execute(
        "SELECT place_admdvs FROM filing WHERE psn_no = ? AND valid_from <= ?"
        " AND (valid_until IS NULL OR valid_until >= ?)",
        (psn_no, day.isoformat(), day.isoformat()),
    )
    return any(covers(row["place_admdvs"], admdvs) for row in rows)


def _settlement_output(call: Call, adjudged: _Adjudged, *, setl_id: str, balance_after: Decimal) -> Outcome:
    result, person, visit = adjudged.result, adjudged.person, adjudged.visit
    info: dict[str, Any] = {
        "mdtrt_id": visit["mdtrt_id"],
        "psn_no": person["psn_no"],
        "psn_name": person["psn_name"],
        "psn_cert_type": "01",
        "certno": person["certno"],
        "gend": person["gend"],
        "naty": "01",
        "brdy": person["brdy"],
        "insutype": person["insutype"],
        "psn_type": person["psn_type"],
        "cvlserv_flag": "0",
        "setl_time": beijing(call.now),
        "mdtrt_cert_type": call.node().get("mdtrt_cert_type", ""),
        "med_type": visit["med_type"] or codes.GENERAL_OUTPATIENT,
        "medfee_sumamt": result.total,
        "fulamt_ownpay_amt": result.out_of_scope,
        "inscp_scp_amt": result.in_scope,
        "act_pay_dedc": result.deductible_applied,
        "hifp_pay": result.fund,
        "pool_prop_selfpay": result.rate.quantize(Decimal("0.0001")),
        "fund_pay_sumamt": result.fund,
        "psn_part_amt": result.account + result.cash,
        "acct_pay": result.account,
        "psn_cash_pay": result.cash,
        "balc": balance_after,
        "medins_setl_id": call.msgid,
        "clr_optins": person["insuplc_admdvs"],
        "clr_way": "1",
        "clr_type": codes.OUTPATIENT_CLEARING,
        **dict.fromkeys(_ZERO_FUNDS + _MORE_ZERO_FUNDS, ZERO),
    }
    if setl_id:
        info["setl_id"] = setl_id
    process = "；".join(result.explanation)
    funds = []
    if result.fund:
        funds.append(
            _fund_line(codes.POOLING_FUND[person["insutype"]], "统筹基金", result.in_scope, result.fund, process)
        )
    if result.account:
        funds.append(_fund_line(codes.PERSONAL_ACCOUNT_FUND, "个人账户", result.total, result.account, ""))
    return Outcome({"setlinfo": info, "setldetail": funds})


def _fund_line(kind: str, name: str, in_scope: Decimal, paid: Decimal, process: str) -> dict[str, Any]:
    return {
        "fund_pay_type": kind,
        "inscp_scp_amt": in_scope,
        "crt_payb_lmt_amt": paid,
        "fund_payamt": paid,
        "fund_pay_type_name": name,
        "setl_proc_info": process[:4000],
    }


# --- 2208 -----------------------------------------------------------------------------


def cancel(call: Call) -> Outcome:
    node = call.node()
    where = "input.data"
    setl_id = text(node, "setl_id", where)
    settlement = call.connection.execute("SELECT * FROM settlement WHERE setl_id = ?", (setl_id,)).fetchone()
    if settlement is None or settlement["code"] != call.code:
        raise RefusedError(f"setl_id {setl_id} is not a settlement of this facility")
    if settlement["mdtrt_id"] != text(node, "mdtrt_id", where) or settlement["psn_no"] != text(node, "psn_no", where):
        raise RefusedError(f"setl_id {setl_id} belongs to another visit or person")
    if settlement["status"] != "booked":
        raise RefusedError(f"setl_id {setl_id} is already {settlement['status']}; nothing to cancel")
    row = call.connection.execute(
        "INSERT INTO cancellation (msgid, settlement_id, cancelled_at, status) VALUES (?,?,?,'booked')",
        (call.msgid, settlement["id"], call.now.isoformat()),
    )
    cancel_id = f"CX{row.lastrowid:012d}"
    call.connection.execute("UPDATE cancellation SET setl_id = ? WHERE id = ?", (cancel_id, row.lastrowid))
    call.connection.execute("UPDATE settlement SET status = 'cancelled' WHERE id = ?", (settlement["id"],))
    move_accumulator(call.connection, -1, settlement)
    balance = call.connection.execute("SELECT balc_fen FROM person WHERE psn_no = ?", (settlement["psn_no"],))
    return Outcome(
        {"setlinfo": _cancel_info(call, settlement, cancel_id, from_fen(balance.fetchone()[0])), "setldetail": []}
    )


def _cancel_info(call: Call, settlement: sqlite3.Row, cancel_id: str, balance: Decimal) -> dict[str, Any]:
    def minus(column: str) -> Decimal:
        return -from_fen(settlement[column])

    return {
        "mdtrt_id": settlement["mdtrt_id"],
        "setl_id": cancel_id,
        "clr_optins": settlement["clr_optins"],
        "setl_time": beijing(call.now),
        "medfee_sumamt": minus("total_fen"),
        "fulamt_ownpay_amt": minus("out_of_scope_fen"),
        "inscp_scp_amt": minus("in_scope_fen"),
        "act_pay_dedc": minus("deductible_fen"),
        "hifp_pay": minus("fund_fen"),
        "pool_prop_selfpay": Decimal("0.0000"),
        "fund_pay_sumamt": minus("fund_fen"),
        "psn_part_amt": minus("account_fen") + minus("cash_fen"),
        "acct_pay": minus("account_fen"),
        "balc": balance,
        "medins_setl_id": call.msgid,
        "pdn_cash_pay": minus("cash_fen"),
        **dict.fromkeys(_ZERO_FUNDS + _MORE_ZERO_FUNDS, ZERO),
    }


# --- 2601 -----------------------------------------------------------------------------


def reverse(call: Call) -> Outcome:
    """Undo the 2207 or 2208 sent under ``omsgid``; a msgid never booked is barred from booking later.

    Idempotent: reversing twice, or reversing what was never booked, answers success
    with a warning that says which. Either way the original msgid is spent: sending it
    again returns a refusal telling the clinic to settle under a new msgid.
    """
    node = call.node()
    where = "input.data"
    omsgid, oinfno = text(node, "omsgid", where), text(node, "oinfno", where)
    psn_no = text(node, "psn_no", where)
    if oinfno not in ("2207", "2208"):
        raise RefusedError(f"oinfno {oinfno} cannot be reversed; only 2207 and 2208")
    if not omsgid.startswith(call.code):
        raise RefusedError(f"omsgid {omsgid} was not sent by this facility")
    seen = call.connection.execute("SELECT infno FROM message WHERE msgid = ?", (omsgid,)).fetchone()
    if seen is not None and seen["infno"] != oinfno:
        raise RefusedError(f"omsgid {omsgid} was a {seen['infno']}, not a {oinfno}")
    table = "settlement" if oinfno == "2207" else "cancellation"
    found = call.connection.execute(f"SELECT * FROM {table} WHERE msgid = ?", (omsgid,)).fetchone()  # noqa: S608  # fixed table names
    spent = _spent_reply(call, omsgid, oinfno)
    if found is None:
        if seen is None:
            remember_reply(call.connection, omsgid, oinfno, call.code, call.now.isoformat(), spent)
            return Outcome(warn_msg=f"{oinfno} {omsgid} was never booked; nothing to reverse, and it will not be")
        return Outcome(warn_msg=f"{oinfno} {omsgid} was already reversed")
    undo = _reverse_settlement if oinfno == "2207" else _reverse_cancellation
    warn = undo(call, found, psn_no)
    call.connection.execute("UPDATE message SET reply = ? WHERE msgid = ?", (spent, omsgid))
    return Outcome(warn_msg=warn)


def _reverse_settlement(call: Call, settlement: sqlite3.Row, psn_no: str) -> str:
    if settlement["psn_no"] != psn_no:
        raise RefusedError(f"omsgid {settlement['msgid']} settled another person")
    if settlement["status"] == "reversed":
        return f"2207 {settlement['msgid']} was already reversed"
    if settlement["status"] == "cancelled":
        raise RefusedError(f"setl_id {settlement['setl_id']} was cancelled (2208); reverse that cancellation first")
    call.connection.execute("UPDATE settlement SET status = 'reversed' WHERE id = ?", (settlement["id"],))
    move_accumulator(call.connection, -1, settlement)
    return ""


def _reverse_cancellation(call: Call, cancellation: sqlite3.Row, psn_no: str) -> str:
    settlement = call.connection.execute(
        "SELECT * FROM settlement WHERE id = ?", (cancellation["settlement_id"],)
    ).fetchone()
    if settlement["psn_no"] != psn_no:
        raise RefusedError(f"omsgid {cancellation['msgid']} cancelled another person's settlement")
    if cancellation["status"] == "reversed":
        return f"2208 {cancellation['msgid']} was already reversed"
    call.connection.execute("UPDATE cancellation SET status = 'reversed' WHERE id = ?", (cancellation["id"],))
    call.connection.execute("UPDATE settlement SET status = 'booked' WHERE id = ?", (settlement["id"],))
    move_accumulator(call.connection, 1, settlement)
    return ""


def _spent_reply(call: Call, omsgid: str, oinfno: str) -> str:
    """What a later copy of a reversed msgid gets: a refusal that says why, and changes nothing."""
    return json.dumps(
        {
            "infcode": -1,
            "inf_refmsgid": "",
            "refmsg_time": "",
            "respond_time": "",
            "err_msg": f"{oinfno} {omsgid} was reversed by 2601 {call.msgid}; send it again under a new msgid",
            "warn_msg": "",
            "output": {},
        },
        ensure_ascii=False,
    )


# --- 3201 -----------------------------------------------------------------------------


def reconcile(call: Call) -> Outcome:
    """Counts and sums of the facility's standing settlements for one insurance and period.

    A settlement is dated by its visit (2201 ``begntime``), as the clinic's ledger dates
    it. ``refd_setl_flag`` 1 also counts cancelled settlements and their cancellations
    (which net to zero); reversed ones never happened.
    """
    node = call.node()
    where = "input.data"
    begin, end = _date(node, "stmt_begndate"), _date(node, "stmt_enddate")
    statuses = ("booked", "cancelled") if node.get("refd_setl_flag") == "1" else ("booked",)
    rows = call.connection.execute(
        "SELECT status, total_fen, fund_fen, account_fen FROM settlement WHERE code = ? AND insutype = ?"
        " AND clr_optins = ? AND setl_date BETWEEN ? AND ?",
        (call.code, text(node, "insutype", where), text(node, "setl_optins", where), begin, end),
    ).fetchall()
    counted = [r for r in rows if r["status"] in statuses]
    standing = [r for r in counted if r["status"] == "booked"]
    agency = {
        "fixmedins_setl_cnt": len(counted) + sum(r["status"] == "cancelled" for r in counted),
        "medfee_sumamt": from_fen(sum(r["total_fen"] for r in standing)),
        "fund_pay_sumamt": from_fen(sum(r["fund_fen"] for r in standing)),
        "acct_pay": from_fen(sum(r["account_fen"] for r in standing)),
    }
    clinic = {
        "fixmedins_setl_cnt": int(number(node, "fixmedins_setl_cnt", where, 0)),
        "medfee_sumamt": number(node, "medfee_sumamt", where),
        "fund_pay_sumamt": number(node, "fund_pay_sumamt", where),
        "acct_pay": number(node, "acct_pay", where),
    }
    differences = [
        f"{name} 医保 {agency[name]} / 机构 {clinic[name]}" for name in agency if agency[name] != clinic[name]
    ]
    summary = "，".join(f"{name} {value}" for name, value in agency.items())
    return Outcome(
        {
            "stmtinfo": {
                "setl_optins": node.get("setl_optins", ""),
                "stmt_rslt": codes.STATEMENT_DIFFERS if differences else codes.STATEMENT_MATCHES,
                "stmt_rslt_dscr": ("不平：" + "；".join(differences)) if differences else f"平：{summary}",
            },
            # The sandbox's own addition: the agency's figures under the input's field names.
            "stmtdetail": agency,
        }
    )


def _date(node: Mapping[str, Any], name: str) -> str:
    value = text(node, name, "input.data")
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise RefusedError(f"input.data.{name} {value!r} is not a date like 2024-05-01") from None
