"""Crashes and races with real processes on a real SQLite file."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from db.models import Accumulator, AuditEntry, Diagnosis, OutboxEntry, Settlement, Visit, VisitItem
from db.session import Store
from desktop.settlement import DiagnosisLine, DraftItem, VisitDraft, settle
from tests.factories import NOW, REPO_ENV, TODAY, add_person, make_store


def _worker(
    db: Path | str, facility: str, person: int, count: int, go: Path | None = None, *, hang_inside: bool = False
) -> subprocess.Popen[str]:
    extra = [str(go)] if go is not None else []
    if hang_inside:
        extra.append("--hang-inside")
    return subprocess.Popen(
        [sys.executable, "-m", "tests.settlement.worker", str(db), facility, str(person), str(count), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=REPO_ENV,
    )


def _assert_whole(store: Store, db: Path | None) -> None:
    """Every visit whole or absent; with ``db``, the SQLite file's own check passes too."""
    if db is not None:
        raw = sqlite3.connect(db)
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        raw.close()
    with store.reading() as session:
        visits = session.scalar(select(func.count()).select_from(Visit))
        settled = session.scalar(select(func.count()).select_from(Settlement))
        assert visits == settled
        orphans = session.scalar(select(func.count()).select_from(Visit).where(~Visit.items.any()))
        assert orphans == 0
        per_settlement = session.execute(
            select(OutboxEntry.settlement_id, func.count()).group_by(OutboxEntry.settlement_id)
        ).all()
        assert all(n == 4 for _, n in per_settlement)
        assert len(per_settlement) == settled
        item_rows = session.scalar(select(func.count()).select_from(VisitItem))
        assert item_rows == visits
        assert session.scalar(select(func.count()).select_from(Diagnosis)) == visits  # the worker gives one each
        audited = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "settle"))
        assert audited == settled
        for accumulator in session.scalars(select(Accumulator)):
            paid = session.scalar(
                select(func.coalesce(func.sum(Settlement.fund_toward_cap_fen), 0)).where(
                    Settlement.person_id == accumulator.person_id, Settlement.year == accumulator.year
                )
            )
            assert accumulator.fund_paid_fen == paid


def test_kill_minus_nine_mid_settlement_leaves_whole_visits(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_person(store, person_id=1)
    db = tmp_path / "clinic.sqlite3"
    rng = random.Random(7)
    for _ in range(4):
        with _worker(db, "T01", 1, 10_000) as process:
            assert process.stdout is not None
            process.stdout.readline()  # ready
            process.stdout.readline()  # it has settled one and is settling more
            time.sleep(rng.uniform(0.05, 0.4))
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        _assert_whole(store, db)
    with store.reading() as session:
        assert (session.scalar(select(func.count()).select_from(Settlement)) or 0) >= 4


def test_kill_minus_nine_after_every_write_but_before_commit_leaves_no_trace(tmp_path: Path) -> None:
    # The random kills above may land between settlements; this one is inside the transaction.
    store = make_store(tmp_path)
    add_person(store, person_id=1)
    db = tmp_path / "clinic.sqlite3"
    with _worker(db, "T01", 1, 3, hang_inside=True) as process:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(4)]
        assert lines[0] == "ready"
        assert lines[3] == "inside", lines  # two settled, the third written and not committed
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    _assert_whole(store, db)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 2
        accumulator = session.get(Accumulator, (1, 2024))
    assert accumulator is not None
    assert accumulator.fund_paid_fen == 2 * 3600  # 60.00 × 60% twice (洪府厅发〔2019〕102号 第十四条)
    # The dead process's write lock went with it: the next counter settles at once.
    visit = VisitDraft("T01", 1, 1, TODAY, (DraftItem("E01"),), (DiagnosisLine("J06.900", "急性上呼吸道感染"),))
    done = settle(store, visit, NOW)
    assert done.visit_id == 3
    _assert_whole(store, db)


def test_two_counters_cannot_both_spend_the_same_cap(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    race_two_counters_for_one_cap(store, tmp_path / "clinic.sqlite3", tmp_path / "go")


def race_two_counters_for_one_cap(store: Store, db: Path | str, go: Path) -> None:
    """Two counter processes settle 30 visits each for one patient at once; the cap holds.

    Shaoguan's 300-yuan cap (韶医保规〔2023〕2号 第八条（一）): each visit is 60.00 × 70% = 42.00.
    ``db`` is the SQLite file (checked with its own integrity check too) or a database URL.
    """
    add_person(store, person_id=1, policy="shaoguan-resident", signed_at="T10")
    workers = [_worker(db, "T10", 1, 30, go) for _ in range(2)]
    for process in workers:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    go.touch()
    settled: list[list[int]] = []
    for process in workers:
        with process:
            out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        settled.append([int(line.split()[0]) for line in out.splitlines()])
    # Both counters were settling at the same time: their settlements interleave.
    assert min(settled[0]) < max(settled[1])
    assert min(settled[1]) < max(settled[0])
    with store.reading() as session:
        funds = session.scalars(select(Settlement.fund_fen).order_by(Settlement.id)).all()
        accumulator = session.get(Accumulator, (1, 2024))
    assert len(funds) == 60
    assert sum(funds) == 30000
    assert funds[:8] == [4200] * 7 + [600]
    assert set(funds[8:]) == {0}
    assert accumulator is not None
    assert accumulator.fund_paid_fen == 30000
    _assert_whole(store, db if isinstance(db, Path) else None)
