"""The installation's settings: what they may hold, who may change them, and the audit of each change.

Settings are rows of the ``setting`` table. Only the keys in ``SETTINGS`` can be changed
through here, each value checked before anything is written, only by a member of staff
whose role may ``MANAGE`` and who belongs to this installation's facility (or runs it as
its township centre), and every change is audited with the value before and after.

The limits a settlement is held to are read on the settlement's hot path as columns of
the query that reads its participants (``limit_columns``), and parsed once per value seen.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, insert, literal_column, select, update

from db import audit
from db.models import Facility, Setting, Staff
from db.session import Store
from desktop.policy.codec import InputError
from desktop.staff import Permission, may

THIS_FACILITY = "facility_id"
AGENCY_URL = "sync.agency_url"
MAX_QUANTITY = "limits.max_quantity"
MAX_PRICE = "limits.max_price"
PRICE_DEVIATION = "limits.price_deviation_percent"
TOKEN_MINUTES = "auth.token_minutes"  # noqa: S105  # a setting's name

# The national interface's amounts are numeric(16,2): 14 digits of yuan.
MAX_AMOUNT = Decimal("99999999999999.99")


class SettingError(InputError):
    """A setting that cannot be changed (unknown key, bad value, not allowed); nothing was written."""


@dataclass(frozen=True, slots=True)
class Spec:
    default: str | None
    describe: str
    check: Callable[[str], str]  # the value as it will be stored, or SettingError


def _decimal(low: Decimal, high: Decimal, places: int) -> Callable[[str], str]:
    def check(text: str) -> str:
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            raise SettingError("value", f"{text!r} is not a number") from None
        if not value.is_finite() or not low <= value <= high:
            raise SettingError("value", f"{text!r} must be from {low} to {high}")
        if value != value.quantize(Decimal(1).scaleb(-places)):
            raise SettingError("value", f"{text!r} has more than {places} decimals")
        return f"{value.quantize(Decimal(1).scaleb(-places)):f}"

    return check


def _whole(low: int, high: int) -> Callable[[str], str]:
    def check(text: str) -> str:
        stripped = text.strip()
        if not (stripped.isascii() and stripped.isdigit()) or len(stripped) > 6 or not low <= int(stripped) <= high:
            raise SettingError("value", f"{text!r} must be a whole number from {low} to {high}")
        return str(int(stripped))

    return check


def agency_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the agency's address, or None: https, or http only to this machine."""
    if len(url) > 500 or not url.isprintable():
        return "is not an address"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an https:// address"
    try:
        parts.port  # noqa: B018  # raises on a port that is not a number
    except ValueError:
        return f"{url!r} has a port that is not a number"
    if parts.username or parts.password:
        return "must not hold a username or password: the secret lives in the OS keyring"
    if parts.scheme == "https" or _loopback(parts.hostname):
        return None
    return f"{url!r} is not https: the agency is reached over https (http only to this machine, 127.0.0.1)"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _agency_url(text: str) -> str:
    url = text.strip()
    problem = agency_url_problem(url)
    if problem is not None:
        raise SettingError("agency", problem)
    return url


SETTINGS: Mapping[str, Spec] = {
    THIS_FACILITY: Spec(None, "this installation's facility id", lambda text: text.strip()),
    AGENCY_URL: Spec(None, "the agency's address (https; http only on loopback)", _agency_url),
    MAX_QUANTITY: Spec("999", "the largest quantity of one item on a visit", _decimal(Decimal(1), Decimal(99999), 3)),
    MAX_PRICE: Spec(
        "5000.00", "the largest unit price of one item, yuan", _decimal(Decimal("0.01"), Decimal("999999.99"), 2)
    ),
    PRICE_DEVIATION: Spec(
        "50",
        "a price more than this percentage above or below the catalogue's needs confirmation",
        _whole(1, 1000),
    ),
    TOKEN_MINUTES: Spec("30", "how long a command-line sign-in token lasts, minutes", _whole(1, 480)),
}


@dataclass(frozen=True, slots=True)
class Limits:
    """What one visit's lines may hold (see ``SETTINGS``)."""

    max_quantity: Decimal
    max_price: Decimal
    price_deviation: Decimal  # as a fraction of the catalogue price: 0.5 for 50%

    def far_from(self, price: Decimal, catalogue: Decimal) -> bool:
        """Whether ``price`` needs confirming against the catalogue's: zero, or too far from it."""
        if price == catalogue:
            return False
        if price == 0 or catalogue == 0:
            return True
        return abs(price - catalogue) > catalogue * self.price_deviation


