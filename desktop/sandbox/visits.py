"""The agency's side of sign-in, person info, registration, visit and fee details, downloads, accumulators."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from typing import Any

from desktop.agency import codes
from desktop.agency.msgid import CHINA
from desktop.agency.values import TIME_FORMAT
from desktop.money import from_fen, round_fen, to_fen
from desktop.sandbox.calls import Call, Outcome, RefusedError, number, text


def beijing(moment: dt.datetime) -> str:
    return moment.astimezone(CHINA).strftime(TIME_FORMAT)


def read_time(record: Any, name: str, where: str) -> dt.datetime:
    value = text(record, name, where)
    try:
        return dt.datetime.strptime(value, TIME_FORMAT).replace(tzinfo=CHINA)
    except ValueError:
        raise RefusedError(f"{where}.{name} {value!r} is not a time like 2024-05-10 10:00:00") from None


# --- 9001 / 9002 ----------------------------------------------------------------------


def sign_in(call: Call) -> Outcome:
    node = call.node("signIn")
    row = call.connection.execute(
        "INSERT INTO sign_in (code, opter_no, signed_in_at) VALUES (?, ?, ?)",
        (call.code, text(node, "opter_no", "input.signIn"), call.now.isoformat()),
    )
    sign_no = f"SN{call.code}{row.lastrowid:016d}"
    call.connection.execute("UPDATE sign_in SET sign_no = ? WHERE id = ?", (sign_no, row.lastrowid))
    return Outcome({"signinoutb": {"sign_time": beijing(call.now), "sign_no": sign_no}})


def sign_out(call: Call) -> Outcome:
    sign_no = text(call.node(), "sign_no", "input.data")
    updated = call.connection.execute(
        "UPDATE sign_in SET signed_out_at = ? WHERE sign_no = ? AND code = ? AND signed_out_at IS NULL",
        (call.now.isoformat(), sign_no, call.code),
    ).rowcount
    if not updated:
        raise RefusedError(f"sign_no {sign_no} is not an open sign-in of this facility")
    return Outcome({"signoutoutb": {"sign_time": beijing(call.now), "sign_no": sign_no}})


def check_session(connection: sqlite3.Connection, code: str, sign_no: str) -> None:
    """A ``sign_no`` in the envelope must be an open sign-in of the sending facility."""
    found = connection.execute(
        "SELECT 1 FROM sign_in WHERE sign_no = ? AND code = ? AND signed_out_at IS NULL", (sign_no, code)
    ).fetchone()
    if found is None:
        raise RefusedError(f"sign_no {sign_no} is not an open sign-in of this facility; sign in again (9001)")


# --- 1101 -----------------------------------------------------------------------------


def person_info(call: Call) -> Outcome:
    node = call.node()
    kind = text(node, "mdtrt_cert_type", "input.data")
    number_text = text(node, "mdtrt_cert_no", "input.data")
    if kind == codes.ID_CARD:
        person = call.connection.execute("SELECT * FROM person WHERE certno = ?", (number_text,)).fetchone()
    else:
        card = call.connection.execute(
            "SELECT * FROM card WHERE mdtrt_cert_type = ? AND mdtrt_cert_no = ?", (kind, number_text)
        ).fetchone()
        if card is not None and kind == codes.SOCIAL_SECURITY_CARD and card["card_sn"] != (node.get("card_sn") or ""):
            raise RefusedError("card_sn does not match the social security card")
        person = None if card is None else person_row(call.connection, card["psn_no"])
    if person is None:
        raise RefusedError(f"no insured person holds the credential of type {kind} given")
    return Outcome(
        {
            "baseinfo": {
                "psn_no": person["psn_no"],
                "psn_cert_type": "01",
                "certno": person["certno"],
                "psn_name": person["psn_name"],
                "gend": person["gend"],
                "naty": "01",
                "brdy": person["brdy"],
                "age": _age(dt.date.fromisoformat(person["brdy"]), call.now.astimezone(CHINA).date()),
            },
            "insuinfo": [
                {
                    "balc": from_fen(person["balc_fen"]),
                    "insutype": person["insutype"],
                    "psn_type": person["psn_type"],
                    "psn_insu_stas": "1" if person["insured"] else "2",
                    "cvlserv_flag": "0",
                    "insuplc_admdvs": person["insuplc_admdvs"],
                    "emp_name": "",
                }
            ],
            "idetinfo": [],
        }
    )


def _age(born: dt.date, today: dt.date) -> Decimal:
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return Decimal(years).quantize(Decimal("0.1"))


def person_row(connection: sqlite3.Connection, psn_no: str) -> sqlite3.Row | None:
    found: sqlite3.Row | None = connection.execute("SELECT * FROM person WHERE psn_no = ?", (psn_no,)).fetchone()
    return found


def known_person(connection: sqlite3.Connection, psn_no: str) -> sqlite3.Row:
    person = person_row(connection, psn_no)
    if person is None:
        raise RefusedError(f"psn_no {psn_no} is not on the agency's roster")
    return person


# --- 2201 / 2203 / 2204 ---------------------------------------------------------------


def check_areas(call: Call, person: sqlite3.Row) -> None:
    """The envelope's insurance areas must be the person's insured area (from 1101) and the
    facility's own division: the agency settles by them (the clearing division, 异地 rules)."""
    if call.insuplc_admdvs != person["insuplc_admdvs"]:
        raise RefusedError(
            f"insuplc_admdvs {call.insuplc_admdvs!r} is not psn_no {person['psn_no']}'s insured area"
            f" {person['insuplc_admdvs']} (1101)"
        )
    facility = call.connection.execute("SELECT admdvs FROM facility WHERE code = ?", (call.code,)).fetchone()
    if facility is not None and facility["admdvs"] and call.mdtrtarea_admvs != facility["admdvs"]:
        raise RefusedError(
            f"mdtrtarea_admvs {call.mdtrtarea_admvs!r} is not facility {call.code}'s {facility['admdvs']}"
        )


