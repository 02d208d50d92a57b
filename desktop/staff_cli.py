"""``clinic-pos sign-in``, ``sign-out`` and ``settings``.

    clinic-pos sign-in --db PATH --staff USER [--password-file FILE]   → {"token": …, "expires_at": …}
    clinic-pos sign-out --db PATH [--all]                             (the token in CLINIC_POS_TOKEN)
    clinic-pos settings --db PATH                                     → every setting, JSON
    clinic-pos settings --db PATH --set KEY=VALUE --staff USER [--password-file FILE]

Bad input, a wrong password or a staff member who may not exits 2 with one
``{"error", "field"}`` object on standard error.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any

from desktop.cli_auth import TOKEN_ENV, Credentials, authenticate, require
from desktop.policy.codec import InputError
from desktop.settings import change, current
from desktop.sign_in_tokens import TokenError, issue, revoke
from desktop.staff import Permission
from desktop.store_file import open_existing

EXIT_BAD_INPUT = 2


def _fail(error: InputError) -> int:
    sys.stderr.write(json.dumps(error.as_json(), ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def _print(data: dict[str, Any]) -> None:
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper when run
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def sign_in_main(db: str, staff: str, password_file: str | None, now: dt.datetime | None = None) -> int:
    moment = now or dt.datetime.now(dt.UTC)
    try:
        store = open_existing(db)
    except InputError as exc:
        return _fail(exc)
    try:
        # Always with the password: a token does not make another token.
        who = authenticate(store, Credentials(staff, password_file, None), moment)
        issued = issue(store, who, moment)
    except InputError as exc:
        return _fail(exc)
    finally:
        store.dispose()
    _print(
        {
            "token": issued.token,
            "staff": who.username,
            "expires_at": issued.expires_at.isoformat(),
            "use": f"export {TOKEN_ENV}=<token>; clinic-pos sign-out ends it",
        }
    )
    return 0


def sign_out_main(db: str, every: bool, now: dt.datetime | None = None) -> int:
    moment = now or dt.datetime.now(dt.UTC)
    token = os.environ.get(TOKEN_ENV)
    if not token:
        return _fail(InputError("token", f"{TOKEN_ENV} is not set: there is no sign-in to end"))
    try:
        store = open_existing(db)
    except InputError as exc:
        return _fail(exc)
    try:
        ended = revoke(store, token, moment, every=every)
    except TokenError as exc:
        return _fail(InputError("token", f"{TOKEN_ENV} {exc}"))
    finally:
        store.dispose()
    _print({"signed_out": ended})
    return 0


def settings_main(db: str, assignment: str | None, credentials: Credentials, now: dt.datetime | None = None) -> int:
    moment = now or dt.datetime.now(dt.UTC)
    try:
        store = open_existing(db)
    except InputError as exc:
        return _fail(exc)
    try:
        if assignment is None:
            _print(current(store))
            return 0
        key, equals, value = assignment.partition("=")
        if not equals:
            raise InputError("set", "give KEY=VALUE, e.g. limits.max_quantity=500")
        # Who first: nothing about the setting is looked at for someone who may not change it.
        who = authenticate(store, credentials, moment)
        require(who, Permission.MANAGE)
        done = change(store, who.staff_id, key.strip(), value, moment)
    except InputError as exc:
        return _fail(exc)
    finally:
        store.dispose()
    _print({"key": done.key, "from": done.before, "to": done.after})
    return 0
