"""Judge a requested signing or change: accepted from a date, or refused with the article that refuses it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from desktop.policy.parameters import PolicyBook, default_book
from desktop.signing.dates import first_of_next_month, new_year_after
from desktop.signing.in_force import rules_or_none, stored_on
from desktop.signing.rules import AddressChange, ClosedFacility, SigningRulebook, SigningRules
from desktop.signing.types import (
    ONE_DAY,
    ChangeRequest,
    Decision,
    Grounds,
    Origin,
    Role,
    SigningHistory,
    SigningInputError,
    SigningRecord,
)
from desktop.signing.wording import KIND_NAMES, ROLE_NAMES, chinese_date, join_articles, kinds_text, window_text


@dataclass(frozen=True, slots=True)
class _Accept:
    takes_effect: dt.date
    origin: Origin
    reason: str
    article: str


_Outcome = _Accept | Decision
_Handler = Callable[[SigningRules, SigningHistory, ChangeRequest], _Outcome]


def decide(
    policy: str,
    history: SigningHistory,
    request: ChangeRequest,
    *,
    rules: SigningRulebook | None = None,
    book: PolicyBook | None = None,
) -> Decision:
    """Whether ``request`` may be signed under ``policy``, from when, and which article says so."""
    found = rules_or_none(policy, rules, book)
    if found is None:
        return _employee_refusal(policy, book)
    if request.role not in found.roles.value:
        roles = ", ".join(repr(r.value) for r in found.roles.value)
        raise SigningInputError("request.role", f"{policy} signs in role {roles}, not {request.role.value!r}")
    refusal = _facility_refusal(found, request)
    if refusal is not None:
        return refusal
    outcome = _HANDLERS[request.grounds](found, history, request)
    if isinstance(outcome, Decision):
        return outcome
    return _same_facility_refusal(found, history, request, outcome.takes_effect) or _accepted(history, request, outcome)


def _employee_refusal(policy: str, book: PolicyBook | None) -> Decision:
    version = (book or default_book()).versions(policy)[-1]
    return Decision.refuse(
        "职工医保不实行签约管理，在定点医药机构就医即可", version.exclusion_articles.get("not_designated", "")
    )


def _facility_refusal(rules: SigningRules, request: ChangeRequest) -> Decision | None:
    allowed = rules.roles.value[request.role]
    if request.facility_kind not in allowed:
        return Decision.refuse(
            f"{KIND_NAMES[request.facility_kind]}不能作为{ROLE_NAMES[request.role]}；可选{kinds_text(allowed)}",
            rules.roles.article,
        )
    integrated = rules.station_integrated
    station = request.role is Role.VILLAGE_STATION and integrated is not None and integrated.value
    if station and request.facility_parent_id is None:
        assert integrated is not None
        return Decision.refuse(
            "该卫生站未与乡镇卫生院或社区卫生服务中心一体化建设，不能选定为一体化卫生站", integrated.article
        )
    return None


# --- the grounds ------------------------------------------------------------------


def _next_step(rules: SigningRules) -> str:
    window = window_text(rules.reselection_months.value)
    if window == "任何月份":
        return "可申请下一年度重新选定，自次年1月1日起生效"
    return f"可在每年{window}办理下一年度重新选定，自次年1月1日起生效"


def _current(rules: SigningRules, history: SigningHistory, request: ChangeRequest) -> SigningRecord | None:
    """The stored signing of the request's role in force on the day asked; a default does not count."""
    signed = stored_on(rules, history, request.role, request.requested_on)
    if signed is None or signed.origin is Origin.DEFAULTED:
        return None
    return signed.record


def _within_year(rules: SigningRules, request: ChangeRequest) -> _Outcome:
    """A change with no grounds the document names, while a signing is in force."""
    if rules.one_per_year.value:
        return Decision.refuse(f"同一自然年度内不得变更签约机构；{_next_step(rules)}", rules.one_per_year.article)
    day = request.requested_on
    return _Accept(day, Origin.CHOSEN, f"变更签约机构，自{chinese_date(day)}起生效", rules.one_per_year.article)


