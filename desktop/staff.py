"""Staff roles and what each may do at the counter."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    VILLAGE_DOCTOR = "village_doctor"
    ADMIN = "admin"


class Permission(StrEnum):
    SETTLE = "settle"
    REVERSE = "reverse"
    MANAGE = "manage"
    SEE_FULL_ID = "see_full_id"
    SEE_FUND = "see_fund"  # the 基金 page: the centre's budget, spending and early warnings


# Village clinics are run under their township centre (一体化管理): corrections go through
# the centre's clerks and administrators, so a village doctor settles but does not reverse.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset({Permission.SETTLE, Permission.REVERSE}),
    Role.VILLAGE_DOCTOR: frozenset({Permission.SETTLE, Permission.SEE_FULL_ID}),
    Role.ADMIN: frozenset(Permission),
}


def may(role: str, permission: Permission) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
