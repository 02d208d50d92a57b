"""``clinic-pos catalogue`` (the catalogue mapping, 医保目录对照) and ``clinic-pos staff`` (practitioner codes).

    clinic-pos catalogue list --db PATH                     every item: unmapped, proposed or reviewed
    clinic-pos catalogue search --db PATH --item FA01       the national lines that look like the item
    clinic-pos catalogue search --db PATH --text amxl       national lines by name, pinyin or code
    clinic-pos catalogue propose --db PATH --staff admin    best-looking line for each unmapped item
    clinic-pos catalogue map --db PATH --item FA01 --national CODE --staff admin
    clinic-pos catalogue unmap --db PATH --item FA01 --staff admin
    clinic-pos staff list --db PATH
    clinic-pos staff practitioner --db PATH --user doctor1 --code D360121000001 --staff admin

Changes sign their staff member in (``desktop.cli_auth``: the password at the prompt,
``--password-file`` or ``CLINIC_POS_TOKEN``); the mapping is an administrator's, as are
practitioner codes. Output is JSON; bad input exits 2 with one ``{"error", "field"}`` object on standard error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from sqlalchemy import select

from db.models import Staff
from db.session import Store
from desktop.catalogue_mapping import Candidate, MappingError, candidates_for, mappings, propose, review, search, unmap
from desktop.cli_auth import Credentials, authenticate, require
from desktop.policy.codec import InputError
from desktop.practitioners import PractitionerError, set_code
from desktop.staff import Permission
from desktop.store_file import open_existing

EXIT_BAD_INPUT = 2


def _fail(field: str, message: str) -> int:
    sys.stderr.write(json.dumps({"error": message, "field": field}, ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def _print(data: Any) -> None:
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper when run
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _open(db: str) -> Store:
    try:
        return open_existing(db)  # a refused command gives no empty file a schema
    except InputError as exc:
        raise MappingError(exc.field, exc.message) from None


def _staff(store: Store, signing_in: Credentials | None, permission: Permission) -> int:
    """The staff member who signs in (desktop.cli_auth: password, file or token), if the role
    table lets them do ``permission``."""
    if signing_in is None:
        raise MappingError("staff", "sign in: give --staff USERNAME (asked for the password) or --password-file")
    try:
        who = authenticate(store, signing_in, dt.datetime.now(dt.UTC))
        require(who, permission)
    except InputError as exc:
        raise MappingError(exc.field, exc.message) from None
    return who.staff_id


def _candidate(c: Candidate) -> dict[str, Any]:
    return {
        "national": c.code,
        "name": c.name,
        "spec": c.spec,
        "catalogue": c.catalogue,
        "class": c.item_class,
        "price": f"{c.price}",
        "in_force": c.active,
        "likeness": c.likeness,
    }


def catalogue_main(
    action: str, db: str, item: str | None, text: str | None, national: str | None, staff: Credentials | None
) -> int:
    try:
        store = _open(db)
    except MappingError as exc:
        return _fail(exc.field, str(exc))
    try:
        _print(_ACTIONS[action](store, item, text, national, staff))
    except MappingError as exc:
        return _fail(exc.field, str(exc))
    finally:
        store.dispose()
    return 0


def _list(store: Store, *_: Any) -> Any:
    with store.reading() as session:
        return [_mapping(m) for m in mappings(session.connection())]


def _search(store: Store, item: str | None, text: str | None, *_: Any) -> Any:
    with store.reading() as session:
        if item:
            found = candidates_for(session, item)
        elif text:
            found = search(session, text)
        else:
            raise MappingError("item", "give --item CODE or --text WORDS")
    return [_candidate(c) for c in found]


def _propose(store: Store, _item: Any, _text: Any, _national: Any, staff: Credentials | None) -> Any:
    _staff(store, staff, Permission.MAP_CATALOGUE)
    return {"proposed": propose(store, dt.datetime.now(dt.UTC))}


def _map(store: Store, item: str | None, _text: Any, national: str | None, staff: Credentials | None) -> Any:
    if not item or not national:
        raise MappingError("item" if not item else "national", "give --item CODE and --national CODE")
    who = _staff(store, staff, Permission.MAP_CATALOGUE)
    return _mapping(review(store, item, national.strip(), who, dt.datetime.now(dt.UTC)))


def _unmap(store: Store, item: str | None, _text: Any, _national: Any, staff: Credentials | None) -> Any:
    if not item:
        raise MappingError("item", "give --item CODE")
    unmap(store, item, _staff(store, staff, Permission.MAP_CATALOGUE), dt.datetime.now(dt.UTC))
    return {"unmapped": item}


_ACTIONS = {"list": _list, "search": _search, "propose": _propose, "map": _map, "unmap": _unmap}


def _mapping(m: Any) -> dict[str, Any]:
    return {
        "item": m.code,
        "name": m.name,
        "kind": m.kind,
        "state": m.state,
        "national": m.national_code,
        "national_name": m.national_name,
        "uploaded_to_facilities": m.uploaded,
        "refused": m.refused,
    }


def staff_main(action: str, db: str, user: str | None, code: str | None, staff: Credentials | None) -> int:
    try:
        store = _open(db)
    except MappingError as exc:
        return _fail(exc.field, str(exc))
    try:
        if action == "practitioner":
            if not user or code is None:
                raise MappingError("user" if not user else "code", "give --user USERNAME and --code CODE")
            set_code(store, user, code, _staff(store, staff, Permission.MANAGE), dt.datetime.now(dt.UTC))
        with store.reading() as session:
            rows = session.execute(
                select(Staff.username, Staff.name, Staff.role, Staff.facility_id, Staff.practitioner_code).order_by(
                    Staff.id
                )
            ).all()
        _print(
            [
                {"user": r.username, "name": r.name, "role": r.role, "facility": r.facility_id, "practitioner": r[4]}
                for r in rows
            ]
        )
    except (MappingError, PractitionerError) as exc:
        return _fail(exc.field, str(exc))
    finally:
        store.dispose()
    return 0
