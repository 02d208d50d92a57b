"""The quote contract's JSON: read a request with errors that name the field, write a result."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import StrEnum
from json.encoder import encode_basestring as _json_text  # the C escaper json.dumps uses for ensure_ascii=False
from typing import Any, TypeVar

from desktop.input_error import InputError, field_name, show
from desktop.money import ZERO, AmountError, format_amount, parse_amount
from desktop.policy.fields import FACILITY as _FACILITY
from desktop.policy.fields import ITEM as _ITEM
from desktop.policy.fields import PATIENT as _PATIENT
from desktop.policy.fields import TOP as _TOP
from desktop.policy.fields import VISIT as _VISIT
from desktop.policy.fields import YEAR_TO_DATE as _YTD
from desktop.policy.plain_read import NotPlain, read_plain
from desktop.policy.types import (
    Category,
    Employment,
    Facility,
    FacilityKind,
    Item,
    ItemClass,
    ItemKind,
    ItemShare,
    Liability,
    Patient,
    Quote,
    QuoteRequest,
    Reason,
    Visit,
    YearToDate,
)

__all__ = ["InputError", "quote_line", "read_request", "write_quote"]

E = TypeVar("E", bound=StrEnum)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits: ``\d`` also matches "２０２４"


class _Fields:
    """One JSON object being read: each getter names ``path.key`` when it refuses a value."""

    __slots__ = ("path", "raw")

    def __init__(self, raw: Any, path: str, allowed: frozenset[str]) -> None:
        if not isinstance(raw, dict):
            raise InputError(path or "(input)", f"must be a JSON object, not {_kind(raw)}")
        for key in raw:
            if key not in allowed:
                raise InputError(self._join(path, key), f"unknown field; expected one of {', '.join(sorted(allowed))}")
        self.raw: Mapping[str, Any] = raw
        self.path = path

    @staticmethod
    def _join(path: str, key: str) -> str:
        return f"{path}.{field_name(key)}" if path else field_name(key)

    def name(self, key: str) -> str:
        return self._join(self.path, key)

    def _get(self, key: str, required: bool) -> Any:
        value = self.raw.get(key)
        if value is None and required:
            raise InputError(
                self.name(key), "is required but missing" if key not in self.raw else "is required but null"
            )
        return value

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str):
            raise InputError(self.name(key), f"must be text, not {_kind(value)}")
        if required and not value.strip():
            raise InputError(self.name(key), "must not be empty")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None:
            return None
        return self.text(key)

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or _DATE.fullmatch(value) is None:
            raise InputError(self.name(key), f"{_show(value)} is not a date like 2024-05-10")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(self.name(key), f"{_show(value)} is not a real calendar date") from None

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise InputError(self.name(key), f"must be true or false, not {_show(value)}")
        return value

    def amount(self, key: str, *, required: bool = False) -> Decimal:
        value = self._get(key, required)
        if value is None:
            return ZERO
        if not isinstance(value, str):
            raise InputError(self.name(key), f'must be an amount as text like "12.50", not {_kind(value)}')
        try:
            return parse_amount(value)
        except AmountError as exc:
            raise InputError(self.name(key), str(exc)) from None

    def choice(self, key: str, enum: type[E], *, default: E | None = None, required: bool = False) -> E:
        value = self._get(key, required)
        if value is None:
            assert default is not None
            return default
        return self.enum_value(key, enum, value)

    def optional_choice(self, key: str, enum: type[E]) -> E | None:
        value = self.raw.get(key)
        return None if value is None else self.enum_value(key, enum, value)

    def enum_value(self, key: str, enum: type[E], value: Any) -> E:
        if isinstance(value, str):
            try:
                return enum(value)
            except ValueError:
                pass
        names = ", ".join(member.value for member in enum)
        raise InputError(self.name(key), f"{_show(value)} is not one of {names}")

    def names(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise InputError(self.name(key), f"must be a list of text, not {_kind(value)}")
        for index, entry in enumerate(value):
            if not isinstance(entry, str) or not entry:
                raise InputError(f"{self.name(key)}.{index}", f"must be non-empty text, not {_show(entry)}")
        return tuple(value)

    def level(self, key: str) -> int:
        value = self.raw.get(key)
        if value is None:
            return 1
        if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2, 3):
            raise InputError(self.name(key), f"{_show(value)} is not a hospital grade 1, 2 or 3")
        return value

    def child(self, key: str, allowed: frozenset[str], *, required: bool = False) -> _Fields:
        value = self._get(key, required)
        return _Fields({} if value is None else value, self.name(key), allowed)


def _kind(value: Any) -> str:
    kinds: dict[type, str] = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    return show(value) if isinstance(value, str) else _kind(value)


def read_request(raw: Any, known_policy: Callable[[str], bool] | None = None) -> QuoteRequest:
    """Check one request object against the contract; raise ``InputError`` naming the field."""
    try:
        request = read_plain(raw)
    except NotPlain:
        return _read_checked(raw, known_policy)
    if known_policy is not None and not known_policy(request.policy):
        raise InputError("policy", f"unknown policy {show(request.policy)}")
    return request


def _read_checked(raw: Any, known_policy: Callable[[str], bool] | None) -> QuoteRequest:
    """Every field checked in turn, so that the first bad one is the one named."""
    top = _Fields(raw, "", _TOP)
    policy = top.text("policy", required=True)
    if known_policy is not None and not known_policy(policy):
        raise InputError("policy", f"unknown policy {show(policy)}")
    visit_date = top.date("visit_date", required=True)
    assert visit_date is not None
    patient = _patient(top.child("patient", _PATIENT, required=True), visit_date)
    facility = _facility(top.child("facility", _FACILITY, required=True))
    return QuoteRequest(
        policy=policy,
        visit_date=visit_date,
        patient=patient,
        facility=facility,
        visit=_visit(top.child("visit", _VISIT)),
        year_to_date=_year_to_date(top.child("year_to_date", _YTD)),
        pay_from_account=top.flag("pay_from_account", True),
    )


def _patient(f: _Fields, visit_date: dt.date) -> Patient:
    birth = f.date("birth_date", required=True)
    assert birth is not None
    if birth > visit_date:
        raise InputError(f.name("birth_date"), f"{birth.isoformat()} is after the visit date")
    return Patient(
        birth_date=birth,
        category=f.choice("category", Category, default=Category.GENERAL),
        employment=f.choice("employment", Employment, default=Employment.ACTIVE),
        retired_on=f.date("retired_on"),
        poverty_registered=f.flag("poverty_registered", False),
        family_doctor=f.flag("family_doctor", False),
        contracted_facilities=f.names("contracted_facilities"),
        enrolled_on=f.date("enrolled_on"),
        chronic_diseases=f.names("chronic_diseases"),
        benefit_suspended=f.flag("benefit_suspended", False),
        account_balance=f.amount("account_balance"),
    )


def _facility(f: _Fields) -> Facility:
    return Facility(
        id=f.text("id", required=True),
        kind=f.choice("kind", FacilityKind, required=True),
        level=f.level("level"),
        parent_id=f.optional_text("parent_id"),
        in_city=f.flag("in_city", True),
        designated=f.flag("designated", True),
    )


def _visit(f: _Fields) -> Visit:
    raw_items = f.raw.get("items")
    if raw_items is None:
        raw_items = []
    if not isinstance(raw_items, list):
        raise InputError(f.name("items"), f"must be a list of items, not {_kind(raw_items)}")
    items = tuple(_item(_Fields(raw, f"{f.name('items')}.{i}", _ITEM)) for i, raw in enumerate(raw_items))
    return Visit(
        items=items,
        referral=f.flag("referral", False),
        emergency=f.flag("emergency", False),
        inpatient=f.flag("inpatient", False),
        liability=f.optional_choice("liability", Liability),
        disease=f.optional_text("disease"),
        filed_out_of_area=f.flag("filed_out_of_area", False),
    )


def _item(f: _Fields) -> Item:
    return Item(
        kind=f.choice("kind", ItemKind, required=True),
        item_class=f.choice("class", ItemClass, required=True),
        amount=f.amount("amount", required=True),
        code=f.text("code"),
        name=f.text("name"),
    )


def _year_to_date(f: _Fields) -> YearToDate:
    return YearToDate(
        deductible_met=f.amount("deductible_met"),
        fund_paid=f.amount("fund_paid"),
        fund_paid_out_of_city=f.amount("fund_paid_out_of_city"),
    )


def write_quote(result: Quote) -> dict[str, Any]:
    """The contract's output object; money and rates as two-decimal text."""
    ytd = result.year_to_date_after
    return {
        "policy": result.policy,
        "policy_version": result.policy_version,
        "covered": result.covered,
        "reason": None if result.reason is None else result.reason.value,
        "total": format_amount(result.total),
        "out_of_scope": format_amount(result.out_of_scope),
        "in_scope": format_amount(result.in_scope),
        "deductible_applied": format_amount(result.deductible_applied),
        "rate": format_amount(result.rate),
        "fund": format_amount(result.fund),
        "account": format_amount(result.account),
        "cash": format_amount(result.cash),
        "year_to_date_after": {
            "deductible_met": format_amount(ytd.deductible_met),
            "fund_paid": format_amount(ytd.fund_paid),
            "fund_paid_out_of_city": format_amount(ytd.fund_paid_out_of_city),
        },
        "explanation": list(result.explanation),
        "items": [
            {
                "code": share.item.code,
                "name": share.item.name,
                # The members are text already (StrEnum); reading ``.value`` costs more than the rest of the line.
                "kind": share.item.kind,
                "class": share.item.item_class,
                "amount": format_amount(share.item.amount),
                "in_scope": format_amount(share.in_scope),
                "out_of_scope": format_amount(share.out_of_scope),
            }
            for share in result.items
        ],
    }


