"""Policy parameters as dated data, one TOML file per policy version.

Every figure is a table ``{ value = …, article = "第…条" }`` so that the engine can
cite the article it applied; the product's readings where a document leaves room carry
a ``decision`` beside the figure. The book picks the version in force on a visit's date.
A county adds its own file (``extends = "hunan-resident"``) without touching code; where
the base marks its rates as floors, the county may raise them but not lower them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any, Generic, TypeVar

from desktop.input_error import show
from desktop.policy.fund_rules import FundRules, read_fund
from desktop.policy.types import Category, FacilityKind

T = TypeVar("T")

POLICY_DIRS_ENV = "CLINIC_POS_POLICY_DIRS"
ANY_KIND = "*"
_RATE = re.compile(r"(?:0\.[0-9]{2}|1\.00)")
_MONEY = re.compile(r"[0-9]{1,9}\.[0-9]{2}")


class Scheme(StrEnum):
    RESIDENT = "resident"
    EMPLOYEE = "employee"


class RetirementTiming(StrEnum):
    SAME_MONTH = "same_month"
    NEXT_MONTH = "next_month"


class PoolingLevel(StrEnum):
    """How much of an administrative division code (GB/T 2260: 2 digits province, 2 city, 2 county)
    names the pooling area (统筹地区) a policy covers."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"

    @property
    def digits(self) -> int:
        return {"province": 2, "city": 4, "county": 6}[self.value]


class Standing(StrEnum):
    """Whose benefit table applies: residents have one; employees two."""

    RESIDENT = "resident"
    ACTIVE = "active"
    RETIRED = "retired"


