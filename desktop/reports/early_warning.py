"""Early warnings on outpatient spending (洪府办发〔2022〕93号 第四十一条: 普通门诊费用监控预警).

The article names what to watch: spending growing fast (visits per person, cost per
visit), a high share paid by patients for what the catalogue leaves out (自费), a high
share of examinations. Each is judged for the month — for the whole centre with its
village clinics, for each clinic, and for each member of staff who entered the visits —
against the same unit's own last twelve months, with the thresholds as the installation's
settings. Beyond the article, the share of visits given an antibiotic (catalogue items
with an ATC code under J01) is held to the WHO's guide of at most 30% of outpatient visits.

A unit-month with fewer visits than ``warning.min_visits`` is not judged: a village clinic
with a dozen visits would raise alarms on noise. The baseline needs as many.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, exists, func, not_, select

from db.models import CatalogueItem, Facility, Reversal, Setting, Settlement, Staff, Visit, VisitItem
from db.session import Store
from desktop.money import from_fen
from desktop.reports.document import Cell, Column, Kind, Report, Section, ratio
from desktop.reports.heading import Heading

ARTICLE = "洪府办发〔2022〕93号 第四十一条"
WHO = "WHO: 门诊抗菌药物处方比例不超过30%"
ANTIBIOTIC_ATC = "J01"


class Indicator(StrEnum):
    VISITS_PER_PERSON = "visits_per_person"
    COST_PER_VISIT = "cost_per_visit"
    SELF_PAY_SHARE = "self_pay_share"
    EXAM_SHARE = "exam_share"
    ANTIBIOTIC_SHARE = "antibiotic_share"


NAMES = {
    Indicator.VISITS_PER_PERSON: "人次人头比",
    Indicator.COST_PER_VISIT: "次均费用",
    Indicator.SELF_PAY_SHARE: "患者自费比例",
    Indicator.EXAM_SHARE: "检查费用占比",
    Indicator.ANTIBIOTIC_SHARE: "抗菌药物使用率",
}


class Scope(StrEnum):
    CENTRE = "centre"  # the centre with its village clinics
    CLINIC = "clinic"  # one clinic: the centre itself or a village clinic
    STAFF = "staff"  # who entered the visits


SCOPE_NAMES = {Scope.CENTRE: "全院（含村卫生室）", Scope.CLINIC: "机构", Scope.STAFF: "医生/经办人"}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The installation's settings (``setting`` rows ``warning.*``), each with its default."""

    visits_per_person_growth: Decimal = Decimal("0.20")
    cost_per_visit_growth: Decimal = Decimal("0.20")
    self_pay_share_rise: Decimal = Decimal("0.05")
    exam_share_rise: Decimal = Decimal("0.05")
    antibiotic_share_limit: Decimal = Decimal("0.30")
    min_visits: int = 30
    refused: tuple[str, ...] = ()  # settings that could not be read, so their default applies

    @property
    def as_dict(self) -> dict[str, str]:
        return {f"warning.{name}": str(getattr(self, name)) for name in self.__dataclass_fields__ if name != "refused"}


def read_thresholds(connection: Connection) -> Thresholds:
    given = dict(connection.execute(select(Setting.key, Setting.value).where(Setting.key.like("warning.%"))).all())
    values: dict[str, Any] = {}
    refused: list[str] = []
    for name in Thresholds.__dataclass_fields__:
        text = given.get(f"warning.{name}")
        if name == "refused" or text is None:
            continue
        try:
            if name == "min_visits":
                if not text.strip().isascii() or not text.strip().isdigit():
                    raise InvalidOperation
                values[name] = int(text)
            else:
                value = Decimal(text.strip()) if text.strip().isascii() else Decimal("nan")
                if not Decimal(0) <= value <= Decimal(10):
                    raise InvalidOperation
                values[name] = value
        except (InvalidOperation, ValueError):
            refused.append(f"warning.{name}")
    return Thresholds(**values, refused=tuple(refused))


