"""``clinic-pos sync`` and ``clinic-pos credentials``.

    clinic-pos sync --db PATH [--agency URL] [--staff USERNAME] [--timeout S] [--give-up-after N] [--workers N]
    clinic-pos credentials generate --facility ID --db PATH --staff ADMIN  (a new SM2 key pair; prints the public key)
    clinic-pos credentials set --facility ID --db PATH --staff ADMIN       (an SM2 private key in PEM on standard input)
    clinic-pos credentials check --facility CODE     (prints the public key the agency must hold)

Both sign their staff member in (``desktop.cli_auth``); that person is the operator the
agency is told of. Giving ``--agency`` changes a setting: administrators only, checked
before anything is stored (``desktop.settings``). Setting or generating the signing key is an administrator's.

``sync`` runs one full sync and prints, as JSON, what it sent, what it received, what the
agency set aside and where the agency's split differs from the counter's. The agency's
address, once given, is kept in the store for the counter window and later syncs; the
facility's signing key comes from the OS keyring only.

Exit status (``desktop.sync.report``): 0 when everything is sent and every outcome is
known; 3 when the agency could not be reached (or stopped answering) and records are
still waiting; 5 when the agency answered but records are set aside (or wait behind a
set-aside record, or behind a facility whose sign-in was refused); 2 for bad input or
configuration (no address, no usable keyring, an unknown staff member), with one
``{"error", "field"}`` object on standard error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from sqlalchemy import select

from db.models import Facility, Setting
from db.session import Store, open_store
from desktop.auth import SignedIn
from desktop.cli_auth import Credentials, authenticate, require
from desktop.identity.reads import CardRead
from desktop.json_input import show
from desktop.policy.codec import InputError
from desktop.settings import AGENCY_URL, SETTINGS, change
from desktop.staff import Permission
from desktop.store_file import open_existing
from desktop.sync.backoff import Backoff
from desktop.sync.client import AgencyClient, make_http
from desktop.sync.credentials import CredentialsError, KeyringCredentials
from desktop.sync.lease import SyncBusyError
from desktop.sync.policies import downloaded_policy_dir
from desktop.sync.relay import WORKERS, Relay
from desktop.sync.sessions import Operator

EXIT_BAD_INPUT = 2
EXIT_OFFLINE = 3
AGENCY_URL_KEY = AGENCY_URL


class ConfigError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _fail(field: str, message: str) -> int:
    sys.stderr.write(json.dumps({"error": message, "field": field}, ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def agency_url(store: Store) -> str:
    """The address remembered in the store (``clinic-pos sync --agency`` sets it)."""
    with store.reading() as session:
        found = session.scalar(select(Setting.value).where(Setting.key == AGENCY_URL_KEY))
    if not found:
        raise ConfigError("agency", "no agency address yet: an administrator gives it once with --agency URL")
    return found


def sync_main(
    db: str,
    agency: str | None,
    signing_in: Credentials,
    timeout: float,
    give_up_after: int,
    workers: int = WORKERS,
    now: dt.datetime | None = None,
) -> int:
    if timeout <= 0 or give_up_after < 1 or not 1 <= workers <= 32:
        field = "timeout" if timeout <= 0 else "give_up_after" if give_up_after < 1 else "workers"
        return _fail(field, "must be more than zero" if field != "workers" else "must be 1 to 32")
    moment = now or dt.datetime.now(dt.UTC)
    try:
        store = open_existing(db)
    except InputError as exc:
        return _fail(exc.field, exc.message)
    try:
        try:
            who = authenticate(store, signing_in, moment)
            require(who, Permission.SYNC)
            if agency is not None:  # a setting: the administrator's, checked before anything is stored
                require(who, Permission.MANAGE)
                SETTINGS[AGENCY_URL_KEY].check(agency)
            credentials = KeyringCredentials()  # a refusal for want of a keyring stores nothing either
            if agency is not None:
                change(store, who.staff_id, AGENCY_URL_KEY, agency, moment)
            url = agency_url(store)
        except InputError as exc:
            return _fail(exc.field, exc.message)
        except ConfigError as exc:
            return _fail(exc.field, str(exc))
        except CredentialsError as exc:
            return _fail("keyring", str(exc))
        with AgencyClient(url, credentials, http=make_http(timeout, connections=workers + 2)) as client:
            relay = Relay(
                store,
                client,
                Operator(who.username, who.name),
                backoff=Backoff(base=0.5, cap=30.0),
                give_up_after=give_up_after,
                policy_dir=downloaded_policy_dir(),
                workers=workers,
            )
            try:
                report = relay.run()
            except SyncBusyError as exc:
                return _fail("db", str(exc))
            except CredentialsError as exc:
                return _fail("keyring", str(exc))
        _print(report.as_json())
        return report.exit_status
    finally:
        store.dispose()


def ask_online(store: Store, read: CardRead, who: SignedIn, timeout: float = 5.0) -> tuple[CardRead, dict[str, Any]]:
    """``clinic-pos check --online``: the agency's word on the read (an e-voucher becomes the
    ID number it stands for), or why it could not be had; the offline check then reads it.
    ``who`` signed in and asks."""
    from desktop.privacy import mask_id_number
    from desktop.sync.online import AgencySilent, OnlineCheck
    from desktop.sync.relay import home_place

    url = agency_url(store)
    with store.reading() as session:
        place = home_place(session.connection())
    if place is None:
        raise ConfigError("facility", "this installation has no facility set")
    client = AgencyClient(url, KeyringCredentials(), http=make_http(timeout))
    try:
        answer = OnlineCheck(store, client, Operator(who.username, who.name), place).ask(read)
    except AgencySilent as exc:
        return read, {"answered": False, "why": str(exc)}
    finally:
        client.close()
    if answer is None:
        return read, {"answered": True, "known": False}
    return answer.as_read(read), {
        "answered": True,
        "known": True,
        "psn_no": mask_id_number(answer.psn_no),
        "insured": answer.insured,
        "balance": None if answer.balance is None else f"{answer.balance:.2f}",
        "on_roster": answer.on_roster,
    }


def _facility_code(db: str, facility: str, administrator: Credentials | None) -> str:
    """The agency code of ``facility`` (a code, or a facility id in the store); with
    ``administrator``, who must sign in and may manage before anything is set."""
    store = open_existing(db) if administrator is not None else open_store(db, migrate=False)
    try:
        who = None if administrator is None else authenticate(store, administrator, dt.datetime.now(dt.UTC))
        if who is not None:
            require(who, Permission.MANAGE)
        with store.reading() as session:
            found = session.execute(
                select(Facility.id, Facility.code, Facility.parent_id).where(
                    (Facility.id == facility) | (Facility.code == facility)
                )
            ).first()
        if who is not None:
            # A facility's key is its own administrator's, or its township centre's (一体化管理):
            # never that of an administrator of another facility sharing the store.
            if found is None:
                raise InputError("facility", f"no facility {show(facility)} in this store")
            if who.facility_id not in (found.id, found.parent_id):
                raise InputError(
                    "facility", f"{who.username!r} works at {who.facility_id!r}, not at {found.id!r} or its centre"
                )
        return found.code if found is not None else facility
    finally:
        store.dispose()


def _print(data: dict[str, Any]) -> None:
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper when run
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def credentials_main(action: str, facility: str, db: str | None, signing_in: Credentials | None = None) -> int:
    code = facility
    writes = action in ("set", "generate")
    if writes and db is None:
        return _fail("db", "setting the signing key is an administrator's: give --db PATH and sign in (--staff)")
    if db is not None:  # a facility id given with its store: look up its agency code
        try:
            code = _facility_code(db, facility, signing_in if writes else None)
        except InputError as exc:
            return _fail(exc.field, exc.message)
    try:
        keyring = KeyringCredentials()
        if action == "set":
            keyring.store(code, sys.stdin.read())
            _print({"stored": code, "keyring": keyring.backend_name, "public_key": keyring.public_key(code)})
        elif action == "generate":
            public = keyring.generate(code)
            _print({"generated": code, "keyring": keyring.backend_name, "public_key": public})
        else:
            _print({"found": code, "keyring": keyring.backend_name, "public_key": keyring.public_key(code)})
    except CredentialsError as exc:
        return _fail("facility" if "no agency signing key" in str(exc) else "keyring", str(exc))
    return 0
