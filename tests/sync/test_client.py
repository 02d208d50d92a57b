"""What each way a call can fail tells the relay, against the sandbox on a real port."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from desktop.agency import AgencyRefusedError, Sender
from desktop.agency.messages import SignIn
from desktop.agency.msgid import make_msgid
from desktop.agency.signing import generate_private_key
from desktop.sandbox.server import SandboxServer
from desktop.sync.client import AgencyBusy, AgencyClient, AgencyUnreachable, OutcomeUnknown, is_transient, make_http
from desktop.sync.credentials import FixedCredentials
from tests.sync.helpers import SECRETS

CODE = "H36012100101"
SENDER = Sender(CODE, "南昌县幽兰镇卫生院", "360121", opter="admin", opter_name="赵建国")
NOW = dt.datetime.now(dt.UTC)


def _client(url: str, timeout: float = 2.0, secrets: dict[str, str] = SECRETS) -> AgencyClient:
    return AgencyClient(url, FixedCredentials(secrets), http=make_http(timeout))


def _sign_in(client: AgencyClient, sequence: int = 1) -> None:
    client.send(SENDER, SignIn(opter_no="admin", ip="127.0.0.1"), make_msgid(CODE, NOW, sequence))


def _misbehave(agency: SandboxServer, **settings: object) -> None:
    httpx.post(f"{agency.url}/_admin/config", json=settings).raise_for_status()


def test_an_answered_call_returns_the_reply(agency: SandboxServer) -> None:
    with _client(agency.url) as client:
        reply = client.send(SENDER, SignIn(opter_no="admin", ip="127.0.0.1"), make_msgid(CODE, NOW, 1))
    assert reply.ok
    assert reply.output["signinoutb"]["sign_no"]


def test_nothing_listening_is_unreachable() -> None:
    with _client("http://127.0.0.1:9") as client, pytest.raises(AgencyUnreachable, match="cannot reach"):
        _sign_in(client)


def test_a_wrong_address_is_unreachable_and_says_so(agency: SandboxServer) -> None:
    with _client(f"{agency.url}/_admin/nothing") as client, pytest.raises(AgencyUnreachable, match="address"):
        _sign_in(client)


def test_a_gateway_error_leaves_the_outcome_unknown_and_a_busy_agency_is_busy(agency: SandboxServer) -> None:
    _misbehave(agency, fail_rate=1.0, seed=11)
    seen: set[type[Exception]] = set()
    with _client(agency.url) as client:
        for sequence in range(1, 20):
            with pytest.raises((OutcomeUnknown, AgencyBusy)) as failed:
                _sign_in(client, sequence)
            seen.add(failed.type)
    assert seen == {OutcomeUnknown, AgencyBusy}  # HTTP 500 and "系统繁忙" both come up


def test_an_answer_dropped_after_commit_leaves_the_outcome_unknown(agency: SandboxServer) -> None:
    _misbehave(agency, drop_after_commit_rate=1.0)
    with _client(agency.url) as client, pytest.raises(OutcomeUnknown):
        _sign_in(client)


def test_a_timeout_leaves_the_outcome_unknown(agency: SandboxServer) -> None:
    _misbehave(agency, timeout_rate=1.0, timeout_ms=600)
    with _client(agency.url, timeout=0.1) as client, pytest.raises(OutcomeUnknown, match="ReadTimeout"):
        _sign_in(client)


def test_a_refusal_carries_the_agencys_words(agency: SandboxServer) -> None:
    wrong = {code: generate_private_key() for code in SECRETS}  # keys the agency never registered
    with _client(agency.url, secrets=wrong) as client, pytest.raises(AgencyRefusedError, match="signature"):
        _sign_in(client)


def test_only_http_addresses_are_taken() -> None:
    with pytest.raises(ValueError, match="http"):
        AgencyClient("ftp://agency", FixedCredentials(SECRETS))


@pytest.mark.parametrize(
    ("err_msg", "transient"),
    [
        ("医保系统繁忙，请稍后重试", True),
        ("交易超时", True),
        ("Service busy", True),
        ("psn_no 1 is not on the agency's roster", False),
        ("msgid X was already used for a 2201", False),
    ],
)
def test_busy_words_are_told_from_refusals(err_msg: str, transient: bool) -> None:
    assert is_transient(err_msg) is transient
