"""Any sequence of settlements and reversals leaves the year-to-date figures equal to the sum
of what the standing (unreversed) settlements moved, and the account balance likewise."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.models import Accumulator, Person, Reversal, Settlement
from db.session import open_store
from desktop.settlement import DraftItem, VisitDraft, reverse, settle
from tests.factories import NOW, TODAY, add_person, make_store

# Migrating a fresh file per example would dominate the run: examples copy one template.
_TEMPLATE = Path(tempfile.mkdtemp(prefix="clinic-template-"))
atexit.register(shutil.rmtree, _TEMPLATE, ignore_errors=True)
_store = make_store(_TEMPLATE)
add_person(_store, person_id=1, policy="nanchang-employee", balance_fen=30000)
add_person(_store, person_id=2, policy="shaoguan-resident", signed_at="T10")
_store.dispose()

CODES = ["X01", "X02", "X03", "E01", "F01", "Z01"]
visit = st.tuples(
    st.sampled_from([1, 2]),
    st.lists(st.tuples(st.sampled_from(CODES), st.integers(1, 40)), min_size=1, max_size=4),
)
Step = tuple[int, list[tuple[str, int]]] | int
step: st.SearchStrategy[Step] = st.one_of(visit, st.integers(0, 30))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_year_to_date_equals_what_standing_settlements_moved(steps: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(_TEMPLATE / "clinic.sqlite3", Path(folder) / "clinic.sqlite3")
        store = open_store(Path(folder) / "clinic.sqlite3", migrate=False)
        settled: list[int] = []
        for argument in steps:
            if isinstance(argument, tuple):  # settle a visit; an integer picks one to reverse
                person, lines = argument
                facility = "T01" if person == 1 else "T10"
                items = tuple(DraftItem(code, Decimal(qty)) for code, qty in lines)
                settled.append(settle(store, VisitDraft(facility, person, 1, TODAY, items), NOW).settlement_id)
            elif settled:
                target = settled[argument % len(settled)]
                with store.reading() as session:
                    already = session.scalar(select(Reversal.id).where(Reversal.settlement_id == target))
                if already is None:
                    reverse(store, target, "测试冲正", 1, NOW)
        with store.reading() as session:
            standing = ~Settlement.reversal.has()
            for accumulator in session.scalars(select(Accumulator)):
                mine = (Settlement.person_id == accumulator.person_id, Settlement.year == accumulator.year, standing)
                sums = session.execute(
                    select(
                        func.coalesce(func.sum(Settlement.deductible_fen), 0),
                        func.coalesce(func.sum(Settlement.fund_toward_cap_fen), 0),
                    ).where(*mine)
                ).one()
                assert (accumulator.deductible_met_fen, accumulator.fund_paid_fen) == tuple(sums)
                assert accumulator.deductible_met_fen <= 60000  # 洪府办发〔2022〕93号 第十七条
            employee = session.get(Person, 1)
            spent = session.scalar(
                select(func.coalesce(func.sum(Settlement.account_fen), 0)).where(Settlement.person_id == 1, standing)
            )
            assert employee is not None
            assert employee.account_balance_fen == 30000 - (spent or 0)
            resident = session.get(Accumulator, (2, 2024))
            assert resident is None or resident.fund_paid_fen <= 30000  # 韶医保规〔2023〕2号 第八条（一）
        store.dispose()
