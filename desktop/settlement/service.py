"""``settle`` and ``reverse``: each one database transaction, with its outbox rows and audit entry.

The hot path reads and writes through statements prepared once (``db.prepared``) and run
on the driver's cursor: the ORM's unit of work, and even Core's ``execute``, cost several
times a bare transaction, and a settlement is a dozen statements whose shape never varies.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, NoReturn

from sqlalchemy import BigInteger, Connection, and_, bindparam, case, func, insert, literal_column, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from db import audit
from db.models import (
    Accumulator,
    AuditEntry,
    CatalogueItem,
    Diagnosis,
    Facility,
    OutboxEntry,
    Person,
    Reversal,
    Settlement,
    Staff,
    Visit,
    VisitItem,
)
from db.prepared import Prepared
from db.session import Store
from desktop.agency.msgid import REVERSAL_SEQUENCES, SETTLEMENT_SEQUENCES, make_msgid
from desktop.agency.wire import ProtocolError
from desktop.area import AreaStanding, area_standing
from desktop.money import from_fen, round_fen, to_fen
from desktop.policy import NotInForceError, PolicyBook, UnknownPolicyError, default_book, quote
from desktop.policy.parameters import PolicyVersion, Scheme
from desktop.policy.types import Item, ItemClass, ItemKind, Quote, QuoteRequest, YearToDate
from desktop.policy.types import Visit as QuoteVisit
from desktop.roster import PERSON, facility_for_quote, patient_on
from desktop.settings import LIMIT_KEYS, Limits, limit_columns, limits, limits_from
from desktop.settlement.draft import DraftItem, SettlementError, UnconfirmedPriceError, VisitDraft
from desktop.settlement.entry_checks import (
    check_amount,
    check_draft_text,
    check_price,
    check_quantity,
    check_text,
)
from desktop.staff import Permission, may, may_at

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
# The national interface's order for one outpatient settlement: register, visit, fees, settle.
SETTLEMENT_MESSAGES = ("2201", "2203", "2204", "2207")
CANCEL_MESSAGE = "2208"


@dataclass(frozen=True, slots=True)
class SettledVisit:
    settlement_id: int
    visit_id: int
    msgid: str
    quote: Quote


@dataclass(frozen=True, slots=True)
class ReversedSettlement:
    reversal_id: int
    settlement_id: int
    msgid: str | None  # the 2208's; none for a self-pay settlement, which the agency never heard of


@dataclass(frozen=True, slots=True)
class _Moved:
    """How far one settlement moved the year-to-date figures: what a reversal takes back."""

    deductible_fen: int
    toward_cap_fen: int
    out_of_city_fen: int

    @classmethod
    def between(cls, before: YearToDate, after: YearToDate) -> _Moved:
        return cls(
            to_fen(after.deductible_met - before.deductible_met),
            to_fen(after.fund_paid - before.fund_paid),
            to_fen(after.fund_paid_out_of_city - before.fund_paid_out_of_city),
        )


@dataclass(frozen=True, slots=True)
class CatalogueLine:
    code: str
    name: str
    kind: str
    item_class: str
    quantity: Decimal
    price: Decimal
    amount: Decimal
    confirmed_from: Decimal | None = None  # the catalogue's price, where staff confirmed another


def settle(store: Store, draft: VisitDraft, now: dt.datetime, book: PolicyBook | None = None) -> SettledVisit:
    """Quote the visit with the stored year-to-date figures and write everything at once."""
    with store.write_connection() as connection:
        return settle_in(connection, draft, now, book or default_book())


def settle_in(connection: Connection, draft: VisitDraft, now: dt.datetime, book: PolicyBook) -> SettledVisit:
    """The settlement's writes inside a write transaction the caller holds (imports, demo data)."""
    check_draft_text(draft)  # before anything is read or written
    person, facility, limited = _participants(connection, draft, now)
    lines = catalogue_lines(connection, draft.items, limited)
    version = _version(book, person.policy, draft.visit_date)
    area = area_standing(connection, person.id, person.insuplc_admdvs, facility.admdvs, version, draft.visit_date)
    year = draft.visit_date.year
    before = _lock_accumulator(connection, person.id, year)
    request = QuoteRequest(
        policy=person.policy,
        visit_date=draft.visit_date,
        patient=patient_on(
            connection,
            person,
            draft.visit_date,
            with_diseases=draft.disease is not None,
            with_signings=version.scheme is Scheme.RESIDENT,
        ),
        facility=facility_for_quote(
            facility, version.scheme is Scheme.EMPLOYEE, draft.visit_date, in_city=area.in_area
        ),
        visit=QuoteVisit(
            items=tuple(Item(ItemKind(x.kind), ItemClass(x.item_class), x.amount, x.code, x.name) for x in lines),
            referral=draft.referral,
            emergency=draft.emergency,
            inpatient=draft.inpatient,
            liability=draft.liability,
            disease=draft.disease,
            filed_out_of_area=area.filed,
        ),
        year_to_date=before,
        pay_from_account=draft.pay_from_account,
    )
    result = quote(request, book)
    doctor_id = _doctor(connection, draft, person)
    visit_id = _insert_visit(connection, draft, now, lines, result, doctor_id)
    try:
        msgids = settlement_msgids(facility.code, now, visit_id)
    except ProtocolError as exc:
        raise SettlementError("facility", f"agency code {facility.code!r}: {exc}") from None
    moved = _Moved.between(before, result.year_to_date_after)
    settlement_id = _insert_settlement(
        connection, draft, person.id, visit_id, year, now, result, moved, msgids[-1], area
    )
    after = result.year_to_date_after
    _STORE_ACCUMULATOR.run(
        connection,
        {
            "b_person": person.id,
            "b_year": year,
            "b_deductible": to_fen(after.deductible_met),
            "b_fund": to_fen(after.fund_paid),
            "b_out_of_city": to_fen(after.fund_paid_out_of_city),
        },
    )
    if result.account:
        _SPEND_ACCOUNT.run(connection, {"b_person": person.id, "b_amount": to_fen(result.account)})
    payload = json.dumps({"settlement_id": settlement_id})
    _OUTBOX.run_many(
        connection,
        [
            {
                "infno": infno,
                "msgid": msgid,
                "settlement_id": settlement_id,
                "payload": payload,
                "created_at": now,
                "state": "pending",
                "attempts": 0,
                "last_error": "",
            }
            for infno, msgid in zip(SETTLEMENT_MESSAGES, msgids, strict=True)
        ],
    )
    audit.record(
        connection,
        at=now,
        staff_id=draft.staff_id,
        action="settle",
        entity="settlement",
        entity_id=settlement_id,
        detail=_audited(result, lines),
        rows=(
            audit.Rows("visit", "id", visit_id),
            audit.Rows("visit_item", "visit_id", visit_id),
            audit.Rows("diagnosis", "visit_id", visit_id),
            audit.Rows("settlement", "id", settlement_id),
            audit.Rows("outbox", "settlement_id", settlement_id),
        ),
    )
    return SettledVisit(settlement_id, visit_id, msgids[-1], result)


