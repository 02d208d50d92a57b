"""A history as it reads once an accepted decision is stored (for callers and tests without a store)."""

from __future__ import annotations

from dataclasses import replace

from desktop.signing.types import Decision, SigningHistory, SigningInputError, SigningRecord


def apply_decision(history: SigningHistory, decision: Decision, record_id: int | None = None) -> SigningHistory:
    """Replace the records the decision closes and add its new record (given ``record_id``).

    Closed records are matched by ``record_id`` where they have one, else by their
    stored fields as they were before closing.
    """
    if not decision.accepted or decision.record is None:
        raise SigningInputError("decision", "only an accepted decision changes the history")
    records = list(history.records)
    for closed in decision.closes:
        index = _find(records, closed)
        records[index] = closed
    records.append(replace(decision.record, record_id=record_id))
    return replace(history, records=tuple(records))


def _find(records: list[SigningRecord], closed: SigningRecord) -> int:
    for index, record in enumerate(records):
        if closed.record_id is not None and record.record_id == closed.record_id:
            return index
        if closed.record_id is None and replace(record, effective_until=None) == replace(closed, effective_until=None):
            return index
    raise SigningInputError("decision.closes", f"no record in the history matches {closed.facility_id!r}")
