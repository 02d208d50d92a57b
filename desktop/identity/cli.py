"""``clinic-pos check``: the identity check from the local roster, as JSON.

    clinic-pos check --db PATH (--id-number N | --card N | --qr TEXT) [--facility ID] [--date YYYY-MM-DD]
        [--online]

Bad input exits 2 with one ``{"error", "field"}`` object on standard error. The check
only reads; with ``--online`` the agency is asked first (1101, see ``desktop.sync.online``):
an e-voucher is resolved to the person it stands for and their standing on the roster is
refreshed, and the answer (or why there was none) is added under ``"online"``. That
writes, and speaks to the agency in a staff member's name: ``--online`` signs in as
every writing command does (``desktop.cli_auth``).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from db.models import Setting
from db.session import Store
from desktop.identity.check import UnknownFacilityError, check
from desktop.identity.evoucher import parse_evoucher
from desktop.identity.id_number import IdNumberError
from desktop.identity.reads import CardKind, CardRead, ReaderError
from desktop.identity.report import check_json
from desktop.identity.typed import id_number_read
from desktop.json_input import show
from desktop.policy.codec import InputError
from desktop.store_file import open_existing

if TYPE_CHECKING:
    from desktop.cli_auth import Credentials

EXIT_BAD_INPUT = 2
THIS_FACILITY = "facility_id"  # the Setting naming this installation's facility (as for settle)
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
# No policy in resources/policies is older (Hunan's, 2018); a check more than a year ahead is a typing slip.
EARLIEST_DAY = dt.date(2018, 1, 1)
DAYS_AHEAD = 366
MAX_STALE_DAYS = 3650


def main(argv: Sequence[str] | None = None, now: dt.datetime | None = None) -> int:
    """``python -m desktop.identity.cli ARGS`` is ``clinic-pos check ARGS``, with ``now`` for tests."""
    from desktop.cli import parse
    from desktop.cli_auth import Credentials

    args = parse(["check", *(sys.argv[1:] if argv is None else argv)])
    return check_main(
        args.db,
        id_number=args.id_number,
        card=args.card,
        qr=args.qr,
        facility=args.facility,
        date=args.date,
        stale_days=args.stale_days,
        online=Credentials.given(args.staff, args.password_file) if args.online else None,
        now=now,
    )


def check_main(
    db: str,
    *,
    id_number: str | None = None,
    card: str | None = None,
    qr: str | None = None,
    facility: str | None = None,
    date: str | None = None,
    stale_days: str | None = None,
    online: Credentials | None = None,
    now: dt.datetime | None = None,
) -> int:
    """``online``: ask the agency too, in the name of the staff member these credentials sign in."""
    moment = now or dt.datetime.now(dt.UTC)
    try:
        day = _day(date, moment)
        stale = _stale_days(stale_days)
        read = _read(id_number, card, qr, day)
        output = _run(db, read, facility, day, moment, stale, online)
    except InputError as exc:
        sys.stderr.write(json.dumps(exc.as_json(), ensure_ascii=False) + "\n")
        return EXIT_BAD_INPUT
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper when run
    sys.stdout.write(json.dumps(output, ensure_ascii=False, indent=2) + "\n")
    return 0


def _run(
    db: str,
    read: CardRead,
    facility: str | None,
    day: dt.date,
    now: dt.datetime,
    stale: int | None,
    online: Credentials | None,
) -> dict[str, Any]:
    # Bring an older file's schema up to date, as every command does. Offline no records
    # change; online the agency's word refreshes the person's standing on the roster.
    store = open_existing(db)
    try:
        asked = None
        if online is not None:
            read, asked = _ask(store, read, online, now)
        with store.reading() as session:
            facility_id = facility or session.scalar(select(Setting.value).where(Setting.key == THIS_FACILITY))
            if not facility_id:
                raise InputError("facility", "is required: this installation has no facility set")
            try:
                found = check_json(check(session, read, facility_id, day, now, stale_after_days=stale))
            except UnknownFacilityError:
                raise InputError("facility", f"{facility_id!r} is not a facility in this database") from None
        return found if asked is None else {**found, "online": asked}
    finally:
        store.dispose()


def _ask(store: Store, read: CardRead, credentials: Credentials, now: dt.datetime) -> tuple[CardRead, dict[str, Any]]:
    from desktop.cli_auth import authenticate, require
    from desktop.staff import Permission
    from desktop.sync.cli import ConfigError, ask_online
    from desktop.sync.credentials import CredentialsError

    who = authenticate(store, credentials, now)
    require(who, Permission.SYNC)
    try:
        return ask_online(store, read, who)
    except ConfigError as exc:
        raise InputError(exc.field, str(exc)) from None
    except CredentialsError as exc:
        raise InputError("keyring", str(exc)) from None


def _day(text: str | None, now: dt.datetime) -> dt.date:
    today = now.astimezone(CHINA).date()
    if text is None:
        return today
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 and text.isascii() else None
    except ValueError:
        day = None
    if day is None:
        raise InputError("date", f"{show(text)} is not a date like 2024-05-10")
    if day < EARLIEST_DAY or day > today + dt.timedelta(days=DAYS_AHEAD):
        raise InputError(
            "date", f"{text} is outside {EARLIEST_DAY.isoformat()} to a year from today: no policy covers it"
        )
    return day


def _stale_days(text: str | None) -> int | None:
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 4 or not 1 <= int(text) <= MAX_STALE_DAYS:
        raise InputError("stale_days", f"{show(text)} is not a whole number of days from 1 to {MAX_STALE_DAYS}")
    return int(text)


def _read(id_number: str | None, card: str | None, qr: str | None, day: dt.date) -> CardRead:
    if id_number is not None:
        try:
            return id_number_read(id_number, day)
        except IdNumberError as exc:
            raise InputError("id_number", str(exc)) from None
    if qr is not None:
        try:
            return CardRead(CardKind.EVOUCHER, parse_evoucher(qr))
        except ReaderError as exc:
            raise InputError("qr", str(exc)) from None
    number = (card or "").strip()
    if not number:
        raise InputError("card", "is empty: give the card number printed on the social security card")
    return CardRead(CardKind.SOCIAL_SECURITY_CARD, number)


if __name__ == "__main__":
    sys.exit(main())