@dataclass(slots=True)
class Tally:
    visits: int = 0
    total_fen: int = 0
    self_pay_fen: int = 0
    exam_fen: int = 0
    antibiotic_visits: int = 0
    persons: set[int] = field(default_factory=set)

    def add(self, person: int, total: int, self_pay: int, exam: int, antibiotic: bool) -> None:
        self.visits += 1
        self.total_fen += total
        self.self_pay_fen += self_pay
        self.exam_fen += exam
        self.antibiotic_visits += antibiotic
        self.persons.add(person)

    def value(self, indicator: Indicator) -> Decimal:
        if indicator is Indicator.VISITS_PER_PERSON:
            return ratio(self.visits, len(self.persons))
        if indicator is Indicator.COST_PER_VISIT:
            return from_fen(round(self.total_fen / self.visits)) if self.visits else Decimal("0.00")
        if indicator is Indicator.SELF_PAY_SHARE:
            return ratio(self.self_pay_fen, self.total_fen)
        if indicator is Indicator.EXAM_SHARE:
            return ratio(self.exam_fen, self.total_fen)
        return ratio(self.antibiotic_visits, self.visits)


@dataclass(frozen=True, slots=True)
class Baseline:
    """A unit's last twelve months pooled: each month's visits over that month's persons."""

    visits: int
    person_months: int
    total_fen: int
    self_pay_fen: int
    exam_fen: int

    def value(self, indicator: Indicator) -> Decimal | None:
        if indicator is Indicator.VISITS_PER_PERSON:
            return ratio(self.visits, self.person_months)
        if indicator is Indicator.COST_PER_VISIT:
            return from_fen(round(self.total_fen / self.visits)) if self.visits else None
        if indicator is Indicator.SELF_PAY_SHARE:
            return ratio(self.self_pay_fen, self.total_fen)
        if indicator is Indicator.EXAM_SHARE:
            return ratio(self.exam_fen, self.total_fen)
        return None


@dataclass(frozen=True, slots=True)
class Alert:
    month: dt.date
    scope: Scope
    unit: str  # facility id or staff username
    unit_name: str
    indicator: Indicator
    value: Decimal
    baseline: Decimal | None
    threshold: Decimal
    article: str
    text: str


@dataclass(frozen=True, slots=True)
class UnitMonth:
    scope: Scope
    unit: str
    unit_name: str
    tally: Tally
    baseline: Baseline | None


