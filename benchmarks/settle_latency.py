"""Settlement latency on a store holding 1,000,000 visits, beside a bare sqlite3 transaction.

After each settlement a bare sqlite3 transaction writes the same rows again by hand: the
visit, as many items and diagnoses, the settlement (with the same explanation text), the
accumulator, the person's account when the settlement spent it, four outbox rows and the
audit entry (with its digest) and the chain's head, into the same tables and so the same
indexes, on the same file with the same pragmas (WAL, synchronous=FULL, foreign keys on)
and BEGIN IMMEDIATE. The two take turns so that both see the same machine. Target:
median and p99 of ``settle`` at most 3x the bare transaction's.

With ``--encrypted`` the store is encrypted with SQLCipher (``db.at_rest``) and the bare
transaction runs on SQLCipher with the same key: the figures show what encryption costs
beside the plain store's.

    .venv/bin/python benchmarks/settle_latency.py [--visits 1000000] [--rounds 400] [--encrypted]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Literal

from db.at_rest import key_pragma, new_key
from db.session import open_store
from desktop.demo import build_demo
from desktop.settlement import DiagnosisLine, DraftItem, SettledVisit, VisitDraft, settle
from desktop.settlement.service import CHINA

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON")


def connect(path: Path, key: str | None, *, autocommit: bool = False) -> sqlite3.Connection:
    """sqlite3, or SQLCipher's driver with the store's key."""
    level: Literal["DEFERRED"] | None = None if autocommit else "DEFERRED"
    if key is None:
        return sqlite3.connect(path, isolation_level=level)
    import sqlcipher3

    connection: sqlite3.Connection = sqlcipher3.connect(str(path), isolation_level=level)
    connection.execute(key_pragma(key))
    return connection


def fill(path: Path, visits: int, key: str | None) -> None:
    """Bulk-load history rows straight through sqlite3: the benchmark is about the hot path."""
    connection = connect(path, key)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    have = connection.execute("SELECT count(*) FROM visit").fetchone()[0]
    start = connection.execute("SELECT coalesce(max(id), 0) FROM visit").fetchone()[0] + 1
    outbox = connection.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0] + 1
    stamp = "2025-06-01 02:00:00.000000"
    batch = 20_000
    for first in range(start, start + visits - have, batch):
        ids = range(first, min(first + batch, start + visits - have))
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO visit (id, facility_id, person_id, staff_id, visit_date, created_at, referral, emergency, "
            "inpatient) VALUES (?, 'T01', ?, 2, '2025-06-01', ?, 0, 0, 0)",
            ((i, i % 300 + 1, stamp) for i in ids),
        )
        connection.executemany(
            "INSERT INTO visit_item (visit_id, line_no, code, name, kind, item_class, quantity, price_fen, "
            "amount_fen, in_scope_fen) VALUES (?, 1, 'XA01', '阿莫西林胶囊', 'drug', 'A', '1', 1250, 1250, 1250)",
            ((i,) for i in ids),
        )
        connection.executemany(
            "INSERT INTO settlement (id, visit_id, person_id, staff_id, settled_at, year, policy, policy_version, "
            "covered, rate, total_fen, in_scope_fen, out_of_scope_fen, deductible_fen, fund_fen, "
            "fund_toward_cap_fen, fund_out_of_city_fen, account_fen, cash_fen, explanation, status, msgid) "
            "VALUES (?, ?, ?, 2, ?, 2025, 'nanchang-resident', 'x', 1, '0.60', 1250, 1250, 0, 0, 750, 750, 0, 0, "
            "500, '[]', 'confirmed', ?)",
            ((i, i, i % 300 + 1, stamp, f"H{i:029d}") for i in ids),
        )
        connection.executemany(
            "INSERT INTO outbox (id, created_at, infno, msgid, settlement_id, payload, state, attempts, last_error) "
            "VALUES (?, ?, '2207', ?, ?, '{}', 'done', 1, '')",
            ((outbox + i, stamp, f"O{i:029d}", i) for i in ids),
        )
        connection.execute("COMMIT")
    connection.close()


def bare_transaction(connection: sqlite3.Connection, sequence: int, twin: SettledVisit, draft: VisitDraft) -> float:
    """The rows ``settle`` just wrote for ``draft``, written again by hand: same tables, row counts and sizes.

    Figures are written unchanged (``+ 0``) so the twin's year-to-date and account stay
    the settlements' own; SQLite rewrites the row all the same.
    """
    started = time.perf_counter()
    unique = f"{time.time_ns() % 10**20:020d}{sequence:05d}"  # 25 characters
    person = draft.person_id
    cursor = connection.cursor()
    cursor.execute("BEGIN IMMEDIATE")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    cursor.execute(
        "INSERT INTO visit (facility_id, person_id, staff_id, visit_date, created_at, referral, emergency, inpatient,"
        " liability, disease, signature_png) VALUES (?, ?, ?, ?, ?, 0, 0, 0, NULL, NULL, NULL) RETURNING id",
        (draft.facility_id, person, draft.staff_id, draft.visit_date.isoformat(), now),
    )
    visit_id = cursor.fetchone()[0]
    cursor.executemany(
        "INSERT INTO visit_item (visit_id, line_no, code, name, kind, item_class, quantity, price_fen, amount_fen,"
        " in_scope_fen) VALUES (?, ?, ?, '药品', 'drug', 'A', '1', 1000, 1000, 1000)",
        [(visit_id, n, item.code) for n, item in enumerate(draft.items, start=1)],
    )
    cursor.executemany(
        "INSERT INTO diagnosis (visit_id, line_no, code, name) VALUES (?, ?, ?, ?)",
        [(visit_id, n, d.code, d.name) for n, d in enumerate(draft.diagnoses, start=1)],
    )
    cursor.execute(
        "INSERT INTO settlement (visit_id, person_id, staff_id, settled_at, year, policy, policy_version, covered,"
        " reason, rate, total_fen, in_scope_fen, out_of_scope_fen, deductible_fen, fund_fen, fund_toward_cap_fen,"
        " fund_out_of_city_fen, account_fen, cash_fen, explanation, status, msgid) VALUES (?, ?, ?, ?, ?, ?, ?, 1,"
        " NULL, '0.60', 3000, 3000, 0, 0, 1800, 1800, 0, 0, 1200, ?, 'pending', ?) RETURNING id",
        (
            visit_id,
            person,
            draft.staff_id,
            now,
            draft.visit_date.year,
            twin.quote.policy,
            twin.quote.policy_version,
            json.dumps(list(twin.quote.explanation), ensure_ascii=False),
            f"B{unique}0000",
        ),
    )
    settlement_id = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO accumulator (person_id, year, deductible_met_fen, fund_paid_fen, fund_paid_out_of_city_fen)"
        " VALUES (?, ?, 0, 0, 0) ON CONFLICT DO UPDATE SET fund_paid_fen = fund_paid_fen + 0",
        (person, draft.visit_date.year),
    )
    if twin.quote.account:
        cursor.execute("UPDATE person SET account_balance_fen = account_balance_fen - 0 WHERE id = ?", (person,))
    payload = json.dumps({"settlement_id": settlement_id})
    cursor.executemany(
        "INSERT INTO outbox (created_at, infno, msgid, settlement_id, payload, state, attempts, last_error)"
        " VALUES (?, ?, ?, ?, ?, 'pending', 0, '')",
        [(now, infno, f"O{unique}{infno}", settlement_id, payload) for infno in ("2201", "2203", "2204", "2207")],
    )
    detail = json.dumps({"policy_version": twin.quote.policy_version, "total": "30.00", "fund": "18.00",
                         "account": "0.00", "cash": "12.00"}, ensure_ascii=False)  # fmt: skip
    rows = json.dumps({"settlement": {"layout": "0" * 32, "rows": {str(settlement_id): "0" * 32}}})
    seq = cursor.execute("SELECT seq + 1 FROM audit_head WHERE id = 1").fetchone()[0]
    cursor.execute(
        "INSERT INTO audit_log (at, staff_id, action, entity, entity_id, detail, seq, rows, digest)"
        " VALUES (?, ?, 'settle', 'settlement', ?, ?, ?, ?, ?)",
        (now, draft.staff_id, str(settlement_id), detail, seq, rows, "0" * 64),
    )
    cursor.execute("UPDATE audit_head SET seq = ?, digest = ? WHERE id = 1", (seq, "0" * 64))
    cursor.execute("COMMIT")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--db", type=Path, help="reuse this file (filled on first use)")
    parser.add_argument("--encrypted", action="store_true", help="a store encrypted with SQLCipher")
    parser.add_argument("--key", help="the encrypted store's key (64 hex), to reuse --db")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.sqlite3"
    key = (args.key or new_key()) if args.encrypted else None
    store = open_store(path, key=key)
    with store.reading() as session:
        empty = session.connection().exec_driver_sql("SELECT count(*) FROM person").scalar() == 0
    if empty:
        print("building the demo clinic…", flush=True)
        build_demo(store, today=dt.date(2026, 11, 23), people=300)
    began = time.perf_counter()
    fill(path, args.visits, key)
    kind = "encrypted with SQLCipher" if key else "plain SQLite"
    print(f"store ({kind}) holds {args.visits:,} visits (filled in {time.perf_counter() - began:.0f} s): {path}")
    if key:
        print(f"key: {key}")

    bare = connect(path, key, autocommit=True)
    for pragma in PRAGMAS:
        bare.execute(pragma)
    rng = random.Random(1)
    ours: list[float] = []
    theirs: list[float] = []
    for sequence in range(args.rounds):
        now = dt.datetime.now(CHINA)
        draft = VisitDraft(
            "T01",
            rng.randint(1, 300),
            2,
            now.date(),
            (DraftItem("FA01"), DraftItem("XA01", Decimal(rng.randint(1, 3))), DraftItem("EA01")),
            (DiagnosisLine("J06.900", "急性上呼吸道感染"),),
        )
        started = time.perf_counter()
        try:
            settled = settle(store, draft, now)
        except ValueError:
            continue  # a suspended person drawn: skip the pair
        ours.append(time.perf_counter() - started)
        theirs.append(bare_transaction(bare, sequence, settled, draft))
    for name, samples in (("settle()", ours), ("bare sqlite3", theirs)):
        samples.sort()
        print(
            f"{name:>14}: median {statistics.median(samples) * 1000:6.2f} ms   "
            f"p99 {samples[int(len(samples) * 0.99) - 1] * 1000:6.2f} ms   ({len(samples)} transactions)"
        )
    ratio_median = statistics.median(ours) / statistics.median(theirs)
    ratio_p99 = ours[int(len(ours) * 0.99) - 1] / theirs[int(len(theirs) * 0.99) - 1]
    print(f"ratio: median {ratio_median:.2f}x, p99 {ratio_p99:.2f}x (target: at most 3x)")


if __name__ == "__main__":
    main()
