"""The fund position (门诊统筹基金运行情况): the year's budget, each month's ceiling or advance
against what was spent and paid, and the year-end band the year is heading for.

Built from the fund engine's position (``desktop.fund``), which takes its months' spending
from ``month_total``: a year of a busy centre is twelve rows a policy.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from db.session import Store
from desktop.fund.engine import month_end
from desktop.fund.from_store import NoFundError, fund_position
from desktop.fund.types import FundPosition
from desktop.fund.wording import LIMITS, band_text
from desktop.money import ZERO
from desktop.policy import PolicyBook, default_book
from desktop.policy.codec import InputError
from desktop.policy.fund_rules import FundMethod
from desktop.reports.document import Cell, Column, Kind, Report, Section, ratio
from desktop.reports.heading import Heading, ReportError

METHODS = {
    FundMethod.AGE_GROUPS: "按服务组群预算标准，月预结算、年度决算",
    FundMethod.PER_HEAD_MONTHLY_ADVANCE: "按人头定额包干，月预付、年终清算",
    FundMethod.PER_HEAD_QUARTERLY_ADVANCE: "按人头年度总额包干，按季度预拨、结余滚存",
}


def fund_report(
    store: Store, heading: Heading, year: int, month: int, book: PolicyBook | None = None
) -> tuple[Report, FundPosition]:
    """The position as at the end of ``month`` of ``year``."""
    as_of = month_end(year, month)
    try:
        _scope, position = fund_position(
            store, heading.facility_id, year, as_of=as_of, book=book or default_book(), through=month
        )
    except NoFundError as exc:
        raise ReportError("facility", str(exc)) from None
    except InputError as exc:
        raise ReportError(exc.field, exc.message) from None
    return build(heading, position, month), position


def build(heading: Heading, position: FundPosition, month: int) -> Report:
    method = FundMethod(position.method)
    sections = [_summary(position, month), _months(position, method)]
    if position.groups:
        sections.append(_groups(position))
    if position.quarters:
        sections.append(_quarters(position))
    notes = (
        f"政策：{position.policy_version}（{position.policy}），{METHODS[method]}。",
        "实际发生为本机构及其一体化村卫生室结算的统筹基金支付额，已扣除冲正；经办机构另行结算的按其结算结果计列。",
        *(f"{name}：{article}" for name, article in sorted(position.articles.items())),
    )
    first = dt.date(position.year, 1, 1)
    figures: dict[str, Cell] = {
        "policy": position.policy,
        "budget": position.budget,
        "signed": position.signed,
        "fund_paid": position.fund_paid,
        "paid": sum((m.paid for m in position.months if m.paid is not None), ZERO),
        "projected": None if position.projection is None else position.projection.projected,
        "projected_band": None if position.projection is None else position.projection.band,
    }
    as_of = position.projection.as_of if position.projection else month_end(position.year, month)
    return heading.report(
        "fund",
        "门诊统筹基金运行情况",
        f"{position.year}年（截至{as_of.year}年{as_of.month}月{as_of.day}日）",
        first,
        min(as_of, month_end(position.year, 12)),
        sections,
        notes,
        figures,
    )


def _summary(position: FundPosition, month: int) -> Section:
    this = position.months[month - 1]
    projection = position.projection
    rows: list[tuple[Cell, ...]] = [
        ("年度预算", position.budget, f"年内签约 {position.signed} 人"),
        (
            f"截至{projection.months if projection else 0}月末实际发生",
            projection.fund_paid if projection else ZERO,
            f"{projection.months if projection else 0} 个月",
        ),
    ]
    if projection is not None:
        rows.append(
            ("预计全年发生", projection.projected, f"占预算 {ratio(projection.projected, position.budget) * 100:.2f}%")
        )
        rows.append(("预计年终档次", None, band_text(projection.band)))
    if this.limit is not None:
        rows.append((f"{month}月 {LIMITS[FundMethod(position.method)]}", this.limit, f"签约 {this.signed} 人"))
    rows.append((f"{month}月实际发生", this.fund_paid, ""))
    if this.paid is not None:
        rows.append((f"{month}月应拨付", this.paid, "取实际发生与额度之小者"))
    return Section(
        "summary",
        "一、概况",
        (Column("item", "项目"), Column("amount", "金额", Kind.MONEY), Column("note", "说明")),
        tuple(rows),
    )


def _months(position: FundPosition, method: FundMethod) -> Section:
    shaoguan = method is FundMethod.PER_HEAD_MONTHLY_ADVANCE
    columns = [
        Column("month", "月份"),
        Column("signed", "签约人数" if not shaoguan else "上月末签约人数", Kind.COUNT),
        Column("limit", LIMITS[method], Kind.MONEY),
        Column("fund_paid", "实际发生", Kind.MONEY),
    ]
    if shaoguan:
        columns += [Column("pre_settlement", "月预结算额", Kind.MONEY), Column("deposit", "质量保证金", Kind.MONEY)]
    columns += [
        Column("paid", "应拨付", Kind.MONEY),
        Column("cumulative", "累计发生", Kind.MONEY),
        Column("used", "占年度预算", Kind.RATIO),
    ]
    rows: list[tuple[Cell, ...]] = []
    running = ZERO
    for m in position.months:
        running += m.fund_paid
        cells: list[Cell] = [f"{position.year}-{m.month:02d}", m.signed, m.limit, m.fund_paid]
        if shaoguan:
            cells += [m.pre_settlement, m.deposit]
        cells += [m.paid, running, ratio(running, position.budget)]
        rows.append(tuple(cells))
    limits = [m.limit for m in position.months if m.limit is not None]
    paid = [m.paid for m in position.months if m.paid is not None]
    totals: list[Cell] = ["合计", None, sum(limits, ZERO) if limits else None, position.fund_paid]
    if shaoguan:
        totals += [
            sum((m.pre_settlement or ZERO for m in position.months), ZERO),
            sum((m.deposit or ZERO for m in position.months), ZERO),
        ]
    totals += [sum(paid, ZERO) if paid else None, position.fund_paid, ratio(position.fund_paid, position.budget)]
    return Section("months", "二、逐月额度与发生", tuple(columns), tuple(rows), tuple(totals))


def _groups(position: FundPosition) -> Section:
    return Section(
        "groups",
        "三、服务组群预算",
        (
            Column("group", "组群"),
            Column("standard", "预算标准（元/人/年）", Kind.MONEY),
            Column("persons", "人年"),
            Column("budget", "预算额度", Kind.MONEY),
        ),
        tuple((f"第{g.group}组", g.standard, f"{g.persons:f}", g.budget) for g in position.groups),
        ("合计", None, f"{sum((g.persons for g in position.groups), Decimal(0)):f}", position.budget),
    )


def _quarters(position: FundPosition) -> Section:
    return Section(
        "quarters",
        "三、季度预拨",
        (Column("quarter", "季度"), Column("advance", "预拨", Kind.MONEY), Column("fund_paid", "实际发生", Kind.MONEY)),
        tuple((f"{position.year}年第{q.number}季度", q.advance, q.fund_paid) for q in position.quarters),
        ("合计", position.budget, position.fund_paid),
    )
