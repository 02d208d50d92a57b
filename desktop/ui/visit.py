"""The visit being entered at the counter: catalogue search, the lines, the running quote.

Qt-free, so the counter's arithmetic is tested without a window and the widgets stay thin.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from desktop.money import round_fen

if TYPE_CHECKING:
    # The store, the engine and the settlement are imported where used: the window is
    # shown before any of them is loaded (benchmarks/startup.py).
    from db.session import Store
    from desktop.diagnoses import DiagnosisChoice
    from desktop.policy import PolicyBook
    from desktop.policy.types import Quote
    from desktop.settlement.draft import DiagnosisLine, VisitDraft
    from desktop.settlement.self_pay import SelfPayDraft, WalkInDetails
    from desktop.ui.standing import CounterPatient

MAX_MATCHES = 12
MAX_QUANTITY = Decimal(999)


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    code: str
    name: str
    pinyin: str
    kind: str
    item_class: str
    unit: str
    price: Decimal
    divisible: bool = False  # sold in fractions of its unit (克); a pack (盒, 支) is sold whole


@dataclass(frozen=True, slots=True)
class Line:
    entry: CatalogueEntry
    quantity: Decimal
    price: Decimal
    price_confirmed: bool = False  # a price of 0 or far from the catalogue's, said to be meant

    @property
    def amount(self) -> Decimal:
        return round_fen(self.quantity * self.price)


class EntryError(ValueError):
    """Something typed at the counter that cannot be used; ``field`` names the box.

    ``problem`` says what is wrong (``not_a_number``, ``out_of_range``, ``too_fine``,
    ``whole_units``) and ``typed`` what was typed, so that the widgets word it in the
    clerk's language; ``entry`` is the catalogue line it was typed for, where there is
    one. The message is for logs.
    """

    def __init__(self, field: str, problem: str, typed: str, message: str, entry: CatalogueEntry | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.problem = problem
        self.typed = typed
        self.message = message
        self.entry = entry


def load_catalogue(store: Store) -> list[CatalogueEntry]:
    from sqlalchemy import select

    from db.models import CatalogueItem
    from desktop.money import from_fen

    with store.reading() as session:
        rows = session.scalars(select(CatalogueItem).where(CatalogueItem.active.is_(True)).order_by(CatalogueItem.code))
        return [
            CatalogueEntry(r.code, r.name, r.pinyin, r.kind, r.item_class, r.unit, from_fen(r.price_fen), r.divisible)
            for r in rows
        ]


def last_diagnosis(store: Store, person_id: int) -> DiagnosisLine | None:
    """The person's diagnosis at their last settled visit in this store, to offer as ``上次诊断``.

    The first diagnosis of the newest visit that has one and whose settlement stands: a
    reversed settlement is often reversed because something on it was wrong.
    """
    from sqlalchemy import select

    from db.models import Diagnosis, Reversal, Settlement, Visit
    from desktop.settlement.draft import DiagnosisLine

    with store.reading() as session:
        found = session.execute(
            select(Diagnosis.code, Diagnosis.name)
            .join(Visit, Visit.id == Diagnosis.visit_id)
            .join(Settlement, Settlement.visit_id == Visit.id)
            .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
            .where(Settlement.person_id == person_id, Reversal.id.is_(None))
            .order_by(Visit.visit_date.desc(), Settlement.settled_at.desc(), Settlement.id.desc(), Diagnosis.line_no)
            .limit(1)
        ).first()
    return None if found is None else DiagnosisLine(found.code, found.name)


def diagnosis_text(line: DiagnosisLine) -> str:
    """A diagnosis as the box and its completer show it: code, then name."""
    return f"{line.code} {line.name}".strip()


def search(catalogue: Sequence[CatalogueEntry], typed: str, limit: int = MAX_MATCHES) -> list[CatalogueEntry]:
    """Matches by code, pinyin initials or name: exact code first, then prefixes, then the rest."""
    text = typed.strip().lower()
    if not text:
        return []
    ranked: list[tuple[int, str, CatalogueEntry]] = []
    for entry in catalogue:
        rank = _rank(entry, text)
        if rank is not None:
            ranked.append((rank, entry.code, entry))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [entry for _, _, entry in ranked[:limit]]


def _rank(entry: CatalogueEntry, text: str) -> int | None:
    code = entry.code.lower()
    if code == text:
        return 0
    if entry.pinyin == text:
        return 1
    if code.startswith(text):
        return 2
    if entry.pinyin.startswith(text):
        return 3
    if text in entry.name:
        return 4
    if text in entry.pinyin:
        return 5
    return None


def split_quantity(typed: str) -> tuple[str, Decimal]:
    """``amx*2`` → (``amx``, 2): the quantity typed after a star, 1 when there is none."""
    search_text, star, quantity_text = typed.partition("*")
    if not star:
        return typed.strip(), Decimal(1)
    return search_text.strip(), parse_quantity(quantity_text)


def parse_quantity(text: str) -> Decimal:
    typed = text.strip()
    try:
        quantity = Decimal(typed)
    except InvalidOperation:
        raise EntryError("quantity", "not_a_number", typed, f"{typed!r} is not a quantity") from None
    if not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        message = f"quantity {typed} must be more than 0 and at most {MAX_QUANTITY}"
        raise EntryError("quantity", "out_of_range", typed, message)
    if quantity != quantity.quantize(Decimal("0.001")):
        raise EntryError("quantity", "too_fine", typed, f"quantity {typed} has more than 3 decimals")
    return quantity


def check_whole(entry: CatalogueEntry, quantity: Decimal) -> None:
    """A pack (盒, 支) is sold whole; only what the catalogue marks divisible takes a fraction."""
    if entry.divisible or quantity == quantity.to_integral_value():
        return
    typed = f"{quantity.normalize():f}"
    message = f"quantity {typed}: {entry.name} is sold in whole {entry.unit or 'units'}"
    raise EntryError("quantity", "whole_units", typed, message, entry)


def parse_price(text: str) -> Decimal:
    typed = text.strip()
    try:
        price = Decimal(typed)
    except InvalidOperation:
        raise EntryError("price", "not_a_number", typed, f"{typed!r} is not a price") from None
    if not price.is_finite() or price < 0:
        raise EntryError("price", "out_of_range", typed, f"price {typed} must be zero or more")
    if price != price.quantize(Decimal("0.01")):
        raise EntryError("price", "too_fine", typed, f"price {typed} is not in whole fen")
    return price


# Cash handed over: whole yuan or yuan and fen, at most six figures before the point. Nothing
# read from a card looks like it (an ID number has 15 or 18 digits, a card number letters).
_TENDERED = re.compile(r"\d{1,6}(?:\.\d{1,2})?")


def parse_tendered(text: str) -> Decimal | None:
    """The cash tendered (实收) as typed (full-width digits too); None if it is not an amount."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if _TENDERED.fullmatch(typed) is None:
        return None
    return Decimal(typed).quantize(Decimal("0.01"))