# Statements built once: a settlement runs them all, every time.
_FACILITY = select(Facility.__table__).where(Facility.id == bindparam("id"))
_STAFF = select(Staff.active, Staff.role, Staff.username, Staff.facility_id).where(Staff.id == bindparam("id"))


class _FacilityRow(NamedTuple):
    id: str
    code: str
    kind: str
    level: int
    parent_id: str | None
    admdvs: str
    designated_resident: bool
    designated_employee: bool
    suspended_on: dt.date | None


# The facility's one doctor, where it has exactly one: a visit settled by a clerk names them.
_colleague = aliased(Staff)
_SOLE_DOCTOR = (
    select(func.min(_colleague.id))
    .where(
        _colleague.facility_id == bindparam("facility"),
        _colleague.active.is_(True),
        _colleague.practitioner_code.is_not(None),
    )
    .having(func.count() == literal_column("1"))
    .scalar_subquery()
)
# Person, staff, facility and the limits in one round trip; the slow path below says which is wrong.
_PARTICIPANTS = Prepared(
    select(
        *Person.__table__.columns,
        Staff.active.label("staff_active"),
        Staff.role.label("staff_role"),
        Staff.practitioner_code.label("staff_practitioner"),
        _SOLE_DOCTOR.label("sole_doctor"),
        Staff.facility_id.label("staff_facility"),
        *(Facility.__table__.c[name].label(f"facility_{name}") for name in _FacilityRow._fields),
        *limit_columns(),
    )
    .select_from(Person.__table__.join(Staff.__table__, true()).join(Facility.__table__, true()))
    .where(Person.id == bindparam("person"), Staff.id == bindparam("staff"), Facility.id == bindparam("facility")),
    ("person", "staff", "facility"),
)
_FACILITY_FIELDS = tuple(f"facility_{name}" for name in _FacilityRow._fields)
_LIMIT_FIELDS = tuple(f"limit_{number}" for number in range(len(LIMIT_KEYS)))
_VISIT = Prepared(
    insert(Visit).returning(Visit.id),
    (
        "facility_id", "person_id", "staff_id", "visit_date", "created_at", "referral", "emergency", "inpatient",
        "liability", "disease", "signature_png", "doctor_id",
    ),
)  # fmt: skip
_DOCTOR = select(Staff.id).where(
    Staff.id == bindparam("doctor"),
    Staff.active.is_(True),
    Staff.practitioner_code.is_not(None),
    Staff.facility_id.in_(
        select(Facility.id).where(
            and_(Facility.id == bindparam("facility"))
            | (Facility.id == select(Facility.parent_id).where(Facility.id == bindparam("facility")).scalar_subquery())
        )
    ),
)
_ITEMS = Prepared(
    insert(VisitItem),
    (
        "visit_id", "line_no", "code", "name", "kind", "item_class", "quantity", "price_fen", "amount_fen",
        "in_scope_fen",
    ),
)  # fmt: skip
_DIAGNOSES = Prepared(insert(Diagnosis), ("visit_id", "line_no", "code", "name"))
_SETTLEMENT = Prepared(
    insert(Settlement).returning(Settlement.id),
    (
        "visit_id", "person_id", "staff_id", "settled_at", "year", "policy", "policy_version", "covered", "reason",
        "rate", "total_fen", "in_scope_fen", "out_of_scope_fen", "deductible_fen", "fund_fen", "fund_toward_cap_fen",
        "fund_out_of_city_fen", "account_fen", "cash_fen", "explanation", "status", "msgid", "insuplc_admdvs",
        "mdtrtarea_admvs", "area_filing_id",
    ),
)  # fmt: skip
_OUTBOX = Prepared(
    insert(OutboxEntry),
    ("infno", "msgid", "settlement_id", "payload", "created_at", "state", "attempts", "last_error"),
)
_STORE_ACCUMULATOR = Prepared(
    update(Accumulator)
    .where(Accumulator.person_id == bindparam("b_person"), Accumulator.year == bindparam("b_year"))
    .values(
        deductible_met_fen=bindparam("b_deductible"),
        fund_paid_fen=bindparam("b_fund"),
        fund_paid_out_of_city_fen=bindparam("b_out_of_city"),
    ),
    ("b_person", "b_year", "b_deductible", "b_fund", "b_out_of_city"),
)
_SPEND_ACCOUNT = Prepared(
    update(Person)
    .where(Person.id == bindparam("b_person"))
    .values(account_balance_fen=Person.account_balance_fen - bindparam("b_amount")),
    ("b_person", "b_amount"),
)


