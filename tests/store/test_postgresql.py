"""The same store on PostgreSQL, as a multi-counter clinic keeps it: migrations, the
settlement transaction, two counters racing for one cap, a counter killed inside its
transaction, and a week's sync through a flaky agency.

SQLite serialises writers with ``BEGIN IMMEDIATE``; PostgreSQL only with the row lock the
accumulator upsert takes, so the race below is the test of that lock.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from db.audit_verify import verify
from db.migrate import alembic_config
from db.models import Accumulator, AuditEntry, Base, OutboxEntry, Person, Reversal, Setting, Settlement
from db.session import Store, open_store
from desktop.demo import build_demo
from desktop.settlement import DiagnosisLine, DraftItem, VisitDraft, reverse, settle
from tests.factories import COLD, NOW, TODAY, add_person, make_store
from tests.postgres import PostgresServer, running_server
from tests.settlement.test_durability import _assert_whole, _worker, race_two_counters_for_one_cap
from tests.sync.helpers import FIRST_DAY, PEOPLE, agency_settlements, relay_for, start_agency
from tests.sync.test_week_offline import FLAKY, _exactly_once, _figures_agree, _reconciles_to_the_fen, _week_at


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    with running_server() as started:
        yield started


@pytest.fixture
def url(server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    name = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:60]
    with server.database(name) as found:
        yield found


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    opened = make_store(url)
    yield opened
    opened.dispose()


def test_an_empty_database_upgrades_to_head_and_matches_the_models(url: str) -> None:
    store = open_store(url)
    try:
        assert set(Base.metadata.tables) <= set(inspect(store.engine).get_table_names())
        with store.engine.begin() as connection:
            head = ScriptDirectory.from_config(alembic_config()).get_current_head()
            assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head
            # PostgreSQL keeps what SQLite drops (column comments, exact types): nothing may differ.
            command.check(alembic_config(connection))
    finally:
        store.dispose()


def test_settlements_and_a_reversal_keep_the_year_to_date_figures(store: Store) -> None:
    add_person(store, person_id=1)
    visit = VisitDraft("T01", 1, 1, TODAY, (DraftItem("E01", Decimal(2)),), COLD)
    settled = [settle(store, visit, NOW + dt.timedelta(minutes=n)) for n in range(3)]
    reverse(store, settled[1].settlement_id, "录入错误", staff_id=1, now=NOW + dt.timedelta(hours=1))
    with store.reading() as session:
        kept = session.scalars(select(Settlement).order_by(Settlement.id)).all()
        accumulator = session.get(Accumulator, (1, TODAY.year))
        outbox = session.scalar(select(func.count()).select_from(OutboxEntry))
        money = AuditEntry.action.in_(("settle", "reverse"))
        audited = session.scalars(select(AuditEntry.action).where(money).order_by(AuditEntry.id)).all()
        assert session.scalar(select(func.count()).select_from(Reversal)) == 1
    assert [s.fund_fen for s in kept] == [2400] * 3  # 40.00 × 60% (洪府厅发〔2019〕102号 第十四条)
    assert kept[0].settled_at.tzinfo is not None  # timestamps come back as they went in, on either backend
    assert accumulator is not None
    assert accumulator.fund_paid_fen == 2 * 2400  # the reversed one given back
    assert outbox == 3 * 4 + 1  # four messages a settlement, one for the reversal
    assert audited == ["settle", "settle", "settle", "reverse"]


def test_two_counters_cannot_both_spend_the_same_cap(store: Store, url: str, tmp_path: Path) -> None:
    race_two_counters_for_one_cap(store, url, tmp_path / "go")
    # Both counters appended to the audit chain at once: the head's row lock kept it one chain.
    with store.reading() as session:
        verdict = verify(session.connection())
        settled = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "settle"))
    assert verdict.ok, verdict.first
    assert settled == session_count(store)


def session_count(store: Store) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Settlement)) or 0)


def test_a_counter_killed_inside_its_transaction_leaves_no_trace(store: Store, url: str) -> None:
    add_person(store, person_id=1)
    with _worker(url, "T01", 1, 3, hang_inside=True) as process:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(4)]
        assert lines[0] == "ready"
        assert lines[3] == "inside", lines
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    _assert_whole(store, None)
    # The server rolled the dead counter's transaction back and freed its row lock: the next one settles.
    visit = VisitDraft("T01", 1, 1, TODAY, (DraftItem("E01"),), (DiagnosisLine("J06.900", "急性上呼吸道感染"),))
    settle(store, visit, NOW)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Settlement)) == 3
        accumulator = session.get(Accumulator, (1, 2024))
    assert accumulator is not None
    assert accumulator.fund_paid_fen == 2 * 3600 + 1200  # the worker's two 60.00 visits and this 20.00 one, at 60%
    _assert_whole(store, None)


def test_a_week_offline_syncs_once_through_a_flaky_agency(url: str, tmp_path: Path) -> None:
    clinic = open_store(url)
    try:
        build_demo(clinic, people=PEOPLE, days=0, today=FIRST_DAY)
        with clinic.writing() as session:
            session.merge(Setting(key="facility_id", value="T01"))
        week = _week_at(clinic, "T01", seed=3)
        agency = start_agency(tmp_path / "agency.sqlite3", [clinic], FLAKY)
        try:
            with relay_for(clinic, agency.url, timeout=0.15, give_up_after=60) as relay:
                report = relay.run()
            assert report.complete, report.last_error
            assert report.failed_calls > 0
            _exactly_once({"T01": clinic}, agency_settlements(agency), {"T01": week})
            assert all(r.matches for r in report.reconciliations), [r.agency_text for r in report.reconciliations]
            _reconciles_to_the_fen({"T01": clinic}, agency_settlements(agency))
            with relay_for(clinic, agency.url, timeout=0.15, give_up_after=60) as relay:
                relay.roster_max_age = dt.timedelta(0)
                assert relay.run().complete
            _figures_agree(clinic, agency)
            with clinic.reading() as session:
                assert session.scalar(select(func.count()).select_from(Person)) == PEOPLE
        finally:
            agency.stop()
    finally:
        clinic.dispose()


def test_the_month_totals_are_kept_by_the_triggers(store: Store) -> None:
    from tests.store.test_month_totals import check_month_totals

    check_month_totals(store)
