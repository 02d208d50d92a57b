"""A counter in another process: settles visits for one person in a loop (for crash and race tests).

Usage: python -m tests.settlement.worker DB FACILITY PERSON COUNT [GO_FILE] [--hang-inside]
With GO_FILE, it waits for that file to appear before the first settlement, so that
several workers start together, and pauses briefly between visits as a clerk would:
without the pause one process re-takes SQLite's write lock before the other's busy
handler wakes, and the two never interleave.
With --hang-inside, the last settlement stops after writing everything but before its
commit, says "inside" and waits there to be killed.
"""

from __future__ import annotations

import argparse
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from db import audit
from db.session import open_store
from desktop.settlement import DiagnosisLine, DraftItem, VisitDraft, settle
from tests.factories import NOW, STAFF_AT, TODAY


def _hang_at_the_audit_entry() -> None:
    """The audit entry is the settlement's last write: stop there, inside the transaction."""
    write_audit = audit.record

    def audit_then_hang(*args: Any, **kwargs: Any) -> Any:
        write_audit(*args, **kwargs)
        print("inside", flush=True)
        time.sleep(600)

    audit.record = audit_then_hang


def main(db: str, facility: str, person: int, count: int, go: Path | None, hang_inside: bool) -> None:
    store = open_store(db, migrate=False)
    print("ready", flush=True)
    while go is not None and not go.exists():
        time.sleep(0.005)
    visit = VisitDraft(
        facility,
        person,
        STAFF_AT[facility],
        TODAY,
        (DraftItem("E01", Decimal(3)),),
        (DiagnosisLine("J06.900", "急性上呼吸道感染"),),
    )
    for number in range(count):
        if hang_inside and number == count - 1:
            _hang_at_the_audit_entry()
        done = settle(store, visit, NOW)
        print(done.settlement_id, done.quote.fund, flush=True)
        if go is not None:
            time.sleep(0.01)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("facility")
    parser.add_argument("person", type=int)
    parser.add_argument("count", type=int)
    parser.add_argument("go", nargs="?", type=Path)
    parser.add_argument("--hang-inside", action="store_true")
    args = parser.parse_args()
    main(args.db, args.facility, args.person, args.count, args.go, args.hang_inside)
