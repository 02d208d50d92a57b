"""Settling a visit and reversing a settlement, each in one database transaction."""

from desktop.settlement.draft import DiagnosisLine, DraftItem, SettlementError, UnconfirmedPriceError, VisitDraft
from desktop.settlement.service import SettledVisit, reverse, settle

__all__ = [
    "DiagnosisLine",
    "DraftItem",
    "SettledVisit",
    "SettlementError",
    "UnconfirmedPriceError",
    "VisitDraft",
    "reverse",
    "settle",
]