def check_staff(
    connection: Connection, staff_id: int, permission: Permission, doing: str, at_facility: str | None = None
) -> None:
    """``SettlementError`` unless the staff member is active, their role may do this, and (given
    ``at_facility``) they may do it there: at their own clinic, or as the role table allows."""
    staff = connection.execute(_STAFF, {"id": staff_id}).one_or_none()
    if staff is None or not staff.active:
        raise SettlementError("staff", f"no active staff member with id {staff_id}")
    if not may(staff.role, permission):
        raise SettlementError("staff", f"role {staff.role!r} may not {doing}")
    if at_facility is None:
        return
    parent = connection.execute(select(Facility.parent_id).where(Facility.id == at_facility)).scalar()
    if not may_at(staff.role, permission, staff.facility_id, at_facility, parent):
        raise SettlementError(
            "facility", f"{staff.username!r} works at {staff.facility_id!r}, and may not {doing} at {at_facility!r}"
        )


def _participants(connection: Connection, draft: VisitDraft, now: dt.datetime) -> tuple[Any, _FacilityRow, Limits]:
    found = _PARTICIPANTS.one_or_none(
        connection, {"person": draft.person_id, "facility": draft.facility_id, "staff": draft.staff_id}
    )
    if (
        found is not None
        and found.staff_active
        and may_at(
            found.staff_role, Permission.SETTLE, found.staff_facility, draft.facility_id, found.facility_parent_id
        )
    ):
        facility = _FacilityRow(*(getattr(found, name) for name in _FACILITY_FIELDS))
        if (
            found.insured
            and draft.items
            and draft.diagnoses
            and all(d.coded for d in draft.diagnoses)
            and draft.visit_date <= now.astimezone(CHINA).date()
        ):
            return found, facility, limits_from(tuple(getattr(found, name) for name in _LIMIT_FIELDS))
    return _refuse(connection, draft, now)


