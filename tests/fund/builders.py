"""Requests for the fund contract, built from the few fields a test cares about."""

from __future__ import annotations

from typing import Any

from desktop.fund.cli import fund_json
from desktop.policy import PolicyBook

Json = dict[str, Any]


def signing(
    person: str,
    *,
    birth: str = "1970-06-01",
    since: str = "2020-01-01",
    to: str | None = None,
    start: str = "continuing",
    end: str | None = None,
) -> Json:
    return {"person": person, "birth_date": birth, "from": since, "to": to, "start": start, "end": end}


def request(policy: str, *signings: Json, **fields: Any) -> Json:
    return {"policy": policy, "year": 2024, "signings": list(signings), **fields}


def persons(count: int, **fields: Any) -> list[Json]:
    return [signing(f"P{n}", **fields) for n in range(count)]


def monthly(amount: str, months: range = range(1, 13), year: int = 2024) -> dict[str, str]:
    return {f"{year}-{m:02d}": amount for m in months}


def run(book: PolicyBook, body: Json) -> Json:
    return fund_json(body, book)