LIMIT_KEYS = (MAX_QUANTITY, MAX_PRICE, PRICE_DEVIATION)


def limit_columns() -> list[Any]:
    """The stored limits (or NULL), in ``LIMIT_KEYS``' order, as columns of another query."""
    # The keys are written into the SQL (our own constants, no quotes in them): a prepared
    # statement takes no parameters beyond its own.
    return [
        select(Setting.value).where(Setting.key == literal_column(f"'{key}'")).scalar_subquery().label(f"limit_{n}")
        for n, key in enumerate(LIMIT_KEYS)
    ]


@functools.lru_cache(maxsize=16)
def limits_from(stored: tuple[str | None, ...]) -> Limits:
    """The limits from their stored texts (``LIMIT_KEYS``' order; None where none is stored)."""

    def value(key: str, text: str | None) -> Decimal:
        default = SETTINGS[key].default
        assert default is not None
        try:
            return Decimal(SETTINGS[key].check(text)) if text is not None else Decimal(default)
        except SettingError:  # written behind the program's back: the default holds
            return Decimal(default)

    quantity, price, deviation = (value(key, text) for key, text in zip(LIMIT_KEYS, stored, strict=True))
    return Limits(quantity, price, deviation / 100)


def limits(connection: Connection) -> Limits:
    """The limits in force, read on their own (the settlement reads them with its participants)."""
    return limits_from(tuple(connection.execute(select(*limit_columns())).one()))


def token_minutes(connection: Connection) -> int:
    text = connection.execute(select(Setting.value).where(Setting.key == TOKEN_MINUTES)).scalar()
    spec = SETTINGS[TOKEN_MINUTES]
    assert spec.default is not None
    try:
        return int(spec.check(text if text is not None else spec.default))
    except SettingError:
        return int(spec.default)


def current(store: Store) -> dict[str, dict[str, str | None]]:
    """Every changeable setting: its value (the default where none is stored) and what it is."""
    with store.reading() as session:
        stored = dict(session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(list(SETTINGS)))).all())
    return {
        key: {"value": stored.get(key, spec.default), "default": spec.default, "about": spec.describe}
        for key, spec in SETTINGS.items()
    }


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    before: str | None
    after: str


def change(store: Store, staff_id: int, key: str, text: str, now: dt.datetime) -> Change:
    """Set ``key`` to ``text`` for ``staff_id``: checked first (who, then what), written and audited at once."""
    with store.write_connection() as connection:
        _allowed(connection, staff_id)
        spec = SETTINGS.get(key)
        if spec is None:
            raise SettingError("key", f"{key!r} is not a setting; one of {', '.join(SETTINGS)}")
        value = spec.check(text)
        if key == THIS_FACILITY and connection.execute(select(Facility.id).where(Facility.id == value)).first() is None:
            raise SettingError("value", f"{value!r} is not a facility in this database")
        before = connection.execute(select(Setting.value).where(Setting.key == key)).scalar()
        # Core, not the ORM: this entry, which names who changed what, seals the row itself.
        if before is None:
            connection.execute(insert(Setting).values(key=key, value=value))
        else:
            connection.execute(update(Setting).where(Setting.key == key).values(value=value))
        audit.record(
            connection,
            at=now,
            staff_id=staff_id,
            action="setting",
            entity="setting",
            entity_id=key,
            detail={"from": before, "to": value},
            rows=audit.rows_by_key("setting", [key]),
        )
        return Change(key, before, value)


def _allowed(connection: Connection, staff_id: int) -> None:
    staff = connection.execute(
        select(Staff.role, Staff.active, Staff.facility_id).where(Staff.id == staff_id)
    ).one_or_none()
    if staff is None or not staff.active:
        raise SettingError("staff", f"no active staff member with id {staff_id}")
    if not may(staff.role, Permission.MANAGE):
        raise SettingError("staff", f"role {staff.role!r} may not change settings; an administrator may")
    home = connection.execute(select(Setting.value).where(Setting.key == THIS_FACILITY)).scalar()
    if home is None or home == staff.facility_id:
        return
    parent = connection.execute(select(Facility.parent_id).where(Facility.id == home)).scalar()
    if parent != staff.facility_id:
        raise SettingError("staff", f"an administrator of {staff.facility_id!r} does not manage this installation")