def _doctor(connection: Connection, draft: VisitDraft, participants: Any) -> int | None:
    """The visit's diagnosing doctor: the one the counter named (a doctor of the facility or its
    township centre), else whoever settles if a doctor, else the facility's only doctor."""
    if draft.doctor_id is not None:
        found = connection.execute(_DOCTOR, {"doctor": draft.doctor_id, "facility": draft.facility_id}).first()
        if found is None:
            raise SettlementError(
                "doctor", f"staff {draft.doctor_id} is not a doctor with a practitioner code (医保医师代码) here"
            )
        return draft.doctor_id
    if participants.staff_practitioner:
        return draft.staff_id
    sole: int | None = participants.sole_doctor
    return sole


def _refuse(connection: Connection, draft: VisitDraft, now: dt.datetime) -> NoReturn:
    """The slow path: find out which of the participants is wrong and say so."""
    person = PERSON.one_or_none(connection, {"id": draft.person_id})
    if person is None:
        raise SettlementError("person", f"no insured person with id {draft.person_id} on the roster")
    if not person.insured:
        raise SettlementError("person", "this person's insurance is not paid for this year; settle as self-pay")
    facility = connection.execute(_FACILITY, {"id": draft.facility_id}).one_or_none()
    if facility is None:
        raise SettlementError("facility", f"no facility {draft.facility_id!r}")
    staff = connection.execute(_STAFF, {"id": draft.staff_id}).one_or_none()
    if staff is None or not staff.active:
        raise SettlementError("staff", f"no active staff member with id {draft.staff_id}")
    if not may(staff.role, Permission.SETTLE):
        raise SettlementError("staff", f"role {staff.role!r} may not settle visits")
    if not may_at(staff.role, Permission.SETTLE, staff.facility_id, facility.id, facility.parent_id):
        raise SettlementError(
            "facility",
            f"{staff.username!r} works at {staff.facility_id!r}, not {facility.id!r}: "
            "a visit is settled by the staff of the clinic where it happens",
        )
    if draft.visit_date > now.astimezone(CHINA).date():
        raise SettlementError("visit_date", f"{draft.visit_date.isoformat()} is in the future")
    if not draft.items:
        raise SettlementError("items", "a visit needs at least one item to settle")
    if not draft.diagnoses:
        # The agency settles no visit without one (2203 diseinfo), and a settled visit is never edited.
        raise SettlementError("diagnoses", "a visit needs at least one diagnosis to settle")
    for number, diagnosis in enumerate(draft.diagnoses):
        if not diagnosis.coded:
            missing = "code" if not diagnosis.code.strip() else "name"
            raise SettlementError(
                f"diagnoses.{number}.{missing}",
                f"diagnosis {diagnosis.name or diagnosis.code!r} has no ICD-10 {missing}: "
                "the agency takes no diagnosis without both",
            )
    raise AssertionError("refused a visit without finding why")