def register(call: Call) -> Outcome:
    node = call.node()
    where = "input.data"
    person = known_person(call.connection, text(node, "psn_no", where))
    check_areas(call, person)
    if not person["insured"]:
        raise RefusedError(f"psn_no {person['psn_no']} is not insured this year")
    insutype = text(node, "insutype", where)
    if insutype != person["insutype"]:
        raise RefusedError(f"psn_no {person['psn_no']} is insured under {person['insutype']}, not {insutype}")
    begntime = read_time(node, "begntime", where)
    ipt_otp_no = text(node, "ipt_otp_no", where)
    row = call.connection.execute(
        "INSERT INTO registration (code, psn_no, insutype, begntime, ipt_otp_no, msgid) VALUES (?,?,?,?,?,?)",
        (call.code, person["psn_no"], insutype, begntime.isoformat(), ipt_otp_no, call.msgid),
    )
    mdtrt_id = f"MD{row.lastrowid:012d}"
    call.connection.execute("UPDATE registration SET mdtrt_id = ? WHERE id = ?", (mdtrt_id, row.lastrowid))
    return Outcome({"data": {"mdtrt_id": mdtrt_id, "psn_no": person["psn_no"], "ipt_otp_no": ipt_otp_no}})


def registration(call: Call, mdtrt_id: str, psn_no: str) -> sqlite3.Row:
    """The facility's own registration of this person's visit, not yet settled."""
    found = call.connection.execute("SELECT * FROM registration WHERE mdtrt_id = ?", (mdtrt_id,)).fetchone()
    if found is None or found["code"] != call.code:
        raise RefusedError(f"mdtrt_id {mdtrt_id} is not a visit registered by this facility (2201)")
    if found["psn_no"] != psn_no:
        raise RefusedError(f"mdtrt_id {mdtrt_id} was registered for another person")
    row: sqlite3.Row = found
    return row


def booked_settlement(connection: sqlite3.Connection, mdtrt_id: str) -> sqlite3.Row | None:
    found: sqlite3.Row | None = connection.execute(
        "SELECT * FROM settlement WHERE mdtrt_id = ? AND status = 'booked'", (mdtrt_id,)
    ).fetchone()
    return found


