"""The words a clerk reads to the patient: facility kinds, roles, dates and re-selection windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from desktop.policy.types import FacilityKind
from desktop.signing.types import Role

KIND_NAMES = {
    FacilityKind.VILLAGE_CLINIC: "村卫生室（卫生站）",
    FacilityKind.TOWNSHIP_HEALTH_CENTER: "乡镇卫生院",
    FacilityKind.COMMUNITY_HEALTH_CENTER: "社区卫生服务中心",
    FacilityKind.SCHOOL_CLINIC: "校医院",
    FacilityKind.COUNTY_TCM_HOSPITAL: "县级中医医院",
    FacilityKind.HOSPITAL: "医院",
    FacilityKind.PHARMACY: "定点零售药店",
}
ROLE_NAMES = {
    Role.SINGLE: "门诊统筹签约机构",
    Role.BASIC: "基层医疗机构",
    Role.VILLAGE_STATION: "一体化卫生站",
}
_KIND_ORDER = list(FacilityKind)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def kinds_text(kinds: Iterable[FacilityKind]) -> str:
    return "、".join(KIND_NAMES[k] for k in sorted(kinds, key=_KIND_ORDER.index))


def window_text(months: Iterable[int]) -> str:
    """ "10月至12月" for a run of months, "1月、3月" otherwise; all twelve read as any month."""
    ordered = sorted(set(months))
    if len(ordered) == 12:
        return "任何月份"
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 1:
        return f"{ordered[0]}月至{ordered[-1]}月"
    return "、".join(f"{m}月" for m in ordered)


def join_articles(*articles: str) -> str:
    """Cite each article once, in the order given."""
    return "、".join(dict.fromkeys(a for a in articles if a))
