"""Short-lived sign-in tokens for scripts: ``clinic-pos sign-in`` makes one, ``sign-out`` ends it.

A token is made only after a sign-in with the password (``desktop.auth``: argon2id, the
lockout, the audit). It is printed once and never written anywhere by the program; the
store keeps only its SHA-256, so a copy of the database file holds no usable token. It
lapses after ``auth.token_minutes`` (30 by default, at most a shift of 8 hours), when it
is signed out, or when its staff member is made inactive. It works only against the
store it was made in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from db import audit
from db.models import SignInToken, Staff
from db.session import Store
from desktop.auth import SignedIn
from desktop.settings import token_minutes

PREFIX = "cpt_"
_LENGTH = len(PREFIX) + 43  # 32 random bytes in URL-safe base64


class TokenError(Exception):
    """The token cannot be used: in words for the person at the keyboard."""


@dataclass(frozen=True, slots=True)
class Issued:
    token: str
    expires_at: dt.datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def issue(store: Store, who: SignedIn, now: dt.datetime) -> Issued:
    """A new token for ``who``, who has just signed in with their password."""
    token = PREFIX + secrets.token_urlsafe(32)
    with store.writing() as session:
        connection = session.connection()
        expires = now + dt.timedelta(minutes=token_minutes(connection))
        # Lapsed tokens are of no use to anyone: cleared as new ones are made. Core statements,
        # not the ORM: this entry, naming who signed in, seals the new row and the removed ones.
        cleared = connection.execute(
            delete(SignInToken).where(SignInToken.expires_at < now - dt.timedelta(days=1)).returning(SignInToken.id)
        ).scalars()
        gone: list[audit.Spec] = [audit.Deleted("sign_in_token", str(key)) for key in cleared]
        made = connection.execute(
            insert(SignInToken)
            .values(token_sha256=_digest(token), staff_id=who.staff_id, issued_at=now, expires_at=expires)
            .returning(SignInToken.id)
        ).scalar_one()
        audit.record(
            connection,
            at=now,
            staff_id=who.staff_id,
            action="token_issued",
            entity="staff",
            entity_id=who.staff_id,
            detail={"until": expires},
            rows=[*gone, *audit.rows_by_key("sign_in_token", [made])],
        )
    return Issued(token, expires)


def check(store: Store, token: str, now: dt.datetime) -> SignedIn:
    """Who the token signs in, or ``TokenError``. Reads only: using a token writes nothing."""
    if not _well_formed(token):
        raise TokenError("is not a sign-in token made by clinic-pos sign-in")
    with store.reading() as session:
        found = session.execute(
            select(SignInToken.expires_at, SignInToken.revoked_at, Staff)
            .join(Staff, Staff.id == SignInToken.staff_id)
            .where(SignInToken.token_sha256 == _digest(token))
        ).one_or_none()
    if found is None:
        raise TokenError("is not known to this database: sign in again with clinic-pos sign-in")
    expires_at, revoked_at, staff = found
    if revoked_at is not None:
        raise TokenError("was signed out: sign in again with clinic-pos sign-in")
    if now >= expires_at:
        raise TokenError("has expired: sign in again with clinic-pos sign-in")
    if not staff.active:
        raise TokenError(f"belongs to {staff.username!r}, who is no longer active")
    return SignedIn(staff.id, staff.username, staff.name, staff.role, staff.facility_id)


def revoke(store: Store, token: str, now: dt.datetime, *, every: bool = False) -> int:
    """Sign the token out (``every``: all of its staff member's tokens); how many were ended."""
    who = check(store, token, now)
    with store.writing() as session:
        ending = update(SignInToken).where(SignInToken.revoked_at.is_(None), SignInToken.expires_at > now)
        if every:
            ending = ending.where(SignInToken.staff_id == who.staff_id)
        else:
            ending = ending.where(SignInToken.token_sha256 == _digest(token))
        ended = list(session.execute(ending.values(revoked_at=now).returning(SignInToken.id)).scalars())
        action = "token_revoked_all" if every else "token_revoked"
        audit.record(
            session.connection(),
            at=now,
            staff_id=who.staff_id,
            action=action,
            entity="staff",
            entity_id=who.staff_id,
            detail={"tokens": len(ended)},
            rows=audit.rows_by_key("sign_in_token", ended),
        )
    return len(ended)


def _well_formed(token: str) -> bool:
    body = token.removeprefix(PREFIX)
    return (
        len(token) == _LENGTH
        and token.startswith(PREFIX)
        and body.isascii()
        and all(c.isalnum() or c in "-_" for c in body)
    )
