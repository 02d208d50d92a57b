"""The quick read of a well-formed request, for ``quote --batch``.

Most lines of a batch are plain: every value of the right type, amounts with exactly two
decimals, dates in ISO form. This reader takes only such requests and builds the same
``QuoteRequest`` the careful reader in ``codec`` would; on anything else it declines
(``NotPlain``) and the careful reader reads the line again, accepting it or naming the
bad field. Dates and facilities repeat across a batch, so their read values are kept; amounts
mostly do not (a county's bills run over tens of thousands of different figures), so each is
read afresh.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from desktop.policy.fields import FACILITY as _FACILITY
from desktop.policy.fields import ITEM as _ITEM
from desktop.policy.fields import PATIENT as _PATIENT
from desktop.policy.fields import TOP as _TOP
from desktop.policy.fields import VISIT as _VISIT
from desktop.policy.fields import YEAR_TO_DATE as _YTD
from desktop.policy.types import (
    Category,
    Employment,
    Facility,
    FacilityKind,
    Item,
    ItemClass,
    ItemKind,
    Liability,
    Patient,
    QuoteRequest,
    Visit,
    YearToDate,
)

E = TypeVar("E", bound=StrEnum)


# ASCII digits: ``\d`` also matches "１２.５０", which Decimal would read (the contract's money is ASCII).
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,12}\.[0-9]{2}")
_ZERO = Decimal("0.00")
_REMEMBERED = 8192  # dates and facilities kept (each); a memo starts afresh when full
_dates: dict[str, dt.date] = {}
_facilities: dict[tuple[str, FacilityKind, int, str | None, bool, bool], Facility] = {}
_NO_ITEMS: list[Any] = []  # a visit left without items (read, never changed)


class NotPlain(Exception):  # noqa: N818 — a signal to fall back, not an error anyone reports
    """The request needs the careful reader: it may be bad, or merely unusual."""


def _members(enum: type[E]) -> dict[str, E]:
    return {member.value: member for member in enum}


_CATEGORY = _members(Category)
_EMPLOYMENT = _members(Employment)
_FACILITY_KIND = _members(FacilityKind)
_ITEM_KIND = _members(ItemKind)
_ITEM_CLASS = _members(ItemClass)
_LIABILITY = _members(Liability)


def read_plain(raw: Any) -> QuoteRequest:
    """The request, if every value is plain; ``NotPlain`` otherwise."""
    if type(raw) is not dict or not _TOP.issuperset(raw):
        raise NotPlain
    policy = raw.get("policy")
    visit_date = _date(raw.get("visit_date"))
    pay_from_account = raw.get("pay_from_account", True)
    if type(policy) is not str or not policy.strip() or visit_date is None or type(pay_from_account) is not bool:
        raise NotPlain
    return QuoteRequest(
        policy,
        visit_date,
        _patient(raw.get("patient"), visit_date),
        _facility(raw.get("facility")),
        _visit(raw.get("visit")),
        _year_to_date(raw.get("year_to_date")),
        pay_from_account,
    )


# Each reader below takes a field left out as the contract's default (``dict.get``'s second
# argument), then checks the types of its fields together rather than through a helper each.
# A null where the contract has a default fails that check like any odd value: the careful
# reader reads it. The typed objects are made with their fields in order, by position: CPython
# 3.11 turns a keyword call of a class into a dict and back, a fifth of the cost of making a frozen
# dataclass. The equivalence tests (tests/policy/test_plain_read.py) hold every field to the
# careful reader's, which names them.


def _object(raw: Any, allowed: frozenset[str]) -> dict[str, Any]:
    """An optional object: left out or null is empty."""
    if raw is None:
        return {}
    if type(raw) is not dict or not allowed.issuperset(raw):
        raise NotPlain
    return raw


def _patient(raw: Any, visit_date: dt.date) -> Patient:
    if raw is None:
        raise NotPlain
    f = _object(raw, _PATIENT)
    birth = _date(f.get("birth_date"))
    poverty = f.get("poverty_registered", False)
    family_doctor = f.get("family_doctor", False)
    suspended = f.get("benefit_suspended", False)
    if birth is None or birth > visit_date:
        raise NotPlain
    if type(poverty) is not bool or type(family_doctor) is not bool or type(suspended) is not bool:
        raise NotPlain
    return Patient(
        birth,  # birth_date
        _choice(f.get("category", "general"), _CATEGORY),
        _choice(f.get("employment", "active"), _EMPLOYMENT),
        _date(f.get("retired_on")),
        poverty,  # poverty_registered
        family_doctor,
        _names(f.get("contracted_facilities")),
        _date(f.get("enrolled_on")),
        _names(f.get("chronic_diseases")),
        suspended,  # benefit_suspended
        _amount(f.get("account_balance", "0.00")),
    )


def _facility(raw: Any) -> Facility:
    if raw is None:
        raise NotPlain
    f = _object(raw, _FACILITY)
    facility_id = f.get("id")
    kind = _choice(f.get("kind"), _FACILITY_KIND)
    level = f.get("level", 1)
    parent_id = f.get("parent_id")
    in_city = f.get("in_city", True)
    designated = f.get("designated", True)
    if type(facility_id) is not str or not facility_id.strip():
        raise NotPlain
    # ``type(level) is int`` also turns away true and false, which Python counts as 1 and 0.
    if type(level) is not int or level not in (1, 2, 3) or (parent_id is not None and type(parent_id) is not str):
        raise NotPlain
    if type(in_city) is not bool or type(designated) is not bool:
        raise NotPlain
    # A batch comes from a clinic or two: the same few facilities on every line, so each is made once
    # (a Facility is immutable, so requests can share it). The key holds only checked values.
    key = (facility_id, kind, level, parent_id, in_city, designated)
    facility = _facilities.get(key)
    if facility is None:
        if len(_facilities) >= _REMEMBERED:
            _facilities.clear()
        facility = _facilities[key] = Facility(
            id=facility_id, kind=kind, level=level, parent_id=parent_id, in_city=in_city, designated=designated
        )
    return facility


def _visit(raw: Any) -> Visit:
    f = _object(raw, _VISIT)
    raw_items = f.get("items", _NO_ITEMS)
    referral = f.get("referral", False)
    emergency = f.get("emergency", False)
    inpatient = f.get("inpatient", False)
    liability = f.get("liability")
    disease = f.get("disease")
    filed = f.get("filed_out_of_area", False)
    if type(raw_items) is not list or (disease is not None and type(disease) is not str):
        raise NotPlain
    if type(referral) is not bool or type(emergency) is not bool or type(inpatient) is not bool:
        raise NotPlain
    if type(filed) is not bool:
        raise NotPlain
    return Visit(
        tuple([_item(entry) for entry in raw_items]),
        referral,
        emergency,
        inpatient,
        None if liability is None else _choice(liability, _LIABILITY),
        disease,
        filed,  # filed_out_of_area
    )


def _item(raw: Any) -> Item:
    # The hottest reader (several items a line): lookups inline rather than through the helpers.
    if type(raw) is not dict or not _ITEM.issuperset(raw):
        raise NotPlain
    try:
        kind = _ITEM_KIND[raw["kind"]]
        item_class = _ITEM_CLASS[raw["class"]]
        amount = _amount(raw["amount"])
    except (KeyError, TypeError):  # left out, or a list or an object where a name belongs
        raise NotPlain from None
    code = raw.get("code", "")
    name = raw.get("name", "")
    if type(code) is not str or type(name) is not str:
        code, name = _text_or_empty(code), _text_or_empty(name)
    return Item(kind, item_class, amount, code, name)


def _text_or_empty(value: Any) -> str:
    """An item's code or name: text, or null for none."""
    if value is None:
        return ""
    if type(value) is not str:
        raise NotPlain
    return value