# An ICD-10 code as the national platform writes them (J06.900, I10.x00, E11.900) and then its name.
_CODED = re.compile(r"([A-Za-z]\d{2}(?:\.[0-9A-Za-z]{1,4})?)\s+(\S.*)")


def parse_diagnosis(typed: str, known: Sequence[DiagnosisChoice]) -> DiagnosisLine | None:
    """A known code (or a unique code prefix), ``CODE name`` from the list or typed whole, or
    free text, which has no code: the counter refuses to settle on it (``DiagnosisLine.coded``)."""
    from desktop.settlement.draft import DiagnosisLine

    text = typed.strip()
    if not text:
        return None
    lowered = text.lower()
    for line in known:
        if lowered in {line.code.lower(), f"{line.code} {line.name}".lower(), line.name.lower()}:
            return DiagnosisLine(line.code, line.name)
    by_prefix = [line for line in known if line.code.lower().startswith(lowered)]
    if len({line.code for line in by_prefix}) == 1:
        return DiagnosisLine(by_prefix[0].code, by_prefix[0].name)
    typed_whole = _CODED.fullmatch(text)
    if typed_whole is not None:  # a diagnosis this clinic has not written before, code and name given
        code, name = typed_whole.groups()
        return DiagnosisLine(code=code[0].upper() + code[1:], name=name.strip())
    return DiagnosisLine(code="", name=text)


