"""A repeated msgid gets the stored answer and changes nothing, also after the answer was lost."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from desktop.agency import decode, encode
from desktop.agency.outpatient import Registration
from desktop.agency.replies import read_registration, read_settlement
from desktop.sandbox.server import SandboxServer
from tests.sandbox.helpers import DOCTOR, RESIDENT, RESIDENT_ID, VISIT_TIME, Clinic

LINES = [("XA01", "2", "12.50"), ("EA01", "1", "20.00")]


def settlements(clinic: Clinic, sandbox: SandboxServer) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = decode(clinic.http.get(f"{sandbox.url}/_admin/settlements").content)["settlements"]
    return found


def fund_paid(clinic: Clinic, sandbox: SandboxServer) -> Decimal:
    figures = decode(clinic.http.get(f"{sandbox.url}/_admin/accumulators?psn_no={RESIDENT}&year=2026").content)
    paid: Decimal = figures["fund_paid"]
    return paid


def configure(clinic: Clinic, sandbox: SandboxServer, **settings: Any) -> None:
    clinic.http.post(f"{sandbox.url}/_admin/config", content=encode(settings)).raise_for_status()


def test_a_repeated_2207_gets_the_same_answer_and_books_once(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    envelope = clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total))
    first = clinic.http.post(sandbox.url, content=encode(envelope)).content
    second = clinic.http.post(sandbox.url, content=encode(envelope)).content
    assert first == second
    assert len(settlements(clinic, sandbox)) == 1
    assert fund_paid(clinic, sandbox) == read_settlement(clinic.post(envelope)).fund_pay_sumamt == Decimal("31.50")


def test_a_repeated_registration_gives_the_same_visit(clinic: Clinic) -> None:
    message = Registration(
        RESIDENT, "390", VISIT_TIME, "02", RESIDENT_ID, "OP1", DOCTOR, "李春生", "A03", "全科", "A03"
    )
    msgid = clinic.msgid()
    first = read_registration(clinic.send(message, msgid=msgid))
    again = read_registration(clinic.send(message, msgid=msgid))
    other = read_registration(clinic.send(message))
    assert first.mdtrt_id == again.mdtrt_id != other.mdtrt_id


def test_a_msgid_reused_for_another_transaction_is_refused(clinic: Clinic) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    msgid = clinic.msgid()
    message = Registration(
        RESIDENT, "390", VISIT_TIME, "02", RESIDENT_ID, "OP1", DOCTOR, "李春生", "A03", "全科", "A03"
    )
    assert clinic.send(message, msgid=msgid).ok
    reply = clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total), msgid=msgid)
    assert reply.infcode == -1
    assert "already used for a 2201" in reply.err_msg


def test_a_reply_dropped_after_commit_is_recovered_by_retrying_the_same_msgid(
    clinic: Clinic, sandbox: SandboxServer
) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    envelope = clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total))
    configure(clinic, sandbox, drop_after_commit_rate=1)
    with pytest.raises(httpx.RemoteProtocolError):
        clinic.post(envelope)
    booked = settlements(clinic, sandbox)
    assert len(booked) == 1  # the agency booked it; the clinic does not know yet
    configure(clinic, sandbox, drop_after_commit_rate=0)
    recovered = read_settlement(clinic.post(envelope))
    assert recovered.setl_id == booked[0]["setl_id"]
    assert recovered.medins_setl_id == envelope["msgid"]
    assert len(settlements(clinic, sandbox)) == 1
    assert fund_paid(clinic, sandbox) == recovered.fund_pay_sumamt


def test_a_refused_msgid_may_be_sent_again_once_corrected(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    msgid = clinic.msgid()
    wrong = clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total + 1), msgid=msgid)
    assert wrong.infcode == -1
    right = read_settlement(clinic.send(clinic.settlement(RESIDENT, mdtrt_id, total), msgid=msgid))
    assert right.medins_setl_id == msgid
    assert len(settlements(clinic, sandbox)) == 1
