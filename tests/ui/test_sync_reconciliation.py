"""The sync page shows a period the agency's books do not balance, the agency's figures beside the clinic's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from db.session import Store
from desktop.agency.replies import StatementFigures
from desktop.auth import SignedIn
from desktop.sync import SyncReport
from desktop.sync.reconcile import ClinicFigures, Group, Reconciled
from desktop.ui.sync_page import SyncPage

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def test_an_unbalanced_period_is_shown_with_both_sides(qtbot: Any, store: Store) -> None:
    page = SyncPage(store, SignedIn(2, "clerk", "王丽华", "clerk", "T01"), lambda: NOW)
    qtbot.addWidget(page)
    ours = ClinicFigures(12, 45_600, 20_000, 0, 20_000, 0, 0)
    theirs = StatementFigures(10, Decimal("380.00"), Decimal("170.00"), Decimal("0.00"))
    day = dt.date(2026, 11, 23)
    report = SyncReport(started_at=NOW, finished_at=NOW, ran_through=True)
    report.reconciliations = [
        Reconciled(Group("T01", "390", "360121"), day, day, ours, False, "不平", theirs),
        Reconciled(Group("V01", "390", "360121"), day, day, ours, True, "平", None),
    ]
    page.show_report(report)
    shown = page.reconciliation.text()
    assert "T01" in shown
    assert "V01" not in shown
    assert "本院 12 笔，456.00" in shown or "the clinic 12 settlements, 456.00" in shown
    assert "10" in shown
    assert "380.00" in shown  # the agency's, beside
