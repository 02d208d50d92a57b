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
    SETTLE_UP = "settle_up"  # 补收 / 退费 the cash the agency's split left owed
    RECORD_FILING = "record_filing"  # enter a patient's out-of-area filing (异地备案) from the paper


# Village clinics are run under their township centre (一体化管理): corrections go through
# the centre's clerks and administrators, so a village doctor settles but does not reverse.
# A settle-up corrects nothing: it pays out or takes in the cash the agency's own split
# leaves owed, so whoever takes the patient's cash does it.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset({Permission.SETTLE, Permission.REVERSE, Permission.SETTLE_UP, Permission.RECORD_FILING}),
    Role.VILLAGE_DOCTOR: frozenset(
        {Permission.SETTLE, Permission.SEE_FULL_ID, Permission.SETTLE_UP, Permission.RECORD_FILING}
    ),
    Role.ADMIN: frozenset(Permission),
}


def may(role: str, permission: Permission) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