@dataclass(frozen=True, slots=True)
class Watch:
    """What was watched in a month and what it raised."""

    month: dt.date
    thresholds: Thresholds
    units: tuple[UnitMonth, ...]
    warnings: tuple[Alert, ...]


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _first_of(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _visits(connection: Connection, clinics: Iterable[str], first: dt.date, last: dt.date) -> list[Any]:
    """One row a standing settled visit (self-pay ones are no insured spending): its clinic, staff,
    person, cost and what it held."""
    exam = func.coalesce(
        select(func.sum(VisitItem.amount_fen))
        .where(VisitItem.visit_id == Visit.id, VisitItem.kind == "exam")
        .correlate(Visit)
        .scalar_subquery(),
        0,
    )
    antibiotic = (
        exists()
        .where(VisitItem.visit_id == Visit.id, CatalogueItem.code == VisitItem.code)
        .where(CatalogueItem.atc_code.like(f"{ANTIBIOTIC_ATC}%"))
        .correlate(Visit)
    )
    statement = (
        select(
            Visit.visit_date,
            Visit.facility_id,
            Visit.staff_id,
            Settlement.person_id,
            Settlement.total_fen,
            Settlement.out_of_scope_fen,
            exam,
            antibiotic,
        )
        .join(Settlement, Settlement.visit_id == Visit.id)
        .where(Visit.facility_id.in_(list(clinics)), Visit.visit_date.between(first, last))
        .where(~exists().where(Reversal.settlement_id == Settlement.id), not_(Settlement.self_pay))
    )
    return list(connection.execute(statement))


def watch(store: Store, heading: Heading, year: int, month: int) -> Watch:
    """The month's indicators for every unit, against each unit's own last twelve months."""
    this = _month_index(dt.date(year, month, 1))
    first = _first_of(this - 12)
    last = _first_of(this + 1) - dt.timedelta(days=1)
    with store.reading() as session:
        connection = session.connection()
        thresholds = read_thresholds(connection)
        rows = _visits(connection, heading.clinics, first, last)
        clinic_names = dict(
            connection.execute(select(Facility.id, Facility.name).where(Facility.id.in_(heading.clinics))).all()
        )
        staff = {
            sid: (user, name) for sid, user, name in connection.execute(select(Staff.id, Staff.username, Staff.name))
        }
    tallies: dict[tuple[Scope, str], dict[int, Tally]] = {}
    for day, clinic, staff_id, person, total, self_pay, exam, antibiotic in rows:
        index = _month_index(day)
        user = staff.get(staff_id, (str(staff_id), str(staff_id)))[0]
        for key in ((Scope.CENTRE, heading.facility_id), (Scope.CLINIC, clinic), (Scope.STAFF, user)):
            tallies.setdefault(key, {}).setdefault(index, Tally()).add(
                person, total, self_pay, int(exam), bool(antibiotic)
            )
    names = {
        **{(Scope.CLINIC, cid): name for cid, name in clinic_names.items()},
        (Scope.CLINIC, heading.facility_id): f"{heading.facility_name}（本院）",
        (Scope.CENTRE, heading.facility_id): f"{heading.facility_name}（含村卫生室）",
        **{(Scope.STAFF, user): name for user, name in staff.values()},
    }
    units = tuple(
        UnitMonth(key[0], key[1], names.get(key, key[1]), months[this], _baseline(months, this, thresholds))
        for key, months in sorted(tallies.items())
        if this in months
    )
    found = [w for unit in units for w in _judge(unit, _first_of(this), thresholds)]
    return Watch(_first_of(this), thresholds, units, tuple(found))


def _baseline(months: Mapping[int, Tally], this: int, thresholds: Thresholds) -> Baseline | None:
    past = [months[i] for i in range(this - 12, this) if i in months]
    visits = sum(t.visits for t in past)
    if visits < thresholds.min_visits:
        return None
    return Baseline(
        visits=visits,
        person_months=sum(len(t.persons) for t in past),
        total_fen=sum(t.total_fen for t in past),
        self_pay_fen=sum(t.self_pay_fen for t in past),
        exam_fen=sum(t.exam_fen for t in past),
    )


def _judge(unit: UnitMonth, month: dt.date, limits: Thresholds) -> Iterable[Alert]:
    tally = unit.tally
    if tally.visits < limits.min_visits:
        return
    rules: list[tuple[Indicator, Decimal, bool]] = [
        (Indicator.VISITS_PER_PERSON, limits.visits_per_person_growth, True),
        (Indicator.COST_PER_VISIT, limits.cost_per_visit_growth, True),
        (Indicator.SELF_PAY_SHARE, limits.self_pay_share_rise, False),
        (Indicator.EXAM_SHARE, limits.exam_share_rise, False),
    ]
    for indicator, threshold, growth in rules:
        base = None if unit.baseline is None else unit.baseline.value(indicator)
        if base is None:
            continue
        value = tally.value(indicator)
        bar = base * (1 + threshold) if growth else base + threshold
        if value > bar:
            rise = f"比近12个月（{_shown(indicator, base)}）高 {_rise(value, base, growth)}"
            limit = f"阈值 {threshold * 100:.0f}%" if growth else f"阈值 {threshold * 100:.0f} 个百分点"
            text = f"{unit.unit_name}：{NAMES[indicator]} {_shown(indicator, value)}，{rise}（{limit}）"
            yield Alert(month, unit.scope, unit.unit, unit.unit_name, indicator, value, base, threshold, ARTICLE, text)
    share = tally.value(Indicator.ANTIBIOTIC_SHARE)
    if share > limits.antibiotic_share_limit:
        text = (
            f"{unit.unit_name}：{NAMES[Indicator.ANTIBIOTIC_SHARE]} {_shown(Indicator.ANTIBIOTIC_SHARE, share)}"
            f"（{tally.antibiotic_visits}/{tally.visits} 人次），超过 {limits.antibiotic_share_limit * 100:.0f}%"
        )
        yield Alert(
            month,
            unit.scope,
            unit.unit,
            unit.unit_name,
            Indicator.ANTIBIOTIC_SHARE,
            share,
            None,
            limits.antibiotic_share_limit,
            WHO,
            text,
        )


def _shown(indicator: Indicator, value: Decimal) -> str:
    if indicator is Indicator.COST_PER_VISIT:
        return f"{value:.2f} 元"
    if indicator is Indicator.VISITS_PER_PERSON:
        return f"{value:.2f}"
    return f"{value * 100:.1f}%"


def _rise(value: Decimal, base: Decimal, growth: bool) -> str:
    if growth:
        return f"{(value / base - 1) * 100:.1f}%" if base else "—"
    return f"{(value - base) * 100:.1f} 个百分点"


# --- the report ----------------------------------------------------------------------

INDICATOR_KIND = {
    Indicator.VISITS_PER_PERSON: Kind.RATIO,
    Indicator.COST_PER_VISIT: Kind.MONEY,
    Indicator.SELF_PAY_SHARE: Kind.RATIO,
    Indicator.EXAM_SHARE: Kind.RATIO,
    Indicator.ANTIBIOTIC_SHARE: Kind.RATIO,
}


def warning_sections(found: Watch) -> tuple[Section, Section]:
    """The month's warnings, and every unit's indicators beside them."""
    listed = Section(
        "warnings",
        "一、预警",
        (
            Column("scope", "范围"),
            Column("unit", "对象"),
            Column("indicator", "指标"),
            Column("value", "本月"),
            Column("baseline", "近12个月"),
            Column("text", "说明"),
            Column("article", "依据"),
        ),
        tuple(
            (
                SCOPE_NAMES[w.scope],
                w.unit_name,
                NAMES[w.indicator],
                _shown(w.indicator, w.value),
                "" if w.baseline is None else _shown(w.indicator, w.baseline),
                w.text,
                w.article,
            )
            for w in found.warnings
        ),
        note="本月无预警。" if not found.warnings else "",
    )
    measures = Section(
        "indicators",
        "二、本月指标",
        (
            Column("scope", "范围"),
            Column("unit", "对象"),
            Column("visits", "人次", Kind.COUNT),
            Column("persons", "人数", Kind.COUNT),
            Column("total", "医疗总费用", Kind.MONEY),
            Column("visits_per_person", "人次人头比"),
            Column("cost_per_visit", "次均费用", Kind.MONEY),
            Column("self_pay_share", "患者自费比例", Kind.RATIO),
            Column("exam_share", "检查费用占比", Kind.RATIO),
            Column("antibiotic_share", "抗菌药物使用率", Kind.RATIO),
        ),
        tuple(
            (
                SCOPE_NAMES[u.scope],
                u.unit_name,
                u.tally.visits,
                len(u.tally.persons),
                from_fen(u.tally.total_fen),
                f"{u.tally.value(Indicator.VISITS_PER_PERSON):.2f}",
                u.tally.value(Indicator.COST_PER_VISIT),
                u.tally.value(Indicator.SELF_PAY_SHARE),
                u.tally.value(Indicator.EXAM_SHARE),
                u.tally.value(Indicator.ANTIBIOTIC_SHARE),
            )
            for u in found.units
        ),
    )
    return listed, measures


def warning_notes(limits: Thresholds) -> tuple[str, ...]:
    return (
        f"依据：{ARTICLE}（常态化监测普通门诊医药费用增长快、次均费用高、患者自费比例高、检查费用占比高等异常指标）；{WHO}。",
        f"阈值（设置 warning.*）：人次人头比、次均费用比近12个月增长超过 {limits.visits_per_person_growth * 100:.0f}%、"
        f"{limits.cost_per_visit_growth * 100:.0f}%；自费比例、检查占比高出 {limits.self_pay_share_rise * 100:.0f}、"
        f"{limits.exam_share_rise * 100:.0f} 个百分点；抗菌药物使用率超过 {limits.antibiotic_share_limit * 100:.0f}%；"
        f"当月或近12个月不足 {limits.min_visits} 人次的不作判断。",
        *(f"设置 {key} 无法读取，按默认值。" for key in limits.refused),
    )


def warnings_report(store: Store, heading: Heading, year: int, month: int) -> tuple[Report, Watch]:
    found = watch(store, heading, year, month)
    month_first = dt.date(year, month, 1)
    figures: dict[str, Cell] = {"warnings": len(found.warnings)}
    report = heading.report(
        "warnings",
        "普通门诊费用监控预警",
        f"{year}年{month}月",
        month_first,
        _first_of(_month_index(month_first) + 1) - dt.timedelta(days=1),
        warning_sections(found),
        warning_notes(found.thresholds),
        figures,
    )
    return report, found
