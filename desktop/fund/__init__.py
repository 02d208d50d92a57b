"""The capitation fund: a facility's outpatient pooling budget for a year (shared/spec/fund-contract.md).

A pure function like the quote: ``fund(FundRequest) -> FundPosition``, with every figure
from the policy files' ``[fund]`` sections. ``desktop.fund.from_store`` makes its input
from the clinic's records.
"""

from desktop.fund.engine import fund, version_for_year
from desktop.fund.types import (
    EndKind,
    FundMonth,
    FundPosition,
    FundRequest,
    GroupLine,
    Projection,
    Quarter,
    SigningSpan,
    StartKind,
    YearEnd,
)

__all__ = [
    "EndKind",
    "FundMonth",
    "FundPosition",
    "FundRequest",
    "GroupLine",
    "Projection",
    "Quarter",
    "SigningSpan",
    "StartKind",
    "YearEnd",
    "fund",
    "version_for_year",
]
