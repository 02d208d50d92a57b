"""A counter in another process: settles visits for one person in a loop (for crash and race tests).

Usage: python -m tests.settlement.worker DB FACILITY PERSON COUNT [GO_FILE]
With GO_FILE, it waits for that file to appear before the first settlement, so that
several workers start together, and pauses briefly between visits as a clerk would:
without the pause one process re-takes SQLite's write lock before the other's busy
handler wakes, and the two never interleave.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from pathlib import Path

from db.session import open_store
from desktop.settlement import DraftItem, VisitDraft, settle
from tests.factories import NOW, TODAY


def main(db: str, facility: str, person: int, count: int, go: Path | None = None) -> None:
    store = open_store(db, migrate=False)
    print("ready", flush=True)
    while go is not None and not go.exists():
        time.sleep(0.005)
    for _ in range(count):
        done = settle(store, VisitDraft(facility, person, 1, TODAY, (DraftItem("E01", Decimal(3)),)), NOW)
        print(done.settlement_id, done.quote.fund, flush=True)
        if go is not None:
            time.sleep(0.01)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]) if sys.argv[5:] else None)
