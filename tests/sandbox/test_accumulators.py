"""The agency's own year-to-date figures cross clinics: a cap used at one clinic is used at the next."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx

from desktop.agency.messages import AccumulatorQuery
from desktop.agency.replies import read_accumulators
from desktop.policy import PolicyBook, quote
from desktop.policy.types import (
    Facility,
    FacilityKind,
    Item,
    ItemClass,
    ItemKind,
    Patient,
    QuoteRequest,
    Visit,
)
from desktop.sandbox.server import SandboxServer
from tests.sandbox.helpers import OTHER_TOWN, TOWNSHIP, TRAVELLER, Clinic


def offline_quote(book: PolicyBook) -> Decimal:
    """What the second clinic works out alone, knowing nothing of the first clinic's visit."""
    request = QuoteRequest(
        policy="shaoguan-resident",
        visit_date=dt.date(2026, 11, 20),
        patient=Patient(birth_date=dt.date(1970, 1, 1), contracted_facilities=("T01", "T02")),
        facility=Facility(id="T02", kind=FacilityKind.TOWNSHIP_HEALTH_CENTER),
        visit=Visit(items=(Item(ItemKind.TREATMENT, ItemClass.A, Decimal("200.00"), "TA01"),)),
    )
    return quote(request, book).fund


def test_the_second_clinic_gets_less_fund_because_the_cap_was_used_at_the_first(
    sandbox: SandboxServer, http: httpx.Client, book: PolicyBook
) -> None:
    first_clinic = Clinic(sandbox.url, TOWNSHIP, http)
    second_clinic = Clinic(sandbox.url, OTHER_TOWN, http)
    first = first_clinic.settle(TRAVELLER, [("TA01", "2", "200.00")])
    assert first.fund_pay_sumamt == Decimal("280.00")  # 70% of 400, inside the 300 cap
    second = second_clinic.settle(TRAVELLER, [("TA01", "1", "200.00")])
    assert offline_quote(book) == Decimal("140.00")
    assert second.fund_pay_sumamt == Decimal("20.00")  # only 20 of the 300 cap was left
    assert second.psn_cash_pay == Decimal("180.00")
    third = second_clinic.settle(TRAVELLER, [("TA01", "1", "200.00")])
    assert third.fund_pay_sumamt == 0
    figures = read_accumulators(second_clinic.send(AccumulatorQuery(TRAVELLER, "202611")))
    assert figures.fund_paid("390", 2026) == Decimal("300.00")
    assert figures.value("C0000", "390", 2026) == 3
