"""The village clinic ledger (门诊台账): one row per settled visit, as 湘人社发〔2017〕94号 第十三条 lists.

Every visit stays in the ledger, self-pay (自费) ones and walk-ins off the roster included;
a reversed one is marked, never hidden, and left out of the totals. The figures are the
official ones (``desktop.official``): the agency's split once it booked the visit, with
the counter's kept beside it; a record the agency set aside is marked and counted apart.
ID numbers and phones are masked unless the viewer's role may see them in full (the
register filed with the agency needs the full number, 第十三条 有效证件号码).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Select, exists, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from db import audit
from db.models import Diagnosis, Facility, Person, Reversal, Settlement, Visit
from db.session import Store
from desktop import patients
from desktop.money import from_fen
from desktop.official import BOOKED, OFFICIAL_ACCOUNT, OFFICIAL_CASH, OFFICIAL_FUND, Split, Standing, standing_of
from desktop.privacy import Masking, for_role

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 512 * 1024
DIAGNOSIS_SEPARATOR = "；"


class LedgerError(ValueError):
    """A ledger request that cannot be met: which field, and what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Period:
    """Visit dates from ``first`` to ``last``, both included."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise LedgerError("period", f"{self.first.isoformat()} is after {self.last.isoformat()}")

    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls(day, day)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise LedgerError("month", f"month {month} is not between 1 and 12")
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - dt.timedelta(days=1))


@dataclass(frozen=True, slots=True)
class LedgerQuery:
    facility_id: str
    period: Period
    include_villages: bool = False
    text: str = ""
    full_id: bool = False


class LedgerRow(NamedTuple):
    """One line of the register; money is kept in fen and read as ``Decimal`` yuan.

    A tuple rather than a dataclass: a year of a busy centre is tens of thousands of rows,
    and only the few on screen are ever turned into ``Decimal``.
    """

    settlement_id: int
    visit_id: int
    facility_id: str
    visit_date: dt.date
    household_head: str
    patient_name: str
    address: str
    id_number: str
    phone: str
    total_fen: int
    fund_fen: int  # the official split: the agency's once booked, the counter's until then
    account_fen: int
    cash_fen: int
    signed: bool
    reversal_reason: str | None
    counter_fund_fen: int  # the counter's own split, kept beside
    counter_account_fen: int
    counter_cash_fen: int
    booked: bool
    status: str
    self_pay: bool
    diagnosis: str

    @property
    def reversed(self) -> bool:
        return self.reversal_reason is not None

    @property
    def differs(self) -> bool:
        """Booked by the agency with another split than the counter's."""
        return self.booked and (self.fund_fen, self.account_fen, self.cash_fen) != (
            self.counter_fund_fen,
            self.counter_account_fen,
            self.counter_cash_fen,
        )

    @property
    def standing(self) -> Standing:
        return standing_of(self.status, self.self_pay, "booked" if self.booked else None, self.differs)

    @property
    def counter_split(self) -> Split:
        return Split.of_fen(self.counter_fund_fen, self.counter_account_fen, self.counter_cash_fen)

    @property
    def total(self) -> Decimal:
        return from_fen(self.total_fen)

    @property
    def fund(self) -> Decimal:
        return from_fen(self.fund_fen)

    @property
    def account(self) -> Decimal:
        return from_fen(self.account_fen)

    @property
    def cash(self) -> Decimal:
        return from_fen(self.cash_fen)

    @property
    def patient_share(self) -> Decimal:
        """What the patient owes (患者应自付): personal account plus cash."""
        return from_fen(self.account_fen + self.cash_fen)


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    """Sums over the rows that still stand; reversed visits and those the agency set aside are counted apart."""

    visits: int
    reversed: int
    signed: int
    total: Decimal
    fund: Decimal
    account: Decimal
    cash: Decimal
    set_aside: int = 0  # waiting on the agency, not counted in the figures
    self_pay: int = 0  # of the visits counted
    waiting: int = 0  # of the visits counted, those the agency has not booked yet
    differs: int = 0  # of the visits counted, those the agency booked with another split

    @property
    def patient_share(self) -> Decimal:
        return self.account + self.cash


