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
from desktop.ledger import LedgerError, LedgerQuery, Period, clinic_names, ledger_rows, totals
from desktop.official import Standing
from desktop.policy import PolicyBook
from desktop.privacy import for_role
from desktop.reports.document import Cell, Column, Kind, Report, Section
from desktop.reports.heading import Heading, ReportError

LEDGER_ARTICLE = "湘人社发〔2017〕94号 第十三条（门诊台账）"


STANDINGS = {
    Standing.SELF_PAY: "自费",
    Standing.WAITING: "待医保确认",
    Standing.SET_ASIDE: "医保退回（不计入）",
    Standing.BOOKED: "已结算",
    Standing.DIFFERS: "以医保为准",
}


def ledger_report(store: Store, heading: Heading, period: Period, viewer_role: str | None) -> Report:
    """The register of the period's settled visits, the centre's and its village clinics', self-pay ones
    included; reversed ones struck, those the agency set aside marked: both left out of the totals."""
    full_id = viewer_role is not None and for_role(viewer_role).full_id
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
            Column("standing", "医保状态"),
            Column("status", "冲正"),
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
                STANDINGS[row.standing],
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
            f"{summed.waiting} 待医保确认",
            f"{summed.reversed} 笔冲正",
        ),
        struck=frozenset(number for number, row in enumerate(rows) if row.reversed),
    )
    single_day = period.first == period.last
    label = period.first.isoformat() if single_day else f"{period.first.year}年{period.first.month}月"
    figures: dict[str, Cell] = {
        "visits": summed.visits,
        "reversed": summed.reversed,
        "set_aside": summed.set_aside,
        "self_pay": summed.self_pay,
        "waiting": summed.waiting,
        "differs": summed.differs,
        "signed": summed.signed,
        "total": summed.total,
        "fund": summed.fund,
        "account": summed.account,
        "cash": summed.cash,
    }
    notes = (
        f"依据：{LEDGER_ARTICLE}。冲正的就诊保留在台账中并划线标出，不计入合计。",
        f"金额为官方结算数：医保经办机构已结算的按其结算结果（其中 {summed.differs} 笔与本院结算不同），"
        f"其余按本院结算；医保退回的 {summed.set_aside} 笔不计入合计；自费就诊 {summed.self_pay} 人次计入。",
        "" if full_id else "证件号码按制表人的权限遮盖；报送经办机构的台账须由有权查看完整号码的人员制作。",
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
        "一、按险种（官方结算数）",
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
    drawer = close.drawer
    cash = Section(
        "drawer",
        "三、钱箱",
        (Column("item", "项目"), Column("amount", "金额", Kind.MONEY)),
        (
            ("结算收取现金", drawer.settled),
            ("冲正退还现金", -drawer.reversed),
            ("补收", drawer.collected),
            ("退费", -drawer.refunded),
        ),
        ("合计：钱箱应有", drawer.expected),
        note="钱箱按柜台实际收付计；与官方结算数的差额由补收、退费结清。",
    )
    reversals = Section(
        "reversals",
        "四、当日冲正",
        (
            Column("reversed_at", "冲正时间"),
            Column("settlement", "结算号", Kind.COUNT),
            Column("settled_on", "结算日期"),
            Column("patient", "患者"),
            Column("reason", "原因"),
            Column("staff", "经办人"),
            *SPLIT_COLUMNS,
            Column("cash_back", "退还现金", Kind.MONEY),
            Column("account_back", "退回个人账户", Kind.MONEY),
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
                line.cash_back,
                line.account_back,
            )
            for line in close.reversals
        ),
        ("合计", close.reversed_count, None, None, None, None, *_split_cells(close.reversed), drawer.reversed, None),
        note="当日无冲正。" if not close.reversals else "",
    )
    settle_ups = Section(
        "settle_ups",
        "五、补收 / 退费",
        (
            Column("state", "状态"),
            Column("settlement", "结算号", Kind.COUNT),
            Column("patient", "患者"),
            Column("amount", "补收(+)/退费(-)", Kind.MONEY),
            Column("staff", "经办人"),
            Column("agency_setl_id", "医保结算号"),
        ),
        (
            *(
                (
                    ("已办" + ("补收" if line.kind == "collect" else "退费")),
                    line.settlement_id,
                    line.patient,
                    line.cash,
                    line.staff,
                    line.agency_setl_id,
                )
                for line in close.settle_ups
            ),
            *(("尚欠", line.settlement_id, line.patient, line.owed, "", line.agency_setl_id) for line in close.owed),
        ),
        note=(
            f"当日补收 {drawer.collected}、退费 {drawer.refunded}；日终尚欠补收 {close.owed_to_collect}、"
            f"尚欠退费 {close.owed_to_refund}。"
        ),
    )
    set_aside = Section(
        "set_aside",
        "六、医保退回（不计入合计）",
        (
            Column("settled_at", "结算时间"),
            Column("settlement", "结算号", Kind.COUNT),
            Column("patient", "患者"),
            *SPLIT_COLUMNS,
            Column("reversed", "冲正"),
        ),
        tuple(
            (
                f"{line.settled_at:%H:%M}",
                line.settlement_id,
                line.patient,
                *_split_cells(line.split),
                "已冲正" if line.reversed else "",
            )
            for line in close.set_aside
        ),
        note="当日无医保退回。" if not close.set_aside else "",
    )
    figures: dict[str, Cell] = {
        "settled": close.settled_count,
        "reversed": close.reversed_count,
        "net_total": close.net.total,
        "net_fund": close.net.fund,
        "net_account": close.net.account,
        "net_cash": close.net.cash,
        "drawer_expected": drawer.expected,
        "waiting": close.waiting_count,
        "differs": close.differs_count,
        "set_aside": len(close.set_aside),
    }
    notes = (
        "冲正计入冲正当日；冲正前日的结算，其原结算日的日结不变。补收、退费计入办理当日。",
        f"金额为官方结算数：其中 {close.differs_count} 笔以医保为准，{close.waiting_count} 笔待医保确认。",
        "审计链头（请另行保存，供 clinic-pos audit verify --head 核对）：",
        close.audit_head,
        f"日结人：{heading.made_by}　　复核人：____________________",
    )
    return heading.report(
        "day-close",
        "日结",
        close.day.isoformat(),
        close.day,
        close.day,
        (schemes, payers, cash, reversals, settle_ups, set_aside),
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
