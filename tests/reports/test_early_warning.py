"""Early warnings (洪府办发〔2022〕93号 第四十一条) worked by hand on a small store: each indicator
against the unit's own last twelve months, the thresholds as settings, the WHO's 30%."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update

from db.models import CatalogueItem, Setting
from db.session import Store
from desktop.reports.early_warning import Indicator, Scope, read_thresholds, watch
from desktop.reports.heading import heading_for
from desktop.settlement import DraftItem, VisitDraft, settle
from tests.factories import COLD, add_person, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = make_store(tmp_path)
    for person in range(1, 5):
        add_person(made, person_id=person)
    with made.writing() as session:
        session.merge(Setting(key="warning.min_visits", value="4"))  # a small clinic's test: judge from 4 visits
        session.execute(update(CatalogueItem).where(CatalogueItem.code == "X01").values(atc_code="J01CA04"))
    return made


def visit(store: Store, person: int, day: dt.date, *codes: str, facility: str = "T01") -> None:
    draft = VisitDraft(facility, person, 1 if facility == "T01" else 2, day, tuple(DraftItem(c) for c in codes), COLD)
    settle(store, draft, dt.datetime.combine(day, dt.time(2), dt.UTC))


def month_of_visits(store: Store, year: int, month: int, *codes: str, people: int = 4, facility: str = "T01") -> None:
    for person in range(1, people + 1):
        visit(store, person, dt.date(year, month, 10), *codes, facility=facility)


def alerts(store: Store, year: int, month: int) -> set[tuple[Scope, str, Indicator]]:
    heading = heading_for(store, "T01", None, dt.datetime(year, month, 28, tzinfo=dt.UTC))
    return {(a.scope, a.unit, a.indicator) for a in watch(store, heading, year, month).warnings}


def test_a_steady_clinic_raises_nothing(store: Store) -> None:
    for month in range(1, 7):
        month_of_visits(store, 2024, month, "Z01", "F01")
    assert alerts(store, 2024, 6) == set()


def test_cost_per_visit_growing_fast_is_flagged_for_the_centre_its_clinic_and_the_staff(store: Store) -> None:
    for month in range(1, 6):
        month_of_visits(store, 2024, month, "Z01", "F01")  # 28.00 a visit
    month_of_visits(store, 2024, 6, "Z01", "F01", "E01")  # 48.00 a visit: +71%, over the 20% setting
    found = alerts(store, 2024, 6)
    assert (Scope.CENTRE, "T01", Indicator.COST_PER_VISIT) in found
    assert (Scope.CLINIC, "T01", Indicator.COST_PER_VISIT) in found
    assert (Scope.STAFF, "clerk", Indicator.COST_PER_VISIT) in found
    # The examinations' share rose from nothing to 20.00 of 48.00: more than 5 points.
    assert (Scope.CENTRE, "T01", Indicator.EXAM_SHARE) in found


def test_visits_per_person_growing_fast(store: Store) -> None:
    for month in range(1, 6):
        month_of_visits(store, 2024, month, "F01")
    month_of_visits(store, 2024, 6, "F01")
    month_of_visits(store, 2024, 6, "F01")  # each person twice: 2.0 against 1.0
    assert (Scope.CENTRE, "T01", Indicator.VISITS_PER_PERSON) in alerts(store, 2024, 6)


def test_a_high_self_paid_share(store: Store) -> None:
    for month in range(1, 6):
        month_of_visits(store, 2024, month, "F01", "Z01")
    month_of_visits(store, 2024, 6, "F01", "Z01", "X03")  # 进口维生素 (丙类): paid by the patient
    assert (Scope.CENTRE, "T01", Indicator.SELF_PAY_SHARE) in alerts(store, 2024, 6)


def test_the_antibiotic_share_is_held_to_the_whos_30_percent(store: Store) -> None:
    month_of_visits(store, 2024, 6, "F01")  # no baseline needed: the limit is absolute
    visit(store, 1, dt.date(2024, 6, 11), "X01")  # 1 of 5 visits with amoxicillin (J01CA04): 20%
    assert (Scope.CENTRE, "T01", Indicator.ANTIBIOTIC_SHARE) not in alerts(store, 2024, 6)
    visit(store, 2, dt.date(2024, 6, 12), "X01")  # 2 of 6: 33%
    assert (Scope.CENTRE, "T01", Indicator.ANTIBIOTIC_SHARE) in alerts(store, 2024, 6)


def test_too_few_visits_are_not_judged(store: Store) -> None:
    visit(store, 1, dt.date(2024, 6, 11), "X01")
    visit(store, 2, dt.date(2024, 6, 12), "X01")  # 100% antibiotics, but two visits
    assert alerts(store, 2024, 6) == set()


def test_thresholds_are_settings_and_a_bad_one_falls_back_said_so(store: Store) -> None:
    with store.writing() as session:
        session.merge(Setting(key="warning.antibiotic_share_limit", value="0.10"))
        session.merge(Setting(key="warning.cost_per_visit_growth", value="lots"))
    with store.reading() as session:
        limits = read_thresholds(session.connection())
    assert limits.antibiotic_share_limit == Decimal("0.10")
    assert limits.min_visits == 4
    assert limits.cost_per_visit_growth == Decimal("0.20")
    assert limits.refused == ("warning.cost_per_visit_growth",)
    month_of_visits(store, 2024, 6, "F01")
    visit(store, 1, dt.date(2024, 6, 11), "X01")  # 20%: over the clinic's own 10%
    assert (Scope.CENTRE, "T01", Indicator.ANTIBIOTIC_SHARE) in alerts(store, 2024, 6)
