"""3201 对总账: the clinic's counts and sums beside the agency's, per facility, insurance,
clearing division and period.

The clinic sends what the agency booked for it as the agency answered it (the official
split) and keeps beside it what the counter settled, so a difference found in sync is
carried here rather than lost. Settlements not yet booked are counted apart: they are
why a period cannot balance yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, and_, exists, func, insert, select

from db.models import Facility, OutboxEntry, Person, Reconciliation, Settlement, Visit
from db.session import Store
from desktop.agency import Reply
from desktop.agency.messages import Message
from desktop.agency.messages import Reconciliation as Statement
from desktop.agency.replies import read_statement
from desktop.money import from_fen
from desktop.sync.sessions import Place

Call = Callable[[Place, Message], tuple[Reply, str]]  # the answer and the msgid it went under


@dataclass(frozen=True, slots=True)
class Group:
    facility_id: str
    insutype: str
    clr_optins: str


@dataclass(frozen=True, slots=True)
class ClinicFigures:
    count: int
    total_fen: int
    fund_fen: int  # as the agency booked it
    account_fen: int
    local_fund_fen: int  # as the counter settled it
    local_account_fen: int
    not_booked: int  # settled here, not (yet) booked by the agency


@dataclass(frozen=True, slots=True)
class Reconciled:
    group: Group
    begin: dt.date
    end: dt.date
    figures: ClinicFigures
    matches: bool
    agency_text: str

    @property
    def local_difference_fen(self) -> int:
        """What the agency's fund paid beyond the counter's split (negative: less)."""
        return self.figures.fund_fen - self.figures.local_fund_fen

    def as_json(self) -> dict[str, object]:
        f = self.figures
        return {
            "facility": self.group.facility_id,
            "insutype": self.group.insutype,
            "clr_optins": self.group.clr_optins,
            "begin": self.begin.isoformat(),
            "end": self.end.isoformat(),
            "matches": self.matches,
            "count": f.count,
            "medfee_sumamt": f"{from_fen(f.total_fen)}",
            "fund_pay_sumamt": f"{from_fen(f.fund_fen)}",
            "acct_pay": f"{from_fen(f.account_fen)}",
            "counter_fund": f"{from_fen(f.local_fund_fen)}",
            "counter_account": f"{from_fen(f.local_account_fen)}",
            "not_yet_booked": f.not_booked,
            "agency_says": self.agency_text,
        }


_CANCELLED = exists().where(
    and_(OutboxEntry.settlement_id == Settlement.id, OutboxEntry.infno == "2208", OutboxEntry.state == "done")
)


def clinic_figures(connection: Connection, group: Group, begin: dt.date, end: dt.date) -> ClinicFigures:
    in_group = (
        select(Settlement.id)
        .join(Visit, Visit.id == Settlement.visit_id)
        .join(Person, Person.id == Settlement.person_id)
        .where(
            Visit.facility_id == group.facility_id,
            Person.insutype == group.insutype,
            Person.insuplc_admdvs == group.clr_optins,
            Visit.visit_date.between(begin, end),
            Settlement.self_pay.is_(False),  # never sent: the agency's books do not hold it
        )
    )
    booked = connection.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Settlement.total_fen), 0),
            func.coalesce(func.sum(Settlement.agency_fund_fen), 0),
            func.coalesce(func.sum(Settlement.agency_account_fen), 0),
            func.coalesce(func.sum(Settlement.fund_fen), 0),
            func.coalesce(func.sum(Settlement.account_fen), 0),
        ).where(Settlement.id.in_(in_group), Settlement.agency_setl_id.is_not(None), ~_CANCELLED)
    ).one()
    waiting = connection.execute(
        select(func.count()).where(
            Settlement.id.in_(in_group), Settlement.agency_setl_id.is_(None), Settlement.status != "void"
        )
    ).scalar_one()
    count, total, fund, account, local_fund, local_account = (int(value) for value in booked)
    return ClinicFigures(count, total, fund, account, local_fund, local_account, not_booked=int(waiting))


def periods_to_reconcile(connection: Connection) -> list[tuple[Group, tuple[dt.date, dt.date]]]:
    """Each group with bookings or cancellations answered since it was last reconciled, and
    the visit dates they span; a sync that stopped before reconciling is caught up here."""
    key = (Reconciliation.facility_id, Reconciliation.insutype, Reconciliation.clr_optins)
    last = {
        Group(facility, insutype, clr_optins): at
        for facility, insutype, clr_optins, at in connection.execute(
            select(*key, func.max(Reconciliation.at)).group_by(*key)
        )
    }
    answered = (
        select(Visit.facility_id, Person.insutype, Person.insuplc_admdvs, Visit.visit_date, OutboxEntry.done_at)
        .join(Settlement, Settlement.id == OutboxEntry.settlement_id)
        .join(Visit, Visit.id == Settlement.visit_id)
        .join(Person, Person.id == Settlement.person_id)
        .where(OutboxEntry.infno.in_(("2207", "2208")), OutboxEntry.state == "done")
    )
    if last:
        answered = answered.where(OutboxEntry.done_at > min(last.values()))
    periods: dict[Group, tuple[dt.date, dt.date]] = {}
    for row in connection.execute(answered):
        group = Group(row.facility_id, row.insutype, row.insuplc_admdvs)
        reconciled = last.get(group)
        if reconciled is not None and row.done_at <= reconciled:
            continue
        begin, end = periods.get(group, (row.visit_date, row.visit_date))
        periods[group] = (min(begin, row.visit_date), max(end, row.visit_date))
    return sorted(periods.items(), key=lambda item: (item[0].facility_id, item[0].insutype, item[0].clr_optins))


def reconcile(store: Store, call: Call, group: Group, begin: dt.date, end: dt.date, now: dt.datetime) -> Reconciled:
    with store.reading() as session:
        connection = session.connection()
        figures = clinic_figures(connection, group, begin, end)
        facility = connection.execute(
            select(Facility.code, Facility.name, Facility.admdvs).where(Facility.id == group.facility_id)
        ).one()
    statement = Statement(
        insutype=group.insutype,
        setl_optins=group.clr_optins,
        stmt_begndate=begin,
        stmt_enddate=end,
        medfee_sumamt=from_fen(figures.total_fen),
        fund_pay_sumamt=from_fen(figures.fund_fen),
        acct_pay=from_fen(figures.account_fen),
        fixmedins_setl_cnt=figures.count,
    )
    reply, msgid = call(Place(facility.code, facility.name, facility.admdvs), statement)
    answer = read_statement(reply)
    result = Reconciled(group, begin, end, figures, answer.matches, answer.stmt_rslt_dscr)
    with store.writing() as session:
        session.execute(
            insert(Reconciliation).values(
                at=now,
                facility_id=group.facility_id,
                insutype=group.insutype,
                clr_optins=group.clr_optins,
                begin=begin,
                end=end,
                msgid=msgid,
                sent_count=figures.count,
                sent_total_fen=figures.total_fen,
                sent_fund_fen=figures.fund_fen,
                sent_account_fen=figures.account_fen,
                local_fund_fen=figures.local_fund_fen,
                local_account_fen=figures.local_account_fen,
                matches=answer.matches,
                agency_text=answer.stmt_rslt_dscr[:2000],
            )
        )
    return result
