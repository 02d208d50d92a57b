"""The role × action table, walked whole; and where staff may act."""

from __future__ import annotations

import pytest

from desktop.staff import PERMISSIONS, Permission, Role, may, may_at

# The whole table as it is meant to be, written out: a permission added to Permission
# without its column here fails the first test, so every role's answer is decided.
S, R, Y, M, F, L, U, A, B, C, K = (
    Permission.SETTLE,
    Permission.REVERSE,
    Permission.SYNC,
    Permission.MANAGE,
    Permission.SEE_FULL_ID,
    Permission.FILE_LEDGER,
    Permission.SETTLE_UP,
    Permission.RECORD_FILING,
    Permission.SEE_FUND,
    Permission.MAP_CATALOGUE,
    Permission.STORE,
)
EXPECTED: dict[Permission, dict[Role, bool]] = {
    S: {Role.CLERK: True, Role.VILLAGE_DOCTOR: True, Role.ADMIN: True},
    R: {Role.CLERK: True, Role.VILLAGE_DOCTOR: False, Role.ADMIN: True},
    Y: {Role.CLERK: True, Role.VILLAGE_DOCTOR: True, Role.ADMIN: True},
    M: {Role.CLERK: False, Role.VILLAGE_DOCTOR: False, Role.ADMIN: True},
    F: {Role.CLERK: False, Role.VILLAGE_DOCTOR: False, Role.ADMIN: True},  # the roster's keeper
    L: {Role.CLERK: False, Role.VILLAGE_DOCTOR: True, Role.ADMIN: True},  # 湘人社发〔2017〕94号 第十三条
    U: {Role.CLERK: True, Role.VILLAGE_DOCTOR: True, Role.ADMIN: True},  # whoever takes the cash
    A: {Role.CLERK: True, Role.VILLAGE_DOCTOR: True, Role.ADMIN: True},  # the paper 异地备案 at the counter
    B: {Role.CLERK: False, Role.VILLAGE_DOCTOR: False, Role.ADMIN: True},  # the 基金 page
    C: {Role.CLERK: False, Role.VILLAGE_DOCTOR: False, Role.ADMIN: True},  # what the agency is told each item is
    K: {Role.CLERK: False, Role.VILLAGE_DOCTOR: False, Role.ADMIN: True},  # the whole store: backup, restore
}


def test_every_permission_has_a_decided_column() -> None:
    assert set(EXPECTED) == set(Permission)
    assert all(set(column) == set(Role) for column in EXPECTED.values())


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_the_whole_role_by_action_table(role: Role, permission: Permission) -> None:
    assert may(role.value, permission) is EXPECTED[permission][role]


def test_an_unknown_role_may_do_nothing() -> None:
    for permission in Permission:
        assert not may("superuser", permission)
        assert not may("", permission)
        assert not may_at("superuser", permission, "T01", "T01", None)


def test_every_role_has_its_own_lines() -> None:
    assert set(PERMISSIONS) == set(Role)


def test_a_village_doctor_does_not_see_full_id_numbers_where_a_clerk_does_not() -> None:
    assert not may("village_doctor", Permission.SEE_FULL_ID)
    assert not may("clerk", Permission.SEE_FULL_ID)


@pytest.mark.parametrize(
    ("role", "permission", "works_at", "acts_at", "parent", "allowed"),
    [
        ("village_doctor", S, "V01", "V01", "T01", True),  # at home
        ("village_doctor", S, "V01", "T01", None, False),  # doctor1 of V01 does not settle at T01
        ("village_doctor", S, "V01", "V02", "T01", False),  # nor at the next village
        ("clerk", S, "T01", "T01", None, True),
        ("clerk", S, "T01", "V01", "T01", False),  # a visit is settled where it happens
        ("clerk", R, "T01", "V01", "T01", True),  # 一体化管理: the centre corrects its clinics'
        ("admin", R, "T01", "V02", "T01", True),
        ("clerk", R, "T01", "V10", "T10", False),  # not another centre's clinics
        ("clerk", R, "T10", "T01", None, False),
        ("village_doctor", R, "V01", "V01", "T01", False),  # the role decides first
        ("village_doctor", U, "V01", "V01", "T01", True),  # a settle-up is the counter's cash
        ("clerk", U, "T01", "V01", "T01", False),  # taken where the patient pays
        ("village_doctor", U, "V01", "T01", None, False),
    ],
)
def test_staff_act_where_they_belong(
    role: str, permission: Permission, works_at: str, acts_at: str, parent: str | None, allowed: bool
) -> None:
    assert may_at(role, permission, works_at, acts_at, parent) is allowed