# Fixed names as ready JSON text, so that the batch writer reads no enum ``.value`` (a property, slow).
_REASON_JSON: dict[Reason | None, str] = {None: "null", **{reason: f'"{reason.value}"' for reason in Reason}}
_KIND_JSON = {kind: f'"kind":"{kind.value}"' for kind in ItemKind}
_CLASS_JSON = {item_class: f'"class":"{item_class.value}"' for item_class in ItemClass}


def quote_line(result: Quote) -> str:
    """The compact JSON text of ``write_quote(result)``, built directly for ``quote --batch``.

    Building the object and then encoding it cost twice as long; tests hold the two to the same text.
    Kinds, classes and reasons are fixed names and money is digits, so only free text is escaped.
    """
    money = format_amount
    ytd = result.year_to_date_after
    items = ",".join([_item_line(share) for share in result.items])
    explanation = ",".join([_json_text(sentence) for sentence in result.explanation])
    return (
        f'{{"policy":{_json_text(result.policy)},"policy_version":{_json_text(result.policy_version)},'
        f'"covered":{"true" if result.covered else "false"},"reason":{_REASON_JSON[result.reason]},'
        f'"total":"{money(result.total)}","out_of_scope":"{money(result.out_of_scope)}",'
        f'"in_scope":"{money(result.in_scope)}","deductible_applied":"{money(result.deductible_applied)}",'
        f'"rate":"{money(result.rate)}","fund":"{money(result.fund)}","account":"{money(result.account)}",'
        f'"cash":"{money(result.cash)}","year_to_date_after":{{"deductible_met":"{money(ytd.deductible_met)}",'
        f'"fund_paid":"{money(ytd.fund_paid)}","fund_paid_out_of_city":"{money(ytd.fund_paid_out_of_city)}"}},'
        f'"explanation":[{explanation}],"items":[{items}]}}'
    )


def _item_line(share: ItemShare) -> str:
    item = share.item
    amount = format_amount(item.amount)
    # An item wholly in scope carries its own amount as ``in_scope`` (the same Decimal) and the ZERO
    # constant as ``out_of_scope``: the same text, without formatting either again.
    in_scope = amount if share.in_scope is item.amount else format_amount(share.in_scope)
    out_of_scope = "0.00" if share.out_of_scope is ZERO else format_amount(share.out_of_scope)
    return (
        f'{{"code":{_json_text(item.code)},"name":{_json_text(item.name)},'
        f"{_KIND_JSON[item.kind]},{_CLASS_JSON[item.item_class]},"
        f'"amount":"{amount}","in_scope":"{in_scope}","out_of_scope":"{out_of_scope}"}}'
    )