def visit_info(call: Call) -> Outcome:
    visit = call.node("mdtrtinfo")
    where = "input.mdtrtinfo"
    mdtrt_id = text(visit, "mdtrt_id", where)
    registration(call, mdtrt_id, text(visit, "psn_no", where))
    if booked_settlement(call.connection, mdtrt_id) is not None:
        raise RefusedError(f"mdtrt_id {mdtrt_id} is already settled; cancel (2208) before changing the visit")
    med_type = text(visit, "med_type", where)
    disease = visit.get("dise_codg") or None
    if med_type == codes.CHRONIC_OUTPATIENT and disease is None:
        raise RefusedError(f"{where}.dise_codg is required for a chronic-disease visit (med_type 14)")
    call.connection.execute(
        "UPDATE registration SET med_type = ?, dise_codg = ? WHERE mdtrt_id = ?", (med_type, disease, mdtrt_id)
    )
    call.connection.execute("DELETE FROM diagnosis WHERE mdtrt_id = ?", (mdtrt_id,))
    for index, diagnosis in enumerate(call.records("diseinfo")):
        at = f"input.diseinfo[{index}]"
        call.connection.execute(
            "INSERT OR REPLACE INTO diagnosis VALUES (?,?,?,?)",
            (
                mdtrt_id,
                int(number(diagnosis, "diag_srt_no", at, 0)),
                text(diagnosis, "diag_code", at),
                text(diagnosis, "diag_name", at),
            ),
        )
    return Outcome()


def fee_details(call: Call) -> Outcome:
    results = [_fee_line(call, index, line) for index, line in enumerate(call.records("feedetail"))]
    return Outcome({"result": results})


def _fee_line(call: Call, index: int, line: Any) -> dict[str, Any]:
    where = f"input.feedetail[{index}]"
    sn = text(line, "feedetl_sn", where)
    mdtrt_id = text(line, "mdtrt_id", where)
    registration(call, mdtrt_id, text(line, "psn_no", where))
    if booked_settlement(call.connection, mdtrt_id) is not None:
        raise RefusedError(f"mdtrt_id {mdtrt_id} is already settled; cancel (2208) before adding fees")
    code = text(line, "med_list_codg", where)
    item = call.connection.execute("SELECT * FROM catalogue WHERE med_list_codg = ?", (code,)).fetchone()
    if item is None:
        raise RefusedError(f"feedetl_sn {sn}: med_list_codg {code} is not in the agency's catalogue")
    cnt, pric = number(line, "cnt", where, 4), number(line, "pric", where, 6)
    total = number(line, "det_item_fee_sumamt", where)
    if round_fen(cnt * pric) != total:
        raise RefusedError(f"feedetl_sn {sn}: det_item_fee_sumamt {total} is not cnt × pric = {round_fen(cnt * pric)}")
    try:
        call.connection.execute(
            "INSERT INTO fee VALUES (?,?,?,?,?,?,?,?)",
            (mdtrt_id, sn, text(line, "chrg_bchno", where), code, f"{cnt}", f"{pric}", to_fen(total), call.msgid),
        )
    except sqlite3.IntegrityError:
        raise RefusedError(f"feedetl_sn {sn} was already uploaded for mdtrt_id {mdtrt_id}") from None
    out_of_scope = item["item_class"] == "C"
    zero = Decimal("0.00")
    return {
        "feedetl_sn": sn,
        "det_item_fee_sumamt": total,
        "cnt": cnt,
        "pric": pric,
        "pric_uplmt_amt": pric,
        "selfpay_prop": Decimal("1.0000") if out_of_scope else Decimal("0.0000"),
        "fulamt_ownpay_amt": total if out_of_scope else zero,
        "overlmt_amt": zero,
        "preselfpay_amt": zero,
        "inscp_scp_amt": zero if out_of_scope else total,
        "chrgitm_lv": codes.ITEM_CLASS_LEVEL[item["item_class"]],
        "med_chrgitm_type": codes.CHARGE_TYPE_OF_KIND[item["kind"]],
        "lmt_used_flag": "0",
    }


# --- 1301–1307 / 5206 -----------------------------------------------------------------


