"""The agency's diagnosis catalogue (1307) downloaded by the relay, from the sandbox over loopback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from db.models import AuditEntry, DiagnosisEntry, Setting
from db.session import Store
from desktop.agency import ProtocolError, Reply
from desktop.diagnoses import load_diagnoses, search
from desktop.sandbox.server import SandboxServer
from desktop.sync import Relay
from desktop.sync.diagnoses import VERSION_KEY, read_diagnosis_catalogue

AGENCY_LIST = [
    {"diag_code": "J06.900", "diag_name": "急性上呼吸道感染（医保版）"},
    {"diag_code": "J06.900x003", "diag_name": "急性上呼吸道病毒感染"},
    {"diag_code": "J00.x00", "diag_name": "急性鼻咽炎", "vali_flag": "0"},
]


def entries(store: Store) -> dict[str, tuple[str, str, bool]]:
    with store.reading() as session:
        return {e.code: (e.name, e.initials, e.active) for e in session.scalars(select(DiagnosisEntry))}


def test_the_relay_downloads_the_agencys_diagnoses_and_the_box_offers_them(
    store: Store, agency: SandboxServer, relay: Relay
) -> None:
    agency.load_roster({"diagnoses": AGENCY_LIST})
    report = relay.run()
    assert report.complete
    assert entries(store) == {
        "J06.900": ("急性上呼吸道感染（医保版）", "jxshxdgrybb", True),
        "J06.900x003": ("急性上呼吸道病毒感染", "jxshxdbdgr", True),
        "J00.x00": ("急性鼻咽炎", "jxbyy", False),
    }
    offered = load_diagnoses(store)
    assert [c.text for c in search(offered, "jxshxd")][:2] == [
        "J06.900 急性上呼吸道感染（医保版）",
        "J06.900x003 急性上呼吸道病毒感染",
    ]
    assert "J00.x00" not in {c.code for c in offered}  # withdrawn by the agency
    with store.reading() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == VERSION_KEY)) == "1"
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "catalogue_download")).all()
    assert any(a.entity_id == "1307" for a in audited)

    # Once a day: a second run asks nothing; a new version brings only what changed.
    agency.load_roster({"diagnoses": [{"diag_code": "J00.x00", "diag_name": "急性鼻咽炎［感冒］"}]})
    relay.run()
    assert entries(store)["J00.x00"][2] is False
    relay.catalogue_every = dt.timedelta(0)
    relay.run()
    assert entries(store)["J00.x00"] == ("急性鼻咽炎［感冒］", "jxbyygm", True)
    assert entries(store)["J06.900"][0] == "急性上呼吸道感染（医保版）"


def reply(output: dict[str, Any]) -> Reply:
    return Reply(infcode=0, inf_refmsgid="", refmsg_time="", respond_time="", err_msg="", warn_msg="", output=output)


def test_upper_case_columns_as_in_the_national_file_read_the_same() -> None:
    found = read_diagnosis_catalogue(
        reply({"data_cn": 1, "data": [{"DIAG_CODE": "R51.x00", "DIAG_NAME": "头痛", "VALI_FLAG": "1", "VER": "7"}]})
    )
    assert [(r.diag_code, r.diag_name, r.vali_flag, r.ver) for r in found] == [("R51.x00", "头痛", "1", "7")]


@pytest.mark.parametrize(
    ("output", "field"),
    [
        ({"data_cn": 2, "data": [{"diag_code": "R51.x00", "diag_name": "头痛"}]}, "output.data_cn"),
        ({"data_cn": 1, "data": [{"diag_name": "头痛"}]}, "output.data[0].diag_code"),
        ({"data_cn": 1, "data": [{"diag_code": "R51.x00", "diag_name": "头痛", "vali_flag": "2"}]}, "vali_flag"),
        ({"data_cn": 1, "data": [{"diag_code": "R" * 21, "diag_name": "头痛"}]}, "output.data[0].diag_code"),
        ({"data_cn": 1, "data": ["R51.x00"]}, "output.data[0]"),
        ({"data_cn": 0, "data": {}}, "output.data"),
    ],
)
def test_an_answer_that_cannot_be_right_is_refused_naming_the_field(output: dict[str, Any], field: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        read_diagnosis_catalogue(reply(output))
    assert field in str(refused.value)
