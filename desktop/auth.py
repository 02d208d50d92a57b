"""Signing in at the counter: argon2id passwords, a lockout after repeated failures.

Failures are counted in the store (a ``Setting`` row per username), so restarting the
program does not reset the count. The message for a wrong password and an unknown
username is the same, so the dialog does not tell a stranger which usernames exist.
The window and the command line sign in through the same ``Authenticator``: the same
check, the same count, and an audit entry for every attempt, saying which way it came.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from db import audit
from db.models import Setting, Staff
from db.session import Store

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=5)
_FAILURES_KEY = "auth.failures."
WINDOW = "window"
COMMAND_LINE = "command line"
_SHOWN_USERNAME = 40  # a typed username is kept in the audit, cut to the column's length


@functools.cache
def _decoy_hash() -> str:
    """Verified against when the username is unknown, so both paths cost one argon2 verify.

    Made on first use: hashing costs as much as a sign-in, too much to pay at import.
    """
    return PasswordHasher().hash("clinic-pos decoy")


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who is working the counter."""

    staff_id: int
    username: str
    name: str
    role: str
    facility_id: str


class SignInError(Exception):
    """Why signing in failed, in words for the person at the counter."""

    def __init__(self, message: str, locked_until: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.locked_until = locked_until


@dataclass(frozen=True, slots=True)
class _Failures:
    count: int
    locked_until: dt.datetime | None

    def to_text(self) -> str:
        until = None if self.locked_until is None else self.locked_until.isoformat()
        return json.dumps({"count": self.count, "locked_until": until})

    @classmethod
    def from_text(cls, text: str | None) -> _Failures:
        if not text:
            return cls(0, None)
        raw = json.loads(text)
        until = raw.get("locked_until")
        return cls(int(raw.get("count", 0)), None if until is None else dt.datetime.fromisoformat(until))


class Authenticator:
    """Checks a username and password against the staff table."""

    def __init__(
        self,
        store: Store,
        *,
        hasher: PasswordHasher | None = None,
        max_failures: int = MAX_FAILURES,
        lockout: dt.timedelta = LOCKOUT,
    ) -> None:
        self.store = store
        self.hasher = hasher or PasswordHasher()
        self.max_failures = max_failures
        self.lockout = lockout

    def sign_in(self, username: str, password: str, now: dt.datetime, *, via: str = WINDOW) -> SignedIn:
        username = username.strip()
        if not username:
            raise SignInError("Enter your username.")
        # The block commits a failure count too: refusing must not roll it back.
        with self.store.writing() as session:
            outcome = self._attempt(session, username, password, now)
            _audit_sign_in(session, username, outcome, now, via)
        if isinstance(outcome, SignInError):
            raise outcome
        return outcome

    def _attempt(self, session: Session, username: str, password: str, now: dt.datetime) -> SignedIn | SignInError:
        if len(username) > _SHOWN_USERNAME:  # no such username: the column holds 40 characters
            self._verify(_decoy_hash(), password)
            return SignInError("Wrong username or password.")
        failures = _Failures.from_text(session.scalar(_failures_query(username)))
        if failures.locked_until is not None and now < failures.locked_until:
            return SignInError("Too many wrong passwords; try again later.", failures.locked_until)
        staff = session.scalar(select(Staff).where(Staff.username == username, Staff.active.is_(True)))
        if not self._verify(_decoy_hash() if staff is None else staff.password_hash, password) or staff is None:
            return self._count_failure(session, username, failures, now)
        if failures.count:
            _store_failures(session, username, _Failures(0, None))
        if self._needs_rehash(staff.password_hash):
            staff.password_hash = self.hasher.hash(password)
        return SignedIn(staff.id, staff.username, staff.name, staff.role, staff.facility_id)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def _needs_rehash(self, stored: str) -> bool:
        try:
            return self.hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True

    def _count_failure(self, session: Session, username: str, before: _Failures, now: dt.datetime) -> SignInError:
        # A lockout that has run out starts the count afresh.
        count = 1 if before.locked_until is not None else before.count + 1
        if count >= self.max_failures:
            locked_until = now + self.lockout
            _store_failures(session, username, _Failures(0, locked_until))
            return SignInError("Too many wrong passwords; try again later.", locked_until)
        _store_failures(session, username, _Failures(count, None))
        return SignInError("Wrong username or password.")


def _audit_sign_in(
    session: Session, username: str, outcome: SignedIn | SignInError, now: dt.datetime, via: str
) -> None:
    """Every sign-in, and every refusal with why, goes into the audit chain, with the way it came
    (the window or the command line)."""
    if isinstance(outcome, SignedIn):
        action, staff_id = "sign_in", outcome.staff_id
        detail = {"role": outcome.role, "locked_until": None, "via": via}
    else:
        action, staff_id = "sign_in_refused", None
        until = None if outcome.locked_until is None else outcome.locked_until.isoformat()
        detail = {"why": outcome.message, "locked_until": until, "via": via}
    audit.record(
        session.connection(),
        at=now,
        staff_id=staff_id,
        action=action,
        entity="staff",
        entity_id=username[:_SHOWN_USERNAME],
        detail=detail,
    )


def _failures_query(username: str) -> Select[str]:
    return select(Setting.value).where(Setting.key == _FAILURES_KEY + username)


def _store_failures(session: Session, username: str, failures: _Failures) -> None:
    key = _FAILURES_KEY + username
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=failures.to_text()))
    else:
        row.value = failures.to_text()


def staff_by_username(store: Store, username: str) -> SignedIn | None:
    """The demo's automatic sign-in: an active staff member, without a password."""
    with store.reading() as session:
        staff = session.scalar(select(Staff).where(Staff.username == username, Staff.active.is_(True)))
        if staff is None:
            return None
        return SignedIn(staff.id, staff.username, staff.name, staff.role, staff.facility_id)
