"""``clinic-pos settle`` and ``clinic-pos reverse``: for scripts, paper-ledger imports and tests.

Bad input exits 2 with one ``{"error", "field"}`` object on standard error and the
database unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Card, Person, Setting, Staff
from db.session import open_store
from desktop.policy.codec import InputError, _Fields
from desktop.policy.types import Liability
from desktop.settlement.draft import DiagnosisLine, DraftItem, SettlementError, VisitDraft
from desktop.settlement.records import settlement_json
from desktop.settlement.service import CHINA, reverse, settle
from desktop.staff import Permission, may

EXIT_BAD_INPUT = 2
THIS_FACILITY = "facility_id"

_TOP = frozenset(
    {
        "facility",
        "person",
        "staff",
        "visit_date",
        "items",
        "diagnoses",
        "referral",
        "emergency",
        "inpatient",
        "liability",
        "disease",
        "pay_from_account",
        "doctor",
    }
)
_PERSON = frozenset({"id", "psn_no", "id_number", "card"})
_ITEM = frozenset({"code", "quantity", "price"})
_DIAGNOSIS = frozenset({"code", "name"})


def _fail(error: InputError) -> int:
    sys.stderr.write(json.dumps(error.as_json(), ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def _print(data: dict[str, Any]) -> None:
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper when run
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _existing(db: str) -> None:
    """A settlement needs a roster: a mistyped path must not quietly become a new, empty database."""
    if "://" not in db and not Path(db).is_file():
        raise InputError("db", f"no database file at {db}")


def settle_main(db: str, file: str | None, staff: str | None, now: dt.datetime | None = None) -> int:
    try:
        text = open(file, encoding="utf-8").read() if file and file != "-" else sys.stdin.read()  # noqa: SIM115
        raw = json.loads(text)
    except OSError as exc:
        return _fail(InputError("(input)", f"cannot read {file}: {exc.strerror}"))
    except json.JSONDecodeError as exc:
        return _fail(InputError("(input)", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"))
    try:
        _existing(db)
    except InputError as exc:
        return _fail(exc)
    store = open_store(db)
    try:
        with store.reading() as session:
            draft = read_draft(session, raw, staff)
        done = settle(store, draft, now or dt.datetime.now(dt.UTC))
        with store.reading() as session:
            _print(settlement_json(session, done.settlement_id))
    except InputError as exc:
        return _fail(exc)
    finally:
        store.dispose()
    return 0


def reverse_main(db: str, settlement_id: int, reason: str, staff: str | None, now: dt.datetime | None = None) -> int:
    try:
        _existing(db)
    except InputError as exc:
        return _fail(exc)
    store = open_store(db)
    try:
        with store.reading() as session:
            staff_id = _staff(session, staff, Permission.REVERSE, "--staff")
        reverse(store, settlement_id, reason, staff_id, now or dt.datetime.now(dt.UTC))
        with store.reading() as session:
            _print(settlement_json(session, settlement_id))
    except InputError as exc:
        return _fail(exc)
    finally:
        store.dispose()
    return 0


def read_draft(session: Session, raw: Any, staff: str | None) -> VisitDraft:
    """A visit as JSON to a draft, resolving the person, staff and facility from the store."""
    top = _Fields(raw, "", _TOP)
    facility = top.optional_text("facility") or session.get(Setting, THIS_FACILITY)
    if facility is None:
        raise SettlementError("facility", "is required: this installation has no facility set")
    visit_date = top.date("visit_date") or dt.datetime.now(CHINA).date()
    items_raw = top.raw.get("items")
    if not isinstance(items_raw, list):
        raise SettlementError("items", "is required: a list of {code, quantity, price}")
    diagnoses_raw = top.raw.get("diagnoses") or []
    if not isinstance(diagnoses_raw, list):
        raise SettlementError("diagnoses", "must be a list of {code, name}")
    return VisitDraft(
        facility_id=facility if isinstance(facility, str) else facility.value,
        person_id=_person(session, top.child("person", _PERSON, required=True)),
        staff_id=_staff(session, top.optional_text("staff") or staff, Permission.SETTLE, "staff"),
        visit_date=visit_date,
        items=tuple(_item(_Fields(x, f"items.{i}", _ITEM)) for i, x in enumerate(items_raw)),
        diagnoses=tuple(_diagnosis(_Fields(x, f"diagnoses.{i}", _DIAGNOSIS)) for i, x in enumerate(diagnoses_raw)),
        referral=top.flag("referral", False),
        emergency=top.flag("emergency", False),
        inpatient=top.flag("inpatient", False),
        liability=top.optional_choice("liability", Liability),
        disease=top.optional_text("disease"),
        pay_from_account=top.flag("pay_from_account", True),
        doctor_id=_doctor(session, top.optional_text("doctor")),
    )


def _doctor(session: Session, username: str | None) -> int | None:
    """The diagnosing doctor named by username; the settlement checks they may diagnose here."""
    if username is None:
        return None
    found = session.scalar(select(Staff.id).where(Staff.username == username, Staff.active.is_(True)))
    if found is None:
        raise SettlementError("doctor", f"no active staff member {username!r}")
    return int(found)


def _person(session: Session, f: _Fields) -> int:
    keys = [k for k in ("id", "psn_no", "id_number", "card") if f.raw.get(k) is not None]
    if len(keys) != 1:
        raise SettlementError("person", "give exactly one of id, psn_no, id_number, card")
    key = keys[0]
    value = f.raw[key]
    query = {
        "id": select(Person.id).where(Person.id == value),
        "psn_no": select(Person.id).where(Person.psn_no == value),
        "id_number": select(Person.id).where(Person.id_number == str(value).upper()),
        "card": select(Card.person_id).where(Card.number == value, Card.valid.is_(True)),
    }[key]
    found = session.scalar(query)
    if found is None:
        raise SettlementError(f.name(key), "no such person on the roster")
    return int(found)


def _staff(session: Session, username: str | None, permission: Permission, field: str) -> int:
    if username:
        staff = session.scalar(select(Staff).where(Staff.username == username, Staff.active.is_(True)))
        if staff is None:
            raise SettlementError(field, f"no active staff member {username!r}")
        return staff.id
    able = [s for s in session.scalars(select(Staff).where(Staff.active.is_(True))) if may(s.role, permission)]
    if len(able) != 1:
        raise SettlementError(field, f"name the staff member ({len(able)} may {permission.value})")
    return able[0].id


def _item(f: _Fields) -> DraftItem:
    quantity = _decimal(f, "quantity", Decimal(1))
    price_text = f.optional_text("price")
    return DraftItem(
        code=f.text("code", required=True),
        quantity=quantity,
        price=None if price_text is None else f.amount("price"),
    )


def _decimal(f: _Fields, key: str, default: Decimal) -> Decimal:
    value = f.raw.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise SettlementError(f.name(key), 'must be a number as text, like "1.5"')
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise SettlementError(f.name(key), f"{value!r} is not a number") from None
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int) or number <= 0 or exponent < -3:
        raise SettlementError(f.name(key), f"{value!r} must be more than zero with at most 3 decimals")
    return number


def _diagnosis(f: _Fields) -> DiagnosisLine:
    return DiagnosisLine(code=f.text("code", required=True), name=f.text("name", required=True))