def viewer_sees_full_id(role: str) -> bool:
    return for_role(role).full_id


def facilities_in_scope(session: Session, facility_id: str, include_villages: bool) -> list[str]:
    """The facility itself, and with ``include_villages`` the clinics it runs (一体化管理)."""
    if session.get(Facility, facility_id) is None:
        raise LedgerError("facility", f"no facility {facility_id!r}")
    if not include_villages:
        return [facility_id]
    children = session.scalars(select(Facility.id).where(Facility.parent_id == facility_id).order_by(Facility.id))
    return [facility_id, *children]


def clinic_names(store: Store, facility_id: str) -> dict[str, str]:
    """The facility's name and those of the village clinics it runs, by facility id."""
    with store.reading() as session:
        statement = select(Facility.id, Facility.name).where(
            or_(Facility.id == facility_id, Facility.parent_id == facility_id)
        )
        names: dict[str, str] = dict(session.execute(statement).all())
    if facility_id not in names:
        raise LedgerError("facility", f"no facility {facility_id!r}")
    return names


def ledger_rows(store: Store, query: LedgerQuery) -> list[LedgerRow]:
    """The register's rows by visit date, then settlement; reversed ones included."""
    with store.reading() as session:
        scope = facilities_in_scope(session, query.facility_id, query.include_villages)
        connection = session.connection()  # Core rows: the ORM's per-row work is not needed here
        columns = (*_ROW_COLUMNS, func.coalesce(_diagnosis_text(connection.dialect.name), ""))
        statement = _filtered(columns, scope, query).order_by(Visit.visit_date, Settlement.id)
        found = connection.execute(statement).all()
    make, masking = LedgerRow._make, Masking(query.full_id)
    return [make((*raw[:7], masking.id_number(raw[7]), masking.phone(raw[8]), *raw[9:])) for raw in found]


def signatures(store: Store, visit_ids: Iterable[int]) -> dict[int, bytes]:
    """The stored signature images of these visits (those that have one)."""
    wanted = list(visit_ids)
    found: dict[int, bytes] = {}
    with store.reading() as session:
        for chunk in _chunks(wanted):
            statement = select(Visit.id, Visit.signature_png).where(
                Visit.id.in_(chunk), Visit.signature_png.is_not(None)
            )
            found.update((visit_id, png) for visit_id, png in session.execute(statement) if png is not None)
    return found


def totals(rows: Iterable[LedgerRow]) -> LedgerTotals:
    visits = reversed_ = signed = set_aside = self_pay = waiting = differs = 0
    total = fund = account = cash = 0
    for row in rows:
        if row.reversal_reason is not None:
            reversed_ += 1
            continue
        standing = row.standing
        if standing is Standing.SET_ASIDE:
            set_aside += 1
            continue
        visits += 1
        signed += row.signed
        self_pay += standing is Standing.SELF_PAY
        waiting += standing is Standing.WAITING
        differs += standing is Standing.DIFFERS
        total += row.total_fen
        fund += row.fund_fen
        account += row.account_fen
        cash += row.cash_fen
    return LedgerTotals(
        visits,
        reversed_,
        signed,
        from_fen(total),
        from_fen(fund),
        from_fen(account),
        from_fen(cash),
        set_aside,
        self_pay,
        waiting,
        differs,
    )