def catalogue(call: Call) -> Outcome:
    ver = text(call.node(), "ver", "input.data") if call.node().get("ver") not in (None, "") else "0"
    if not ver.isdigit():
        raise RefusedError(f"input.data.ver {ver!r} is not a catalogue version number")
    kinds = [kind for kind, infno in codes.CATALOGUE_OF_KIND.items() if infno == call.infno]
    rows = call.connection.execute(
        f"SELECT * FROM catalogue WHERE ver > ? AND kind IN ({','.join('?' * len(kinds))}) ORDER BY med_list_codg",  # noqa: S608  # placeholders only
        (int(ver), *kinds),
    ).fetchall()
    records = [
        {
            "med_list_codg": row["med_list_codg"],
            "med_list_name": row["med_list_name"],
            "chrgitm_lv": codes.ITEM_CLASS_LEVEL[row["item_class"]],
            "med_chrgitm_type": codes.CHARGE_TYPE_OF_KIND[row["kind"]],
            "pric": Decimal(row["pric"]),
            "ver": str(row["ver"]),
            "vali_flag": "1",
        }
        for row in rows
    ]
    today = call.now.astimezone(CHINA).date()
    return Outcome(
        {
            "file_qury_no": f"{call.infno}{call.msgid}",
            "filename": f"{call.infno}_{ver}.json",
            "dld_end_time": (today + dt.timedelta(days=1)).isoformat(),
            "data_cn": len(records),
            "data": records,
        }
    )


def diagnosis_catalogue(call: Call) -> Outcome:
    """1307 疾病与诊断目录下载: the lines newer than ``ver``, with the national file's columns."""
    ver = text(call.node(), "ver", "input.data") if call.node().get("ver") not in (None, "") else "0"
    if not ver.isdigit():
        raise RefusedError(f"input.data.ver {ver!r} is not a catalogue version number")
    rows = call.connection.execute("SELECT * FROM diag_list WHERE ver > ? ORDER BY diag_code", (int(ver),)).fetchall()
    records = [
        {
            "diag_list_id": f"{row['ver']}-{row['diag_code']}",
            "cgy_code": row["diag_code"][:3],
            "diag_code": row["diag_code"],
            "diag_name": row["diag_name"],
            "used_std": "1",
            "vali_flag": row["vali_flag"],
            "rid": f"{row['ver']}{row['diag_code']}",
            "ver": str(row["ver"]),
            "ver_name": f"诊断目录第{row['ver']}版",
        }
        for row in rows
    ]
    today = call.now.astimezone(CHINA).date()
    return Outcome(
        {
            "file_qury_no": f"{call.infno}{call.msgid}",
            "filename": f"{call.infno}_{ver}.json",
            "dld_end_time": (today + dt.timedelta(days=1)).isoformat(),
            "data_cn": len(records),
            "data": records,
        }
    )


def accumulators(call: Call) -> Outcome:
    node = call.node()
    person = known_person(call.connection, text(node, "psn_no", "input.data"))
    month = str(node.get("cum_ym") or call.now.astimezone(CHINA).strftime("%Y%m"))
    if len(month) != 6 or not month.isdigit():
        raise RefusedError(f"input.data.cum_ym {month!r} is not a month like 202405")
    year = int(month[:4])
    row = call.connection.execute(
        "SELECT * FROM accumulator WHERE psn_no = ? AND year = ?", (person["psn_no"], year)
    ).fetchone()
    insutype = person["insutype"]
    figures = {
        codes.CUM_VISITS: Decimal(row["visits"] if row else 0),
        codes.CUM_MEDICAL_FEES: from_fen(row["medfee_fen"] if row else 0),
        codes.CUM_DEDUCTIBLE: from_fen(row["deductible_fen"] if row else 0),
        codes.CUM_POOLING[insutype]: from_fen(row["fund_fen"] if row else 0),
        codes.CUM_POOLING_OUT_OF_CITY[insutype]: from_fen(row["out_of_city_fen"] if row else 0),
    }
    if insutype == codes.EMPLOYEE_INSURANCE:
        figures[codes.CUM_ACCOUNT] = from_fen(row["account_fen"] if row else 0)
    return Outcome(
        {
            "cuminfo": [
                {"insutype": insutype, "year": str(year), "cum_ym": month, "cum_type_code": code, "cum": value}
                for code, value in figures.items()
            ]
        }
    )