def _year_to_date(raw: Any) -> YearToDate:
    f = _object(raw, _YTD)
    return YearToDate(
        _amount(f.get("deductible_met", "0.00")),
        _amount(f.get("fund_paid", "0.00")),
        _amount(f.get("fund_paid_out_of_city", "0.00")),
    )


def _choice(value: Any, members: dict[str, E]) -> E:
    try:
        return members[value]
    except (KeyError, TypeError):  # not one of the names, or a list or an object
        raise NotPlain from None


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if type(value) is not list:
        raise NotPlain
    for name in value:
        if type(name) is not str or not name:
            raise NotPlain
    return tuple(value)


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    known = _dates.get(value) if type(value) is str else None
    if known is not None:
        return known
    if type(value) is not str or _PLAIN_DATE.fullmatch(value) is None:
        raise NotPlain
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise NotPlain from None
    if len(_dates) >= _REMEMBERED:
        _dates.clear()
    _dates[value] = day
    return day


def _amount(value: Any) -> Decimal:
    """Plain text with exactly two decimals, or ``NotPlain``.

    Not remembered: a memo of amounts missed on most lines of a real batch (a bill's figures
    rarely repeat), and a miss cost more than reading the amount; only the zero that most
    year-to-date figures hold is taken as it is."""
    if value == "0.00":
        return _ZERO
    if type(value) is not str or _PLAIN_AMOUNT.fullmatch(value) is None:
        raise NotPlain
    return Decimal(value)
