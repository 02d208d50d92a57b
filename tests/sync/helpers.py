"""Clinics with real SQLite stores, a sandbox agency on loopback that knows the same roster, and visits to settle."""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import random
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import delete, select

from db.models import Diagnosis, Facility, MappingUpload, NationalItem, Setting, Settlement
from db.session import Store, open_store
from desktop.agency import decode
from desktop.agency.codes import LIST_TYPE_OF_CATALOGUE
from desktop.agency.msgid import CHINA, make_msgid
from desktop.agency.signing import generate_private_key, public_key_pem
from desktop.demo import CATALOGUE, DIAGNOSES, FACILITIES, build_demo
from desktop.sandbox.from_store import merged, roster_from_store
from desktop.sandbox.misbehaviour import Settings
from desktop.sandbox.server import SandboxServer
from desktop.settlement import DiagnosisLine, DraftItem, SettlementError, VisitDraft, settle
from desktop.sync import AgencyClient, FixedCredentials, Operator, Relay, mappings
from desktop.sync.backoff import Backoff
from desktop.sync.client import make_http
from desktop.sync.mappings import uploads_due

FIRST_DAY = dt.date(2026, 11, 16)
PEOPLE = 40
# Each facility's SM2 key pair: the private keys sign (FixedCredentials), the public ones
# are what the agency holds.
SECRETS = {code: generate_private_key() for _, code, *_ in FACILITIES}
PUBLIC_KEYS = {code: public_key_pem(key) for code, key in SECRETS.items()}
STAFF_OF = {"T01": 2, "V01": 3, "V02": 4, "V03": 5}
T = TypeVar("T")
QUICK = Backoff(base=0.001, factor=2.0, cap=0.01)


