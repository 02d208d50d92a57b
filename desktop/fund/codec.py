"""The fund contract's JSON: read a request with errors that name the field, write a position.

Money and scores are text of ASCII digits (``"1234.56"``, ``"90"``); a full-width or other
script's digit is refused, as a clerk's keyboard can produce one that ``Decimal`` would
quietly read. Fields a policy's method does not use are not read at all (the contract:
"ignored"), so a Shaoguan file may leave birth dates out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from desktop.fund.engine import ratio_text
from desktop.fund.types import EndKind, FundPosition, FundRequest, Projection, SigningSpan, StartKind
from desktop.money import ZERO, AmountError, format_amount, parse_amount
from desktop.policy.codec import InputError
from desktop.policy.fund_rules import FundMethod

TOP = frozenset({"policy", "year", "as_of", "signings", "fund_paid", "quality_score", "per_head", "carried_in"})
SIGNING = frozenset({"person", "birth_date", "from", "to", "start", "end"})
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_SCORE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,2})?")
FIRST_YEAR, LAST_YEAR = 1901, 9998  # the day before 1 January must exist (Shaoguan's first advance)


def _kind(value: Any) -> str:
    kinds: dict[type, str] = {bool: "true/false", int: "a number", float: "a number", str: "text"}
    kinds.update({list: "a list", dict: "an object"})
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else _kind(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _object(raw: Any, path: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(raw, dict):
        raise InputError(path or "(input)", f"must be a JSON object, not {_kind(raw)}")
    for key in raw:
        if key not in allowed:
            name = f"{path}.{key}" if path else key
            raise InputError(name, f"unknown field; expected one of {', '.join(sorted(allowed))}")
    return raw


def _date(value: Any, name: str) -> dt.date:
    if not isinstance(value, str) or _DATE.fullmatch(value) is None:
        raise InputError(name, f"{_shown(value)} is not a date like 2024-05-10")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(name, f"{_shown(value)} is not a real calendar date") from None


def _amount(value: Any, name: str) -> Decimal:
    if not isinstance(value, str):
        raise InputError(name, f'must be an amount as text like "12.50", not {_kind(value)}')
    if not value.isascii():
        raise InputError(name, f'{_shown(value)} is not an amount: write it in ASCII digits like "12.50"')
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise InputError(name, str(exc)) from None


def _score(value: Any, name: str) -> Decimal:
    if not isinstance(value, str):
        raise InputError(name, f'must be a score as text like "90", not {_kind(value)}')
    if _SCORE.fullmatch(value) is None:
        raise InputError(name, f'{_shown(value)} is not a score from 0 to 100 in ASCII digits, like "92.5"')
    score = Decimal(value)
    if score > 100:
        raise InputError(name, f"{value} is above 100: the score is out of 100")
    return score


def _choice(value: Any, name: str, enum: type[StartKind] | type[EndKind]) -> Any:
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    names = ", ".join(member.value for member in enum)
    raise InputError(name, f"{_shown(value)} is not one of {names}{', or null' if enum is EndKind else ''}")


def _year(value: Any) -> int:
    if value is None:
        raise InputError("year", "is required but missing")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("year", f"must be a whole year like 2024, not {_shown(value)}")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise InputError("year", f"{value} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
    return value


def read_header(raw: Any) -> tuple[str, int]:
    """The policy and year a request names, with every top-level field checked by name first."""
    top = _object(raw, "", TOP)
    policy = top.get("policy")
    if policy is None:
        raise InputError("policy", "is required but missing" if "policy" not in top else "is required but null")
    if not isinstance(policy, str) or not policy.strip():
        raise InputError("policy", f"must be a policy name as text, not {_shown(policy)}")
    return policy, _year(top.get("year"))


def read_fund_request(raw: Any, method: FundMethod | None = None) -> FundRequest:
    """Check one request object against the contract; ``InputError`` names the first bad field.

    ``method`` is how the named policy makes its budget (from the policy book): it decides
    which fields are read. Without it every field is read.
    """
    policy, year = read_header(raw)
    top: Mapping[str, Any] = raw
    as_of = None if top.get("as_of") is None else _date(top["as_of"], "as_of")
    groups = method in (None, FundMethod.AGE_GROUPS)
    signings = _signings(top.get("signings"), groups)
    shaoguan = method in (None, FundMethod.PER_HEAD_MONTHLY_ADVANCE)
    hunan = method in (None, FundMethod.PER_HEAD_QUARTERLY_ADVANCE)
    score = top.get("quality_score") if shaoguan else None
    per_head = top.get("per_head") if hunan else None
    carried_in = top.get("carried_in") if hunan else None
    return FundRequest(
        policy=policy,
        year=year,
        signings=signings,
        fund_paid=_fund_paid(top.get("fund_paid"), year),
        as_of=as_of,
        quality_score=None if score is None else _score(score, "quality_score"),
        per_head=None if per_head is None else _amount(per_head, "per_head"),
        carried_in=ZERO if carried_in is None else _amount(carried_in, "carried_in"),
    )


def _signings(raw: Any, groups: bool) -> tuple[SigningSpan, ...]:
    if raw is None:
        raise InputError("signings", "is required: a list of the facility's signings (it may be empty)")
    if not isinstance(raw, list):
        raise InputError("signings", f"must be a list of signings, not {_kind(raw)}")
    return tuple(_signing(entry, f"signings.{index}", groups) for index, entry in enumerate(raw))


def _signing(raw: Any, path: str, groups: bool) -> SigningSpan:
    entry = _object(raw, path, SIGNING)
    person = entry.get("person")
    if not isinstance(person, str) or not person.strip():
        problem = "is required" if person is None else f"must be non-empty text, not {_shown(person)}"
        raise InputError(f"{path}.person", problem)
    if entry.get("from") is None:
        raise InputError(f"{path}.from", "is required: the first day the signing is in force")
    first = _date(entry["from"], f"{path}.from")
    last = None if entry.get("to") is None else _date(entry["to"], f"{path}.to")
    if last is not None and last < first:
        raise InputError(f"{path}.to", f"{last.isoformat()} is before from {first.isoformat()}")
    if not groups:  # birth dates and start and end kinds only time the age-group method's months
        return SigningSpan(person, first, last)
    if entry.get("birth_date") is None:
        raise InputError(f"{path}.birth_date", "is required: the age group comes from the birth year (第二十三条)")
    birth = _date(entry["birth_date"], f"{path}.birth_date")
    if birth > first:
        raise InputError(f"{path}.birth_date", f"{birth.isoformat()} is after the signing's from {first.isoformat()}")
    start = StartKind.CONTINUING if entry.get("start") is None else _choice(entry["start"], f"{path}.start", StartKind)
    end = None if entry.get("end") is None else _choice(entry["end"], f"{path}.end", EndKind)
    if end is not None and last is None:
        raise InputError(f"{path}.end", f"is {end.value} but the signing has no to: give the day it ended")
    return SigningSpan(person, first, last, birth, start, end)


def _fund_paid(raw: Any, year: int) -> dict[int, Decimal]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError("fund_paid", f'must be an object of months like {{"{year}-01": "1234.56"}}, not {_kind(raw)}')
    paid: dict[int, Decimal] = {}
    for key, value in raw.items():
        name = f"fund_paid.{key}"
        found = _MONTH.fullmatch(key)
        if found is None or not 1 <= int(found[2]) <= 12:
            raise InputError(name, f"{_shown(key)} is not a month like {year}-05")
        if int(found[1]) != year:
            raise InputError(name, f"{key} is not a month of {year}, the year asked for")
        if value is not None:
            paid[int(found[2])] = _amount(value, name)
    return paid


# --- writing --------------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format_amount(value)


def _month(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def write_position(position: FundPosition) -> dict[str, Any]:
    """The contract's output object for the position's method."""
    head: dict[str, Any] = {"policy": position.policy, "year": position.year, "budget": _money(position.budget)}
    method = FundMethod(position.method)
    if method is FundMethod.AGE_GROUPS:
        return {**head, **_age_groups(position)}
    if method is FundMethod.PER_HEAD_MONTHLY_ADVANCE:
        return {**head, "signed": position.signed, **_monthly_advance(position)}
    return {**head, "signed": position.signed, **_quarterly_advance(position)}


def _age_groups(position: FundPosition) -> dict[str, Any]:
    year_end = position.year_end
    return {
        "groups": [
            {
                "group": line.group,
                "standard": _money(line.standard),
                "persons": f"{line.persons:f}",
                "budget": _money(line.budget),
            }
            for line in position.groups
        ],
        "months": [
            {
                "month": _month(position.year, m.month),
                "signed": m.signed,
                "ceiling": _money(m.limit),
                "fund_paid": _money(m.fund_paid),
                "paid": _money(m.paid),
            }
            for m in position.months
        ],
        "year_end": {
            "fund_paid": _money(year_end.fund_paid),
            "ratio": ratio_text(year_end.ratio),
            "band": year_end.band,
            "total": _money(year_end.total),
            "paid_in_year": _money(year_end.paid_in_year),
            "balance": _money(year_end.balance),
        },
        "projection": _projection(position.projection),
    }


def _monthly_advance(position: FundPosition) -> dict[str, Any]:
    year_end = position.year_end
    return {
        "months": [
            {
                "month": _month(position.year, m.month),
                "signed_last_month": m.signed,
                "advance": _money(m.limit),
                "fund_paid": _money(m.fund_paid),
                "pre_settlement": _money(m.pre_settlement),
                "paid": _money(m.paid),
                "deposit": _money(m.deposit),
            }
            for m in position.months
        ],
        "year_end": {
            "fund_paid": _money(year_end.fund_paid),
            "ratio": ratio_text(year_end.ratio),
            "band": year_end.band,
            "reward": _money(year_end.reward),
            "overspend": _money(year_end.overspend),
            "deposit": _money(year_end.deposit),
            "deposit_returned": _money(year_end.deposit_returned),
        },
        "projection": _projection(position.projection),
    }


def _quarterly_advance(position: FundPosition) -> dict[str, Any]:
    year_end = position.year_end
    return {
        "quarters": [
            {"quarter": f"{position.year}-Q{q.number}", "advance": _money(q.advance), "fund_paid": _money(q.fund_paid)}
            for q in position.quarters
        ],
        "year_end": {
            "fund_paid": _money(year_end.fund_paid),
            "ratio": ratio_text(year_end.ratio),
            "carried_in": _money(year_end.carried_in),
            "carried_out": _money(year_end.carried_out),
        },
        "projection": _projection(position.projection),
    }


def _projection(projection: Projection | None) -> dict[str, Any] | None:
    if projection is None:
        return None
    return {
        "as_of": projection.as_of.isoformat(),
        "months": projection.months,
        "fund_paid": _money(projection.fund_paid),
        "projected": _money(projection.projected),
        "ratio": ratio_text(projection.ratio),
        "band": projection.band,
    }
