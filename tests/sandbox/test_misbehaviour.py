"""Every misbehaviour knob, set at run time through /_admin/config, and the settings it accepts."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import httpx
import pytest

from desktop.agency import ProtocolError, decode, encode, parse_reply
from desktop.agency.messages import SignIn
from desktop.agency.outpatient import Registration
from desktop.agency.replies import read_settlement
from desktop.sandbox.misbehaviour import Misbehaviour, Mischief, Settings
from desktop.sandbox.server import SandboxServer
from tests.sandbox.helpers import DOCTOR, RESIDENT, RESIDENT_ID, TRAVELLER, VISIT_TIME, Clinic

LINES = [("XA01", "2", "12.50")]


def configure(clinic: Clinic, sandbox: SandboxServer, **settings: Any) -> httpx.Response:
    return clinic.http.post(f"{sandbox.url}/_admin/config", content=encode(settings))


def booked(clinic: Clinic, sandbox: SandboxServer) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = decode(clinic.http.get(f"{sandbox.url}/_admin/settlements").content)["settlements"]
    return found


def registration(psn_no: str) -> Registration:
    return Registration(psn_no, "390", VISIT_TIME, "02", RESIDENT_ID, "OP1", DOCTOR, "李春生", "A03", "全科", "A03")


def test_failing_calls_answer_500_or_infcode_and_book_nothing(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    configure(clinic, sandbox, fail_rate=1, seed=3).raise_for_status()
    envelope = clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total))
    seen = set()
    for _ in range(12):
        response = clinic.http.post(sandbox.url, content=encode(envelope))
        if response.status_code == 500:
            seen.add("500")
        else:
            reply = parse_reply(decode(response.content))
            assert reply.infcode == -1
            assert "繁忙" in reply.err_msg
            seen.add("infcode")
    assert seen == {"500", "infcode"}
    assert booked(clinic, sandbox) == []
    configure(clinic, sandbox, fail_rate=0).raise_for_status()
    assert read_settlement(clinic.post(envelope)).fund_pay_sumamt == Decimal("17.50")


def test_a_share_of_failures_is_roughly_that_share(clinic: Clinic, sandbox: SandboxServer) -> None:
    configure(clinic, sandbox, fail_rate=Decimal("0.3"), seed=11).raise_for_status()
    failures = 0
    for _ in range(60):
        response = clinic.http.post(sandbox.url, content=encode(clinic.request(SignIn("clerk", "10.0.0.1"))))
        failures += response.status_code == 500 or decode(response.content)["infcode"] != 0
    assert 8 <= failures <= 30


def test_a_timed_out_call_is_still_booked_once(clinic: Clinic, sandbox: SandboxServer) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    envelope = clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total))
    configure(clinic, sandbox, timeout_rate=1, timeout_ms=600).raise_for_status()
    with pytest.raises(httpx.ReadTimeout):
        clinic.http.post(sandbox.url, content=encode(envelope), timeout=0.2)
    configure(clinic, sandbox, timeout_rate=0).raise_for_status()
    retried = read_settlement(clinic.post(envelope))  # the sleeping first copy has not reached the agency yet
    time.sleep(0.7)  # now it has, and found its msgid answered
    assert [row["setl_id"] for row in booked(clinic, sandbox)] == [retried.setl_id]


def test_slow_answers_arrive_late_but_right(clinic: Clinic, sandbox: SandboxServer) -> None:
    configure(clinic, sandbox, slow_ms=250).raise_for_status()
    started = time.perf_counter()
    assert clinic.send(SignIn("clerk", "10.0.0.1")).ok
    assert time.perf_counter() - started >= 0.25


def test_a_rejected_person_is_refused_until_released(clinic: Clinic, sandbox: SandboxServer) -> None:
    configure(clinic, sandbox, reject=[RESIDENT]).raise_for_status()
    msgid = clinic.msgid()
    refused = clinic.send(registration(RESIDENT), msgid=msgid)
    assert refused.infcode == -1
    assert "rejected by the agency" in refused.err_msg
    assert clinic.send(registration(TRAVELLER)).ok  # the records behind it go through
    configure(clinic, sandbox, reject=[]).raise_for_status()
    assert clinic.send(registration(RESIDENT), msgid=msgid).ok  # the same msgid, corrected upstream


def test_a_rejected_msgid_is_refused(clinic: Clinic, sandbox: SandboxServer) -> None:
    msgid = clinic.msgid()
    configure(clinic, sandbox, reject=[msgid]).raise_for_status()
    assert "rejected" in clinic.send(registration(RESIDENT), msgid=msgid).err_msg
    assert clinic.send(registration(RESIDENT)).ok


def test_the_config_page_shows_and_checks_settings(clinic: Clinic, sandbox: SandboxServer) -> None:
    shown = decode(configure(clinic, sandbox, fail_rate=Decimal("0.25"), reject=["X"]).content)
    assert (shown["fail_rate"], shown["reject"]) == (Decimal("0.25"), ["X"])
    assert decode(clinic.http.get(f"{sandbox.url}/_admin/config").content)["fail_rate"] == Decimal("0.25")
    bad = configure(clinic, sandbox, fail_rate=2)
    assert bad.status_code == 400
    assert bad.json()["field"] == "fail_rate"
    assert configure(clinic, sandbox, loudness=1).json()["field"] == "loudness"


def test_the_same_seed_misbehaves_the_same_way() -> None:
    def run(seed: int) -> list[Mischief]:
        dice = Misbehaviour(Settings(fail_rate=0.5, timeout_rate=0.2, seed=seed))
        return [dice.before_call() for _ in range(40)]

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_switched_to_refuse_repeats_a_seen_msgid_is_refused_as_a_duplicate(
    clinic: Clinic, sandbox: SandboxServer
) -> None:
    msgid = clinic.msgid()
    first = clinic.send(registration(RESIDENT), msgid=msgid)
    assert first.ok
    assert clinic.send(registration(RESIDENT), msgid=msgid).output == first.output  # answered from the books
    configure(clinic, sandbox, refuse_repeats=True).raise_for_status()
    repeated = clinic.send(registration(RESIDENT), msgid=msgid)
    assert repeated.infcode == -1
    assert "报文ID重复" in repeated.err_msg
    assert clinic.send(registration(TRAVELLER)).ok  # a new msgid is answered as ever


def test_switched_to_the_compact_spelling_times_dates_and_amounts_are_written_otherwise(
    clinic: Clinic, sandbox: SandboxServer
) -> None:
    configure(clinic, sandbox, answer_style="compact").raise_for_status()
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    response = clinic.http.post(
        sandbox.url, content=encode(clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total)))
    )
    raw = response.json()  # as the wire carries it, before any reading
    setlinfo = raw["output"]["setlinfo"]
    assert raw["infcode"] == "0"
    assert len(setlinfo["setl_time"]) == 14
    assert setlinfo["setl_time"].isdigit()
    assert setlinfo["brdy"] == "19600615"
    assert isinstance(setlinfo["medfee_sumamt"], str)
    info = read_settlement(parse_reply(decode(response.content)))  # and reads the same all the same
    assert info.medfee_sumamt == total


def test_switched_to_garble_a_booked_call_is_answered_unreadably_and_its_msgid_from_the_books(
    clinic: Clinic, sandbox: SandboxServer
) -> None:
    mdtrt_id, total = clinic.visit(RESIDENT, LINES)
    envelope = clinic.request(clinic.settlement(RESIDENT, mdtrt_id, total))
    configure(clinic, sandbox, garble_rate=1).raise_for_status()
    garbled = clinic.post(envelope)
    assert garbled.ok
    with pytest.raises(ProtocolError):
        read_settlement(garbled)
    configure(clinic, sandbox, garble_rate=0).raise_for_status()
    assert read_settlement(clinic.post(envelope)).medfee_sumamt == total  # it was booked; once
    assert len(booked(clinic, sandbox)) == 1


@pytest.mark.parametrize(
    ("setting", "value"),
    [("refuse_repeats", "yes"), ("answer_style", "loud"), ("reconcile_by", "moon"), ("garble_rate", 3)],
)
def test_the_new_switches_refuse_what_they_cannot_be(
    clinic: Clinic, sandbox: SandboxServer, setting: str, value: Any
) -> None:
    refused = configure(clinic, sandbox, **{setting: value})
    assert refused.status_code == 400
    assert refused.json()["field"] == setting
