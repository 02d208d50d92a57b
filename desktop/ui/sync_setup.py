"""Where the window's relay talks to, and why it cannot when it cannot. Qt-free.

Three cases, decided on the sync worker's thread (they read the store, and the demo's
starts a process):

* the store names an agency (``sync.agency_url``, set by ``clinic-pos sync --agency``):
  that address, with the facility secrets from the OS keyring;
* nothing configured (no ``--db``, no agency address) and the store is the demo clinic:
  the demo's own sandbox agency, started for this run (``desktop.sync.demo_agency``);
* otherwise no sync, and a plain reason for the status bar.

The demo is recognised by its facility codes as well as by the missing ``--db``: a real
clinic whose records sit in the default data folder must never have them "uploaded" to
a sandbox, which would mark them sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.ui.pace import Pace

if TYPE_CHECKING:
    from db.session import Store
    from desktop.sync import Relay
    from desktop.sync.credentials import Credentials
    from desktop.sync.demo_agency import DemoAgency
    from desktop.sync.sessions import Operator

CALL_TIMEOUT = 15.0  # seconds for one call; the relay's stop is checked between calls
GIVE_UP_AFTER = 4  # failures in a row before a run ends offline (about 7 s of backoff)


class Why(StrEnum):
    """Why the counter is not syncing; the status bar words each one."""

    NO_ADDRESS = "no_address"
    BAD_ADDRESS = "bad_address"
    NO_KEYRING = "no_keyring"
    NO_SECRET = "no_secret"  # noqa: S105 — a reason's name, not a secret
    BUSY = "busy"
    DEMO_AGENCY = "demo_agency"
    FAILED = "failed"


class Unavailable(Exception):  # noqa: N818 — a state the status bar shows, not a fault
    def __init__(self, why: Why, detail: str) -> None:
        super().__init__(detail)
        self.why = why
        self.detail = detail


@dataclass
class Target:
    url: str
    credentials: Credentials
    demo: DemoAgency | None = None  # the demo's own agency, stopped with the worker

    def alive(self) -> bool:
        return self.demo is None or self.demo.running()

    def close(self) -> None:
        if self.demo is not None:
            self.demo.stop()


Targets = Callable[["Store"], Target]


def stored_address(store: Store) -> str | None:
    from sqlalchemy import select

    from db.models import Setting
    from desktop.sync.cli import AGENCY_URL_KEY

    with store.reading() as session:
        return session.scalar(select(Setting.value).where(Setting.key == AGENCY_URL_KEY)) or None


def is_demo_clinic(store: Store) -> bool:
    from desktop.demo import FACILITIES
    from desktop.sync.demo_agency import facility_codes

    return set(facility_codes(store)) == {code for _, code, *_ in FACILITIES}


def configured(url: str) -> Target:
    from desktop.sync.credentials import CredentialsError, KeyringCredentials

    try:
        return Target(url, KeyringCredentials())
    except CredentialsError as exc:
        raise Unavailable(Why.NO_KEYRING, str(exc)) from None


def choose_target(demo_database: Path | None) -> Targets:
    """The agency for this run. ``demo_database``: the default data-folder file, when no ``--db`` was given."""

    def choose(store: Store) -> Target:
        url = stored_address(store)
        if url is not None:
            return configured(url)
        if demo_database is not None and is_demo_clinic(store):
            return demo_target(store, demo_database)
        raise Unavailable(Why.NO_ADDRESS, "no agency address: give it once with clinic-pos sync --agency URL")

    return choose


def demo_target(store: Store, database: Path) -> Target:
    from desktop.sync.demo_agency import DemoAgencyError, start_demo_agency

    try:
        agency = start_demo_agency(store, database)
    except (DemoAgencyError, OSError) as exc:
        raise Unavailable(Why.DEMO_AGENCY, str(exc)) from None
    return Target(agency.url, agency.credentials(), agency)


def make_relay(
    store: Store, target: Target, operator: Operator, stop: threading.Event, pace: Pace | None = None
) -> Relay:
    from desktop.sync import Relay
    from desktop.sync.backoff import Backoff
    from desktop.sync.client import make_http
    from desktop.ui.sync_client import PacedClient

    client = PacedClient(
        target.url, target.credentials, http=make_http(CALL_TIMEOUT), pace=pace or Pace(quiet_s=0), stop=stop
    )
    # A short backoff: the worker tries again every cycle anyway, and a window that closes
    # must not wait out a five-minute pause (the stop event cuts any wait short).
    return Relay(store, client, operator, backoff=Backoff(base=1.0, cap=30.0), give_up_after=GIVE_UP_AFTER, stop=stop)
