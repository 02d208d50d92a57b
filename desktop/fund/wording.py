"""The fund's bands and methods in the words of the documents, for reports and the page."""

from __future__ import annotations

from desktop.policy.fund_rules import FundMethod

BANDS = {
    "below_80": "低于预算的80%：据实结算",
    "80_to_90": "预算的80%（含）至90%：据实结算，另付预算内未使用部分的50%",
    "90_and_above": "预算的90%（含）以上：按预算额度结算，超支不予支付",
    "80_to_100": "预算的80%（含）至100%：节余部分奖励给医疗机构",
    "over_budget": "超过预算：超出部分不予补偿，由医疗机构承担",
}
LIMITS = {
    FundMethod.AGE_GROUPS: "月预结算额度",
    FundMethod.PER_HEAD_MONTHLY_ADVANCE: "月预付额",
    FundMethod.PER_HEAD_QUARTERLY_ADVANCE: "季度预拨",
}


def band_text(band: str | None) -> str:
    if band is None:
        return "不分档（结余滚存）"
    return BANDS.get(band, band)
