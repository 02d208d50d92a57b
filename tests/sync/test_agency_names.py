"""What the agency is told things by: national item codes (目录对照), practitioner codes, chronic-disease
codes, the main diagnosis, who reversed; and what a visit the agency never settled leaves behind."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, update

from db.models import CatalogueMapping, ChronicCertificate, MappingUpload, OutboxEntry, Person, Settlement, Staff
from db.session import Store
from desktop.agency.codes import is_practitioner_code
from desktop.catalogue_mapping import candidates_for, review, search
from desktop.demo import NATIONAL
from desktop.sandbox.server import SandboxServer
from desktop.settlement import DiagnosisLine, DraftItem, VisitDraft, reverse, settle
from desktop.sync import AgencyClient, FixedCredentials, outbox
from tests.sync.helpers import FIRST_DAY, SECRETS, Visits, agency_settlements, relay_for, start_agency

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


class Recording(httpx.HTTPTransport):
    """The line, keeping a copy of every message the relay sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(json.loads(request.content))
        return super().handle_request(request)

    def of(self, infno: str) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["infno"] == infno]


def recorded_sync(store: Store, agency: SandboxServer) -> tuple[Recording, Any]:
    line = Recording()
    with relay_for(store, agency.url) as relay:
        relay.client.close()
        relay.client = AgencyClient(agency.url, FixedCredentials(SECRETS), http=httpx.Client(transport=line))
        report = relay.run()
    return line, report


@pytest.fixture
def unmapped_agency(store: Store, tmp_path: Path) -> Iterator[SandboxServer]:
    """An agency that has heard nothing of the clinic's catalogue mapping yet."""
    with store.writing() as session:
        session.execute(delete(MappingUpload))
    server = start_agency(tmp_path / "unmapped.sqlite3", [store], mapped=False)
    yield server
    server.stop()


def test_fee_lines_carry_the_national_code_and_the_clinics_own_beside_it(
    store: Store, unmapped_agency: SandboxServer, visits: Visits
) -> None:
    agency = unmapped_agency
    visits.settle(FIRST_DAY, facility="T01", items=[("XA01", 2), ("FA01", 1)])
    line, report = recorded_sync(store, agency)
    assert report.complete
    mapped = sum(code is not None for code, *_ in NATIONAL)
    assert report.mappings_uploaded == 4 * mapped  # every reviewed item, for each of the four facilities
    assert line.sent.index(line.of("3301")[-1]) < line.sent.index(line.of("2204")[0])  # before any fee line
    (upload,) = line.of("2204")
    details = upload["input"]["feedetail"]
    assert [(d["medins_list_codg"], d["med_list_codg"]) for d in details] == [
        ("XA01", "XJ01CAA040A001010100451"),
        ("FA01", "111000000010000"),
    ]
    assert {m["input"]["data"]["fixmedins_hilist_id"] for m in line.of("3301")} >= {"XA01", "FA01"}


