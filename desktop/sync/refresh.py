"""Year-to-date figures and the account balance, refreshed from the agency's own books.

The agency's figures include what the patient used at other clinics, which the local
roster cannot know. They replace the local ones only for a person with nothing waiting
in the outbox: a figure refreshed while a local settlement is still unsent would drop
that settlement from the local total. The check and the write are one transaction, so a
clerk settling the same patient meanwhile is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from db import audit as chain
from db.models import Accumulator, Person
from db.session import Store
from desktop.agency import Reply, codes
from desktop.agency.messages import AccumulatorQuery, Message, PersonQuery
from desktop.agency.msgid import CHINA
from desktop.agency.replies import read_accumulators, read_person
from desktop.divisions import is_division
from desktop.money import to_fen
from desktop.sync.outbox import audit, waiting_for_person
from desktop.sync.sessions import Place

Call = Callable[[Place, Message, str], Reply]


@dataclass(frozen=True, slots=True)
class Figures:
    deductible_fen: int
    fund_fen: int
    out_of_city_fen: int


@dataclass(frozen=True, slots=True)
class Refreshed:
    person_id: int
    changed: bool


def month_for(year: int, today: dt.date) -> str:
    """5206's ``cum_ym``: this month for this year, December for a year gone by."""
    return f"{today:%Y%m}" if year == today.year else f"{year}12"


def refresh_person(
    store: Store, call: Call, place: Place, person_id: int, years: set[int], now: dt.datetime
) -> Refreshed | None:
    """Ask 5206 and 1101 for one person; store what they say unless something is waiting."""
    with store.reading() as session:
        person = session.execute(
            select(Person.psn_no, Person.id_number, Person.insutype, Person.insuplc_admdvs).where(
                Person.id == person_id
            )
        ).one()
        if waiting_for_person(session.connection(), person_id):
            return None
    today = now.astimezone(CHINA).date()
    figures = {}
    for year in sorted(years):
        query = AccumulatorQuery(psn_no=person.psn_no, cum_ym=month_for(year, today))
        found = read_accumulators(call(place, query, person.insuplc_admdvs))
        figures[year] = Figures(
            to_fen(found.deductible_met(person.insutype, year)),
            to_fen(found.fund_paid(person.insutype, year)),
            to_fen(found.fund_paid_out_of_city(person.insutype, year)),
        )
    info = read_person(call(place, PersonQuery(mdtrt_cert_type=codes.ID_CARD, mdtrt_cert_no=person.id_number), ""))
    insurance = info.insurance(person.insutype)
    with store.writing() as session:
        connection = session.connection()
        if waiting_for_person(connection, person_id):
            return None  # settled again while we asked: the next sync refreshes them
        changed = any(_store_figures(connection, person_id, year, f, now) for year, f in figures.items())
        if insurance is not None:
            changed |= store_standing(
                connection,
                person_id,
                to_fen(insurance.balc),
                insurance.psn_insu_stas,
                now,
                insured_area=insurance.insuplc_admdvs,
            )
    return Refreshed(person_id, changed)


def _store_figures(connection: Connection, person_id: int, year: int, figures: Figures, now: dt.datetime) -> bool:
    before = connection.execute(
        select(Accumulator.deductible_met_fen, Accumulator.fund_paid_fen, Accumulator.fund_paid_out_of_city_fen).where(
            Accumulator.person_id == person_id, Accumulator.year == year
        )
    ).first()
    after = (figures.deductible_fen, figures.fund_fen, figures.out_of_city_fen)
    if before is not None and tuple(before) == after:
        return False
    maker = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    values = {
        "deductible_met_fen": figures.deductible_fen,
        "fund_paid_fen": figures.fund_fen,
        "fund_paid_out_of_city_fen": figures.out_of_city_fen,
    }
    statement = maker(Accumulator).values(person_id=person_id, year=year, **values)
    connection.execute(statement.on_conflict_do_update(index_elements=["person_id", "year"], set_=values))
    detail = {"year": year, "before": None if before is None else list(before), "after": list(after)}
    audit(connection, now, None, "accumulators_from_agency", "person", person_id, detail)
    return True


def store_standing(
    connection: Connection,
    person_id: int,
    balance_fen: int | None,
    status: str,
    now: dt.datetime,
    *,
    insured_area: str = "",
) -> bool:
    """The agency's 1101 word on a person: insured this year (``psn_insu_stas`` 1 参保缴费), the
    account balance (None: keep the local one) and the insured area (``insuplc_admdvs``, which
    decides whether a visit here is out of the person's pooling area; empty: keep); whether
    anything changed."""
    before = connection.execute(
        select(Person.account_balance_fen, Person.insured, Person.insuplc_admdvs).where(Person.id == person_id)
    ).one()
    insured = before.insured if not status else status == "1"
    balance = before.account_balance_fen if balance_fen is None else balance_fen
    area = insured_area if is_division(insured_area) else before.insuplc_admdvs
    connection.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(account_balance_fen=balance, insured=insured, insuplc_admdvs=area, roster_updated_at=now)
    )
    if (before.account_balance_fen, before.insured, before.insuplc_admdvs) == (balance, insured, area):
        return False
    detail = {"balance_before": before.account_balance_fen, "balance_after": balance, "insured": insured}
    if area == before.insuplc_admdvs:
        audit(connection, now, None, "standing_from_agency", "person", person_id, detail)
        return True
    # The insured area decides whether a visit here is paid: the person's row is sealed again.
    detail = {**detail, "insured_area_before": before.insuplc_admdvs, "insured_area_after": area}
    rows = chain.rows_by_key("person", [person_id])
    audit(connection, now, None, "standing_from_agency", "person", person_id, detail, rows)
    return True
