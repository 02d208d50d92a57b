"""Signing in: argon2id verify, one message for every failure, lockout, rehash on new parameters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from db.models import Staff
from db.session import Store
from desktop.auth import Authenticator, SignInError, staff_by_username
from tests.factories import NOW, make_store

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = make_store(tmp_path)
    with made.writing() as session:
        for staff in session.scalars(select(Staff)):
            staff.password_hash = FAST.hash(staff.username)
    return made


def test_right_password_signs_in_with_the_role(store: Store) -> None:
    who = Authenticator(store, hasher=FAST).sign_in("clerk", "clerk", NOW)
    assert (who.username, who.role, who.facility_id) == ("clerk", "clerk", "T01")


@pytest.mark.parametrize(("username", "password"), [("clerk", "wrong"), ("nobody", "clerk"), ("clerk", "")])
def test_wrong_password_and_unknown_user_get_the_same_answer(store: Store, username: str, password: str) -> None:
    with pytest.raises(SignInError) as caught:
        Authenticator(store, hasher=FAST).sign_in(username, password, NOW)
    assert caught.value.message == "Wrong username or password."
    assert caught.value.locked_until is None


def test_blank_username_is_asked_for(store: Store) -> None:
    with pytest.raises(SignInError, match="username"):
        Authenticator(store, hasher=FAST).sign_in("  ", "x", NOW)


def test_lockout_after_repeated_failures_even_with_the_right_password(store: Store) -> None:
    auth = Authenticator(store, hasher=FAST, max_failures=3, lockout=dt.timedelta(minutes=5))
    for _ in range(2):
        with pytest.raises(SignInError):
            auth.sign_in("clerk", "wrong", NOW)
    with pytest.raises(SignInError) as third:
        auth.sign_in("clerk", "wrong", NOW)
    assert third.value.locked_until == NOW + dt.timedelta(minutes=5)
    with pytest.raises(SignInError) as locked:
        auth.sign_in("clerk", "clerk", NOW + dt.timedelta(minutes=1))
    assert locked.value.locked_until is not None
    # A fresh Authenticator (a restarted program) still sees the lockout: it is in the store.
    with pytest.raises(SignInError):
        Authenticator(store, hasher=FAST, max_failures=3).sign_in("clerk", "clerk", NOW + dt.timedelta(minutes=2))
    assert auth.sign_in("clerk", "clerk", NOW + dt.timedelta(minutes=6)).username == "clerk"


def test_success_clears_the_failure_count(store: Store) -> None:
    auth = Authenticator(store, hasher=FAST, max_failures=3)
    for _ in range(2):
        with pytest.raises(SignInError):
            auth.sign_in("clerk", "wrong", NOW)
    auth.sign_in("clerk", "clerk", NOW)
    for _ in range(2):
        with pytest.raises(SignInError) as caught:
            auth.sign_in("clerk", "wrong", NOW)
        assert caught.value.locked_until is None


def test_password_is_rehashed_when_the_parameters_change(store: Store) -> None:
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    Authenticator(store, hasher=stronger).sign_in("clerk", "clerk", NOW)
    with store.reading() as session:
        stored = session.scalar(select(Staff.password_hash).where(Staff.username == "clerk"))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert "m=2048,t=2" in stored
    assert not stronger.check_needs_rehash(stored)


def test_an_inactive_staff_member_cannot_sign_in(store: Store) -> None:
    with store.writing() as session:
        staff = session.scalar(select(Staff).where(Staff.username == "clerk"))
        assert staff is not None
        staff.active = False
    with pytest.raises(SignInError):
        Authenticator(store, hasher=FAST).sign_in("clerk", "clerk", NOW)
    assert staff_by_username(store, "clerk") is None