def _catalogue(size: int) -> Prepared:
    """The catalogue lookup for up to ``size`` codes: sizes go in powers of two so a handful of statements serve all."""
    found = _CATALOGUE.get(size)
    if found is None:
        codes: list[Any] = [bindparam(f"code_{n}") for n in range(size)]
        statement = select(CatalogueItem.__table__).where(CatalogueItem.code.in_(codes))
        found = _CATALOGUE[size] = Prepared(statement, [f"code_{n}" for n in range(size)])
    return found


_CATALOGUE: dict[int, Prepared] = {}


def catalogue_lines(
    connection: Connection, items: Sequence[DraftItem], limited: Limits | None = None
) -> list[CatalogueLine]:
    """Each drafted item with its catalogue entry, its price (the catalogue's by default) and amount,
    held to the installation's limits (read here unless given) and the agency's numeric(16,2).

    A price of 0 or far from the catalogue's must be confirmed (``UnconfirmedPriceError``)."""
    limited = limited or limits(connection)
    codes = sorted({item.code for item in items})
    size = 1 << max(len(codes) - 1, 0).bit_length()
    padded = codes + codes[-1:] * (size - len(codes))  # a repeated code in IN (…) matches nothing more
    rows = _catalogue(size).all(connection, {f"code_{n}": code for n, code in enumerate(padded)})
    catalogue = {row.code: row for row in rows}
    lines = []
    total = Decimal(0)
    for index, drafted in enumerate(items):
        entry = catalogue.get(drafted.code)
        if entry is None or not entry.active:
            raise SettlementError(f"items.{index}.code", f"{drafted.code!r} is not in the catalogue")
        check_quantity(f"items.{index}.quantity", drafted.quantity, limited)
        if not entry.divisible and drafted.quantity != drafted.quantity.to_integral_value():
            raise SettlementError(
                f"items.{index}.quantity",
                f"quantity {drafted.quantity}: {entry.name} is sold in whole {entry.unit or 'units'}",
            )
        listed = from_fen(entry.price_fen)
        price = listed if drafted.price is None else drafted.price
        check_price(f"items.{index}.price", price, limited)
        confirmed_from = None
        if limited.far_from(price, listed):
            if not drafted.price_confirmed:
                raise UnconfirmedPriceError(index, entry.code, price, listed)
            confirmed_from = listed
        amount = round_fen(drafted.quantity * price)
        check_amount(f"items.{index}", amount)
        total += amount
        lines.append(
            CatalogueLine(
                entry.code, entry.name, entry.kind, entry.item_class, drafted.quantity, price, amount, confirmed_from
            )
        )
    check_amount("items", total)
    return lines


def _version(book: PolicyBook, policy: str, day: dt.date) -> PolicyVersion:
    try:
        return book.version_for(policy, day)
    except UnknownPolicyError as exc:
        raise SettlementError("person.policy", str(exc)) from None
    except NotInForceError as exc:
        raise SettlementError("visit_date", str(exc)) from None


_ACCUMULATOR_COLUMNS = (
    Accumulator.deductible_met_fen,
    Accumulator.fund_paid_fen,
    Accumulator.fund_paid_out_of_city_fen,
)


def _lock_accumulator(connection: Connection, person_id: int, year: int) -> YearToDate:
    """The person's figures for the year, locked against another counter until commit.

    One upsert both creates the row and, on PostgreSQL, locks it (ON CONFLICT DO UPDATE
    takes the row lock); on SQLite the transaction already holds the write lock.
    """
    statement = _UPSERTS["postgresql" if connection.dialect.name == "postgresql" else "sqlite"]
    row = statement.one(connection, {"p": person_id, "y": year})
    return YearToDate(from_fen(row[0]), from_fen(row[1]), from_fen(row[2]))