def _unpaid(rules: SigningRules, request: ChangeRequest) -> Decision | None:
    paid = request.contributions_paid_on
    if rules.after_payment.value and (paid is None or paid > request.requested_on):
        return Decision.refuse("须按规定缴纳城乡居民医保费后，再选定签约机构", rules.after_payment.article)
    return None


def _first_signing(rules: SigningRules, history: SigningHistory, request: ChangeRequest) -> _Outcome:
    if _current(rules, history, request) is not None:
        return _within_year(rules, request)
    unpaid = _unpaid(rules, request)
    if unpaid is not None:
        return unpaid
    day = request.requested_on
    return _Accept(day, Origin.CHOSEN, f"选定签约机构，自{chinese_date(day)}起生效", rules.after_payment.article)


def _relocation(rules: SigningRules, history: SigningHistory, request: ChangeRequest) -> _Outcome:
    filed = request.relocation_filed_on
    if filed is None:
        raise SigningInputError("request.relocation_filed_on", "is required when the grounds are relocation")
    if _current(rules, history, request) is not None:
        return _within_year(rules, request)
    unpaid = _unpaid(rules, request)
    if unpaid is not None:
        return unpaid
    next_year = rules.relocation_from_next_year
    if next_year is None or not next_year.value:
        return _first_signing(rules, history, request)
    day = max(request.requested_on, new_year_after(filed))
    return _Accept(
        day,
        Origin.CHOSEN,
        f"异地安置人员在本市选定签约机构，自备案次年起享受待遇，自{chinese_date(day)}起生效",
        join_articles(rules.after_payment.article, next_year.article),
    )


def _annual_reselection(rules: SigningRules, history: SigningHistory, request: ChangeRequest) -> _Outcome:  # noqa: ARG001
    day = request.requested_on
    when_paying = rules.reselection_when_paying
    paid = request.contributions_paid_on
    if when_paying.value and (paid is None or paid > day or paid.year != day.year):
        return Decision.refuse(
            "须在缴纳下一年度城乡居民医保费时选择门诊定点医疗服务机构；请先缴费", when_paying.article
        )
    months = rules.reselection_months
    if day.month not in months.value:
        return Decision.refuse(
            f"重新选定签约机构须在每年{window_text(months.value)}办理，自次年1月1日起生效；同一自然年度内不得变更",
            join_articles(rules.one_per_year.article, months.article),
        )
    start = new_year_after(day)
    return _Accept(
        start,
        Origin.CHOSEN,
        f"重新选定签约机构，自{chinese_date(start)}起生效；在此之前仍在原签约机构就诊",
        months.article,
    )


def _address_change(rules: SigningRules, history: SigningHistory, request: ChangeRequest) -> _Outcome:  # noqa: ARG001
    mode = rules.address_change
    if mode.value is AddressChange.NOT_ALLOWED:
        return Decision.refuse(f"签约机构原则上一年一定，住址改变不能在年度内变更；{_next_step(rules)}", mode.article)
    proof = rules.address_proof_required
    if proof is not None and proof.value and not request.address_proof:
        return Decision.refuse("因家庭住址改变变更签约机构，须提供房产证或房屋租赁证明等资料", proof.article)
    if mode.value is AddressChange.NEXT_MONTH:
        if request.confirmed_on is None:
            return Decision.refuse(
                "住址变更须经县（区）医疗保险经办机构登记确定，自确定后的次月1日起生效；目前尚未确定", mode.article
            )
        start = first_of_next_month(request.confirmed_on)
        reason = f"住址变更已于{chinese_date(request.confirmed_on)}确定，自{chinese_date(start)}起在新机构享受待遇"
        return _Accept(start, Origin.CHOSEN, reason, mode.article)
    start = request.confirmed_on or request.requested_on
    return _Accept(start, Origin.CHOSEN, f"因居住地迁移变更签约机构，自{chinese_date(start)}起生效", mode.article)


