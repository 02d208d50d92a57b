"""Upload of a 30-day backlog (3,000 settlements) over a poor line: the sandbox agency answers
every call after ``--slow-ms`` (100 ms, a village line's round trip).

Three measurements in one run, each against a fresh sandbox (a separate process, as the agency
is another machine) loaded with the same roster and keys:

* one at a time: the first settlements of the backlog sent by a bare httpx loop, one message
  after the other; its time per message times all the backlog's messages is the bound a
  relay that sends one message at a time cannot beat;
* a bare concurrent httpx loop: the same messages (the catalogue mapping's 3301s, then each
  settlement's 2201 → 2203 → 2204 → 2207 in order), built and signed the same way from facts
  read before the clock starts, the settlements ``--workers`` at a time over as many
  keep-alive connections, keeping nothing;
* the relay: one full sync, reading the outbox, signing and posting each row under its
  stored msgid, writing every answer to the clinic's store (synchronous=FULL), then
  refreshing the people it booked and reconciling.

Targets: the relay at least 6× faster than one at a time, and within 1.3× the bare loop.

    .venv/bin/python benchmarks/sync_upload.py [--settlements 3000] [--days 30] [--slow-ms 100] [--workers 8]
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
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from db.models import Facility
from db.session import Store, open_store
from desktop.agency import Reply, Sender, Sm2Signer, decode, encode, parse_reply, prepare_request
from desktop.agency.messages import Message, SignIn
from desktop.agency.msgid import CHINA, make_msgid
from desktop.agency.replies import read_registration, read_sign_in
from desktop.agency.signing import generate_private_key, public_key_pem
from desktop.demo import CATALOGUE, DIAGNOSES, FACILITIES, build_demo
from desktop.policy import default_book
from desktop.sandbox.from_store import roster_from_store
from desktop.settlement import DiagnosisLine, DraftItem, SettlementError, VisitDraft
from desktop.settlement.service import settle_in
from desktop.sync import AgencyClient, FixedCredentials, Operator, Relay
from desktop.sync.backoff import Backoff
from desktop.sync.client import make_http
from desktop.sync.mappings import today_in_china, uploads_due
from desktop.sync.visits import VisitFacts, load_visits, message_for

FASTER_THAN_ONE_AT_A_TIME = 6.0
WITHIN_BARE = 1.3
KEYS = {code: generate_private_key() for _, code, *_ in FACILITIES}
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

    def __init__(self, folder: Path, roster: dict[str, object], slow_ms: int) -> None:
        folder.mkdir()
        (folder / "roster.json").write_text(json.dumps(roster, ensure_ascii=False))
        (folder / "keys.json").write_text(json.dumps({code: public_key_pem(key) for code, key in KEYS.items()}))
        script = Path(sys.executable).with_name("clinic-agency-sandbox")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "desktop.sandbox.server"]
        files = ["--db", str(folder / "agency.sqlite3"), "--roster", str(folder / "roster.json")]
        self.process = subprocess.Popen(
            [
                *command,
                "--port",
                "0",
                *files,
                "--key-file",
                str(folder / "keys.json"),
                "--slow-ms",
                str(slow_ms),
                "--log-level",
                "WARNING",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self.url = line.strip().removeprefix("listening on ")
        if not self.url.startswith("http"):
            raise SystemExit(f"the sandbox did not start: {line!r}")

    def booked(self) -> int:
        return len(httpx.get(f"{self.url}/_admin/settlements", timeout=60).json()["settlements"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def relay_upload(store: Store, url: str, workers: int) -> float:
    client = AgencyClient(url, FixedCredentials(KEYS), http=make_http(30.0, connections=workers + 2))
    with Relay(store, client, Operator("admin", "赵建国"), backoff=Backoff(0.01, 2, 0.1), workers=workers) as relay:
        started = time.perf_counter()
        report = relay.run()
        elapsed = time.perf_counter() - started
    if not report.complete:
        raise SystemExit(f"the relay did not finish cleanly: {report.as_json()}")
    return elapsed


class BareLoop:
    """The same messages, built and signed the same way; nothing stored."""

    def __init__(self, store: Store, url: str, workers: int) -> None:
        self.url = url
        self.workers = workers
        with store.reading() as session:
            connection = session.connection()
            self.places = {f.code: (f.name, f.admdvs) for f in session.scalars(select(Facility))}
            rows = connection.exec_driver_sql(
                "SELECT infno, msgid, settlement_id FROM outbox WHERE state = 'pending' ORDER BY id"
            ).all()
            self.facts = load_visits(connection, {row.settlement_id for row in rows})
            self.mappings = uploads_due(connection)
        self.chains: dict[int, list[tuple[str, str]]] = {}
        for infno, msgid, settlement_id in rows:
            self.chains.setdefault(settlement_id, []).append((infno, msgid))
        self.signers = {code: Sm2Signer(key) for code, key in KEYS.items()}
        self.sequence = iter(range(8000, 10_000))
        self.lock = threading.Lock()
        self.sign_nos: dict[str, str] = {}
        self.http = httpx.Client(timeout=30.0, limits=httpx.Limits(max_connections=workers + 2))

    def _msgid(self, code: str) -> str:
        with self.lock:
            return make_msgid(code, dt.datetime.now(dt.UTC), next(self.sequence))

    def _sender(self, code: str) -> Sender:
        name, admdvs = self.places[code]
        return Sender(code, name, admdvs, opter="admin", opter_name="赵建国", sign_no=self.sign_nos.get(code, ""))

    def post(self, sender: Sender, message: Message, msgid: str, insuplc: str = "") -> Reply:
        envelope = prepare_request(
            sender,
            message,
            msgid,
            self.signers[sender.fixmedins_code],
            at=dt.datetime.now(dt.UTC),
            insuplc_admdvs=insuplc,
        )
        response = self.http.post(self.url, content=encode(envelope), headers={"Content-Type": "application/json"})
        reply = parse_reply(decode(response.content))
        if not reply.ok:
            raise SystemExit(f"the sandbox refused {envelope['infno']}: {reply.err_msg}")
        return reply

    def sign_in(self) -> None:
        for code in self.places:
            sign_in = SignIn("admin", "127.0.0.1")
            self.sign_nos[code] = read_sign_in(self.post(self._sender(code), sign_in, self._msgid(code))).sign_no

    def map_all(self, pool: ThreadPoolExecutor) -> None:
        today = today_in_china(dt.datetime.now(dt.UTC))

        def one(due: Any) -> None:
            code = due.place.fixmedins_code
            self.post(self._sender(code), due.upload(today), self._msgid(code))

        list(pool.map(one, self.mappings))

    def settlement(self, settlement_id: int) -> int:
        visit: VisitFacts = self.facts[settlement_id]
        sender = visit.sender(self.sign_nos[visit.fixmedins_code])
        for infno, msgid in self.chains[settlement_id]:
            reply = self.post(sender, message_for(infno, visit), msgid, visit.insuplc_admdvs)
            if infno == "2201":
                visit = visit.with_agency_ids(mdtrt_id=read_registration(reply).mdtrt_id)
        return len(self.chains[settlement_id])

    def concurrently(self) -> float:
        started = time.perf_counter()
        self.sign_in()
        with ThreadPoolExecutor(self.workers) as pool:
            self.map_all(pool)
            list(pool.map(self.settlement, self.chains))
        return time.perf_counter() - started

    def one_at_a_time(self, settlements: int) -> float:
        """Seconds per message, sending the first ``settlements`` one message after the other."""
        self.sign_in()
        with ThreadPoolExecutor(1) as pool:
            self.map_all(pool)
        started = time.perf_counter()
        sent = sum(self.settlement(sid) for sid in list(self.chains)[:settlements])
        return (time.perf_counter() - started) / sent

    @property
    def messages(self) -> int:
        return sum(len(chain) for chain in self.chains.values()) + len(self.mappings) + len(self.places)


def _measure(name: str, folder: Path, roster: dict[str, object], slow_ms: int, run: Callable[[Agency], float]) -> float:
    agency = Agency(folder / f"agency-{name}", roster, slow_ms)
    try:
        return run(agency)
    finally:
        agency.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settlements", type=int, default=3000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--slow-ms", type=int, default=100)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--sample", type=int, default=30, help="settlements sent one at a time for the bound")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    try:
        print(f"building a {args.days}-day backlog of {args.settlements:,} settlements…", flush=True)
        source = backlog(folder / "backlog.sqlite3", args.settlements, args.days)
        roster = roster_from_store(source, dt.datetime.now(CHINA).date())
        source.dispose()
        for copy in ("sample", "bare", "relay"):
            shutil.copy(folder / "backlog.sqlite3", folder / f"{copy}.sqlite3")
        stores = {copy: open_store(folder / f"{copy}.sqlite3") for copy in ("sample", "bare", "relay")}
        try:
            loop = BareLoop(stores["sample"], "", 1)
            messages = loop.messages

            def sample(agency: Agency) -> float:
                loop.url = agency.url
                return loop.one_at_a_time(args.sample)

            per_message = _measure("sample", folder, roster, args.slow_ms, sample)
            bound = per_message * messages
            print(f"   one at a time: {per_message * 1000:6.1f} ms a message × {messages:,} messages = {bound:7.1f} s")

            def bare(agency: Agency) -> float:
                elapsed = BareLoop(stores["bare"], agency.url, args.workers).concurrently()
                if agency.booked() != args.settlements:
                    raise SystemExit(f"bare loop: the agency booked {agency.booked()}, not {args.settlements}")
                return elapsed

            bare_s = _measure("bare", folder, roster, args.slow_ms, bare)
            print(f"bare httpx loop: {bare_s:7.1f} s ({args.workers} at a time)")

            def relay(agency: Agency) -> float:
                elapsed = relay_upload(stores["relay"], agency.url, args.workers)
                if agency.booked() != args.settlements:
                    raise SystemExit(f"relay: the agency booked {agency.booked()}, not {args.settlements}")
                return elapsed

            relay_s = _measure("relay", folder, roster, args.slow_ms, relay)
            print(f"          relay: {relay_s:7.1f} s ({args.workers} settlements at a time)")
        finally:
            for store in stores.values():
                store.dispose()
        speedup, overhead = bound / relay_s, relay_s / bare_s
        print(
            f"ratio one-at-a-time/relay: {speedup:.1f}× (target ≥ {FASTER_THAN_ONE_AT_A_TIME:.0f}×); "
            f"relay/bare: {overhead:.2f} (target ≤ {WITHIN_BARE}); load average {os.getloadavg()[0]:.2f}"
        )
        return 0 if speedup >= FASTER_THAN_ONE_AT_A_TIME and overhead <= WITHIN_BARE else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
