"""The month's ledger (门诊台账) and the day close (日结) as reports, drawn from their own models.

``desktop.ledger`` and ``desktop.day_close`` read the records and work the totals out once;
these only lay those models out as sections, so the workbook, the PDF and the JSON show
the figures the screens show.
"""

from __future__ import annotations

import datetime as dt

from db.models import Staff
from db.session import Store
from desktop.day_close import DayClose, Split, day_close
from desktop.ledger import LedgerError, LedgerQuery, Period, clinic_names, ledger_rows, totals, viewer_sees_full_id
from desktop.policy import PolicyBook
from desktop.reports.document import Cell, Column, Kind, Report, Section
from desktop.reports.heading import Heading, ReportError

LEDGER_ARTICLE = "湘人社发〔2017〕94号 第十三条（门诊台账）"


def ledger_report(store: Store, heading: Heading, period: Period, viewer_role: str | None) -> Report:
    """The register of the period's settled visits, the centre's and its village clinics', reversed ones struck."""
    full_id = viewer_role is not None and viewer_sees_full_id(viewer_role)
    try:
        names = clinic_names(store, heading.facility_id)
        rows = ledger_rows(store, LedgerQuery(heading.facility_id, period, include_villages=True, full_id=full_id))
    except LedgerError as exc:
        raise ReportError(exc.field, exc.message) from None
    summed = totals(rows)
    section = Section(
        "ledger",
        "门诊台账",
        (
            Column("date", "就诊日期"),
            Column("clinic", "机构"),
            Column("household_head", "户主"),
            Column("patient", "患者"),
            Column("address", "住址"),
            Column("id_number", "有效证件号码"),
            Column("diagnosis", "初步诊断"),
            Column("total", "门诊医药总费用", Kind.MONEY),
            Column("fund", "门诊统筹应支付", Kind.MONEY),
            Column("patient_share", "患者应自付", Kind.MONEY),
            Column("signed", "签名"),
            Column("phone", "联系电话"),
            Column("settlement", "结算号", Kind.COUNT),
            Column("status", "状态"),
        ),
        tuple(
            (
                row.visit_date.isoformat(),
                names.get(row.facility_id, row.facility_id),
                row.household_head,
                row.patient_name,
                row.address,
                row.id_number,
                row.diagnosis,
                row.total,
                row.fund,
                row.patient_share,
                "已签名" if row.signed else "未签名",
                row.phone,
                row.settlement_id,
                f"已冲正：{row.reversal_reason}" if row.reversed else "",
            )
            for row in rows
        ),
        (
            "合计",
            None,
            None,
            None,
            None,
            None,
            f"{summed.visits} 人次",
            summed.total,
            summed.fund,
            summed.patient_share,
            f"{summed.signed} 已签名",
            None,
            None,
            f"{summed.reversed} 笔冲正",
        ),
        struck=frozenset(number for number, row in enumerate(rows) if row.reversed),
    )
    single_day = period.first == period.last
    label = period.first.isoformat() if single_day else f"{period.first.year}年{period.first.month}月"
    figures: dict[str, Cell] = {
        "visits": summed.visits,
        "reversed": summed.reversed,
        "signed": summed.signed,
        "total": summed.total,
        "fund": summed.fund,
        "account": summed.account,
        "cash": summed.cash,
    }
    notes = (
        f"依据：{LEDGER_ARTICLE}。冲正的就诊保留在台账中并划线标出，不计入合计。",
        "证件号码按制表人的权限显示；报送经办机构的台账须由有权查看完整号码的人员制作。" if not full_id else "",
    )
    return heading.report(
        "ledger", "门诊台账", label, period.first, period.last, (section,), tuple(n for n in notes if n), figures
    )


def _split_cells(split: Split) -> tuple[Cell, ...]:
    return (split.total, split.fund, split.account, split.cash)


SPLIT_COLUMNS = (
    Column("total", "合计", Kind.MONEY),
    Column("fund", "统筹基金", Kind.MONEY),
    Column("account", "个人账户", Kind.MONEY),
    Column("cash", "现金", Kind.MONEY),
)


def day_close_report(store: Store, heading: Heading, day: dt.date, book: PolicyBook | None = None) -> Report:
    try:
        close = day_close(store, heading.facility_id, day, book)
    except LedgerError as exc:
        raise ReportError(exc.field, exc.message) from None
    return _day_close(heading, close)


def _day_close(heading: Heading, close: DayClose) -> Report:
    schemes = Section(
        "by_scheme",
        "一、按险种",
        (
            Column("scheme", "险种"),
            Column("policy_version", "政策文件"),
            Column("settled", "结算笔数", Kind.COUNT),
            Column("reversed", "冲正笔数", Kind.COUNT),
            *SPLIT_COLUMNS,
        ),
        tuple(
            (line.title, line.policy_version, line.settled_count, line.reversed_count, *_split_cells(line.net))
            for line in close.schemes
        ),
        ("合计", None, close.settled_count, close.reversed_count, *_split_cells(close.net)),
    )
    payers = Section(
        "by_payer",
        "二、按支付方",
        (
            Column("payer", "支付方"),
            Column("settled", "结算", Kind.MONEY),
            Column("reversed", "冲正", Kind.MONEY),
            Column("net", "净额", Kind.MONEY),
        ),
        tuple(
            (name, getattr(close.settled, key), getattr(close.reversed, key), getattr(close.net, key))
            for name, key in (("统筹基金", "fund"), ("个人账户", "account"), ("现金", "cash"))
        ),
        ("合计", close.settled.total, close.reversed.total, close.net.total),
    )
    reversals = Section(
        "reversals",
        "三、当日冲正",
        (
            Column("reversed_at", "冲正时间"),
            Column("settlement", "结算号", Kind.COUNT),
            Column("settled_on", "结算日期"),
            Column("patient", "患者"),
            Column("reason", "原因"),
            Column("staff", "经办人"),
            *SPLIT_COLUMNS,
        ),
        tuple(
            (
                line.reversed_at.strftime("%H:%M"),
                line.settlement_id,
                f"{line.settled_on.isoformat()}{'（前日）' if line.earlier_day else ''}",
                line.patient,
                line.reason,
                line.staff,
                *_split_cells(line.split),
            )
            for line in close.reversals
        ),
        ("合计", close.reversed_count, None, None, None, None, *_split_cells(close.reversed)),
        note="当日无冲正。" if not close.reversals else "",
    )
    figures: dict[str, Cell] = {
        "settled": close.settled_count,
        "reversed": close.reversed_count,
        "net_total": close.net.total,
        "net_fund": close.net.fund,
        "net_account": close.net.account,
        "net_cash": close.net.cash,
    }
    notes = (
        "冲正计入冲正当日；冲正前日的结算，其原结算日的日结不变。",
        f"日结人：{heading.made_by}　　复核人：____________________",
    )
    return heading.report(
        "day-close",
        "日结",
        close.day.isoformat(),
        close.day,
        close.day,
        (schemes, payers, reversals),
        notes,
        figures,
        landscape=False,
    )


def viewer_role(store: Store, username: str | None) -> str | None:
    if username is None:
        return None
    from sqlalchemy import select

    with store.reading() as session:
        role: str | None = session.scalar(select(Staff.role).where(Staff.username == username))
    return role