@dataclass
class VisitInProgress:
    """One patient's visit from the card check until it is settled.

    ``patient`` is None for a walk-in off the roster, who can only pay for themselves;
    ``self_pay`` marks a visit settled as self-pay (自费); ``replaces`` names the self-pay
    settlement this insured visit is to take the place of.
    """

    patient: CounterPatient | None
    day: dt.date
    lines: list[Line] = field(default_factory=list)
    diagnosis: DiagnosisLine | None = None
    self_pay: bool = False
    walk_in: WalkInDetails | None = None
    replaces: int | None = None

    def add(self, entry: CatalogueEntry, quantity: Decimal = Decimal(1)) -> int:
        check_whole(entry, quantity)
        self.lines.append(Line(entry, quantity, entry.price))
        return len(self.lines) - 1

    def set_quantity(self, row: int, quantity: Decimal) -> None:
        check_whole(self.lines[row].entry, quantity)
        self.lines[row] = replace(self.lines[row], quantity=quantity)

    def set_price(self, row: int, price: Decimal) -> None:
        self.lines[row] = replace(self.lines[row], price=price, price_confirmed=False)

    def confirm_price(self, row: int) -> None:
        self.lines[row] = replace(self.lines[row], price_confirmed=True)

    def remove(self, row: int) -> None:
        del self.lines[row]

    @property
    def person_id(self) -> int:
        person = None if self.patient is None else self.patient.person
        assert person is not None, "only a visit for someone on the roster has a person"
        return person.person_id

    @property
    def on_roster(self) -> bool:
        return self.patient is not None and self.patient.person is not None

    @property
    def patient_name(self) -> str:
        if self.walk_in is not None:
            return self.walk_in.name
        person = None if self.patient is None else self.patient.person
        return "" if person is None else person.name

    @property
    def settleable(self) -> bool:
        """Whether F12 may settle it: as self-pay always; as insured only on a check that allows it."""
        return self.self_pay or (self.patient is not None and self.patient.settleable)

    def quote(self, book: PolicyBook | None = None) -> Quote | None:
        if self.self_pay:
            return self_pay_quote(self.lines) if self.lines else None
        from desktop.policy import default_book, quote
        from desktop.policy.types import Item, ItemClass, ItemKind, QuoteRequest
        from desktop.policy.types import Visit as QuoteVisit

        if self.patient is None:
            return None
        person, patient = self.patient.person, self.patient.patient
        if not self.lines or person is None or patient is None:
            return None
        items = tuple(
            Item(ItemKind(x.entry.kind), ItemClass(x.entry.item_class), x.amount, x.entry.code, x.entry.name)
            for x in self.lines
        )
        request = QuoteRequest(
            policy=person.policy,
            visit_date=self.day,
            patient=patient,
            facility=self.patient.facility,
            visit=QuoteVisit(items=items, filed_out_of_area=self.patient.filed_out_of_area),
            year_to_date=person.year_to_date,
        )
        return quote(request, book or default_book())

    def draft(self, facility_id: str, staff_id: int, doctor_id: int | None = None) -> VisitDraft:
        from desktop.settlement.draft import DraftItem, VisitDraft

        return VisitDraft(
            facility_id=facility_id,
            person_id=self.person_id,
            staff_id=staff_id,
            visit_date=self.day,
            items=tuple(DraftItem(x.entry.code, x.quantity, x.price, x.price_confirmed) for x in self.lines),
            diagnoses=() if self.diagnosis is None else (self.diagnosis,),
            doctor_id=doctor_id,
        )

    def self_pay_draft(self, facility_id: str, staff_id: int) -> SelfPayDraft:
        from desktop.settlement.draft import DraftItem
        from desktop.settlement.self_pay import SelfPayDraft

        return SelfPayDraft(
            facility_id=facility_id,
            staff_id=staff_id,
            visit_date=self.day,
            items=tuple(DraftItem(x.entry.code, x.quantity, x.price, x.price_confirmed) for x in self.lines),
            diagnoses=() if self.diagnosis is None else (self.diagnosis,),
            person_id=self.person_id if self.walk_in is None else None,
            walk_in=self.walk_in,
        )


def self_pay_quote(lines: Sequence[Line]) -> Quote:
    """A self-pay visit's split, in the quote's shape so the panel shows it as any other: all cash."""
    from desktop.policy.types import Quote, YearToDate
    from desktop.settlement.self_pay import EXPLANATION

    total = sum((line.amount for line in lines), Decimal("0.00"))
    zero = Decimal("0.00")
    return Quote(
        policy="self-pay",
        policy_version="",
        covered=False,
        reason=None,
        total=total,
        out_of_scope=total,
        in_scope=zero,
        deductible_applied=zero,
        rate=zero,
        fund=zero,
        account=zero,
        cash=total,
        year_to_date_after=YearToDate(),
        explanation=(EXPLANATION,),
    )


def visit_to_settle_again(
    store: Store, settlement_id: int, catalogue: Sequence[CatalogueEntry]
) -> tuple[list[Line], DiagnosisLine | None]:
    """A self-pay visit's lines (at the prices charged) and first diagnosis, to settle again as insured.

    A line whose item has left the catalogue is left out: the clerk sees the visit and adds it again.
    """
    from sqlalchemy import select

    from db.models import Diagnosis, Settlement, VisitItem
    from desktop.money import from_fen
    from desktop.settlement.draft import DiagnosisLine

    entries = {entry.code: entry for entry in catalogue}
    with store.reading() as session:
        visit_id = session.scalar(select(Settlement.visit_id).where(Settlement.id == settlement_id))
        items = session.execute(
            select(VisitItem.code, VisitItem.quantity, VisitItem.price_fen)
            .where(VisitItem.visit_id == visit_id)
            .order_by(VisitItem.line_no)
        ).all()
        diagnosis = session.execute(
            select(Diagnosis.code, Diagnosis.name).where(Diagnosis.visit_id == visit_id).order_by(Diagnosis.line_no)
        ).first()
    lines = [
        Line(entries[code], Decimal(quantity), from_fen(price_fen))
        for code, quantity, price_fen in items
        if code in entries
    ]
    return lines, None if diagnosis is None else DiagnosisLine(diagnosis.code, diagnosis.name)
