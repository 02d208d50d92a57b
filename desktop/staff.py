"""Staff roles, what each may do, and where: one table, deny by default.

``PERMISSIONS`` is the whole role × action table. An action not listed for a role is
refused, an unknown role may do nothing, and the administrator is no exception: a new
permission is granted to nobody until a line below grants it. To add one, add a member
to ``Permission`` and one line to each role that has it (tests/core/test_staff.py walks
the whole table and asks for the new column there too).

Where: staff act at their own facility. A township centre's clerks and administrators
also correct (reverse) at the village clinics it runs under 一体化管理: the centre answers
for its clinics' pooling money (洪府厅发〔2019〕102号 第十七条: the integrated 村卫生室 is the
centre's 门诊统筹医疗服务网点; 第二十五条: the centre allocates the village clinics' pooling
money; 韶医保规〔2023〕2号 第九条（二）1 likewise advances the 卫生站's share to the 卫生院).
They do not settle there: a visit is settled where the patient is seen, by the staff
of that clinic.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    VILLAGE_DOCTOR = "village_doctor"
    ADMIN = "admin"


class Permission(StrEnum):
    SETTLE = "settle"
    REVERSE = "reverse"
    SYNC = "sync"  # send the outbox and bring back the agency's word
    MANAGE = "manage"  # settings (limits, the agency address), the agency secret
    SEE_FULL_ID = "see_full_id"  # on screens
    FILE_LEDGER = "file_ledger"  # print the ledger's copy for filing, full ID numbers and all
    MAP_CATALOGUE = "map_catalogue"  # review the catalogue mapping (医保目录对照) and upload it
    SEE_FUND = "see_fund"  # the 基金 page: the centre's budget, spending and early warnings
    SETTLE_UP = "settle_up"  # 补收 / 退费 the cash the agency's split left owed
    RECORD_FILING = "record_filing"  # enter a patient's out-of-area filing (异地备案) from the paper
    STORE = "store"  # back up, restore or encrypt the whole store: every patient's records at once


# Village clinics are run under their township centre (一体化管理): corrections go through
# the centre's clerks and administrators, so a village doctor settles but does not reverse.
# Nobody at the counter needs a patient's full ID number on screen to settle; the
# administrator keeps the roster and corrects it. A village clinic's ledger carries the
# number (湘人社发〔2017〕94号 第十三条: the 村卫生室's 门诊台账 holds the 有效证件号码), so the
# village doctor who keeps it prints its copy for filing whole, as the administrator may.
# A settle-up corrects nothing: it pays out or takes in the cash the agency's own split
# leaves owed, so whoever takes the patient's cash does it, at their own clinic. Whoever
# works the counter enters the out-of-area filing (异地备案) the patient brings on paper.
# The catalogue mapping (医保目录对照) decides what the agency is told each item is: the
# administrator reviews and uploads it.
# A backup carries, and a restore or encryption rewrites, every patient's ID numbers and
# diagnoses at once: the administrator, who keeps the roster, does it.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(
        {
            Permission.SETTLE,
            Permission.REVERSE,
            Permission.SYNC,
            Permission.SETTLE_UP,
            Permission.RECORD_FILING,
        }
    ),
    Role.VILLAGE_DOCTOR: frozenset(
        {
            Permission.SETTLE,
            Permission.SYNC,
            Permission.FILE_LEDGER,
            Permission.SETTLE_UP,
            Permission.RECORD_FILING,
        }
    ),
    Role.ADMIN: frozenset(
        {
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
        }
    ),
}

# What staff may also do at the village clinics their township centre runs (see above).
AT_INTEGRATED_CLINICS: frozenset[Permission] = frozenset({Permission.REVERSE})


def may(role: str, permission: Permission) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def may_at(
    role: str,
    permission: Permission,
    staff_facility: str,
    facility: str,
    facility_parent: str | None,
) -> bool:
    """Whether staff of ``role`` working at ``staff_facility`` may do ``permission`` at
    ``facility`` (whose township centre is ``facility_parent``)."""
    if not may(role, permission):
        return False
    if staff_facility == facility:
        return True
    return facility_parent is not None and facility_parent == staff_facility and permission in AT_INTEGRATED_CLINICS
