"""What one sync did: sent, received, set aside, and what differs; and the exit status it earns.

Exit statuses of ``clinic-pos sync`` (the README lists them):

* 0: everything is sent and every outcome known: nothing waits, nothing is set aside;
* 3: the agency stopped answering (or could not be reached): records wait for the next sync;
* 5: the agency answered throughout, but records are set aside (refused by the agency,
  or waiting for staff to complete them: a national code, a practitioner code), or wait
  behind them, or behind a facility whose sign-in the agency refused;
* 2: bad input or configuration (``desktop.sync.cli``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.sync.reconcile import Reconciled


@dataclass(frozen=True, slots=True)
class SetAside:
    entry_id: int
    settlement_id: int
    error: str


EXIT_DONE = 0
EXIT_OFFLINE = 3
EXIT_SET_ASIDE = 5  # 4 is the start-up check's: a damaged store or broken chain


@dataclass(frozen=True, slots=True)
class MappingSetAside:
    code: str
    facility_id: str
    error: str


@dataclass
class SyncReport:
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    ran_through: bool = False  # every step ran with the agency answering (offline or stopped: False)
    online: bool = False  # the agency answered the last call
    sent: dict[str, int] = field(default_factory=dict)  # answered messages by infno
    failed_calls: int = 0
    set_aside: list[SetAside] = field(default_factory=list)
    differences: list[int] = field(default_factory=list)  # settlements the agency split otherwise
    voided: list[int] = field(default_factory=list)
    reversed_by_2601: list[str] = field(default_factory=list)
    refreshed_people: int = 0
    refreshed_changed: int = 0
    catalogue_lines: int = 0
    policies_installed: list[str] = field(default_factory=list)
    reconciliations: list[Reconciled] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    last_error: str = ""
    waiting: int = 0
    set_aside_total: int = 0
    outcome_unknown: int = 0  # rows still waiting whose last send got no readable answer
    resolved: list[str] = field(default_factory=list)  # msgids whose unknown outcome was settled by 2601/2205
    mappings_uploaded: int = 0
    mappings_set_aside: list[MappingSetAside] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Everything sent and every outcome known: the run went through, nothing waits or is set aside."""
        return self.ran_through and not (self.waiting or self.set_aside_total or self.outcome_unknown)

    @property
    def exit_status(self) -> int:
        if not self.ran_through:
            return EXIT_OFFLINE
        return EXIT_DONE if self.complete else EXIT_SET_ASIDE

    @property
    def settlements_booked(self) -> int:
        return self.sent.get("2207", 0)

    def as_json(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "exit_status": self.exit_status,
            "ran_through": self.ran_through,
            "online": self.online,
            "started_at": self.started_at.isoformat(),
            "finished_at": None if self.finished_at is None else self.finished_at.isoformat(),
            "sent": dict(sorted(self.sent.items())),
            "failed_calls": self.failed_calls,
            "received": {
                "settlements_booked": self.settlements_booked,
                "cancellations_booked": self.sent.get("2208", 0),
                "people_refreshed": self.refreshed_people,
                "people_changed": self.refreshed_changed,
                "catalogue_lines": self.catalogue_lines,
                "policy_files": self.policies_installed,
            },
            "set_aside": [
                {"outbox": s.entry_id, "settlement": s.settlement_id, "error": s.error} for s in self.set_aside
            ],
            "differs": self.differences,
            "voided": self.voided,
            "reversed_by_2601": self.reversed_by_2601,
            "unknown_outcomes_resolved": self.resolved,
            "catalogue_mapping": {
                "uploaded": self.mappings_uploaded,
                "set_aside": [
                    {"item": m.code, "facility": m.facility_id, "error": m.error} for m in self.mappings_set_aside
                ],
            },
            "reconciliation": [r.as_json() for r in self.reconciliations],
            "waiting": self.waiting,
            "set_aside_in_all": self.set_aside_total,
            "outcome_unknown": self.outcome_unknown,
            "notes": self.notes,
            "last_error": self.last_error,
        }
