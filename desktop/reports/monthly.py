"""The monthly statistics report (门诊统筹费用统计报表) the agency asks for by the 5th of each month
(韶医保规〔2023〕2号 第十条): last month's settled visits by scheme, by village clinic and by payer.

The month is the visits' month, as the ledger's; the centre's report covers the village
clinics it runs. The figures are the official ones (``desktop.official``): the agency's
split once it booked a visit. What was reversed (冲正), what the agency set aside, and the
self-pay (自费) visits, which are no pooling settlement, are left out and counted apart.
Totals come from the same rows as the lines, so they add up to the fen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, exists, func, not_, select

from db.models import Facility, Reversal, Settlement, Visit
from db.session import Store
from desktop.money import ZERO, from_fen, round_fen
from desktop.official import BOOKED, COUNTED, OFFICIAL_ACCOUNT, OFFICIAL_CASH, OFFICIAL_FUND, SET_ASIDE
from desktop.policy import PolicyBook, default_book
from desktop.reports.document import Cell, Column, Kind, Report, Section, ratio
from desktop.reports.heading import Heading

ARTICLE = "韶医保规〔2023〕2号 第十条"
FIGURE_COLUMNS = (
    Column("visits", "人次", Kind.COUNT),
    Column("persons", "人数", Kind.COUNT),
    Column("total", "医疗总费用", Kind.MONEY),
    Column("in_scope", "政策范围内费用", Kind.MONEY),
    Column("fund", "统筹基金支付", Kind.MONEY),
    Column("account", "个人账户支付", Kind.MONEY),
    Column("cash", "个人现金支付", Kind.MONEY),
    Column("per_visit", "次均费用", Kind.MONEY),
)


REVERSED = exists().where(Reversal.settlement_id == Settlement.id)


def of_the_month(clinics: Sequence[str], first: dt.date, last: dt.date) -> Any:
    """The settlements of the clinics' visits in the period (the pooling's: not self-pay)."""
    return and_(Visit.facility_id.in_(clinics), Visit.visit_date.between(first, last), not_(Settlement.self_pay))


@dataclass(frozen=True, slots=True)
class Figures:
    visits: int
    persons: int
    total: Decimal
    in_scope: Decimal
    fund: Decimal
    account: Decimal
    cash: Decimal

    @classmethod
    def of_row(cls, row: Any) -> Figures:
        visits, persons, total, in_scope, fund, account, cash = row
        return cls(
            int(visits),
            int(persons),
            *(from_fen(int(x or 0)) for x in (total, in_scope, fund, account, cash)),
        )

    def cells(self) -> tuple[Cell, ...]:
        per_visit = round_fen(self.total / self.visits) if self.visits else ZERO
        return (self.visits, self.persons, self.total, self.in_scope, self.fund, self.account, self.cash, per_visit)


_SUMS = (
    func.count(Settlement.id),
    func.count(func.distinct(Settlement.person_id)),
    func.sum(Settlement.total_fen),
    func.sum(Settlement.in_scope_fen),
    func.sum(OFFICIAL_FUND),
    func.sum(OFFICIAL_ACCOUNT),
    func.sum(OFFICIAL_CASH),
)


def _grouped(connection: Connection, where: Any, *keys: Any) -> list[Any]:
    statement = (
        select(*keys, *_SUMS)
        .select_from(Settlement)
        .join(Visit, Visit.id == Settlement.visit_id)
        .where(where, ~REVERSED, COUNTED)
    )
    if keys:
        statement = statement.group_by(*keys).order_by(*keys)
    return list(connection.execute(statement))


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def monthly_report(store: Store, heading: Heading, year: int, month: int, book: PolicyBook | None = None) -> Report:
    book = book or default_book()
    first, last = month_bounds(year, month)
    with store.reading() as session:
        connection = session.connection()
        names = dict(
            connection.execute(select(Facility.id, Facility.name).where(Facility.id.in_(heading.clinics))).all()
        )
        where = of_the_month(heading.clinics, first, last)
        by_scheme = _grouped(connection, where, Settlement.policy)
        by_clinic = _grouped(connection, where, Visit.facility_id)
        overall = Figures.of_row(_grouped(connection, where)[0])
        apart = _apart(connection, heading.clinics, first, last)
    schemes = Section(
        "by_scheme",
        "一、按险种",
        (Column("scheme", "险种"), Column("policy", "政策"), *FIGURE_COLUMNS),
        tuple((_title(book, row[0], last), row[0], *Figures.of_row(row[1:]).cells()) for row in by_scheme),
        ("合计", None, *overall.cells()),
    )
    clinics = Section(
        "by_clinic",
        "二、按机构（含一体化村卫生室）",
        (Column("clinic", "机构"), Column("facility_id", "机构编号"), *FIGURE_COLUMNS),
        tuple((names.get(row[0], row[0]), row[0], *Figures.of_row(row[1:]).cells()) for row in by_clinic),
        ("合计", None, *overall.cells()),
    )
    payers = Section(
        "by_payer",
        "三、按支付方",
        (Column("payer", "支付方"), Column("amount", "金额", Kind.MONEY), Column("share", "占比", Kind.RATIO)),
        tuple(
            (name, amount, ratio(amount, overall.total))
            for name, amount in (("统筹基金", overall.fund), ("个人账户", overall.account), ("个人现金", overall.cash))
        ),
        ("合计", overall.total, ratio(overall.total, overall.total) if overall.total else Decimal("0.0000")),
    )
    notes = (
        f"本月冲正 {apart.reversed} 笔（医疗总费用 {apart.reversed_total} 元），不计入上表。",
        f"医保经办机构退回待处理 {apart.set_aside} 笔，不计入上表；自费就诊 {apart.self_pay} 人次，不属统筹结算。",
        f"上表中 {apart.booked} 笔按医保经办机构的结算结果（官方）计列，{apart.waiting} 笔待医保确认，按本院结算计列。",
        f"依据：{ARTICLE}，于次月5日前报医疗保障经办机构审核。",
    )
    figures: dict[str, Cell] = {
        "visits": overall.visits,
        "persons": overall.persons,
        "total": overall.total,
        "fund": overall.fund,
        "account": overall.account,
        "cash": overall.cash,
        "reversed": apart.reversed,
        "set_aside": apart.set_aside,
        "self_pay": apart.self_pay,
    }
    return heading.report(
        "monthly", "门诊统筹费用统计月报", f"{year}年{month}月", first, last, (schemes, clinics, payers), notes, figures
    )


@dataclass(frozen=True, slots=True)
class Apart:
    """What the month's report leaves out of its lines, and how its lines stand with the agency."""

    reversed: int
    reversed_total: Decimal
    set_aside: int
    self_pay: int
    booked: int
    waiting: int


