"""The quick read of a well-formed request, for ``quote --batch``.

Most lines of a batch are plain: every value of the right type, amounts with exactly two
decimals, dates in ISO form. This reader takes only such requests and builds the same
``QuoteRequest`` the careful reader in ``codec`` would; on anything else it declines
(``NotPlain``) and the careful reader reads the line again, accepting it or naming the
bad field. Dates and amounts repeat across a batch, so their parsed values are kept.
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


_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN_AMOUNT = re.compile(r"\d{1,12}\.\d{2}")
_ZERO = Decimal("0.00")
_REMEMBERED = 8192  # parsed dates and amounts kept; the memo starts afresh when full
_dates: dict[str, dt.date] = {}
_amounts: dict[str, Decimal] = {"0.00": _ZERO}


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
    if type(raw) is not dict or not raw.keys() <= _TOP:
        raise NotPlain
    policy = raw.get("policy")
    if type(policy) is not str or not policy.strip():
        raise NotPlain
    visit_date = _date(raw.get("visit_date"))
    if visit_date is None:
        raise NotPlain
    return QuoteRequest(
        policy=policy,
        visit_date=visit_date,
        patient=_patient(raw.get("patient"), visit_date),
        facility=_facility(raw.get("facility")),
        visit=_visit(raw.get("visit", {})),
        year_to_date=_year_to_date(raw.get("year_to_date", {})),
        pay_from_account=_flag(raw.get("pay_from_account"), True),
    )


def _object(raw: Any, allowed: frozenset[str]) -> dict[str, Any]:
    if raw is None:
        return {}
    if type(raw) is not dict or not raw.keys() <= allowed:
        raise NotPlain
    return raw


def _patient(raw: Any, visit_date: dt.date) -> Patient:
    if raw is None:
        raise NotPlain
    f = _object(raw, _PATIENT)
    birth = _date(f.get("birth_date"))
    if birth is None or birth > visit_date:
        raise NotPlain
    return Patient(
        birth_date=birth,
        category=_choice(f.get("category"), _CATEGORY, Category.GENERAL),
        employment=_choice(f.get("employment"), _EMPLOYMENT, Employment.ACTIVE),
        retired_on=_date(f.get("retired_on")),
        poverty_registered=_flag(f.get("poverty_registered"), False),
        family_doctor=_flag(f.get("family_doctor"), False),
        contracted_facilities=_names(f.get("contracted_facilities")),
        enrolled_on=_date(f.get("enrolled_on")),
        chronic_diseases=_names(f.get("chronic_diseases")),
        benefit_suspended=_flag(f.get("benefit_suspended"), False),
        account_balance=_amount(f.get("account_balance"), _ZERO),
    )


def _facility(raw: Any) -> Facility:
    if raw is None:
        raise NotPlain
    f = _object(raw, _FACILITY)
    facility_id = f.get("id")
    kind = _choice(f.get("kind"), _FACILITY_KIND, None)
    if type(facility_id) is not str or not facility_id.strip():
        raise NotPlain
    level = f.get("level", 1)
    if level is None:
        level = 1
    elif type(level) is not int or level not in (1, 2, 3):
        raise NotPlain
    parent_id = f.get("parent_id")
    if parent_id is not None and type(parent_id) is not str:
        raise NotPlain
    return Facility(
        id=facility_id,
        kind=kind,
        level=level,
        parent_id=parent_id,
        in_city=_flag(f.get("in_city"), True),
        designated=_flag(f.get("designated"), True),
    )


def _visit(raw: Any) -> Visit:
    f = _object(raw, _VISIT)
    raw_items = f.get("items")
    if raw_items is None:
        raw_items = []
    elif type(raw_items) is not list:
        raise NotPlain
    liability = f.get("liability")
    disease = f.get("disease")
    if disease is not None and type(disease) is not str:
        raise NotPlain
    return Visit(
        items=tuple([_item(entry) for entry in raw_items]),
        referral=_flag(f.get("referral"), False),
        emergency=_flag(f.get("emergency"), False),
        inpatient=_flag(f.get("inpatient"), False),
        liability=None if liability is None else _choice(liability, _LIABILITY, None),
        disease=disease,
    )


def _item(raw: Any) -> Item:
    # The hottest reader (several items a line): lookups inline rather than through the helpers.
    if type(raw) is not dict or not raw.keys() <= _ITEM:
        raise NotPlain
    try:
        kind = _ITEM_KIND[raw["kind"]]
        item_class = _ITEM_CLASS[raw["class"]]
    except (KeyError, TypeError):
        raise NotPlain from None
    text = raw.get("amount")
    amount = _amounts.get(text) if type(text) is str else None
    if amount is None:
        amount = _amount(text, None)
    code = raw.get("code")
    name = raw.get("name")
    if code is None:
        code = ""
    if name is None:
        name = ""
    if type(code) is not str or type(name) is not str:
        raise NotPlain
    return Item(kind, item_class, amount, code, name)


def _year_to_date(raw: Any) -> YearToDate:
    f = _object(raw, _YTD)
    return YearToDate(
        deductible_met=_amount(f.get("deductible_met"), _ZERO),
        fund_paid=_amount(f.get("fund_paid"), _ZERO),
        fund_paid_out_of_city=_amount(f.get("fund_paid_out_of_city"), _ZERO),
    )


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if type(value) is not bool:
        raise NotPlain
    return value


def _choice(value: Any, members: dict[str, E], default: E | None) -> E:
    if value is None and default is not None:
        return default
    try:
        return members[value]
    except (KeyError, TypeError):
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


def _amount(value: Any, default: Decimal | None) -> Decimal:
    """The amount, or ``default`` when left out; an item's amount has no default (None)."""
    if value is None:
        if default is None:
            raise NotPlain
        return default
    known = _amounts.get(value) if type(value) is str else None
    if known is not None:
        return known
    if type(value) is not str or _PLAIN_AMOUNT.fullmatch(value) is None:
        raise NotPlain
    amount = Decimal(value)
    if len(_amounts) >= _REMEMBERED:
        _amounts.clear()
    _amounts[value] = amount
    return amount