def _upsert(maker: Any) -> Prepared:
    # A new year starts at zero, written out: a prepared statement fills no Python-side defaults.
    zero = literal_column("0", BigInteger())
    upsert = maker(Accumulator).values(
        person_id=bindparam("p"),
        year=bindparam("y"),
        deductible_met_fen=zero,
        fund_paid_fen=zero,
        fund_paid_out_of_city_fen=zero,
    )
    statement = upsert.on_conflict_do_update(
        index_elements=["person_id", "year"], set_={"person_id": upsert.excluded.person_id}
    ).returning(*_ACCUMULATOR_COLUMNS)
    return Prepared(statement, ("p", "y"))


_UPSERTS = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


def _insert_visit(
    connection: Connection,
    draft: VisitDraft,
    now: dt.datetime,
    lines: list[CatalogueLine],
    result: Quote,
    doctor_id: int | None,
) -> int:
    visit_id: int = _VISIT.one(
        connection,
        {
            "facility_id": draft.facility_id,
            "person_id": draft.person_id,
            "staff_id": draft.staff_id,
            "visit_date": draft.visit_date,
            "created_at": now,
            "referral": draft.referral,
            "emergency": draft.emergency,
            "inpatient": draft.inpatient,
            "liability": None if draft.liability is None else draft.liability.value,
            "disease": draft.disease,
            "signature_png": draft.signature_png,
            "doctor_id": doctor_id,
        },
    )[0]
    _ITEMS.run_many(
        connection,
        [
            {
                "visit_id": visit_id,
                "line_no": number,
                "code": line.code,
                "name": line.name,
                "kind": line.kind,
                "item_class": line.item_class,
                "quantity": f"{line.quantity.normalize():f}",
                "price_fen": to_fen(line.price),
                "amount_fen": to_fen(line.amount),
                "in_scope_fen": to_fen(share.in_scope),
            }
            for number, (line, share) in enumerate(zip(lines, result.items, strict=True), start=1)
        ],
    )
    if draft.diagnoses:
        _DIAGNOSES.run_many(
            connection,
            [
                {"visit_id": visit_id, "line_no": number, "code": d.code, "name": d.name}
                for number, d in enumerate(draft.diagnoses, start=1)
            ],
        )
    return visit_id


def _insert_settlement(
    connection: Connection,
    draft: VisitDraft,
    person_id: int,
    visit_id: int,
    year: int,
    now: dt.datetime,
    result: Quote,
    moved: _Moved,
    msgid: str,
    area: AreaStanding,
) -> int:
    settlement_id: int = _SETTLEMENT.one(
        connection,
        {
            "visit_id": visit_id,
            "person_id": person_id,
            "staff_id": draft.staff_id,
            "settled_at": now,
            "year": year,
            "policy": result.policy,
            "policy_version": result.policy_version,
            "covered": result.covered,
            "reason": None if result.reason is None else result.reason.value,
            "rate": f"{result.rate:.2f}",
            "total_fen": to_fen(result.total),
            "in_scope_fen": to_fen(result.in_scope),
            "out_of_scope_fen": to_fen(result.out_of_scope),
            "deductible_fen": moved.deductible_fen,
            "fund_fen": to_fen(result.fund),
            "fund_toward_cap_fen": moved.toward_cap_fen,
            "fund_out_of_city_fen": moved.out_of_city_fen,
            "account_fen": to_fen(result.account),
            "cash_fen": to_fen(result.cash),
            "explanation": json.dumps(list(result.explanation), ensure_ascii=False),
            "status": "pending",
            "msgid": msgid,
            # The areas the visit was settled with, which its 2201 and 2207 carry (insuplc_admdvs and
            # mdtrtarea_admvs), and the filing that paid an out-of-area visit.
            "insuplc_admdvs": area.insured_area,
            "mdtrtarea_admvs": area.care_area,
            "area_filing_id": None if area.filing is None else area.filing.id,
        },
    )[0]
    return settlement_id


def _audited(result: Quote, lines: list[CatalogueLine]) -> dict[str, Any]:
    """The split, and any price staff confirmed against the catalogue's."""
    detail: dict[str, Any] = {
        "policy_version": result.policy_version,
        "total": f"{result.total:.2f}",
        "fund": f"{result.fund:.2f}",
        "account": f"{result.account:.2f}",
        "cash": f"{result.cash:.2f}",
    }
    return detail | prices_confirmed(lines)


