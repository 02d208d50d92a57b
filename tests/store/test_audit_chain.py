"""The audit chain: every audited action sealed, and every way of changing the store behind its back found.

``clinic-pos audit verify`` exits 0 with a JSON report when the chain holds, and 4 naming
the first broken entry when a settlement's amounts were edited, a reversal and its outbox
row deleted, audit rows deleted or reordered, or a row added behind the program's back.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select, update

from db import audit
from db.audit_rules import AUDIT, Chained, Unchained
from db.audit_verify import verify
from db.models import AuditEntry, Facility, OutboxEntry, Setting, Settlement, Staff
from db.session import Store
from desktop.auth import Authenticator, SignInError
from desktop.cli import main
from desktop.enrolment import change_signing
from desktop.ledger import PNG_MAGIC, store_signature
from desktop.policy.types import FacilityKind
from desktop.settlement import DraftItem, SettlementError, VisitDraft, reverse, settle
from desktop.signing import ChangeRequest, Grounds
from tests.factories import COLD, NOW, TODAY, add_person, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = make_store(tmp_path)
    add_person(made, person_id=1)
    add_person(made, person_id=2)
    return made


def _settle(store: Store, person: int = 1, minutes: int = 0) -> int:
    visit = VisitDraft("T01", person, 1, TODAY, (DraftItem("E01", Decimal(2)), DraftItem("X01")), COLD)
    return settle(store, visit, NOW + dt.timedelta(minutes=minutes)).settlement_id


def _verify_cli(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any], str]:
    status = main(["audit", "verify", "--db", str(db), *extra])
    out, err = capsys.readouterr()
    return status, json.loads(out) if out else {}, err


def _raw(db: Path, *statements: str) -> None:
    connection = sqlite3.connect(db)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


@pytest.fixture(scope="module")
def busy_original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Settlements, a reversal, a sign-in and a refused one, a signing change, a ledger signature."""
    folder = tmp_path_factory.mktemp("busy")
    store = make_store(folder)
    add_person(store, person_id=1)
    add_person(store, person_id=2)
    first = _settle(store)
    for minutes in range(1, 4):
        _settle(store, 2, minutes)
    reverse(store, first, "录入错误", staff_id=1, now=NOW + dt.timedelta(hours=1))
    _settle(store, 1, 90)
    with store.writing() as session:
        session.merge(Setting(key="facility_id", value="T01"))
    from argon2 import PasswordHasher

    with store.writing() as session:
        staff = session.get(Staff, 1)
        assert staff is not None
        staff.password_hash = PasswordHasher().hash("clerk")
    authenticator = Authenticator(store)
    authenticator.sign_in("clerk", "clerk", NOW)
    with pytest.raises(SignInError):
        authenticator.sign_in("clerk", "wrong", NOW)
    with store.writing() as session:
        session.add(
            Facility(id="T02", code="H36010100003", name="白沙镇卫生院", kind="township_health_center", admdvs="360101")
        )
    request = ChangeRequest(
        "T02", FacilityKind.TOWNSHIP_HEALTH_CENTER, dt.date(2024, 10, 8), Grounds.ANNUAL_RESELECTION
    )
    assert change_signing(store, 2, request, 1, NOW).accepted
    store_signature(store, 2, PNG_MAGIC + b"signature", staff_id=1, now=NOW)
    store.dispose()  # the last connection closed: everything is in the one file
    return folder / "clinic.sqlite3"


