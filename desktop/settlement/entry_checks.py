"""What may enter a settlement: text the agency can take, and figures within sane limits.

A settlement is never edited, so whatever it holds reaches the agency or must be
reversed. Every text field is held, before anything is written, to the shorter of the
national interface's length for the field it is sent in
(``shared/spec/national-interface-fields.md``) and the length of its own column; text
with control characters (or what is not text at all: a lone surrogate) is refused.
Quantities and prices are held to the installation's limits (``desktop.settings``) and
every amount to the interface's numeric(16,2).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from db.models import Diagnosis, Reversal, Visit, VisitItem, WalkIn
from desktop.json_input import show
from desktop.settings import MAX_AMOUNT, Limits
from desktop.settlement.draft import DiagnosisLine, DraftItem, SettlementError, VisitDraft

# Where each text is sent, and the length the interface gives it there; None: kept at the clinic.
INTERFACE: dict[str, tuple[str, int] | None] = {
    "facility": None,  # the facility's own id; the agency gets its fixmedins_code
    "diagnoses.code": ("2203 diseinfo.diag_code", 20),
    "diagnoses.name": ("2203 diseinfo.diag_name", 100),
    "items.code": ("2204 feedetail.medins_list_codg", 150),
    "disease": ("2204 feedetail.dise_codg", 30),
    "reason": None,  # 2208 carries no reason: it stays in the clinic's records
    "walk_in.name": None,  # a self-pay visit is never sent: the ledger keeps it
}
COLUMNS: dict[str, Any] = {
    "facility": Visit.facility_id,
    "diagnoses.code": Diagnosis.code,
    "diagnoses.name": Diagnosis.name,
    "items.code": VisitItem.code,
    "disease": Visit.disease,
    "reason": Reversal.reason,
    "walk_in.name": WalkIn.name,
}


def _limit(field: str) -> int:
    column_length: int = COLUMNS[field].type.length
    sent = INTERFACE[field]
    return column_length if sent is None else min(column_length, sent[1])


LENGTHS: dict[str, int] = {field: _limit(field) for field in COLUMNS}
# 2203's diag_srt_no is numeric(2): at most 99 diagnoses. No visit at a counter has more lines than this.
MAX_DIAGNOSES = 99
MAX_LINES = 200

_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(field: str, kind: str, value: str) -> None:
    """``value`` as the ``kind`` field (a key of ``LENGTHS``) may hold it, or ``SettlementError`` naming ``field``."""
    limit = LENGTHS[kind]
    if len(value) > limit:
        raise SettlementError(field, f"{show(value)} is {len(value):,} characters; at most {limit} are accepted")
    bad = _NOT_TEXT.search(value)
    if bad is not None:
        character = bad.group()
        if "\ud800" <= character <= "\udfff":
            raise SettlementError(field, f"is not text: holds the byte 0x{ord(character) & 0xFF:02X}, not UTF-8")
        raise SettlementError(field, f"holds a control character (U+{ord(character):04X}) at {bad.start() + 1}")


def check_draft_text(draft: VisitDraft) -> None:
    """Every text of the visit, and the number of its lines, before anything is written."""
    check_lines_text(draft.facility_id, draft.items, draft.diagnoses)
    if draft.disease is not None:
        check_text("disease", "disease", draft.disease)


def check_lines_text(facility_id: str, items: Sequence[DraftItem], diagnoses: Sequence[DiagnosisLine]) -> None:
    """The facility, the items' codes and the diagnoses of any visit (insured or self-pay)."""
    check_text("facility", "facility", facility_id)
    if len(items) > MAX_LINES:
        raise SettlementError("items", f"{len(items):,} lines; a visit has at most {MAX_LINES}")
    if len(diagnoses) > MAX_DIAGNOSES:
        raise SettlementError("diagnoses", f"{len(diagnoses):,} diagnoses; the agency takes at most 99")
    for number, item in enumerate(items):
        check_text(f"items.{number}.code", "items.code", item.code)
    for number, diagnosis in enumerate(diagnoses):
        check_text(f"diagnoses.{number}.code", "diagnoses.code", diagnosis.code)
        check_text(f"diagnoses.{number}.name", "diagnoses.name", diagnosis.name)


def check_quantity(field: str, quantity: Decimal, limits: Limits) -> None:
    if not quantity.is_finite() or quantity <= 0 or quantity > limits.max_quantity:
        raise SettlementError(
            field, f"quantity {show(str(quantity))} must be more than 0 and at most {limits.max_quantity}"
        )
    if quantity != quantity.quantize(Decimal("0.001")):
        raise SettlementError(field, f"quantity {quantity} has more than 3 decimals")


def check_price(field: str, price: Decimal, limits: Limits) -> None:
    if not price.is_finite() or price < 0 or price > limits.max_price:
        raise SettlementError(field, f"price {show(str(price))} must be from 0 to {limits.max_price}")
    if price != price.quantize(Decimal("0.01")):
        raise SettlementError(field, f"price {price} must be in whole fen")


def check_amount(field: str, amount: Decimal) -> None:
    """An amount the agency's numeric(16,2) holds."""
    if amount > MAX_AMOUNT:
        raise SettlementError(field, f"{amount} is more than the agency's largest amount, {MAX_AMOUNT}")
