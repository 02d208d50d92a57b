"""3201: the agency's counts and sums per insurance and period against the clinic's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from desktop.agency import decode
from desktop.agency.messages import Reconciliation
from desktop.agency.msgid import CHINA
from desktop.agency.outpatient import CancelSettlement
from desktop.agency.replies import read_statement
from desktop.sandbox.server import SandboxServer
from tests.sandbox.helpers import EMPLOYEE, RESIDENT, TRAVELLER, VISIT_TIME, Clinic

# The agency books by its own clock (setl_time), today; the visits are dated in November.
_TODAY = dt.datetime.now(CHINA).date()
BOOKED = (_TODAY - dt.timedelta(days=1), _TODAY + dt.timedelta(days=1))
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def statement(
    clinic: Clinic,
    count: int,
    total: str,
    fund: str,
    account: str = "0.00",
    insutype: str = "390",
    division: str = "440200",
    refunds: str = "0",
    period: tuple[dt.date, dt.date] = BOOKED,
) -> Reconciliation:
    return Reconciliation(
        insutype,
        division,
        period[0],
        period[1],
        Decimal(total),
        Decimal(fund),
        Decimal(account),
        count,
        refd_setl_flag=refunds,
    )


def test_matching_figures_balance(clinic: Clinic, sandbox: SandboxServer) -> None:
    first = clinic.settle(RESIDENT, [("XA01", "2", "12.50")])
    second = clinic.settle(TRAVELLER, [("EA01", "1", "20.00"), ("XC01", "1", "68.00")])
    fund = first.fund_pay_sumamt + second.fund_pay_sumamt
    result = read_statement(clinic.send(statement(clinic, 2, "113.00", f"{fund}")))
    assert result.matches, result.stmt_rslt_dscr
    assert result.stmt_rslt_dscr.startswith("平")
    employees = clinic.settle(EMPLOYEE, [("XA01", "1", "12.50")], insutype="310", account=True, insuplc="360121")
    balanced = clinic.send(
        statement(clinic, 1, "12.50", f"{employees.fund_pay_sumamt}", f"{employees.acct_pay}", "310", "360121")
    )
    assert read_statement(balanced).matches


def test_mismatching_figures_say_which_differ(clinic: Clinic, sandbox: SandboxServer) -> None:
    clinic.settle(RESIDENT, [("XA01", "2", "12.50")])
    reply = clinic.send(statement(clinic, 2, "25.00", "17.50"))
    result = read_statement(reply)
    assert not result.matches
    assert result.stmt_rslt == "1"
    assert "fixmedins_setl_cnt 医保 1 / 机构 2" in result.stmt_rslt_dscr
    assert "medfee_sumamt" not in result.stmt_rslt_dscr
    assert reply.output["stmtdetail"]["fund_pay_sumamt"] == Decimal("17.50")


def test_a_cancelled_settlement_counts_only_with_refunds_included(clinic: Clinic, sandbox: SandboxServer) -> None:
    kept = clinic.settle(RESIDENT, [("XA01", "2", "12.50")])
    dropped = clinic.settle(TRAVELLER, [("EA01", "1", "20.00")])
    clinic.send(CancelSettlement(dropped.setl_id, dropped.mdtrt_id, TRAVELLER)).checked()
    fund = f"{kept.fund_pay_sumamt}"
    assert read_statement(clinic.send(statement(clinic, 1, "25.00", fund))).matches
    assert read_statement(clinic.send(statement(clinic, 3, "25.00", fund, refunds="1"))).matches


def test_a_settlement_counts_in_the_period_the_agency_booked_it_whatever_its_visit_date(
    clinic: Clinic, sandbox: SandboxServer
) -> None:
    settled = clinic.settle(RESIDENT, [("XA01", "2", "12.50")])
    assert VISIT_TIME.date() not in (BOOKED[0], BOOKED[1], _TODAY)
    fund = f"{settled.fund_pay_sumamt}"
    assert read_statement(clinic.send(statement(clinic, 1, "25.00", fund))).matches
    assert read_statement(clinic.send(statement(clinic, 0, "0.00", "0.00", period=NOVEMBER))).matches
    # An agency that keeps the clinic's own dates instead: the same settlement is November's.
    clinic.http.post(f"{sandbox.url}/_admin/config", json={"reconcile_by": "visit_date"}).raise_for_status()
    assert read_statement(clinic.send(statement(clinic, 1, "25.00", fund, period=NOVEMBER))).matches
    by_visit = read_statement(clinic.send(statement(clinic, 1, "25.00", fund)))
    assert not by_visit.matches
    assert by_visit.agency is not None
    assert by_visit.agency.fixmedins_setl_cnt == 0


def test_other_periods_and_facilities_are_outside_the_statement(clinic: Clinic, sandbox: SandboxServer) -> None:
    clinic.settle(RESIDENT, [("XA01", "2", "12.50")])
    october = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert read_statement(clinic.send(statement(clinic, 0, "0.00", "0.00", period=october))).matches
    village = Clinic(sandbox.url, "H44020000102", clinic.http)
    assert read_statement(village.send(statement(village, 0, "0.00", "0.00"))).matches
    rows = decode(clinic.http.get(f"{sandbox.url}/_admin/settlements").content)["settlements"]
    assert len(rows) == 1