def prices_confirmed(lines: Sequence[CatalogueLine]) -> dict[str, Any]:
    """For a settlement's audit entry: each price staff confirmed against the catalogue's, if any."""
    confirmed = [
        {
            "line": number,
            "code": line.code,
            "price": f"{line.price:.2f}",
            "catalogue_price": f"{line.confirmed_from:.2f}",
        }
        for number, line in enumerate(lines, start=1)
        if line.confirmed_from is not None
    ]
    return {"prices_confirmed": confirmed} if confirmed else {}


def settlement_msgids(facility_code: str, now: dt.datetime, visit_id: int) -> list[str]:
    """The four messages of one settlement, numbered from the visit's own id.

    Settlements take sequences 0000–5999 in blocks of four (reversals and the relay's own
    calls have theirs, see ``desktop.agency.msgid``), so two messages of one facility in
    one second share a msgid only past 1,500 visits in that second; the unique constraint
    stays the last word. Deriving them from row ids costs no query on the hot path.
    """
    first = SETTLEMENT_SEQUENCES.start + (visit_id * len(SETTLEMENT_MESSAGES)) % len(SETTLEMENT_SEQUENCES)
    # make_msgid checks the code and the time once; the other three differ only in the sequence.
    prefix = make_msgid(facility_code, now, first)[:-4]
    return [f"{prefix}{first + offset:04d}" for offset in range(len(SETTLEMENT_MESSAGES))]


def reversal_msgid(facility_code: str, now: dt.datetime, settlement_id: int) -> str:
    """A settlement is reversed at most once, so its id numbers the reversal's message."""
    return make_msgid(facility_code, now, REVERSAL_SEQUENCES.start + settlement_id % len(REVERSAL_SEQUENCES))


# --- reversal -------------------------------------------------------------------------


def _taken_back(figure: Any, moved: int) -> Any:
    """``figure - moved``, but never below nothing.

    Once the agency's own figures have replaced the local ones (``desktop.sync.refresh``),
    a settlement the agency paid less for than the counter did has moved them by less than
    its local amounts say; taking back the local amounts would go below zero. The next
    refresh, after the 2208, brings the agency's exact figures.
    """
    return case((figure > moved, figure - moved), else_=0)


def _refuse_a_reversal_gone(connection: Connection, settlement_id: int) -> None:
    """A reversal the audit log records but the store has lost was deleted behind the program's back:
    reversing again would pay the money back twice."""
    entry = connection.scalar(
        select(AuditEntry.seq).where(
            AuditEntry.entity == "settlement",
            AuditEntry.entity_id == str(settlement_id),
            AuditEntry.action == "reverse",
        )
    )
    if entry is not None:
        raise SettlementError(
            "settlement",
            f"settlement {settlement_id} was reversed (audit entry {entry}) but that reversal is gone from the store: "
            "it was deleted behind the program's back. Nothing was written; run `clinic-pos audit verify`",
        )


def reverse(store: Store, settlement_id: int, reason: str, staff_id: int, now: dt.datetime) -> ReversedSettlement:
    """Reverse (冲正) a settlement: the original stays; the figures and the account are restored."""
    with store.write_connection() as connection:
        return reverse_in(connection, settlement_id, reason, staff_id, now)


_TO_REVERSE = select(
    Settlement.person_id,
    Settlement.year,
    Settlement.self_pay,
    Settlement.deductible_fen,
    Settlement.fund_toward_cap_fen,
    Settlement.fund_out_of_city_fen,
    Settlement.account_fen,
    Facility.code,
    Facility.id.label("facility_id"),
    Facility.parent_id.label("facility_parent"),
    Reversal.id.label("reversal_id"),
)