def _apart(connection: Connection, clinics: Sequence[str], first: dt.date, last: dt.date) -> Apart:
    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    month = and_(Visit.facility_id.in_(clinics), Visit.visit_date.between(first, last))
    pooled = and_(not_(Settlement.self_pay), ~REVERSED)
    row = connection.execute(
        select(
            count(and_(REVERSED, not_(Settlement.self_pay))),
            func.coalesce(
                func.sum(case((and_(REVERSED, not_(Settlement.self_pay)), Settlement.total_fen), else_=0)), 0
            ),
            count(and_(pooled, SET_ASIDE)),
            count(and_(Settlement.self_pay, ~REVERSED)),
            count(and_(pooled, BOOKED)),
            count(and_(pooled, COUNTED, not_(BOOKED))),
        )
        .select_from(Settlement)
        .join(Visit, Visit.id == Settlement.visit_id)
        .where(month)
    ).one()
    reversed_, reversed_total, set_aside, self_pay, booked, waiting = (int(value) for value in row)
    return Apart(reversed_, from_fen(reversed_total), set_aside, self_pay, booked, waiting)


def _title(book: PolicyBook, policy: str, day: dt.date) -> str:
    if policy not in book.policies:
        return policy
    versions = book.versions(policy)
    found = [v for v in versions if v.in_force(day)] or versions
    return found[-1].title
