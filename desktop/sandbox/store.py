"""The sandbox agency's own SQLite file: roster, visits, settlements, accumulators, answered messages.

One connection, used under the agency's lock: the agency books one message at a time,
as a real agency serialises a person's settlements. WAL with ``synchronous=NORMAL``: a
crash of the sandbox may lose the last commits, never corrupt the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from desktop.money import to_fen
from desktop.sandbox.roster import Roster

SCHEMA = """
CREATE TABLE IF NOT EXISTS facility (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, level INTEGER NOT NULL,
    parent_id TEXT, in_city INTEGER NOT NULL, designated_resident INTEGER NOT NULL,
    designated_employee INTEGER NOT NULL, admdvs TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS secret (code TEXT PRIMARY KEY, secret TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS person (
    psn_no TEXT PRIMARY KEY, certno TEXT NOT NULL UNIQUE, psn_name TEXT NOT NULL, gend TEXT NOT NULL,
    brdy TEXT NOT NULL, policy TEXT NOT NULL, insutype TEXT NOT NULL, psn_type TEXT NOT NULL,
    insuplc_admdvs TEXT NOT NULL, insured INTEGER NOT NULL, balc_fen INTEGER NOT NULL, patient TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS card (
    mdtrt_cert_type TEXT NOT NULL, mdtrt_cert_no TEXT NOT NULL, card_sn TEXT NOT NULL,
    psn_no TEXT NOT NULL REFERENCES person(psn_no), PRIMARY KEY (mdtrt_cert_type, mdtrt_cert_no));
CREATE TABLE IF NOT EXISTS filing (
    psn_no TEXT NOT NULL REFERENCES person(psn_no), kind TEXT NOT NULL, place_admdvs TEXT NOT NULL,
    valid_from TEXT NOT NULL, valid_until TEXT);
CREATE TABLE IF NOT EXISTS catalogue (
    med_list_codg TEXT PRIMARY KEY, med_list_name TEXT NOT NULL, kind TEXT NOT NULL, item_class TEXT NOT NULL,
    pric TEXT NOT NULL, ver INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS diag_list (
    diag_code TEXT PRIMARY KEY, diag_name TEXT NOT NULL, vali_flag TEXT NOT NULL, ver INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sign_in (
    id INTEGER PRIMARY KEY, sign_no TEXT UNIQUE, code TEXT NOT NULL, opter_no TEXT NOT NULL,
    signed_in_at TEXT NOT NULL, signed_out_at TEXT);
CREATE TABLE IF NOT EXISTS audit_head (
    id INTEGER PRIMARY KEY, code TEXT NOT NULL, msgid TEXT NOT NULL, received_at TEXT NOT NULL, head TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS message (
    msgid TEXT PRIMARY KEY, infno TEXT NOT NULL, code TEXT NOT NULL, received_at TEXT NOT NULL,
    reply TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS registration (
    id INTEGER PRIMARY KEY, mdtrt_id TEXT UNIQUE, code TEXT NOT NULL, psn_no TEXT NOT NULL,
    insutype TEXT NOT NULL, begntime TEXT NOT NULL, ipt_otp_no TEXT NOT NULL, med_type TEXT,
    dise_codg TEXT, msgid TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS diagnosis (
    mdtrt_id TEXT NOT NULL, diag_srt_no INTEGER NOT NULL, diag_code TEXT NOT NULL, diag_name TEXT NOT NULL,
    PRIMARY KEY (mdtrt_id, diag_srt_no));
CREATE TABLE IF NOT EXISTS fee (
    mdtrt_id TEXT NOT NULL, feedetl_sn TEXT NOT NULL, chrg_bchno TEXT NOT NULL, med_list_codg TEXT NOT NULL,
    cnt TEXT NOT NULL, pric TEXT NOT NULL, amount_fen INTEGER NOT NULL, msgid TEXT NOT NULL,
    PRIMARY KEY (mdtrt_id, feedetl_sn));
CREATE TABLE IF NOT EXISTS settlement (
    id INTEGER PRIMARY KEY, setl_id TEXT UNIQUE, msgid TEXT NOT NULL UNIQUE, mdtrt_id TEXT NOT NULL,
    chrg_bchno TEXT NOT NULL, code TEXT NOT NULL, psn_no TEXT NOT NULL, insutype TEXT NOT NULL,
    clr_optins TEXT NOT NULL, year INTEGER NOT NULL, setl_date TEXT NOT NULL, setl_time TEXT NOT NULL,
    total_fen INTEGER NOT NULL, in_scope_fen INTEGER NOT NULL, out_of_scope_fen INTEGER NOT NULL,
    deductible_fen INTEGER NOT NULL, fund_fen INTEGER NOT NULL, account_fen INTEGER NOT NULL,
    cash_fen INTEGER NOT NULL, moved_deductible_fen INTEGER NOT NULL, moved_fund_fen INTEGER NOT NULL,
    moved_out_of_city_fen INTEGER NOT NULL, status TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS settlement_visit ON settlement (mdtrt_id, status);
CREATE INDEX IF NOT EXISTS settlement_period ON settlement (code, insutype, setl_date);
CREATE TABLE IF NOT EXISTS cancellation (
    id INTEGER PRIMARY KEY, setl_id TEXT UNIQUE, msgid TEXT NOT NULL UNIQUE,
    settlement_id INTEGER NOT NULL REFERENCES settlement(id), cancelled_at TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accumulator (
    psn_no TEXT NOT NULL, year INTEGER NOT NULL, deductible_fen INTEGER NOT NULL DEFAULT 0,
    fund_fen INTEGER NOT NULL DEFAULT 0, out_of_city_fen INTEGER NOT NULL DEFAULT 0,
    account_fen INTEGER NOT NULL DEFAULT 0, medfee_fen INTEGER NOT NULL DEFAULT 0,
    visits INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (psn_no, year));
"""


def open_database(path: Path | str) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.executescript(SCHEMA)
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def store_roster(connection: sqlite3.Connection, roster: Roster, patient_json: Any) -> dict[str, int]:
    """Insert or replace every facility, person (with cards) and catalogue line; say how many."""
    with transaction(connection):
        connection.executemany(
            "INSERT OR REPLACE INTO facility VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    f.fixmedins_code,
                    f.fixmedins_name,
                    f.id,
                    f.kind,
                    f.level,
                    f.parent_id,
                    f.in_city,
                    f.designated_resident,
                    f.designated_employee,
                    f.admdvs,
                )
                for f in roster.facilities
            ],
        )
        for p in roster.persons:
            connection.execute(
                "INSERT OR REPLACE INTO person VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    p.psn_no,
                    p.certno,
                    p.psn_name,
                    p.gend,
                    p.brdy.isoformat(),
                    p.policy,
                    p.insutype,
                    p.psn_type,
                    p.insuplc_admdvs,
                    p.insured,
                    to_fen(p.balc),
                    patient_json(p.patient),
                ),
            )
            connection.execute("DELETE FROM card WHERE psn_no = ?", (p.psn_no,))
            connection.executemany(
                "INSERT OR REPLACE INTO card VALUES (?,?,?,?)",
                [(c.mdtrt_cert_type, c.mdtrt_cert_no, c.card_sn, p.psn_no) for c in p.cards],
            )
            connection.execute("DELETE FROM filing WHERE psn_no = ?", (p.psn_no,))
            connection.executemany(
                "INSERT INTO filing VALUES (?,?,?,?,?)",
                [
                    (
                        p.psn_no,
                        f.kind,
                        f.place_admdvs,
                        f.valid_from.isoformat(),
                        f.valid_until and f.valid_until.isoformat(),
                    )
                    for f in p.filings
                ],
            )
        # Each load that touches the catalogue is a new version: a download from the
        # previous version gets exactly these lines.
        version = connection.execute("SELECT COALESCE(MAX(ver), 0) + 1 FROM catalogue").fetchone()[0]
        connection.executemany(
            "INSERT OR REPLACE INTO catalogue VALUES (?,?,?,?,?,?)",
            [
                (e.med_list_codg, e.med_list_name, e.kind, e.item_class, f"{e.pric:.2f}", version)
                for e in roster.catalogue
            ],
        )
        if roster.diagnoses:  # a new version of the diagnosis catalogue (1307), the same way
            version = connection.execute("SELECT COALESCE(MAX(ver), 0) + 1 FROM diag_list").fetchone()[0]
            connection.executemany(
                "INSERT OR REPLACE INTO diag_list VALUES (?,?,?,?)",
                [(d.diag_code, d.diag_name, d.vali_flag, version) for d in roster.diagnoses],
            )
    return {
        "facilities": len(roster.facilities),
        "persons": len(roster.persons),
        "catalogue": len(roster.catalogue),
        "diagnoses": len(roster.diagnoses),
    }


def store_secrets(connection: sqlite3.Connection, secrets: dict[str, str]) -> int:
    with transaction(connection):
        connection.executemany("INSERT OR REPLACE INTO secret VALUES (?,?)", list(secrets.items()))
    return len(secrets)


def secret_of(connection: sqlite3.Connection, code: str) -> str | None:
    row = connection.execute("SELECT secret FROM secret WHERE code = ?", (code,)).fetchone()
    return None if row is None else str(row[0])


def stored_reply(connection: sqlite3.Connection, msgid: str) -> sqlite3.Row | None:
    found: sqlite3.Row | None = connection.execute(
        "SELECT infno, code, reply FROM message WHERE msgid = ?", (msgid,)
    ).fetchone()
    return found


def remember_reply(
    connection: sqlite3.Connection, msgid: str, infno: str, code: str, received_at: str, reply: str
) -> None:
    connection.execute("INSERT INTO message VALUES (?,?,?,?,?)", (msgid, infno, code, received_at, reply))


def move_accumulator(connection: sqlite3.Connection, sign: int, settlement: sqlite3.Row) -> None:
    """Add (sign 1) or take back (sign -1) what one settlement moved; the person's balance with it."""
    psn_no, year = settlement["psn_no"], settlement["year"]
    connection.execute("INSERT OR IGNORE INTO accumulator (psn_no, year) VALUES (?, ?)", (psn_no, year))
    connection.execute(
        "UPDATE accumulator SET deductible_fen = deductible_fen + ?, fund_fen = fund_fen + ?,"
        " out_of_city_fen = out_of_city_fen + ?, account_fen = account_fen + ?, medfee_fen = medfee_fen + ?,"
        " visits = visits + ? WHERE psn_no = ? AND year = ?",
        (
            sign * settlement["moved_deductible_fen"],
            sign * settlement["moved_fund_fen"],
            sign * settlement["moved_out_of_city_fen"],
            sign * settlement["account_fen"],
            sign * settlement["total_fen"],
            sign,
            psn_no,
            year,
        ),
    )
    connection.execute(
        "UPDATE person SET balc_fen = balc_fen - ? WHERE psn_no = ?", (sign * settlement["account_fen"], psn_no)
    )


def accumulator_row(connection: sqlite3.Connection, psn_no: str, year: int) -> sqlite3.Row | None:
    found: sqlite3.Row | None = connection.execute(
        "SELECT * FROM accumulator WHERE psn_no = ? AND year = ?", (psn_no, year)
    ).fetchone()
    return found