def _facility_closed(rules: SigningRules, history: SigningHistory, request: ChangeRequest) -> _Outcome:
    closed = rules.facility_closed
    if stored_on(rules, history, request.role, request.requested_on) is None:
        return Decision.refuse("当前没有签约机构，不属于签约机构暂停或终止的改签；请按首次签约办理", closed.article)
    if closed.value is ClosedFacility.CHOSEN_BY_RESIDENT:
        start = request.confirmed_on or request.requested_on
        reason = f"原签约机构暂停或终止服务，另选签约机构，自{chinese_date(start)}起生效"
        return _Accept(start, Origin.CHOSEN, reason, closed.article)
    if request.confirmed_on is None:
        return Decision.refuse(
            "原签约机构暂停或终止服务的，由县（区）医疗保险经办机构就近选定新机构并登记确定，自确定之日起生效；"
            "目前尚未确定",
            closed.article,
        )
    start = request.confirmed_on
    reason = f"原签约机构暂停或终止服务，经办机构就近选定新机构，自{chinese_date(start)}起生效"
    return _Accept(start, Origin.REASSIGNED, reason, closed.article)


def _personal_wish(rules: SigningRules, history: SigningHistory, request: ChangeRequest) -> _Outcome:
    if _current(rules, history, request) is None:
        return _first_signing(rules, history, request)
    return _within_year(rules, request)


_HANDLERS: dict[Grounds, _Handler] = {
    Grounds.FIRST_SIGNING: _first_signing,
    Grounds.RELOCATION: _relocation,
    Grounds.ANNUAL_RESELECTION: _annual_reselection,
    Grounds.ADDRESS_CHANGE: _address_change,
    Grounds.FACILITY_SUSPENDED: _facility_closed,
    Grounds.FACILITY_TERMINATED: _facility_closed,
    Grounds.PERSONAL_WISH: _personal_wish,
}


# --- the outcome ------------------------------------------------------------------


def _same_facility_refusal(
    rules: SigningRules, history: SigningHistory, request: ChangeRequest, start: dt.date
) -> Decision | None:
    signed = stored_on(rules, history, request.role, start)
    if signed is None or signed.facility_id != request.facility_id or signed.origin is Origin.DEFAULTED:
        return None
    assert signed.record is not None
    since = signed.record.effective_from
    if since > request.requested_on:
        return Decision.refuse(
            f"已办理选定该机构，自{chinese_date(since)}起生效，无需重复办理", rules.renews_automatically.article
        )
    return Decision.refuse(
        "已与该机构签约；未办理变更的视为继续选定原机构，无需办理", rules.renews_automatically.article
    )


def _accepted(history: SigningHistory, request: ChangeRequest, outcome: _Accept) -> Decision:
    record = SigningRecord(
        person=history.person,
        facility_id=request.facility_id,
        facility_kind=request.facility_kind,
        role=request.role,
        effective_from=outcome.takes_effect,
        origin=outcome.origin,
        family_doctor=request.family_doctor,
    )
    return Decision(
        accepted=True,
        reason=outcome.reason,
        article=outcome.article,
        takes_effect=outcome.takes_effect,
        record=record,
        closes=_closes(history, request.role, outcome.takes_effect),
    )


def _closes(history: SigningHistory, role: Role, start: dt.date) -> tuple[SigningRecord, ...]:
    """End what runs into ``start``; withdraw what was to begin on or after it (newest decision wins)."""
    closed: list[SigningRecord] = []
    for record in history.live(role):
        if record.effective_from >= start:
            closed.append(replace(record, effective_until=record.effective_from - ONE_DAY))
        elif record.effective_until is None or record.effective_until >= start:
            closed.append(replace(record, effective_until=start - ONE_DAY))
    return tuple(closed)