def store_signature(store: Store, visit_id: int, png: bytes, staff_id: int, now: dt.datetime) -> None:
    """Keep the patient's (or family member's) signature with a settled visit (第七条).

    The signature is the only field of a settled visit that may ever be written, and only
    while it is empty: a signature on file is part of the record and is never replaced.
    """
    if not png.startswith(PNG_MAGIC):
        raise LedgerError("signature", "the signature is not a PNG image")
    if len(png) > MAX_SIGNATURE_BYTES:
        raise LedgerError("signature", f"the signature image is {len(png)} bytes; at most {MAX_SIGNATURE_BYTES}")
    with store.writing() as session:
        if session.scalar(select(Settlement.id).where(Settlement.visit_id == visit_id)) is None:
            raise LedgerError("visit", f"visit {visit_id} has no settlement; only settled visits are signed")
        written = session.scalar(
            update(Visit)
            .where(Visit.id == visit_id, Visit.signature_png.is_(None))
            .values(signature_png=png)
            .returning(Visit.id)
        )
        if written is None:
            raise LedgerError("signature", f"visit {visit_id} already has a signature on file")
        audit.record(
            session.connection(),
            at=now,
            staff_id=staff_id,
            action="sign",
            entity="visit",
            entity_id=visit_id,
            detail={"bytes": len(png)},
            rows=[audit.Rows("visit", "id", visit_id)],
        )


# In LedgerRow's order, up to its diagnosis.
_ROW_COLUMNS: tuple[Any, ...] = (
    Settlement.id,
    Visit.id,
    Visit.facility_id,
    Visit.visit_date,
    patients.HOUSEHOLD_HEAD,
    patients.NAME,
    patients.ADDRESS,
    patients.ID_NUMBER,
    patients.PHONE,
    Settlement.total_fen,
    OFFICIAL_FUND,
    OFFICIAL_ACCOUNT,
    OFFICIAL_CASH,
    Visit.signature_png.is_not(None),
    Reversal.reason,
    Settlement.fund_fen,
    Settlement.account_fen,
    Settlement.cash_fen,
    BOOKED,
    Settlement.status,
    Settlement.self_pay,
)


def _filtered(columns: Sequence[Any], scope: list[str], query: LedgerQuery) -> Select[Any]:
    statement = patients.with_patient(
        select(*columns)
        .select_from(Visit)
        .join(Settlement, Settlement.visit_id == Visit.id)
        .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
    ).where(Visit.facility_id.in_(scope), Visit.visit_date.between(query.period.first, query.period.last))
    text = query.text.strip()
    if text:
        statement = statement.where(_matches(text))
    return statement


def _matches(text: str) -> Any:
    """A name (patient or head of household), the tail of an ID number, or a diagnosis."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = aliased(Diagnosis)  # the diagnoses query joins Diagnosis itself: keep this one apart
    diagnosed = (
        exists()
        .where(
            found.visit_id == Visit.id,
            or_(found.name.like(pattern, escape="\\"), found.code.like(pattern, escape="\\")),
        )
        .correlate(Visit)
    )
    conditions = [
        patients.NAME.like(pattern, escape="\\"),
        Person.household_head.like(pattern, escape="\\"),
        diagnosed,
    ]
    if text.isalnum() and text.isascii():
        conditions.append(patients.ID_NUMBER.like("%" + text.upper()))
        conditions.append(patients.ID_NUMBER.like("%" + text.lower()))
    return or_(*conditions)


def _diagnosis_text(dialect: str) -> Any:
    """The visit's diagnoses in entry order, joined: one correlated aggregate per row."""
    if dialect == "postgresql":
        joined = func.string_agg(Diagnosis.name, aggregate_order_by(literal(DIAGNOSIS_SEPARATOR), Diagnosis.line_no))
        return select(joined).where(Diagnosis.visit_id == Visit.id).scalar_subquery()
    # SQLite reads them through the visit_id index, in row order: the order they were entered
    # in. (An ORDER BY needs a subquery in FROM, which SQLite cannot correlate: a full scan a row.)
    joined = func.group_concat(Diagnosis.name, DIAGNOSIS_SEPARATOR)
    return select(joined).where(Diagnosis.visit_id == Visit.id).scalar_subquery()


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    """SQLite allows a limited number of bound parameters per statement."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
