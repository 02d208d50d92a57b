"""Upload of a 30-day backlog (3,000 settlements) to the sandbox agency on loopback, beside a
bare httpx loop posting the same records to the same kind of server, in the same run.

Both sides get a fresh sandbox agency (a separate process, as the agency is another
machine) loaded with the same roster and secrets. The relay runs one full sync: it reads
the outbox in order, signs and posts each row under its stored msgid, and writes every
answer to the clinic's store (synchronous=FULL), then refreshes the people it booked
and reconciles. The bare loop posts the same 2201 → 2203 → 2204 → 2207 messages, built
and signed the same way from facts read before the clock starts, and keeps nothing.
Target: the relay at least half the bare loop's records per second.

    .venv/bin/python benchmarks/sync_upload.py [--settlements 3000] [--days 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from db.models import Facility
from db.session import Store, open_store
from desktop.agency import HmacSigner, Reply, Sender, decode, encode, parse_reply, prepare_request
from desktop.agency.messages import SignIn
from desktop.agency.msgid import CHINA, make_msgid
from desktop.agency.replies import read_registration, read_sign_in
from desktop.demo import CATALOGUE, DIAGNOSES, FACILITIES, build_demo
from desktop.policy import default_book
from desktop.sandbox.from_store import roster_from_store
from desktop.settlement import DiagnosisLine, DraftItem, SettlementError, VisitDraft
from desktop.settlement.service import settle_in
from desktop.sync import AgencyClient, FixedCredentials, Operator, Relay
from desktop.sync.backoff import Backoff
from desktop.sync.client import make_http
from desktop.sync.visits import VisitFacts, load_visits, message_for

TARGET = 0.5
SECRETS = {code: f"benchmark-secret-{code}" for _, code, *_ in FACILITIES}
STAFF_OF = {"T01": 2, "V01": 3, "V02": 4, "V03": 5}


def backlog(path: Path, settlements: int, days: int) -> Store:
    """A demo roster and ``settlements`` visits over the last ``days`` days, none of them sent."""
    store = open_store(path)
    today = dt.datetime.now(CHINA).date()
    build_demo(store, people=300, days=0, today=today)
    rng = random.Random(30)
    book = default_book()
    made = 0
    with store.write_connection() as connection:
        while made < settlements:
            day = today - dt.timedelta(days=days - made * days // settlements)
            facility = rng.choice(["T01", "T01", "V01", "V02", "V03"])
            drawn = rng.sample(CATALOGUE[:-1], rng.randint(1, 3))
            draft = VisitDraft(
                facility_id=facility,
                person_id=rng.randint(1, 300),
                staff_id=STAFF_OF[facility],
                visit_date=day,
                items=(DraftItem("FA01"), *(DraftItem(e[0], Decimal(rng.randint(1, 3))) for e in drawn)),
                diagnoses=(DiagnosisLine(*rng.choice(DIAGNOSES)),),
            )
            moment = dt.datetime.combine(day, dt.time(8 + made % 9, made % 60, made * 7 % 60), CHINA)
            try:
                settle_in(connection, draft, moment, book)
            except SettlementError:
                continue
            made += 1
    return store


class Agency:
    """``clinic-agency-sandbox`` in its own process, with its own file."""

    def __init__(self, folder: Path, roster: dict[str, object]) -> None:
        folder.mkdir()
        (folder / "roster.json").write_text(json.dumps(roster, ensure_ascii=False))
        (folder / "secrets.json").write_text(json.dumps(SECRETS))
        script = Path(sys.executable).with_name("clinic-agency-sandbox")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "desktop.sandbox.server"]
        files = ["--db", str(folder / "agency.sqlite3"), "--roster", str(folder / "roster.json")]
        self.process = subprocess.Popen(
            [*command, "--port", "0", *files, "--secret-file", str(folder / "secrets.json"), "--log-level", "WARNING"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self.url = line.strip().removeprefix("listening on ")
        if not self.url.startswith("http"):
            raise SystemExit(f"the sandbox did not start: {line!r}")

    def booked(self) -> int:
        return len(httpx.get(f"{self.url}/_admin/settlements").json()["settlements"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def relay_upload(store: Store, url: str) -> float:
    client = AgencyClient(url, FixedCredentials(SECRETS), http=make_http(30.0))
    with Relay(store, client, Operator("admin", "赵建国"), backoff=Backoff(0.01, 2, 0.1)) as relay:
        started = time.perf_counter()
        report = relay.run()
        elapsed = time.perf_counter() - started
    if not report.complete or report.set_aside:
        raise SystemExit(f"the relay did not finish cleanly: {report.as_json()}")
    return elapsed


def bare_upload(store: Store, url: str) -> float:
    """The same four messages per settlement, built and signed the same way; nothing stored."""
    with store.reading() as session:
        connection = session.connection()
        places = {f.code: (f.name, f.admdvs) for f in session.query(Facility)}
        outbox = connection.exec_driver_sql(
            "SELECT infno, msgid, settlement_id FROM outbox WHERE state = 'pending' ORDER BY id"
        ).all()
        facts = load_visits(connection, {row.settlement_id for row in outbox})
    signers = {code: HmacSigner(secret) for code, secret in SECRETS.items()}
    now = dt.datetime.now(dt.UTC)
    with httpx.Client(timeout=30.0) as http:
        started = time.perf_counter()
        sign_nos = {}
        for sequence, (code, (name, admdvs)) in enumerate(places.items(), start=1):
            sender = Sender(code, name, admdvs, opter="admin", opter_name="赵建国")
            msgid = make_msgid(code, now - dt.timedelta(seconds=5), sequence)
            envelope = prepare_request(sender, SignIn("admin", "127.0.0.1"), msgid, signers[code], at=now)
            sign_nos[code] = read_sign_in(_post(http, url, envelope)).sign_no
        known: dict[int, VisitFacts] = {}
        for infno, msgid, settlement_id in outbox:
            visit = known.get(settlement_id, facts[settlement_id])
            envelope = prepare_request(
                visit.sender(sign_nos[visit.fixmedins_code]),
                message_for(infno, visit),
                msgid,
                signers[visit.fixmedins_code],
                at=dt.datetime.now(dt.UTC),
                insuplc_admdvs=visit.insuplc_admdvs,
            )
            reply = _post(http, url, envelope)
            if infno == "2201":
                known[settlement_id] = visit.with_agency_ids(mdtrt_id=read_registration(reply).mdtrt_id)
        return time.perf_counter() - started


def _post(http: httpx.Client, url: str, envelope: dict[str, Any]) -> Reply:
    response = http.post(url, content=encode(envelope), headers={"Content-Type": "application/json"})
    reply = parse_reply(decode(response.content))
    if not reply.ok:
        raise SystemExit(f"the sandbox refused {envelope['infno']}: {reply.err_msg}")
    return reply


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settlements", type=int, default=3000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    try:
        print(f"building a {args.days}-day backlog of {args.settlements:,} settlements…", flush=True)
        source = backlog(folder / "backlog.sqlite3", args.settlements, args.days)
        roster = roster_from_store(source, dt.datetime.now(CHINA).date())
        source.dispose()
        shutil.copy(folder / "backlog.sqlite3", folder / "relay.sqlite3")
        shutil.copy(folder / "backlog.sqlite3", folder / "bare.sqlite3")
        results = {}
        for name, upload in (("bare httpx loop", bare_upload), ("relay", relay_upload)):
            agency = Agency(folder / f"agency-{name.split()[0]}", roster)
            store = open_store(folder / f"{name.split()[0]}.sqlite3")
            try:
                elapsed = upload(store, agency.url)
                booked = agency.booked()
            finally:
                store.dispose()
                agency.stop()
            if booked != args.settlements:
                raise SystemExit(f"{name}: the agency booked {booked}, not {args.settlements}")
            results[name] = args.settlements / elapsed
            print(
                f"{name:>16}: {elapsed:6.2f} s, {results[name]:7.1f} settlements/s ({4 * results[name]:.0f} messages/s)"
            )
        ratio = results["relay"] / results["bare httpx loop"]
        print(f"ratio relay/bare: {ratio:.2f} (target: at least {TARGET}); load average {os.getloadavg()[0]:.2f}")
        return 0 if ratio >= TARGET else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