def reverse_in(
    connection: Connection, settlement_id: int, reason: str, staff_id: int, now: dt.datetime
) -> ReversedSettlement:
    """The reversal's writes inside a write transaction the caller holds.

    A self-pay settlement was never sent and moved no figure: its reversal is the row and
    the audit entry, with no message for the agency.
    """
    if not reason.strip():
        raise SettlementError("reason", "a reversal needs a reason")
    check_text("reason", "reason", reason.strip())
    check_staff(connection, staff_id, Permission.REVERSE, "reverse settlements")
    settlement = connection.execute(
        _TO_REVERSE.join(Visit, Visit.id == Settlement.visit_id)
        .join(Facility, Facility.id == Visit.facility_id)
        .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
        .where(Settlement.id == settlement_id)
    ).one_or_none()
    if settlement is None:
        raise SettlementError("settlement", f"no settlement {settlement_id}")
    if settlement.reversal_id is not None:
        raise SettlementError("settlement", f"settlement {settlement_id} was already reversed")
    _refuse_a_reversal_gone(connection, settlement_id)
    _may_reverse_there(connection, staff_id, settlement_id, settlement)
    if settlement.self_pay:
        reversal_id = _insert_reversal(connection, settlement_id, staff_id, now, reason, None)
        _audit_reversal(connection, now, staff_id, settlement_id, reversal_id)
        return ReversedSettlement(reversal_id, settlement_id, None)
    person_id: int = settlement.person_id
    _lock_accumulator(connection, person_id, settlement.year)
    msgid = reversal_msgid(settlement.code, now, settlement_id)
    reversal_id = _insert_reversal(connection, settlement_id, staff_id, now, reason, msgid)
    connection.execute(
        update(Accumulator)
        .where(Accumulator.person_id == person_id, Accumulator.year == settlement.year)
        .values(
            deductible_met_fen=_taken_back(Accumulator.deductible_met_fen, settlement.deductible_fen),
            fund_paid_fen=_taken_back(Accumulator.fund_paid_fen, settlement.fund_toward_cap_fen),
            fund_paid_out_of_city_fen=_taken_back(
                Accumulator.fund_paid_out_of_city_fen, settlement.fund_out_of_city_fen
            ),
        )
    )
    if settlement.account_fen:
        connection.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(account_balance_fen=Person.account_balance_fen + settlement.account_fen)
        )
    connection.execute(
        insert(OutboxEntry).values(
            infno=CANCEL_MESSAGE,
            msgid=msgid,
            settlement_id=settlement_id,
            reversal_id=reversal_id,
            payload=json.dumps({"settlement_id": settlement_id, "reversal_id": reversal_id}),
            created_at=now,
            state="pending",
            attempts=0,
            last_error="",
        )
    )
    _audit_reversal(connection, now, staff_id, settlement_id, reversal_id)
    return ReversedSettlement(reversal_id, settlement_id, msgid)


def _may_reverse_there(connection: Connection, staff_id: int, settlement_id: int, settlement: Any) -> None:
    """The settlement's clinic is the staff member's, or one their township centre runs (see desktop.staff)."""
    staff = connection.execute(_STAFF, {"id": staff_id}).one()
    if not may_at(
        staff.role, Permission.REVERSE, staff.facility_id, settlement.facility_id, settlement.facility_parent
    ):
        raise SettlementError(
            "settlement",
            f"settlement {settlement_id} was made at {settlement.facility_id!r}; {staff.username!r} of "
            f"{staff.facility_id!r} may not reverse there",
        )


def _audit_reversal(
    connection: Connection, now: dt.datetime, staff_id: int, settlement_id: int, reversal_id: int
) -> None:
    audit.record(
        connection,
        at=now,
        staff_id=staff_id,
        action="reverse",
        entity="settlement",
        entity_id=settlement_id,
        detail={"reversal_id": reversal_id},
        rows=(audit.Rows("reversal", "id", reversal_id), audit.Rows("outbox", "reversal_id", reversal_id)),
    )


def _insert_reversal(
    connection: Connection, settlement_id: int, staff_id: int, now: dt.datetime, reason: str, msgid: str | None
) -> int:
    reversal_id: int = connection.execute(
        insert(Reversal)
        .returning(Reversal.id)
        .values(settlement_id=settlement_id, staff_id=staff_id, reversed_at=now, reason=reason.strip(), msgid=msgid)
    ).scalar_one()
    return reversal_id
