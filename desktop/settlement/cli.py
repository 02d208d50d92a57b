"""``clinic-pos settle`` and ``clinic-pos reverse``: for scripts, paper-ledger imports and tests.

Both sign their staff member in first (``desktop.cli_auth``) and act as that person, only
where the role table and the facility let them. Bad input exits 2 with one
``{"error", "field"}`` object on standard error and the database unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Card, Person, Staff
from desktop.auth import SignedIn
from desktop.cli_auth import Credentials, authenticate, require
from desktop.json_input import load_bytes, show
from desktop.policy.codec import InputError, _Fields
from desktop.policy.types import Liability
from desktop.settlement.draft import DiagnosisLine, DraftItem, SettlementError, VisitDraft
from desktop.settlement.records import settlement_json
from desktop.settlement.service import CHINA, reverse, settle
from desktop.staff import Permission
from desktop.store_file import open_existing

EXIT_BAD_INPUT = 2
MAX_VISIT_BYTES = 1 << 20  # a visit of 200 lines is a few kilobytes
MAX_ROW_ID = 2**63 - 1  # SQLite's and PostgreSQL's largest integer key

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
# Each way of naming the person: its longest value (its column, and the interface's field).
_PERSON_TEXT = {"psn_no": 30, "id_number": 18, "card": 50}
_QUANTITY = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,3})?")


def _fail(error: InputError) -> int:
    sys.stderr.write(json.dumps(error.as_json(), ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def _print(data: dict[str, Any]) -> None:
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper when run
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def read_visit(file: str | None) -> Any:
    """The visit's JSON from ``file`` or standard input, whatever bytes arrive."""
    try:
        if file and file != "-":
            with open(file, "rb") as source:
                data = source.read(MAX_VISIT_BYTES + 1)
        else:
            stream = getattr(sys.stdin, "buffer", None)  # a text stream put in its place has none
            data = stream.read(MAX_VISIT_BYTES + 1) if stream is not None else sys.stdin.read().encode("utf-8")
    except OSError as exc:
        raise InputError("(input)", f"cannot read {show(file or '-')}: {exc.strerror}") from None
    if len(data) > MAX_VISIT_BYTES:
        raise InputError("(input)", f"is more than {MAX_VISIT_BYTES:,} bytes: no visit is that long")
    return load_bytes(data)


def settle_main(
    db: str,
    file: str | None,
    credentials: Credentials,
    *,
    confirm_prices: bool = False,
    now: dt.datetime | None = None,
) -> int:
    moment = now or dt.datetime.now(dt.UTC)
    try:
        raw = read_visit(file)
        store = open_existing(db)
    except InputError as exc:
        return _fail(exc)
    try:
        who = authenticate(store, credentials, moment)
        require(who, Permission.SETTLE)
        with store.reading() as session:
            draft = read_draft(session, raw, who, confirm_prices=confirm_prices)
        done = settle(store, draft, moment)
        with store.reading() as session:
            _print(settlement_json(session, done.settlement_id))
    except InputError as exc:
        return _fail(exc)
    finally:
        store.dispose()
    return 0


def reverse_main(
    db: str, settlement_id: int, reason: str, credentials: Credentials, now: dt.datetime | None = None
) -> int:
    moment = now or dt.datetime.now(dt.UTC)
    try:
        store = open_existing(db)
    except InputError as exc:
        return _fail(exc)
    try:
        who = authenticate(store, credentials, moment)
        require(who, Permission.REVERSE)
        reverse(store, settlement_id, reason, who.staff_id, moment)
        with store.reading() as session:
            _print(settlement_json(session, settlement_id))
    except InputError as exc:
        return _fail(exc)
    finally:
        store.dispose()
    return 0


def read_draft(session: Session, raw: Any, who: SignedIn, *, confirm_prices: bool = False) -> VisitDraft:
    """A visit as JSON to a draft for ``who``, resolving the person from the store.

    The facility defaults to ``who``'s own; a ``staff`` named in the visit must be ``who``.
    ``confirm_prices``: a price of 0 or far from the catalogue's, given in the visit, is meant.
    """
    top = _Fields(raw, "", _TOP)
    named = top.optional_text("staff")
    if named is not None and named != who.username:
        raise SettlementError("staff", f"the visit names {show(named)}, but {who.username!r} signed in")
    visit_date = top.date("visit_date") or dt.datetime.now(CHINA).date()
    items_raw = top.raw.get("items")
    if not isinstance(items_raw, list):
        raise SettlementError("items", "is required: a list of {code, quantity, price}")
    diagnoses_raw = top.raw.get("diagnoses") or []
    if not isinstance(diagnoses_raw, list):
        raise SettlementError("diagnoses", "must be a list of {code, name}")
    return VisitDraft(
        facility_id=top.optional_text("facility") or who.facility_id,
        person_id=_person(session, top.child("person", _PERSON, required=True)),
        staff_id=who.staff_id,
        visit_date=visit_date,
        items=tuple(_item(_Fields(x, f"items.{i}", _ITEM), confirm_prices) for i, x in enumerate(items_raw)),
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
    if key == "id":
        # A whole number, exactly: not true (which Python counts as 1), not 3.0, not text.
        if type(value) is not int or not 1 <= value <= MAX_ROW_ID:
            raise SettlementError(f.name(key), f"must be the roster's id, a whole number from 1, not {_shown(value)}")
        found = session.scalar(select(Person.id).where(Person.id == value))
    else:
        text = _identifier(f, key, value)
        query = {
            "psn_no": select(Person.id).where(Person.psn_no == text),
            "id_number": select(Person.id).where(Person.id_number == text.upper()),
            "card": select(Card.person_id).where(Card.number == text, Card.valid.is_(True)),
        }[key]
        found = session.scalar(query)
    if found is None:
        raise SettlementError(f.name(key), "no such person on the roster")
    return int(found)


def _identifier(f: _Fields, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SettlementError(f.name(key), f"must be text, not {_shown(value)}")
    limit = _PERSON_TEXT[key]
    if not value or len(value) > limit or not (value.isascii() and value.isprintable()):
        raise SettlementError(f.name(key), f"{show(value)} is not a {key}: at most {limit} letters and digits")
    return value


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return show(str(value), 24)
    kinds: dict[type, str] = {str: "text", list: "a list", dict: "an object"}
    return kinds.get(type(value), type(value).__name__)


def _item(f: _Fields, confirm_prices: bool) -> DraftItem:
    price = None
    if f.raw.get("price") is not None:
        if not isinstance(f.raw["price"], str) or not f.raw["price"].isascii():
            raise SettlementError(f.name("price"), 'must be an amount as text in ASCII digits, like "12.50"')
        price = f.amount("price")
    return DraftItem(
        code=f.text("code", required=True),
        quantity=_quantity(f),
        price=price,
        price_confirmed=confirm_prices and price is not None,
    )


def _quantity(f: _Fields) -> Decimal:
    value = f.raw.get("quantity")
    if value is None:
        return Decimal(1)
    if not isinstance(value, str):
        raise SettlementError(f.name("quantity"), f'must be a number as text, like "1.5", not {_shown(value)}')
    if _QUANTITY.fullmatch(value) is None or Decimal(value) <= 0:
        raise SettlementError(
            f.name("quantity"), f"{show(value)} must be more than zero, in ASCII digits with at most 3 decimals"
        )
    return Decimal(value)


def _diagnosis(f: _Fields) -> DiagnosisLine:
    return DiagnosisLine(code=f.text("code", required=True), name=f.text("name", required=True))
