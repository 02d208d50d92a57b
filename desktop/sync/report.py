"""What one sync did: sent, received, set aside, and what differs."""

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


@dataclass
class SyncReport:
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    complete: bool = False  # everything that could be sent was sent, and the agency was asked back
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

    @property
    def settlements_booked(self) -> int:
        return self.sent.get("2207", 0)

    def as_json(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
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
            "reconciliation": [r.as_json() for r in self.reconciliations],
            "waiting": self.waiting,
            "set_aside_in_all": self.set_aside_total,
            "notes": self.notes,
            "last_error": self.last_error,
        }