def test_an_item_without_a_reviewed_national_code_sets_its_visits_aside_naming_it(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    with store.writing() as session:
        session.execute(update(CatalogueMapping).where(CatalogueMapping.code == "XB01").values(state="proposed"))
    stuck = visits.settle(FIRST_DAY, facility="V01", items=[("XB01", 1)])
    fine = visits.settle(FIRST_DAY, facility="V01", items=[("XA01", 1)])
    with relay_for(store, agency.url) as relay:
        report = relay.run()
    assert report.exit_status == 5
    (aside,) = report.set_aside
    assert aside.settlement_id == stuck
    for words in ("XB01", "头孢克肟胶囊", "医保目录对照"):
        assert words in aside.error
    with store.reading() as session:
        assert session.get(Settlement, stuck).status == "pending"  # type: ignore[union-attr]  # not refused
        assert session.get(Settlement, fine).status == "confirmed"  # type: ignore[union-attr]
        offered = candidates_for(session, "XB01")
        assert offered[0].code == "XJ01DDK111A001010100764"
        assert search(session, "tbkw")[0].code == offered[0].code  # by pinyin initials
    review(store, "XB01", offered[0].code, staff_id=1, now=NOW)
    outbox.retry(store, [aside.entry_id], staff_id=1, now=NOW)
    with relay_for(store, agency.url) as relay:
        assert relay.run().complete
    assert len(agency_settlements(agency)) == 2


def test_the_diagnosing_doctor_is_a_doctor_known_by_practitioner_code(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    visits.settle(FIRST_DAY, facility="T01")  # settled by the clerk, who diagnoses nobody
    visits.settle(FIRST_DAY, facility="V02")  # settled by the village doctor
    line, report = recorded_sync(store, agency)
    assert report.complete
    with store.reading() as session:
        codes = dict(session.execute(select(Staff.username, Staff.practitioner_code)).all())
    registered = sorted(m["input"]["data"]["atddr_no"] for m in line.of("2201"))  # two settlements at once
    diagnosing = sorted(d["dise_dor_no"] for m in line.of("2203") for d in m["input"]["diseinfo"])
    billing = {d["bilg_dr_codg"] for m in line.of("2204") for d in m["input"]["feedetail"]}
    assert registered == sorted([str(codes["admin"]), str(codes["doctor2"])])  # the clerk's visit: the centre's doctor
    assert diagnosing == registered
    assert billing == set(registered)
    assert all(is_practitioner_code(c) for c in registered)
    assert all(d["maindiag_flag"] == "1" for m in line.of("2203") for d in m["input"]["diseinfo"])
    assert sorted(m["opter"] for m in line.of("2207")) == ["clerk", "doctor2"]  # who settled


def test_a_chronic_disease_visit_names_its_disease_by_national_code_in_2203_and_2204(
    store: Store, agency: SandboxServer
) -> None:
    with store.reading() as session:
        certified = session.scalars(
            select(ChronicCertificate.person_id)
            .join(Person, Person.id == ChronicCertificate.person_id)
            .where(ChronicCertificate.disease == "hypertension", Person.policy == "nanchang-resident")
            .where(Person.benefit_suspended.is_(False), Person.insured.is_(True))
        ).first()
    assert certified is not None
    draft = VisitDraft(
        facility_id="T01",
        person_id=certified,
        staff_id=2,
        visit_date=FIRST_DAY,
        items=(DraftItem("XA04", Decimal(2)),),
        diagnoses=(DiagnosisLine("I10.x00", "原发性高血压"),),
        disease="hypertension",
    )
    settle(store, draft, dt.datetime.combine(FIRST_DAY, dt.time(10), dt.UTC))
    line, report = recorded_sync(store, agency)
    assert report.complete, report.as_json()
    (visit,) = line.of("2203")
    assert (visit["input"]["mdtrtinfo"]["dise_codg"], visit["input"]["mdtrtinfo"]["dise_name"]) == (
        "M03900",
        "高血压病",
    )
    assert visit["input"]["mdtrtinfo"]["med_type"] == "14"
    assert {d["dise_codg"] for d in line.of("2204")[0]["input"]["feedetail"]} == {"M03900"}


def test_a_reversal_names_who_reversed_and_an_unbooked_visit_is_cancelled_at_the_agency(
    store: Store, agency: SandboxServer, visits: Visits
) -> None:
    booked = visits.settle(FIRST_DAY, facility="T01")
    unbooked = visits.settle(FIRST_DAY, facility="T01")
    assert booked is not None
    assert unbooked is not None
    with store.writing() as session:  # the agency refuses the second's settlement: it stays unbooked
        psn = session.scalar(select(Person.psn_no).join(Settlement).where(Settlement.id == unbooked))
        second = session.scalar(select(Settlement.msgid).where(Settlement.id == unbooked))
    httpx.post(f"{agency.url}/_admin/config", json={"reject": [second]}).raise_for_status()
    with relay_for(store, agency.url) as relay:
        first_run = relay.run()
    assert [s.settlement_id for s in first_run.set_aside] == [unbooked]
    httpx.post(f"{agency.url}/_admin/config", json={"reject": []}).raise_for_status()
    reverse(store, booked, "录入错误", staff_id=1, now=NOW)  # the administrator reverses both
    reverse(store, unbooked, "病人未取药", staff_id=1, now=NOW)
    line, report = recorded_sync(store, agency)
    assert report.complete, report.as_json()
    assert [m["opter"] for m in line.of("2208")] == ["admin"]  # who reversed, not the clerk who settled
    (undo,) = line.of("2601")
    assert undo["opter"] == "admin"
    assert undo["input"]["data"]["omsgid"] == second
    assert [m["infno"] for m in line.sent if m["infno"] in ("2601", "2205", "2202")] == ["2601", "2205", "2202"]
    assert line.sent.index(undo) < line.sent.index(line.of("2208")[0])  # the reversed-before-booked go first
    with store.reading() as session:
        rows = dict(
            session.execute(
                select(OutboxEntry.infno, OutboxEntry.state).where(OutboxEntry.settlement_id == unbooked)
            ).all()
        )
        assert rows == {"2201": "done", "2203": "done", "2204": "done", "2207": "void", "2601": "done",
                        "2205": "done", "2202": "done"}  # fmt: skip
        assert session.get(Settlement, unbooked).status == "void"  # type: ignore[union-attr]
        mdtrt_id = session.get(Settlement, unbooked).agency_mdtrt_id  # type: ignore[union-attr]
    assert psn is not None
    (number,) = agency.connection.execute("SELECT ipt_otp_no FROM registration WHERE mdtrt_id = ?", (mdtrt_id,))
    assert number[0].startswith("撤销")  # 2202 answered
    assert agency.connection.execute("SELECT count(*) FROM fee WHERE mdtrt_id = ?", (mdtrt_id,)).fetchone()[0] == 0
