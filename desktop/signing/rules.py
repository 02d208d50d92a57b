"""Where the signing rules differ between policies, as data: one TOML file per resident policy.

Every switch is a table ``{ value = …, article = "第…条" }`` so a refusal can cite the
article that refuses it; the product's readings where a document is silent carry a
``decision`` beside the figure. Employee schemes have no file: they have no signing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from desktop.policy.parameters import Figure, PolicyFileError
from desktop.policy.types import FacilityKind
from desktop.signing.types import Role

E = TypeVar("E", bound=StrEnum)


class SigningFileError(PolicyFileError):
    """A signing rules file that cannot be used: names the file, the key and what is wrong."""


class NoSigningRulesError(LookupError):
    def __init__(self, policy: str, known: Iterable[str]) -> None:
        names = ", ".join(sorted(known))
        super().__init__(
            f"no signing rules for policy {policy!r}; add resources/signing/{policy}.toml (known: {names})"
        )
        self.policy = policy


class AddressChange(StrEnum):
    """Whether and when a change of address moves the signing within the year."""

    NOT_ALLOWED = "not_allowed"
    ON_CONFIRMATION = "on_confirmation"  # from the day the change is processed
    NEXT_MONTH = "next_month"  # from the 1st of the month after the agency confirms it


class ClosedFacility(StrEnum):
    """Who picks the new facility when the signed one is suspended or its agreement ends."""

    REASSIGNED_BY_AGENCY = "reassigned_by_agency"
    CHOSEN_BY_RESIDENT = "chosen_by_resident"


@dataclass(frozen=True, slots=True)
class SigningRules:
    policy: str
    version: str
    roles: Figure[Mapping[Role, frozenset[FacilityKind]]]
    after_payment: Figure[bool]
    one_per_year: Figure[bool]
    address_change: Figure[AddressChange]
    facility_closed: Figure[ClosedFacility]
    reselection_months: Figure[frozenset[int]]
    reselection_when_paying: Figure[bool]
    renews_automatically: Figure[bool]
    default_to_residence: Figure[bool]
    station_integrated: Figure[bool] | None = None
    address_proof_required: Figure[bool] | None = None
    relocation_from_next_year: Figure[bool] | None = None
    file: str = ""


class SigningRulebook:
    """The signing rules of every resident policy that has them."""

    def __init__(self, rules: Iterable[SigningRules]) -> None:
        self._by_policy: dict[str, SigningRules] = {}
        for entry in rules:
            if entry.policy in self._by_policy:
                raise SigningFileError(
                    entry.file, "policy", f"{entry.policy!r} already comes from {self._by_policy[entry.policy].file}"
                )
            self._by_policy[entry.policy] = entry

    @property
    def policies(self) -> list[str]:
        return sorted(self._by_policy)

    def get(self, policy: str) -> SigningRules | None:
        return self._by_policy.get(policy)

    def rules_for(self, policy: str) -> SigningRules:
        found = self._by_policy.get(policy)
        if found is None:
            raise NoSigningRulesError(policy, self._by_policy)
        return found


# --- reading one file -------------------------------------------------------------

_SECTIONS: dict[str, set[str]] = {
    "facility": {"roles", "station_integrated"},
    "first_signing": {"after_payment", "relocation_from_next_year"},
    "change": {"one_per_year", "address_change", "address_proof_required", "facility_closed"},
    "reselection": {"months", "when_paying", "renews_automatically"},
    "default": {"to_residence"},
}
_TOP = {"policy", "version", *_SECTIONS}


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> SigningFileError:
        return SigningFileError(self.path, key, problem)

    def section(self, raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        value = raw.get(name)
        if not isinstance(value, dict):
            raise self.fail(name, "is required and must be a table")
        unknown = sorted(set(value) - _SECTIONS[name])
        if unknown:
            raise self.fail(f"{name}.{unknown[0]}", f"unknown key; expected one of {sorted(_SECTIONS[name])}")
        return value

    def figure(self, section: Mapping[str, Any], dotted: str) -> tuple[Any, str, str | None] | None:
        key = dotted.rsplit(".", 1)[-1]
        if key not in section:
            return None
        entry = section[key]
        if not isinstance(entry, dict) or "value" not in entry:
            raise self.fail(dotted, 'must be a table like { value = …, article = "第…条" }')
        extra = sorted(set(entry) - {"value", "article", "decision", "note"})
        if extra:
            raise self.fail(f"{dotted}.{extra[0]}", "unknown key; expected value, article, decision, note")
        article = entry.get("article")
        if not isinstance(article, str) or not article.strip():
            raise self.fail(f"{dotted}.article", "every figure must cite the article it comes from")
        decision = entry.get("decision")
        if decision is not None and not isinstance(decision, str):
            raise self.fail(f"{dotted}.decision", "must be text")
        return entry["value"], article, decision

    def flag(self, section: Mapping[str, Any], dotted: str) -> Figure[bool] | None:
        found = self.figure(section, dotted)
        if found is None:
            return None
        value, article, decision = found
        if not isinstance(value, bool):
            raise self.fail(f"{dotted}.value", f"{value!r} is not true or false")
        return Figure(value, article, decision)

    def required_flag(self, section: Mapping[str, Any], dotted: str) -> Figure[bool]:
        found = self.flag(section, dotted)
        if found is None:
            raise self.fail(dotted, "is required")
        return found

    def choice(self, section: Mapping[str, Any], dotted: str, kind: type[E]) -> Figure[E]:
        found = self.figure(section, dotted)
        if found is None:
            raise self.fail(dotted, "is required")
        value, article, decision = found
        try:
            return Figure(kind(value), article, decision)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise self.fail(f"{dotted}.value", f"{value!r} is not one of {allowed}") from None

    def months(self, section: Mapping[str, Any], dotted: str) -> Figure[frozenset[int]]:
        found = self.figure(section, dotted)
        if found is None:
            raise self.fail(dotted, "is required")
        value, article, decision = found
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value)
            or len(set(value)) != len(value)
        ):
            raise self.fail(f"{dotted}.value", f"{value!r} is not a list of distinct months from 1 to 12")
        return Figure(frozenset(value), article, decision)

    def roles(self, section: Mapping[str, Any], dotted: str) -> Figure[Mapping[Role, frozenset[FacilityKind]]]:
        found = self.figure(section, dotted)
        if found is None:
            raise self.fail(dotted, "is required")
        value, article, decision = found
        if not isinstance(value, dict) or not value:
            raise self.fail(f"{dotted}.value", "must be a table of roles, each with a list of facility kinds")
        table: dict[Role, frozenset[FacilityKind]] = {}
        for name, kinds in value.items():
            where = f"{dotted}.value.{name}"
            try:
                role = Role(name)
            except ValueError:
                raise self.fail(where, f"unknown role; expected one of {[r.value for r in Role]}") from None
            table[role] = self._kinds(where, kinds)
        return Figure(table, article, decision)

    def _kinds(self, where: str, kinds: Any) -> frozenset[FacilityKind]:
        allowed = [k.value for k in FacilityKind]
        if not isinstance(kinds, list) or not kinds:
            raise self.fail(where, "must be a non-empty list of facility kinds")
        for kind in kinds:
            if kind not in allowed:
                raise self.fail(where, f"unknown facility kind {kind!r}; expected one of {allowed}")
        return frozenset(FacilityKind(k) for k in kinds)


def parse_signing(raw: Mapping[str, Any], path: str, expected_policy: str | None = None) -> SigningRules:
    """Turn one parsed file into checked rules; ``expected_policy`` is the file's stem."""
    r = _Reader(path)
    unknown = sorted(set(raw) - _TOP)
    if unknown:
        raise r.fail(unknown[0], f"unknown key; expected one of {sorted(_TOP)}")
    policy, version = raw.get("policy"), raw.get("version")
    if not isinstance(policy, str) or not policy.strip():
        raise r.fail("policy", "must be non-empty text")
    if expected_policy is not None and policy != expected_policy:
        raise r.fail("policy", f"{policy!r} does not match the file name {expected_policy!r}")
    if not isinstance(version, str) or not version.strip():
        raise r.fail("version", "must be non-empty text")
    facility = r.section(raw, "facility")
    first = r.section(raw, "first_signing")
    change = r.section(raw, "change")
    reselection = r.section(raw, "reselection")
    default = r.section(raw, "default")
    rules = SigningRules(
        policy=policy,
        version=version,
        roles=r.roles(facility, "facility.roles"),
        station_integrated=r.flag(facility, "facility.station_integrated"),
        after_payment=r.required_flag(first, "first_signing.after_payment"),
        relocation_from_next_year=r.flag(first, "first_signing.relocation_from_next_year"),
        one_per_year=r.required_flag(change, "change.one_per_year"),
        address_change=r.choice(change, "change.address_change", AddressChange),
        address_proof_required=r.flag(change, "change.address_proof_required"),
        facility_closed=r.choice(change, "change.facility_closed", ClosedFacility),
        reselection_months=r.months(reselection, "reselection.months"),
        reselection_when_paying=r.required_flag(reselection, "reselection.when_paying"),
        renews_automatically=r.required_flag(reselection, "reselection.renews_automatically"),
        default_to_residence=r.required_flag(default, "default.to_residence"),
        file=path,
    )
    if rules.default_to_residence.value and len(rules.roles.value) != 1:
        raise r.fail("default.to_residence", "a default facility needs a policy that signs exactly one role")
    return rules


def _read(path: Path, label: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise SigningFileError(label, "(file)", f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise SigningFileError(label, "(file)", f"cannot be read: {exc.strerror}") from None


def load_signing_rules(directories: Iterable[Path | str] = ()) -> SigningRulebook:
    """Read the shipped ``resources/signing/*.toml``, then each directory's ``*.toml``."""
    found: list[SigningRules] = []
    shipped = resources.files("resources").joinpath("signing")
    for entry in sorted(shipped.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            label = f"resources/signing/{entry.name}"
            found.append(parse_signing(_read(Path(str(entry)), label), label, entry.name.removesuffix(".toml")))
    for directory in directories:
        for path in sorted(Path(directory).glob("*.toml")):
            found.append(parse_signing(_read(path, str(path)), str(path), path.stem))
    return SigningRulebook(found)


@cache
def default_signing_rules() -> SigningRulebook:
    return load_signing_rules()