@functools.cache
def template_store() -> Path:
    """One demo roster (people, facilities, catalogue, staff; no visits), built once per run."""
    folder = Path(tempfile.mkdtemp(prefix="clinic-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    store = open_store(folder / "clinic.sqlite3")
    build_demo(store, people=PEOPLE, days=0, today=FIRST_DAY)
    mark_mappings_uploaded(store)
    store.dispose()
    return folder / "clinic.sqlite3"


def mark_mappings_uploaded(store: Store) -> None:
    """As if a first sync had uploaded every reviewed mapping (3301) for every facility: the
    tests' agencies are given them at start (``start_agency``), which saves each test its
    hundred 3301s. ``tests/sync/test_agency_names.py`` sends them for real."""
    with store.writing() as session:
        connection = session.connection()
        due = uploads_due(connection)
        for number, item in enumerate(due):
            msgid = make_msgid(item.place.fixmedins_code, dt.datetime(2026, 1, 1, tzinfo=CHINA), number)
            mappings.start(connection, item, msgid, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
            mappings.finish(connection, item, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def give_agency_the_mappings(server: SandboxServer, stores: list[Store]) -> None:
    """The sandbox holds what ``mark_mappings_uploaded`` says each facility uploaded."""
    rows = []
    for store in stores:
        with store.reading() as session:
            for upload, national in session.execute(
                select(MappingUpload, NationalItem.catalogue)
                .join(NationalItem, NationalItem.code == MappingUpload.national_code)
                .where(MappingUpload.state == "done")
            ):
                code = session.get(Facility, upload.facility_id).code  # type: ignore[union-attr]
                rows.append((code, upload.code, upload.national_code, LIST_TYPE_OF_CATALOGUE[national], upload.msgid))
    with server.agency.lock:
        server.connection.executemany(
            "INSERT OR REPLACE INTO mapping VALUES (?,?,?,?,'',  '2026-01-01', '2099-12-31', ?)", rows
        )


def forget_diagnoses(store: Store, settlement_id: int) -> None:
    """Make ``settlement_id`` one kept from before a diagnosis was required to settle (an
    older counter, a paper-ledger import): the rows its visit's diagnoses were in go."""
    with store.writing() as session:
        visit_id = session.scalar(select(Settlement.visit_id).where(Settlement.id == settlement_id))
        session.execute(delete(Diagnosis).where(Diagnosis.visit_id == visit_id))


def copy_store(template: Path, target: Path, facility: str = "T01") -> Store:
    shutil.copy(template, target)
    store = open_store(target)
    with store.writing() as session:
        session.merge(Setting(key="facility_id", value=facility))
    return store


def start_agency(
    path: Path, stores: list[Store], settings: Settings | None = None, *, mapped: bool = True
) -> SandboxServer:
    server = SandboxServer(path, settings=settings)
    server.load_roster(merged(*(roster_from_store(s, FIRST_DAY) for s in stores)))
    server.load_keys(PUBLIC_KEYS)
    if mapped:
        give_agency_the_mappings(server, stores)
    return server.start()


def relay_for(store: Store, url: str, *, timeout: float = 2.0, give_up_after: int = 40, **options: object) -> Relay:
    client = AgencyClient(url, FixedCredentials(SECRETS), http=make_http(timeout))
    return Relay(
        store,
        client,
        Operator("admin", "赵建国"),
        backoff=QUICK,
        give_up_after=give_up_after,
        rng=random.Random(1),
        **options,  # type: ignore[arg-type]
    )


@dataclass
class Visits:
    """Settles plausible visits at the counter, as the demo does, with a seeded draw."""

    store: Store
    rng: random.Random

    def settle(
        self,
        day: dt.date,
        *,
        person: int | None = None,
        facility: str | None = None,
        items: list[tuple[str, int]] | None = None,
        pay_from_account: bool = True,
        diagnosed: bool = True,
    ) -> int | None:
        """One visit settled at the counter; its settlement id, or None when the counter refuses it."""
        facility = facility or self.rng.choice(["T01", "T01", "V01", "V02", "V03"])
        if items is None:
            drawn = self.rng.sample(CATALOGUE[:-1], self.rng.randint(1, 3))
            items = [("FA01", 1), *((entry[0], self.rng.randint(1, 3)) for entry in drawn)]
        draft = VisitDraft(
            facility_id=facility,
            person_id=person or self.rng.randint(1, PEOPLE),
            staff_id=STAFF_OF[facility],
            visit_date=day,
            items=tuple(DraftItem(code, Decimal(quantity)) for code, quantity in items),
            diagnoses=(DiagnosisLine(*self.rng.choice(DIAGNOSES)),),
            pay_from_account=pay_from_account,
        )
        moment = dt.datetime.combine(day, dt.time(self.rng.randint(8, 16), self.rng.randint(0, 59)), CHINA)
        try:
            settled = settle(self.store, draft, moment).settlement_id
        except SettlementError:
            return None  # a suspended or unpaid person in the draw: the counter refuses them too
        if not diagnosed:
            forget_diagnoses(self.store, settled)
        return settled

    def days(self, first: dt.date, count: int, per_day: int) -> list[int]:
        settled = []
        for offset in range(count):
            for _ in range(per_day):
                found = self.settle(first + dt.timedelta(days=offset))
                if found is not None:
                    settled.append(found)
        return settled


def agency_settlements(server: SandboxServer, code: str | None = None) -> list[dict[str, Any]]:
    """Every settlement the agency holds; amounts as ``Decimal``."""
    query = "" if code is None else f"?fixmedins_code={code}"
    found: list[dict[str, Any]] = decode(httpx.get(f"{server.url}/_admin/settlements{query}").content)["settlements"]
    return found


def agency_figures(server: SandboxServer, psn_no: str, year: int) -> dict[str, Any]:
    """The agency's year-to-date figures and balance for one person; amounts as ``Decimal``."""
    return decode(httpx.get(f"{server.url}/_admin/accumulators?psn_no={psn_no}&year={year}").content)


class Crash(BaseException):
    """The process is killed: nothing after this point runs, not even the flush of answers."""


class DiesAfter(httpx.HTTPTransport):
    def __init__(self, calls: int) -> None:
        super().__init__()
        self.calls = calls

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.calls == 0:
            raise Crash
        self.calls -= 1
        return super().handle_request(request)


class CrashingRelay(Relay):
    """A relay whose process dies mid-run: answers not yet written are never written."""

    crashed = False

    @classmethod
    def made(cls, store: Store, url: str, calls: int) -> CrashingRelay:
        client = AgencyClient(url, FixedCredentials(SECRETS), http=httpx.Client(transport=DiesAfter(calls)))
        return cls(
            store, client, Operator("admin", "赵建国"), backoff=QUICK, roster_max_age=dt.timedelta(days=3650), workers=1
        )

    def _attempt(self, action: Callable[[], T], on_failure: Callable[[Exception], None] | None = None) -> T:
        try:
            return super()._attempt(action, on_failure)
        except Crash:
            self.crashed = True
            raise

    def _flush(self) -> None:
        if not self.crashed:
            super()._flush()
