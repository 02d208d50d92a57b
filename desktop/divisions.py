"""Administrative division codes (GB/T 2260), as the agency's insuplc_admdvs and mdtrtarea_admvs carry them.

Six digits: two for the province, two for the city, two for the county; a level left as
``00`` names the whole division above it (360000 江西省, 360100 南昌市, 360121 南昌县).
No database and no Qt: the counter and the sandbox agency work out the same answers here.
"""

from __future__ import annotations

import re

from desktop.policy.parameters import PoolingLevel

_DIVISION = re.compile(r"[1-9][0-9]{5}")


def is_division(code: str) -> bool:
    return _DIVISION.fullmatch(code) is not None


def division_prefix(code: str) -> str:
    """The digits that name the division: 360000 → 36, 360100 → 3601, 360121 → 360121."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def in_pooling_area(insured_area: str, care_area: str, pooling: PoolingLevel | None) -> bool | None:
    """Whether care at ``care_area`` is inside the pooling area of a person insured at ``insured_area``;
    None when that cannot be told (a code that is no division, or a policy naming no pooling level)."""
    if pooling is None or not is_division(insured_area) or not is_division(care_area):
        return None
    digits = pooling.digits
    return insured_area[:digits] == care_area[:digits]


def covers(place: str, division: str) -> bool:
    """Whether ``division`` lies in ``place`` (a province, city or county code)."""
    return division.startswith(division_prefix(place))
