"""``clinic-pos sync`` and ``clinic-pos credentials``.

    clinic-pos sync --db PATH [--agency URL] [--staff USERNAME] [--timeout S] [--give-up-after N] [--workers N]
    clinic-pos credentials generate --facility CODE  (a new SM2 key pair; prints the public key)
    clinic-pos credentials set --facility CODE       (an SM2 private key in PEM on standard input)
    clinic-pos credentials check --facility CODE     (prints the public key the agency must hold)

``sync`` runs one full sync and prints, as JSON, what it sent, what it received, what the
agency set aside and where the agency's split differs from the counter's. The agency's
address, once given, is kept in the store for the counter window and later syncs; the
facility's signing key comes from the OS keyring only.

Exit status (``desktop.sync.report``): 0 when everything is sent and every outcome is
known; 3 when the agency could not be reached (or stopped answering) and records are
still waiting; 4 when the agency answered but records are set aside (or wait behind a
set-aside record, or behind a facility whose sign-in was refused); 2 for bad input or
configuration (no address, no usable keyring, an unknown staff member), with one
``{"error", "field"}`` object on standard error.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from sqlalchemy import select

from db.models import Facility, Setting, Staff
from db.session import Store, open_store
from desktop.identity.reads import CardRead
from desktop.staff import Permission, may
from desktop.sync.backoff import Backoff
from desktop.sync.client import AgencyClient, make_http
from desktop.sync.credentials import CredentialsError, KeyringCredentials
from desktop.sync.lease import SyncBusyError
from desktop.sync.policies import downloaded_policy_dir
from desktop.sync.relay import WORKERS, Relay
from desktop.sync.sessions import Operator

EXIT_BAD_INPUT = 2
AGENCY_URL_KEY = "sync.agency_url"


class ConfigError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _fail(field: str, message: str) -> int:
    sys.stderr.write(json.dumps({"error": message, "field": field}, ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def agency_url(store: Store, given: str | None) -> str:
    """The address given now (and remember it), or the one remembered."""
    if given is not None:
        if not given.startswith(("http://", "https://")):
            raise ConfigError("agency", f"{given!r} is not an http:// or https:// address")
        with store.writing() as session:
            session.merge(Setting(key=AGENCY_URL_KEY, value=given))
        return given
    with store.reading() as session:
        found = session.scalar(select(Setting.value).where(Setting.key == AGENCY_URL_KEY))
    if not found:
        raise ConfigError("agency", "no agency address yet: give it once with --agency URL")
    return found


def operator(store: Store, username: str | None) -> Operator:
    """Who signs in to the agency: the staff member named, or the store's one administrator."""
    with store.reading() as session:
        query = select(Staff).where(Staff.active.is_(True))
        if username is not None:
            staff = session.scalar(query.where(Staff.username == username))
            if staff is None:
                raise ConfigError("staff", f"no active staff member {username!r}")
            return Operator(staff.username, staff.name)
        admins = [s for s in session.scalars(query.order_by(Staff.id)) if may(s.role, Permission.MANAGE)]
    if not admins:
        raise ConfigError("staff", "name the staff member who syncs with --staff USERNAME")
    return Operator(admins[0].username, admins[0].name)


def sync_main(
    db: str,
    agency: str | None,
    staff: str | None,
    timeout: float,
    give_up_after: int,
    workers: int = WORKERS,
) -> int:
    if timeout <= 0 or give_up_after < 1 or not 1 <= workers <= 32:
        field = "timeout" if timeout <= 0 else "give_up_after" if give_up_after < 1 else "workers"
        return _fail(field, "must be more than zero" if field != "workers" else "must be 1 to 32")
    store = open_store(db)
    try:
        try:
            url = agency_url(store, agency)
            who = operator(store, staff)
            credentials = KeyringCredentials()
        except ConfigError as exc:
            return _fail(exc.field, str(exc))
        except CredentialsError as exc:
            return _fail("keyring", str(exc))
        with AgencyClient(url, credentials, http=make_http(timeout, connections=workers + 2)) as client:
            relay = Relay(
                store,
                client,
                who,
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


def ask_online(store: Store, read: CardRead, timeout: float = 5.0) -> tuple[CardRead, dict[str, Any]]:
    """``clinic-pos check --online``: the agency's word on the read (an e-voucher becomes the
    ID number it stands for), or why it could not be had; the offline check then reads it."""
    from desktop.privacy import mask_id_number
    from desktop.sync.online import AgencySilent, OnlineCheck
    from desktop.sync.relay import home_place

    url = agency_url(store, None)
    with store.reading() as session:
        place = home_place(session.connection())
    if place is None:
        raise ConfigError("facility", "this installation has no facility set")
    client = AgencyClient(url, KeyringCredentials(), http=make_http(timeout))
    try:
        answer = OnlineCheck(store, client, operator(store, None), place).ask(read)
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


def _print(data: dict[str, Any]) -> None:
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper when run
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def credentials_main(action: str, facility: str, db: str | None) -> int:
    code = facility
    if db is not None:  # a facility id given with its store: look up its agency code
        store = open_store(db, migrate=False)
        try:
            with store.reading() as session:
                code = session.scalar(select(Facility.code).where(Facility.id == facility)) or facility
        finally:
            store.dispose()
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
