"""3201 by the agency's own settlement time: visits uploaded weeks after their date balance on the
days the agency booked them; an agency that counts otherwise is shown beside the clinic's figures."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from db.models import Reconciliation
from db.session import Store
from desktop.agency.msgid import CHINA
from desktop.sandbox.server import SandboxServer
from desktop.sync import Relay
from tests.sync.helpers import FIRST_DAY, Visits


def test_late_uploads_balance_on_the_day_the_agency_booked_them(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    settled = visits.days(FIRST_DAY, 3, 3)  # visits of three November days, uploaded now
    report = relay.run()
    assert report.complete
    assert report.reconciliations
    assert all(r.matches for r in report.reconciliations), [r.agency_text for r in report.reconciliations]
    today = report.started_at.astimezone(CHINA).date()
    assert all(r.begin >= today > FIRST_DAY for r in report.reconciliations)  # the booking days, not the visits'
    assert sum(r.figures.count for r in report.reconciliations) == len(settled)


def test_an_agency_that_counts_by_visit_date_does_not_balance_and_its_figures_are_kept_beside_ours(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits
) -> None:
    visits.days(FIRST_DAY, 1, 4)
    httpx.post(f"{agency.url}/_admin/config", json={"reconcile_by": "visit_date"}).raise_for_status()
    report = relay.run()
    unbalanced = [r for r in report.reconciliations if not r.matches]
    assert unbalanced
    for result in unbalanced:
        assert result.agency is not None
        assert result.agency.fixmedins_setl_cnt == 0  # nothing of its visit-dated books falls on today
        assert result.figures.count > 0
        shown = result.as_json()
        assert shown["agency"] == {"count": 0, "medfee_sumamt": "0.00", "fund_pay_sumamt": "0.00", "acct_pay": "0.00"}
        assert shown["count"] == result.figures.count
    with store.reading() as session:
        kept = session.scalars(select(Reconciliation).where(Reconciliation.matches.is_(False))).all()
    assert {r.agency_count for r in kept} == {0}
    assert all(r.sent_count > 0 for r in kept)