class PolicyFileError(ValueError):
    """A policy file that cannot be used: names the file, the key and what is wrong."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        super().__init__(f"{path}: {key}: {problem}")
        self.path = path
        self.key = key
        self.problem = problem


class UnknownPolicyError(LookupError):
    def __init__(self, policy: str, known: Iterable[str]) -> None:
        names = ", ".join(sorted(known))
        super().__init__(f"unknown policy {show(policy)}; known policies: {names}")
        self.policy = policy


class NotInForceError(LookupError):
    def __init__(self, policy: str, date: dt.date, spans: str) -> None:
        super().__init__(f"policy {policy!r} is not in force on {date.isoformat()} (in force: {spans})")
        self.policy = policy
        self.date = date


@dataclass(frozen=True, slots=True)
class Figure(Generic[T]):
    """One parameter value and the article it comes from."""

    value: T
    article: str
    decision: str | None = None


@dataclass(frozen=True, slots=True)
class ReferralScope:
    """What part of a referral bill is in scope (洪府厅发〔2019〕102号 第十二条（三）)."""

    kinds: frozenset[str]
    class_a_kinds: frozenset[str]


@dataclass(frozen=True, slots=True)
class Benefit:
    rates: Figure[Mapping[str, Decimal]]
    deductible: Figure[Decimal] | None = None
    cap: Figure[Decimal] | None = None
    out_of_city_cap: Figure[Decimal] | None = None
    pharmacy_rate: Figure[Decimal] | None = None
    referral_rate: Figure[Decimal] | None = None
    emergency_rate: Figure[Decimal] | None = None
    poverty_rate: Figure[Decimal] | None = None
    family_doctor_bonus: Figure[Decimal] | None = None
    rates_are_floors: Figure[bool] | None = None


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    policy: str
    version: str
    title: str
    scheme: Scheme
    effective_from: Figure[dt.date]
    effective_until: dt.date | None
    benefits: Mapping[Standing, Benefit]
    excluded_categories: Figure[frozenset[str]] | None = None
    newborn_backdate_months: Figure[int] | None = None
    village_counts_as_parent: Figure[bool] | None = None
    referral_kinds: Figure[frozenset[str]] | None = None
    referral_in_city_only: Figure[bool] | None = None
    emergency_elsewhere: Figure[bool] | None = None
    referral_scope: Figure[ReferralScope] | None = None
    consultation_fee_standard: Figure[Mapping[str, Decimal]] | None = None
    consultation_fee_outside_cap: Figure[bool] | None = None
    retirement_takes_effect: Figure[RetirementTiming] | None = None
    pooling_area: Figure[PoolingLevel] | None = None
    out_of_area_filing_required: Figure[bool] | None = None
    account_article: str | None = None
    exclusion_articles: Mapping[str, str] = field(default_factory=dict)
    fund: FundRules | None = None  # the capitation fund's figures (resident schemes; desktop.fund)
    file: str = ""

    def in_force(self, date: dt.date) -> bool:
        if date < self.effective_from.value:
            return False
        return self.effective_until is None or date <= self.effective_until

    def span(self) -> str:
        until = self.effective_until.isoformat() if self.effective_until else "…"
        return f"{self.effective_from.value.isoformat()}–{until}"


# --- reading one file -------------------------------------------------------------


class _Reader:
    """Checks a parsed TOML table key by key, naming the file and key on any fault."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> PolicyFileError:
        return PolicyFileError(self.path, key, problem)

    def table(self, raw: Mapping[str, Any], key: str, allowed: Iterable[str]) -> Mapping[str, Any]:
        value = raw.get(key.rsplit(".", 1)[-1], {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", f"unknown key; expected one of {sorted(allowed)}")
        return value

    def text(self, raw: Mapping[str, Any], key: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be non-empty text")
        return value

    def figure(
        self,
        raw: Mapping[str, Any],
        section: str,
        key: str,
        convert: Callable[[str, Any], T],
        *,
        required: bool = False,
    ) -> Figure[T] | None:
        dotted = f"{section}.{key}" if section else key
        if key not in raw:
            if required:
                raise self.fail(dotted, "is required")
            return None
        entry = raw[key]
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
        return Figure(convert(f"{dotted}.value", entry["value"]), article, decision)

    # converters -------------------------------------------------------------

    def rate(self, key: str, value: Any) -> Decimal:
        if not isinstance(value, str) or _RATE.fullmatch(value) is None:
            raise self.fail(key, f'{value!r} is not a rate like "0.60" (two decimals, 0 to 1)')
        return Decimal(value)

    def money(self, key: str, value: Any) -> Decimal:
        if not isinstance(value, str) or _MONEY.fullmatch(value) is None:
            raise self.fail(key, f'{value!r} is not an amount like "300.00"')
        return Decimal(value)

    def boolean(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"{value!r} is not true or false")
        return value

    def months(self, key: str, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 24:
            raise self.fail(key, f"{value!r} is not a number of months from 1 to 24")
        return value

    def date(self, key: str, value: Any) -> dt.date:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise self.fail(key, f"{value!r} is not a date (write it bare: 2023-01-01)")
        return value

    def kinds(self, key: str, value: Any) -> frozenset[str]:
        allowed = {k.value for k in FacilityKind} | {ANY_KIND}
        return self._names(key, value, allowed)

    def item_kinds(self, key: str, value: Any) -> frozenset[str]:
        from desktop.policy.types import ItemKind

        return self._names(key, value, {k.value for k in ItemKind})

    def categories(self, key: str, value: Any) -> frozenset[str]:
        return self._names(key, value, {c.value for c in Category})

    def _names(self, key: str, value: Any, allowed: set[str]) -> frozenset[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of names")
        for name in value:
            if name not in allowed:
                raise self.fail(key, f"unknown name {name!r}; expected one of {sorted(allowed)}")
        return frozenset(value)

    def rate_table(self, key: str, value: Any, scheme: Scheme) -> Mapping[str, Decimal]:
        if not isinstance(value, dict) or not value:
            raise self.fail(key, "must be a non-empty table of rates")
        allowed = {"1", "2", "3"} if scheme is Scheme.EMPLOYEE else ({k.value for k in FacilityKind} | {ANY_KIND})
        what = "hospital level" if scheme is Scheme.EMPLOYEE else "facility kind"
        table: dict[str, Decimal] = {}
        for name, rate in value.items():
            if name not in allowed:
                raise self.fail(f"{key}.{name}", f"unknown {what}; expected one of {sorted(allowed)}")
            table[name] = self.rate(f"{key}.{name}", rate)
        return table

    def fee_table(self, key: str, value: Any) -> Mapping[str, Decimal]:
        if not isinstance(value, dict) or not value:
            raise self.fail(key, "must be a non-empty table of amounts by facility kind")
        allowed = {k.value for k in FacilityKind}
        table: dict[str, Decimal] = {}
        for name, fee in value.items():
            if name not in allowed:
                raise self.fail(f"{key}.{name}", f"unknown facility kind; expected one of {sorted(allowed)}")
            table[name] = self.money(f"{key}.{name}", fee)
        return table

    def referral_scope(self, key: str, value: Any) -> ReferralScope:
        if not isinstance(value, dict) or set(value) - {"kinds", "class_a_kinds"}:
            raise self.fail(key, "must be a table with kinds and class_a_kinds")
        return ReferralScope(
            self.item_kinds(f"{key}.kinds", value.get("kinds", [])),
            self.item_kinds(f"{key}.class_a_kinds", value.get("class_a_kinds", [])),
        )

    def pooling(self, key: str, value: Any) -> PoolingLevel:
        try:
            return PoolingLevel(value)
        except ValueError:
            raise self.fail(key, f"{value!r} is not one of province, city, county") from None

    def timing(self, key: str, value: Any) -> RetirementTiming:
        try:
            return RetirementTiming(value)
        except ValueError:
            raise self.fail(key, f"{value!r} is not one of same_month, next_month") from None


_TOP_KEYS = {
    "policy",
    "version",
    "title",
    "scheme",
    "extends",
    "effective_from",
    "effective_until",
    "eligibility",
    "signing",
    "scope",
    "benefit",
    "retirement",
    "account",
    "area",
    "exclusion_articles",
    "fund",
}
_BENEFIT_KEYS = {
    "rates",
    "deductible",
    "cap",
    "out_of_city_cap",
    "pharmacy_rate",
    "referral_rate",
    "emergency_rate",
    "poverty_rate",
    "family_doctor_bonus",
    "rates_are_floors",
}


def parse_policy(raw: Mapping[str, Any], path: str) -> PolicyVersion:
    """Turn one parsed file (already merged over its base) into a checked version."""
    r = _Reader(path)
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise r.fail(unknown[0], f"unknown key; expected one of {sorted(_TOP_KEYS)}")
    policy = r.text(raw, "policy")
    if re.fullmatch(r"[a-z][a-z0-9-]*", policy) is None:
        raise r.fail("policy", f"{policy!r} must be lower-case letters, digits and hyphens")
    try:
        scheme = Scheme(str(raw.get("scheme")))
    except ValueError:
        raise r.fail("scheme", f"{raw.get('scheme')!r} is not resident or employee") from None
    effective_from = r.figure(raw, "", "effective_from", r.date, required=True)
    assert effective_from is not None
    until_raw = raw.get("effective_until")
    until = None if until_raw is None else r.date("effective_until", until_raw)
    if until is not None and until < effective_from.value:
        raise r.fail("effective_until", "is before effective_from")
    eligibility = r.table(raw, "eligibility", {"excluded_categories", "newborn_backdate_months"})
    signing = r.table(
        raw, "signing", {"village_counts_as_parent", "referral_kinds", "referral_in_city_only", "emergency_elsewhere"}
    )
    scope = r.table(raw, "scope", {"referral_scope", "consultation_fee_standard", "consultation_fee_outside_cap"})
    retirement = r.table(raw, "retirement", {"takes_effect"})
    area = r.table(raw, "area", {"pooling", "filing_required"})
    account = r.table(raw, "account", {"pays_rest"})
    if scheme is Scheme.RESIDENT and (retirement or account):
        raise r.fail(
            "retirement" if retirement else "account", "resident schemes have no retirement or personal account"
        )
    if scheme is Scheme.EMPLOYEE and signing:
        raise r.fail("signing", "employee schemes cover designated facilities with no signing")
    if scheme is Scheme.EMPLOYEE and "fund" in raw:
        raise r.fail("fund", "employee schemes have no capitation fund; it belongs to a resident scheme")
    pays_rest = r.figure(account, "account", "pays_rest", r.boolean)
    timing = r.figure(retirement, "retirement", "takes_effect", r.timing, required=scheme is Scheme.EMPLOYEE)
    return PolicyVersion(
        policy=policy,
        version=r.text(raw, "version"),
        title=r.text(raw, "title"),
        scheme=scheme,
        effective_from=effective_from,
        effective_until=until,
        benefits=_benefits(r, raw, scheme),
        excluded_categories=r.figure(eligibility, "eligibility", "excluded_categories", r.categories),
        newborn_backdate_months=r.figure(eligibility, "eligibility", "newborn_backdate_months", r.months),
        village_counts_as_parent=r.figure(signing, "signing", "village_counts_as_parent", r.boolean),
        referral_kinds=r.figure(signing, "signing", "referral_kinds", r.kinds),
        referral_in_city_only=r.figure(signing, "signing", "referral_in_city_only", r.boolean),
        emergency_elsewhere=r.figure(signing, "signing", "emergency_elsewhere", r.boolean),
        referral_scope=r.figure(scope, "scope", "referral_scope", r.referral_scope),
        consultation_fee_standard=r.figure(scope, "scope", "consultation_fee_standard", r.fee_table),
        consultation_fee_outside_cap=r.figure(scope, "scope", "consultation_fee_outside_cap", r.boolean),
        retirement_takes_effect=timing,
        pooling_area=r.figure(area, "area", "pooling", r.pooling),
        out_of_area_filing_required=r.figure(area, "area", "filing_required", r.boolean),
        account_article=pays_rest.article if pays_rest is not None and pays_rest.value else None,
        exclusion_articles=_exclusion_articles(r, raw),
        fund=read_fund(r, raw),
        file=path,
    )


def _exclusion_articles(r: _Reader, raw: Mapping[str, Any]) -> dict[str, str]:
    """Which article refuses a visit for each reason, so the clerk can cite it."""
    from desktop.policy.types import Reason

    table = r.table(raw, "exclusion_articles", {reason.value for reason in Reason})
    for key, article in table.items():
        if not isinstance(article, str) or not article.strip():
            raise r.fail(f"exclusion_articles.{key}", 'must be the article\'s text, like "第十三条（四）"')
    return dict(table)


def _benefits(r: _Reader, raw: Mapping[str, Any], scheme: Scheme) -> dict[Standing, Benefit]:
    section = raw.get("benefit")
    if not isinstance(section, dict):
        raise r.fail("benefit", "is required and must be a table")
    if scheme is Scheme.RESIDENT:
        return {Standing.RESIDENT: _benefit(r, section, "benefit", scheme)}
    missing = [s for s in ("active", "retired") if s not in section]
    if missing:
        raise r.fail(f"benefit.{missing[0]}", "is required for an employee scheme")
    extra = sorted(set(section) - {"active", "retired"})
    if extra:
        raise r.fail(f"benefit.{extra[0]}", "unknown standing; expected active or retired")
    return {
        Standing(name): _benefit(r, r.table(section, f"benefit.{name}", _BENEFIT_KEYS), f"benefit.{name}", scheme)
        for name in ("active", "retired")
    }


def _benefit(r: _Reader, raw: Mapping[str, Any], section: str, scheme: Scheme) -> Benefit:
    extra = sorted(set(raw) - _BENEFIT_KEYS)
    if extra:
        raise r.fail(f"{section}.{extra[0]}", f"unknown key; expected one of {sorted(_BENEFIT_KEYS)}")
    rates = r.figure(raw, section, "rates", lambda k, v: r.rate_table(k, v, scheme), required=True)
    assert rates is not None
    return Benefit(
        rates=rates,
        deductible=r.figure(raw, section, "deductible", r.money),
        cap=r.figure(raw, section, "cap", r.money),
        out_of_city_cap=r.figure(raw, section, "out_of_city_cap", r.money),
        pharmacy_rate=r.figure(raw, section, "pharmacy_rate", r.rate),
        referral_rate=r.figure(raw, section, "referral_rate", r.rate),
        emergency_rate=r.figure(raw, section, "emergency_rate", r.rate),
        poverty_rate=r.figure(raw, section, "poverty_rate", r.rate),
        family_doctor_bonus=r.figure(raw, section, "family_doctor_bonus", r.rate),
        rates_are_floors=r.figure(raw, section, "rates_are_floors", r.boolean),
    )


# --- the book of all versions -----------------------------------------------------


class PolicyBook:
    """Every known version of every policy; answers which one is in force on a day."""

    def __init__(self, versions: Iterable[PolicyVersion]) -> None:
        self._by_policy: dict[str, list[PolicyVersion]] = {}
        # The version found for each (policy, day) asked: a batch asks about a few policies on
        # a few hundred days, again and again. The versions never change once the book is made.
        self._in_force: dict[tuple[str, dt.date], PolicyVersion] = {}
        for version in versions:
            self._by_policy.setdefault(version.policy, []).append(version)
        for policy, found in self._by_policy.items():
            found.sort(key=lambda v: v.effective_from.value)
            for earlier, later in pairwise(found):
                if earlier.effective_until is None or earlier.effective_until >= later.effective_from.value:
                    raise PolicyFileError(
                        later.file or policy,
                        "effective_from",
                        f"overlaps {earlier.version} of {policy!r} ({earlier.span()}); "
                        "give the earlier version an effective_until",
                    )

    @property
    def policies(self) -> list[str]:
        return sorted(self._by_policy)

    def versions(self, policy: str) -> list[PolicyVersion]:
        if policy not in self._by_policy:
            raise UnknownPolicyError(policy, self._by_policy)
        return list(self._by_policy[policy])

    def version_for(self, policy: str, date: dt.date) -> PolicyVersion:
        found = self._in_force.get((policy, date))
        if found is not None:
            return found
        versions = self._by_policy.get(policy)
        if versions is None:
            raise UnknownPolicyError(policy, self._by_policy)
        for version in reversed(versions):
            if version.in_force(date):
                if len(self._in_force) >= 65536:  # a batch over many years: start afresh
                    self._in_force.clear()
                self._in_force[policy, date] = version
                return version
        raise NotInForceError(policy, date, ", ".join(v.span() for v in versions))


def _read_toml(path: Path, label: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(label, "(file)", f"not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise PolicyFileError(label, "(file)", f"not UTF-8 text (byte {exc.start}): save it as UTF-8") from None
    except OSError as exc:
        raise PolicyFileError(label, "(file)", f"cannot be read: {exc.strerror}") from None


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """A county file's figures replace the base's key by key; a figure replaces whole."""
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        is_figure = isinstance(value, dict) and "value" in value
        if isinstance(old, dict) and isinstance(value, dict) and not is_figure and "value" not in old:
            merged[key] = _merge(old, value)
        else:
            merged[key] = value
    return merged


def _check_floors(county: PolicyVersion, base: PolicyVersion, label: str) -> None:
    for standing, floor in base.benefits.items():
        if floor.rates_are_floors is None or not floor.rates_are_floors.value:
            continue
        rates = county.benefits[standing].rates.value
        for kind, minimum in floor.rates.value.items():
            # A county's rate table replaces the province's whole, so it must give every kind
            # the province sets a floor for: one left out would no longer be paid at all.
            rate = rates.get(kind, rates.get(ANY_KIND))
            where = f"benefit.rates.value.{kind if kind in rates or ANY_KIND not in rates else ANY_KIND}"
            if rate is None:
                raise PolicyFileError(
                    label,
                    where,
                    f"is missing: {base.version} {floor.rates_are_floors.article} sets a floor of {minimum} "
                    f"for {kind}; give its rate (at least {minimum})",
                )
            if rate < minimum:
                raise PolicyFileError(
                    label,
                    where,
                    f"{rate} is below the floor {minimum} set by {base.version} {floor.rates_are_floors.article}",
                )


def load_book(directories: Iterable[Path | str] = ()) -> PolicyBook:
    """Read the shipped policies, then each directory's ``*.toml`` (county files)."""
    raw_files: list[tuple[str, dict[str, Any]]] = []
    shipped = resources.files("resources").joinpath("policies")
    for entry in sorted(shipped.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            raw_files.append((f"resources/policies/{entry.name}", _read_toml(Path(str(entry)), entry.name)))
    for directory in directories:
        for path in sorted(Path(directory).glob("*.toml")):
            raw_files.append((str(path), _read_toml(path, str(path))))
    return _build(raw_files)


def _build(raw_files: list[tuple[str, dict[str, Any]]]) -> PolicyBook:
    bases = [(label, raw) for label, raw in raw_files if "extends" not in raw]
    versions = [parse_policy(raw, label) for label, raw in bases]
    base_book = PolicyBook(versions)
    for label, raw in raw_files:
        if "extends" not in raw:
            continue
        parent_name = raw["extends"]
        if not isinstance(parent_name, str):
            raise PolicyFileError(label, "extends", "must name a policy")
        probe = _Reader(label).figure(raw, "", "effective_from", _Reader(label).date, required=True)
        assert probe is not None
        try:
            parent = base_book.version_for(parent_name, probe.value)
        except LookupError as exc:
            raise PolicyFileError(label, "extends", str(exc)) from None
        parent_raw = next(r for lbl, r in bases if lbl == parent.file)
        merged = _merge({k: v for k, v in parent_raw.items() if k != "effective_until"}, raw)
        merged.pop("extends")
        county = parse_policy(merged, label)
        _check_floors(county, parent, label)
        versions.append(county)
    return PolicyBook(versions)


def downloaded_policy_dir() -> Path:
    """Where this machine keeps the policy files downloaded from the agency (``desktop.sync.policies``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("clinic-pos", appauthor=False)) / "policies"


@cache
def default_book() -> PolicyBook:
    """The shipped policies, those downloaded from the agency, and any county directories
    named in the environment."""
    downloaded = downloaded_policy_dir()
    extra = [d for d in os.environ.get(POLICY_DIRS_ENV, "").split(os.pathsep) if d]
    return load_book([downloaded, *extra] if downloaded.is_dir() else extra)
