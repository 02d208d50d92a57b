"""The typed inputs and outputs of the signing (签约) rules: records, a history, a request, a decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from desktop.policy.types import FacilityKind

ONE_DAY = dt.timedelta(days=1)


class SigningInputError(ValueError):
    """A record, history or request that cannot be judged: names the field and what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Role(StrEnum):
    """Which place a facility holds in a resident's signing (the store's ``signing.role``)."""

    SINGLE = "single"  # Nanchang, Hunan: the one contracted facility
    BASIC = "basic"  # Shaoguan: the basic facility (township/community centre, school clinic)
    VILLAGE_STATION = "village_station"  # Shaoguan: the integrated village station


class Origin(StrEnum):
    """How a signing came about (the store's ``signing.origin``)."""

    CHOSEN = "chosen"
    DEFAULTED = "defaulted"  # Hunan 第六条: the registered residence's facility
    REASSIGNED = "reassigned"  # Nanchang 第八条（二）: chosen by the agency for the resident
    RENEWED = "renewed"  # carried over into a new year, as imported from the agency


class Grounds(StrEnum):
    """Why a resident asks to sign or to change."""

    FIRST_SIGNING = "first_signing"  # newborn, newly insured, released, moved in: sign after paying
    RELOCATION = "relocation"  # 异地安置备案: sign with a facility in the city
    ANNUAL_RESELECTION = "annual_reselection"  # choose again for the next year
    ADDRESS_CHANGE = "address_change"  # 家庭住址改变 / 居住地迁移
    FACILITY_SUSPENDED = "facility_suspended"  # the facility's service was suspended
    FACILITY_TERMINATED = "facility_terminated"  # its agreement was ended or cancelled
    PERSONAL_WISH = "personal_wish"  # no grounds: just wants another facility now


@dataclass(frozen=True, slots=True)
class SigningRecord:
    """One signing with one facility for a span of days; ``effective_until`` None means open.

    A record that ends the day before it begins was withdrawn before it took effect (a
    later decision replaced a pending change): it is kept, as history is never erased.
    """

    person: int
    facility_id: str
    facility_kind: FacilityKind
    role: Role
    effective_from: dt.date
    effective_until: dt.date | None = None
    origin: Origin = Origin.CHOSEN
    family_doctor: bool = False
    record_id: int | None = None

    def __post_init__(self) -> None:
        if not self.facility_id:
            raise SigningInputError("facility_id", "is empty")
        if self.effective_until is not None and self.effective_until < self.effective_from - ONE_DAY:
            raise SigningInputError(
                "effective_until",
                f"{self.effective_until.isoformat()} is more than a day before "
                f"effective_from {self.effective_from.isoformat()}",
            )

    @property
    def withdrawn(self) -> bool:
        return self.effective_until is not None and self.effective_until < self.effective_from

    def covers(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day <= self.effective_until)


@dataclass(frozen=True, slots=True)
class ResidenceFacility:
    """The designated facility of a resident's registered residence (户籍所在地), for Hunan's default."""

    facility_id: str
    facility_kind: FacilityKind


@dataclass(frozen=True, slots=True)
class SigningHistory:
    """Everything one person has signed, in any order; checked so no two spans of one role overlap."""

    person: int
    records: tuple[SigningRecord, ...] = ()
    residence_facility: ResidenceFacility | None = None

    def __post_init__(self) -> None:
        for index, record in enumerate(self.records):
            if record.person != self.person:
                raise SigningInputError(
                    f"records[{index}].person", f"is {record.person}, not this history's person {self.person}"
                )
        for role in Role:
            live = sorted((r for r in self.records if r.role is role and not r.withdrawn), key=_start)
            for earlier, later in pairwise(live):
                if earlier.effective_until is None or earlier.effective_until >= later.effective_from:
                    raise SigningInputError(
                        f"records[{self.records.index(later)}]",
                        f"{role.value} signing with {later.facility_id} from {later.effective_from.isoformat()} "
                        f"overlaps the one with {earlier.facility_id} from {earlier.effective_from.isoformat()}",
                    )

    def live(self, role: Role) -> list[SigningRecord]:
        """The records of one role that were not withdrawn, oldest first."""
        return sorted((r for r in self.records if r.role is role and not r.withdrawn), key=_start)


def _start(record: SigningRecord) -> dt.date:
    return record.effective_from


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    """What the resident (or the agency) asks at the counter.

    ``confirmed_on`` is the day the insurance agency confirmed the change in its system
    (变更确定), where a policy times the change from that day. ``facility_parent_id`` is the
    township centre a village station is integrated with (一体化建设).
    """

    facility_id: str
    facility_kind: FacilityKind
    requested_on: dt.date
    grounds: Grounds
    role: Role = Role.SINGLE
    facility_parent_id: str | None = None
    confirmed_on: dt.date | None = None
    address_proof: bool = False
    contributions_paid_on: dt.date | None = None
    relocation_filed_on: dt.date | None = None
    family_doctor: bool = False

    def __post_init__(self) -> None:
        if not self.facility_id:
            raise SigningInputError("request.facility_id", "is empty")
        if self.confirmed_on is not None and self.confirmed_on < self.requested_on:
            raise SigningInputError(
                "request.confirmed_on",
                f"{self.confirmed_on.isoformat()} is before the request on {self.requested_on.isoformat()}",
            )


@dataclass(frozen=True, slots=True)
class Decision:
    """Accepted from ``takes_effect``, or refused; either way a sentence and the article behind it.

    On acceptance ``record`` is the signing to store and ``closes`` the stored records as
    they must now read (their ``effective_until`` set; a pending one withdrawn).
    """

    accepted: bool
    reason: str
    article: str
    takes_effect: dt.date | None = None
    record: SigningRecord | None = None
    closes: tuple[SigningRecord, ...] = ()

    @classmethod
    def refuse(cls, reason: str, article: str) -> Decision:
        return cls(accepted=False, reason=reason, article=article)