@pytest.fixture
def busy_store(busy_original: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "clinic.sqlite3"
    copy.write_bytes(busy_original.read_bytes())
    return copy


def test_every_audited_action_is_sealed_and_the_chain_holds(
    busy_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, report, err = _verify_cli(busy_store, capsys)
    assert (status, err) == (0, "")
    assert report["ok"] is True
    assert report["first_broken"] is None
    with sqlite3.connect(busy_store) as raw:
        actions = {row[0] for row in raw.execute("SELECT action FROM audit_log")}
        head = raw.execute("SELECT seq, digest FROM audit_head").fetchone()
    assert {"settle", "reverse", "sign_in", "sign_in_refused", "sign", "rows_written"} <= actions
    assert report["head"] == {"seq": head[0], "digest": head[1]}
    assert report["rows"]["settlement"] == 5
    assert report["rows"]["reversal"] == 1
    # The head written down off the machine (day close, agency) is in the chain.
    assert _verify_cli(busy_store, capsys, "--head", f"{head[0]}:{head[1]}")[0] == 0


@pytest.mark.parametrize(
    ("tampering", "kind"),
    [
        (
            [
                "UPDATE settlement SET cash_fen = cash_fen - 100, total_fen = total_fen - 100,"
                " in_scope_fen = in_scope_fen - 100 WHERE id = 2"
            ],
            "row_changed",
        ),
        (["DELETE FROM outbox WHERE reversal_id IS NOT NULL", "DELETE FROM reversal"], "row_deleted"),
        (["DELETE FROM audit_log WHERE seq = 3"], "entries_missing"),
        (["UPDATE audit_log SET detail = '{\"total\": \"1.00\"}' WHERE action = 'settle'"], "entry_changed"),
        (
            # Two entries swap places: their ids are exchanged.
            [
                "UPDATE audit_log SET id = -id WHERE seq IN (4, 5)",
                "UPDATE audit_log SET id = -id + 1 WHERE seq = 4",
                "UPDATE audit_log SET id = -id - 1 WHERE seq = 5",
            ],
            "entries_reordered",
        ),
        (
            [
                "INSERT INTO visit_item (visit_id, line_no, code, name, kind, item_class, quantity, price_fen,"
                " amount_fen, in_scope_fen) VALUES (2, 9, 'X01', '阿莫西林胶囊', 'drug', 'A', '1', 1250, 1250, 1250)"
            ],
            "row_unrecorded",
        ),
        (["UPDATE person SET policy = 'nanchang-employee' WHERE id = 2"], "row_changed"),
        (["UPDATE staff SET role = 'admin' WHERE id = 2"], "row_changed"),
        (["UPDATE setting SET value = 'V01' WHERE key = 'facility_id'"], "row_changed"),
        (["UPDATE outbox SET payload = '{}' WHERE id = 3"], "row_changed"),
        (["DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)"], "entries_missing"),
    ],
    ids=[
        "settlement-amounts",
        "reversal-and-outbox-deleted",
        "audit-row-deleted",
        "audit-detail-edited",
        "audit-rows-reordered",
        "item-added",
        "roster-policy",
        "staff-role",
        "setting",
        "outbox-payload",
        "newest-entry-deleted",
    ],
)
def test_verify_names_the_first_broken_entry(
    busy_store: Path, capsys: pytest.CaptureFixture[str], tampering: list[str], kind: str
) -> None:
    _raw(busy_store, *tampering)
    status, report, err = _verify_cli(busy_store, capsys)
    assert status == 4
    assert report["ok"] is False
    assert kind in [found["kind"] for found in report["breaks"]]
    assert report["first_broken"] == report["breaks"][0]  # the earliest entry where it shows
    assert json.loads(err)["field"] == "audit"


def test_deleting_the_newest_entries_with_their_rows_is_caught_by_the_head_kept_off_the_machine(
    busy_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(busy_store) as raw:
        head = raw.execute("SELECT seq, digest FROM audit_head").fetchone()
    # Everything after the last settlement's entry goes, and the head row is rewritten to match.
    _raw(
        busy_store,
        f"DELETE FROM audit_log WHERE seq > {head[0] - 3}",
        "UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_log),"
        " digest = (SELECT digest FROM audit_log ORDER BY seq DESC LIMIT 1)",
        "UPDATE visit SET signature_png = NULL WHERE id = 2",
        "DELETE FROM signing WHERE id > 2",
        "UPDATE signing SET effective_until = NULL",
    )
    status, report, _ = _verify_cli(busy_store, capsys, "--head", f"{head[0]}:{head[1]}")
    assert status == 4
    assert report["first_broken"]["kind"] == "entries_missing"


def test_sync_may_change_what_the_models_leave_out_of_the_digest(
    busy_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(busy_store)
    with store.writing() as session:
        session.execute(update(Settlement).values(status="confirmed", agency_setl_id="S1", agency_fund_fen=1))
        session.execute(update(OutboxEntry).values(state="done", attempts=1, answer="{}"))
    store.dispose()
    assert _verify_cli(busy_store, capsys)[0] == 0


def test_a_deleted_reversal_cannot_be_reversed_again(store: Store, tmp_path: Path) -> None:
    first = _settle(store)
    reverse(store, first, "录入错误", staff_id=1, now=NOW)
    _raw(tmp_path / "clinic.sqlite3", "DELETE FROM outbox WHERE reversal_id IS NOT NULL", "DELETE FROM reversal")
    with pytest.raises(SettlementError, match="deleted behind the program's back"):
        reverse(store, first, "再冲一次", staff_id=1, now=NOW)


def test_writing_commands_refuse_a_store_whose_recent_chain_is_broken(
    busy_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _raw(busy_store, "UPDATE settlement SET fund_fen = fund_fen + 1, cash_fen = cash_fen - 1 WHERE id = 5")
    before = busy_store.read_bytes()
    status = main(["reverse", "--db", str(busy_store), "--settlement", "5", "--reason", "x", "--staff", "clerk"])
    error = json.loads(capsys.readouterr().err)
    assert status == 4
    assert error["field"] == "audit"
    assert "settlement 5 was changed" in error["error"]
    assert "clinic-pos restore" in error["error"]
    assert busy_store.read_bytes() == before  # not a byte written


def test_a_table_or_column_is_chained_by_declaring_it() -> None:
    metadata = MetaData()
    Table(
        "cash_drawer",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("counted_fen", Integer),
        Column("note", String, info={AUDIT: Unchained("free text the clerk may correct")}),
        info={AUDIT: Chained("the cash counted at close")},
    )
    Table("scratch", metadata, Column("id", Integer, primary_key=True))
    found = audit.chained_tables(metadata)
    assert list(found) == ["cash_drawer"]
    assert found["cash_drawer"].column_names == ("id", "counted_fen")


def test_every_chained_column_is_a_column_and_every_left_out_one_says_why() -> None:
    for chained in audit.chained_tables().values():
        for column in chained.table.columns:
            rule = column.info.get(AUDIT)
            assert rule is None or (isinstance(rule, Unchained) and rule.why), (chained.name, column.name)
    assert "status" not in audit.chained_tables()["settlement"].column_names
    assert "cash_fen" in audit.chained_tables()["settlement"].column_names


def test_the_start_up_check_walks_only_the_newest_entries(busy_store: Path) -> None:
    store = Store(busy_store)
    with store.reading() as session:
        recent = verify(session.connection(), recent=3)
        whole = verify(session.connection())
        entries = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    store.dispose()
    assert recent.ok
    assert whole.ok
    assert (recent.entries, whole.entries) == (3, entries)


def test_rows_sealed_before_a_column_was_chained_still_verify(store: Store) -> None:
    # As a migration adding a chained column finds the store: the rows were sealed over fewer columns.
    chained = audit.chained_tables()["setting"]
    older = audit.ChainedTable(chained.table, chained.key, chained.columns[:1], chained.bookkeeping_keys)
    with store.writing() as session:
        session.merge(Setting(key="backup.folder", value="/media/usb"))
    with store.writing() as session:
        audit.record(
            session.connection(), at=NOW, staff_id=None, action="setting", entity="setting", entity_id="backup.folder",
            detail={}, rows=[audit.Rows("setting", "key", "backup.folder")], tables={"setting": older},
        )  # fmt: skip
    with store.reading() as session:
        assert verify(session.connection()).ok
    with store.writing() as session:
        session.execute(update(Setting).where(Setting.key == "backup.folder").values(key="backup.elsewhere"))
    with store.reading() as session:
        assert not verify(session.connection()).ok
