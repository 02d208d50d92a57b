"""2601: undo a 2207 or 2208 whose outcome the clinic does not know; idempotent; a never-booked msgid is spent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from desktop.agency import decode
from desktop.agency.outpatient import CancelSettlement, Reversal
from desktop.agency.replies import read_cancellation, read_settlement
from desktop.sandbox.server import SandboxServer
from tests.sandbox.helpers import RESIDENT, TRAVELLER, Clinic

LINES = [("XA01", "2", "12.50"), ("EA01", "1", "20.00")]


def figures(clinic: Clinic, sandbox: SandboxServer) -> dict[str, Any]:
    found: dict[str, Any] = decode(
        clinic.http.get(f"{sandbox.url}/_admin/accumulators?psn_no={RESIDENT}&year=2026").content
    )
    return found


def statuses(clinic: Clinic, sandbox: SandboxServer) -> list[str]:
    rows = decode(clinic.http.get(f"{sandbox.url}/_admin/settlements").content)["settlements"]
    return [row["status"] for row in rows]


def test_reversing_a_booked_settlement_undoes_it_and_spends_its_msgid(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    envelope = clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total))
    clinic.post(envelope).checked()  # booked, but suppose the answer never arrived
    assert figures(clinic, sandbox)["fund_paid"] == Decimal("31.50")
    reversed_ = clinic.send(Reversal(RESIDENT, envelope["msgid"], "2207"))
    assert reversed_.ok
    assert reversed_.warn_msg == ""
    assert statuses(clinic, sandbox) == ["reversed"]
    assert figures(clinic, sandbox)["fund_paid"] == 0
    assert figures(clinic, sandbox)["visits"] == 0
    late_copy = clinic.post(envelope)
    assert late_copy.infcode == -1
    assert "new msgid" in late_copy.err_msg
    again = clinic.send(Reversal(RESIDENT, envelope["msgid"], "2207"))
    assert again.ok
    assert "already reversed" in again.warn_msg
    assert figures(clinic, sandbox)["fund_paid"] == 0
    resent = read_settlement(clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total)))
    assert resent.fund_pay_sumamt == Decimal("31.50")
    assert statuses(clinic, sandbox) == ["reversed", "booked"]


def test_reversing_what_never_arrived_bars_it_from_booking_later(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    envelope = clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total))  # lost on the way
    reply = clinic.send(Reversal(RESIDENT, envelope["msgid"], "2207"))
    assert reply.ok
    assert "never booked" in reply.warn_msg
    arriving_late = clinic.post(envelope)
    assert arriving_late.infcode == -1
    assert statuses(clinic, sandbox) == []
    assert figures(clinic, sandbox)["fund_paid"] == 0


def test_reversing_a_cancellation_restores_the_settlement(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    info = read_settlement(clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total)))
    cancel = clinic.request(CancelSettlement(info.setl_id, mdtrt_id, RESIDENT))
    read_cancellation(clinic.post(cancel))
    assert figures(clinic, sandbox)["fund_paid"] == 0
    assert clinic.send(Reversal(RESIDENT, cancel["msgid"], "2208")).ok
    assert statuses(clinic, sandbox) == ["booked"]
    assert figures(clinic, sandbox)["fund_paid"] == info.fund_pay_sumamt


def test_a_cancelled_settlement_is_not_reversed_behind_its_cancellation(clinic: Clinic) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    envelope = clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total))
    info = read_settlement(clinic.post(envelope))
    clinic.send(CancelSettlement(info.setl_id, mdtrt_id, RESIDENT)).checked()
    reply = clinic.send(Reversal(RESIDENT, envelope["msgid"], "2207"))
    assert "reverse that cancellation first" in reply.err_msg


def test_a_reversal_must_name_the_right_person_facility_and_transaction(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    envelope = clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total))
    clinic.post(envelope).checked()
    assert "another person" in clinic.send(Reversal(TRAVELLER, envelope["msgid"], "2207")).err_msg
    assert "was a 2207, not a 2208" in clinic.send(Reversal(RESIDENT, envelope["msgid"], "2208")).err_msg
    village = Clinic(sandbox.url, "H44020000102", clinic.http)
    assert "not sent by this facility" in village.send(Reversal(RESIDENT, envelope["msgid"], "2207")).err_msg
    assert statuses(clinic, sandbox) == ["booked"]
