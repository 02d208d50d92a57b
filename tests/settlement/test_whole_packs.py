"""A pack (盒, 支) is sold whole: the settlement refuses a fraction of one, whatever sent it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, func, select

from db.migrate import alembic_config
from db.models import CatalogueItem, Settlement
from db.session import Store
from desktop.settlement import DraftItem, SettlementError, VisitDraft, settle
from tests.factories import COLD, NOW, TODAY, add_person, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = make_store(tmp_path)
    with store.writing() as session:
        session.add_all(
            [
                CatalogueItem(code="P01", name="头孢克肟胶囊", kind="drug", item_class="B", unit="盒", price_fen=2860),
                CatalogueItem(
                    code="H01", name="黄芪", kind="tcm_drug", item_class="B", unit="克", price_fen=12, divisible=True
                ),
            ]
        )
    add_person(store, person_id=1)
    return store


def visit(code: str, quantity: str) -> VisitDraft:
    return VisitDraft("T01", 1, 1, TODAY, (DraftItem(code, Decimal(quantity)),), COLD)


def settlements(store: Store) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Settlement)) or 0)


@pytest.mark.parametrize("quantity", ["1.5", "0.5", "2.001"])
def test_a_fraction_of_a_pack_is_refused_and_nothing_is_written(store: Store, quantity: str) -> None:
    with pytest.raises(SettlementError) as refused:
        settle(store, visit("P01", quantity), NOW)
    assert refused.value.field == "items.0.quantity"
    assert "whole 盒" in refused.value.message
    assert settlements(store) == 0


def test_whole_packs_and_fractions_of_what_divides_are_settled(store: Store) -> None:
    settle(store, visit("P01", "2"), NOW)
    settle(store, visit("P01", "2.000"), NOW)  # a whole number, however it is written
    done = settle(store, visit("H01", "15.5"), NOW)
    assert done.quote.total == Decimal("1.86")
    assert settlements(store) == 3


def test_the_migration_marks_weights_and_volumes_divisible(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as connection:
        config = alembic_config(connection)
        command.upgrade(config, "0004")
        connection.exec_driver_sql(
            "INSERT INTO catalogue_item (code, name, pinyin, kind, item_class, unit, spec, price_fen, active) VALUES "
            "('A', '阿莫西林胶囊', '', 'drug', 'A', '盒', '', 1250, 1), "
            "('B', '黄芪', '', 'tcm_drug', 'B', '克', '', 12, 1), "
            "('C', '葡萄糖注射液', '', 'drug', 'A', 'ml', '', 1, 1), "
            "('D', '针灸', '', 'tcm_treatment', 'A', '次', '', 3000, 1)"
        )
        command.upgrade(config, "head")
        divisible: dict[str, int] = dict(connection.exec_driver_sql("SELECT code, divisible FROM catalogue_item").all())
    engine.dispose()
    assert divisible == {"A": 0, "B": 1, "C": 1, "D": 0}
