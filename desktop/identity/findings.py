"""Refusals and warnings of an identity check: a stable code, and words the clerk can say.

A refusal means the pooling fund will not pay for this visit here (the patient may still
be seen and pay themselves); a warning is something to check or to tell the patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from desktop.money import format_amount


class Severity(StrEnum):
    REFUSAL = "refusal"
    WARNING = "warning"


class FindingCode(StrEnum):
    NOT_ON_ROSTER = "not_on_roster"
    CARD_INVALID = "card_invalid"
    CARD_HOLDER_MISMATCH = "card_holder_mismatch"
    CARD_NOT_ON_ROSTER = "card_not_on_roster"
    POLICY_NOT_IN_FORCE = "policy_not_in_force"
    NOT_INSURED = "not_insured"
    BENEFIT_SUSPENDED = "benefit_suspended"
    EXCLUDED_CATEGORY = "excluded_category"
    FACILITY_SUSPENDED = "facility_suspended"
    NOT_DESIGNATED_EMPLOYEE = "not_designated_employee"
    NOT_DESIGNATED_RESIDENT = "not_designated_resident"
    NOT_SIGNED = "not_signed"
    SIGNED_ELSEWHERE = "signed_elsewhere"
    SIGNING_UNREADABLE = "signing_unreadable"
    CAP_REACHED = "cap_reached"
    OUT_OF_AREA_NOT_FILED = "out_of_area_not_filed"
    OUT_OF_AREA_FILED = "out_of_area_filed"
    OUT_OF_AREA = "out_of_area"
    INSURED_AREA_UNKNOWN = "insured_area_unknown"
    ROSTER_STALE = "roster_stale"


@dataclass(frozen=True, slots=True)
class Finding:
    code: FindingCode
    severity: Severity
    reason: str  # plain Chinese, to be read to the patient
    article: str | None = None  # the policy article behind a refusal, where the policy file names one
    english: str = ""  # the same, for a counter run in English

    def said_in(self, chinese: bool) -> str:
        return self.reason if chinese or not self.english else self.english


def refusal(code: FindingCode, reason: str, english: str, article: str | None = None) -> Finding:
    return Finding(code, Severity.REFUSAL, reason, article, english)


def warning(code: FindingCode, reason: str, english: str, article: str | None = None) -> Finding:
    return Finding(code, Severity.WARNING, reason, article, english)


# --- the words --------------------------------------------------------------------

# What was read, in the English sentences: the callers name it in Chinese.
_ENGLISH_THING = {"社保卡": "social security card", "身份证号": "ID number", "医保电子凭证": "e-voucher"}


def not_on_roster(what: str) -> Finding:
    return refusal(
        FindingCode.NOT_ON_ROSTER,
        f"本地参保名册中查不到这个{what}。如刚参保或刚换卡，请联网查询或到医保经办机构核实；本次可先自费就诊。",
        f"This {_ENGLISH_THING.get(what, what)} is not on the local roster. If the patient has just enrolled or "
        "changed cards, check online or with the agency; this visit can be self-pay.",
    )


def card_invalid(what: str) -> Finding:
    return refusal(
        FindingCode.CARD_INVALID,
        f"这张{what}已挂失或作废，不能使用。请出示新卡、医保电子凭证或身份证。",
        f"This {_ENGLISH_THING.get(what, what)} was reported lost or cancelled and cannot be used. "
        "Ask for the new card, the e-voucher or the ID card.",
    )


def card_holder_mismatch() -> Finding:
    return refusal(
        FindingCode.CARD_HOLDER_MISMATCH,
        "卡内的身份证号与名册登记的持卡人不一致，请核对是否本人的卡。",
        "The ID number on the card is not the card holder's on the roster: check that the card is the patient's own.",
    )


def card_not_on_roster() -> Finding:
    return warning(
        FindingCode.CARD_NOT_ON_ROSTER,
        "这张社保卡未在本地名册登记，已按卡内身份证号找到参保人，请核对是否本人。",
        "This card is not on the local roster; the insured person was found by the ID number on it. "
        "Check that it is the patient.",
    )


def policy_not_in_force(policy: str) -> Finding:
    return refusal(
        FindingCode.POLICY_NOT_IN_FORCE,
        f"名册登记的参保政策（{policy}）在就诊日不适用，请联系医保经办机构核实。",
        f"The policy on the roster ({policy}) is not in force on the visit date; check with the agency.",
    )


def not_insured(year: int) -> Finding:
    return refusal(
        FindingCode.NOT_INSURED,
        f"{year}年度未参保缴费，本次就诊不能报销，需全部自费。",
        f"Not insured for {year} (contribution not paid): nothing is reimbursed, the patient pays it all.",
    )


def benefit_suspended(article: str | None) -> Finding:
    return refusal(
        FindingCode.BENEFIT_SUSPENDED,
        "医保待遇已暂停，本次就诊不能报销。请到医保经办机构办理恢复。",
        "Benefits are suspended: nothing is reimbursed for this visit. The agency can restore them.",
        article,
    )


def excluded_category(category: str, article: str | None) -> Finding:
    who = {"university_student": "在校大学生", "newborn": "新生儿"}.get(category, category)
    english = {"university_student": "University students", "newborn": "Newborns"}.get(category, category)
    return refusal(
        FindingCode.EXCLUDED_CATEGORY,
        f"{who}不享受本地普通门诊统筹待遇，本次就诊需自费。",
        f"{english} are not covered by the local outpatient pool: this visit is self-pay.",
        article,
    )


def facility_suspended(facility: str) -> Finding:
    return refusal(
        FindingCode.FACILITY_SUSPENDED,
        f"{facility}的医保服务已暂停，暂不能医保结算。",
        f"Insurance service at {facility} is suspended: nothing can be settled on insurance for now.",
    )


def not_designated_employee(facility: str, article: str | None) -> Finding:
    return refusal(
        FindingCode.NOT_DESIGNATED_EMPLOYEE,
        f"{facility}不是职工医保门诊统筹定点机构，职工在这里就诊统筹基金不支付。",
        f"{facility} is not designated for employees' outpatient pooling: the fund pays nothing for employees here.",
        article,
    )


def not_designated_resident(facility: str, article: str | None) -> Finding:
    return refusal(
        FindingCode.NOT_DESIGNATED_RESIDENT,
        f"{facility}不是城乡居民医保门诊统筹定点机构，统筹基金不支付。",
        f"{facility} is not designated for residents' outpatient pooling: the fund pays nothing here.",
        article,
    )


def not_signed(article: str | None) -> Finding:
    return refusal(
        FindingCode.NOT_SIGNED,
        "还没有签约门诊统筹定点机构，本次就诊统筹基金不支付。请先办理签约。",
        "Not yet signed with an outpatient pooling facility: the fund pays nothing for this visit. Sign first.",
        article,
    )


def signed_elsewhere(names: list[str], article: str | None) -> Finding:
    where = "、".join(names)
    return refusal(
        FindingCode.SIGNED_ELSEWHERE,
        f"签约机构是{where}，不是本机构；在这里就诊统筹基金不支付（转诊、急诊除外）。请到签约机构就诊。",
        f"Signed with {where}, not this facility: the fund pays nothing here (except referrals and emergencies). "
        "Please go to the signed facility.",
        article,
    )


def signing_unreadable() -> Finding:
    return refusal(
        FindingCode.SIGNING_UNREADABLE,
        "签约记录有冲突，暂时无法确定签约机构，请联系管理员核对名册；本次可先自费就诊。",
        "The signing records conflict, so the signed facility cannot be told: ask the administrator to check "
        "the roster; this visit can be self-pay.",
    )


def cap_reached(cap: Decimal, article: str | None) -> Finding:
    return warning(
        FindingCode.CAP_REACHED,
        f"今年统筹基金已支付到年度限额{format_amount(cap)}元，本次统筹基金不再支付。",
        f"The fund has paid this year's cap of {format_amount(cap)} yuan: it pays nothing more for this visit.",
        article,
    )


def out_of_area_not_filed(insured_area: str, article: str | None) -> Finding:
    return refusal(
        FindingCode.OUT_OF_AREA_NOT_FILED,
        f"参保地（{insured_area}）不在本统筹地区，名册上没有覆盖本机构所在地的异地安置或转诊备案，"
        "统筹基金不支付。患者带有备案表的，请点“录入异地备案”录入后再结算。",
        f"Insured in {insured_area}, outside this pooling area, with no relocation or referral filing for here "
        "on record: the pool pays nothing. If the patient brought a filing form, enter it first.",
        article,
    )


def out_of_area_filed(insured_area: str, filing: str, filing_english: str, article: str | None) -> Finding:
    return warning(
        FindingCode.OUT_OF_AREA_FILED,
        f"参保地（{insured_area}）不在本统筹地区，已办理{filing}，统筹基金按参保地政策支付。",
        f"Insured in {insured_area}, outside this pooling area, with {filing_english} on file: "
        "the pool pays as at home.",
        article,
    )


def out_of_area(insured_area: str, article: str | None) -> Finding:
    return warning(
        FindingCode.OUT_OF_AREA,
        f"参保地（{insured_area}）不在本统筹地区，按市外就医的规定结算。",
        f"Insured in {insured_area}, outside this pooling area: the rules for care away from home apply.",
        article,
    )


def insured_area_unknown(insured_area: str) -> Finding:
    return warning(
        FindingCode.INSURED_AREA_UNKNOWN,
        f"名册上的参保地区划（{insured_area or '空'}）不是有效代码，暂按本地参保处理；能联网时请重新核实。",
        f"The roster's insured area ({insured_area or 'empty'}) is no division code; treated as local for now. "
        "Check again when online.",
    )


def roster_stale(days: int) -> Finding:
    return warning(
        FindingCode.ROSTER_STALE,
        f"本地名册已有{days}天没有更新，参保和签约情况可能已变化；能联网时请重新核实。",
        f"The local roster was last updated {days} days ago; insurance and signing may have changed. "
        "Check again when online.",
    )
