"""Small, real rosters for tests: a township centre, its village clinic, staff, a catalogue."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from db.models import CatalogueItem, Facility, Person, Signing, Staff
from db.session import Store, open_store
from desktop.settlement.draft import DiagnosisLine

REPO = Path(__file__).resolve().parent.parent
# Child processes import the project and the tests from the checkout.
REPO_ENV = {**os.environ, "PYTHONPATH": str(REPO)}
UTC = dt.UTC
NOW = dt.datetime(2024, 5, 10, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
TODAY = dt.date(2024, 5, 10)

# Staff act where they work (desktop.staff): the clerk of each facility that settles.
STAFF_AT = {"T01": 1, "V01": 2, "T10": 4}

# Every settled visit carries a diagnosis (the agency's 2203 requires one).
COLD = (DiagnosisLine("J06.900", "急性上呼吸道感染"),)

CATALOGUE = [
    ("X01", "阿莫西林胶囊", "amxljn", "drug", "A", 1250),
    ("X02", "复方甘草片", "ffgcp", "drug", "B", 800),
    ("X03", "进口维生素", "jkwss", "drug", "C", 1550),
    ("Z01", "板蓝根颗粒", "blggl", "tcm_drug", "A", 1800),
    ("E01", "血常规", "xcg", "exam", "A", 2000),
    ("F01", "一般诊疗费", "ybzlf", "consultation_fee", "A", 1000),
]


# Each policy's city, as a county division code in it: a person insured there.
INSURED_AREAS = {"nanchang": "360101", "shaoguan": "440201", "hunan": "430102", "nanchong": "511302"}


def make_store(where: Path | str, name: str = "clinic.sqlite3") -> Store:
    """Two clinics' facilities, staff and catalogue in a new store: a SQLite file named
    ``name`` in the folder ``where``, or the empty database at the URL ``where``."""
    store = open_store(where if isinstance(where, str) else where / name)
    with store.writing() as session:
        session.add_all(
            [
                Facility(
                    id="T01", code="H36010100001", name="青山镇卫生院", kind="township_health_center", admdvs="360101"
                ),
                Facility(
                    id="V01",
                    code="H36010100002",
                    name="青山镇东村卫生室",
                    kind="village_clinic",
                    parent_id="T01",
                    admdvs="360101",
                ),
                Facility(
                    id="T10", code="H44020100001", name="曲江镇卫生院", kind="township_health_center", admdvs="440201"
                ),
            ]
        )
        session.flush()
        session.add_all(
            [
                Staff(id=1, username="clerk", name="王会计", role="clerk", facility_id="T01", password_hash="x"),
                Staff(
                    id=2, username="doctor", name="李医生", role="village_doctor", facility_id="V01", password_hash="x"
                ),
                Staff(id=3, username="admin", name="赵院长", role="admin", facility_id="T01", password_hash="x"),
                Staff(id=4, username="clerk10", name="黄会计", role="clerk", facility_id="T10", password_hash="x"),
            ]
        )
        session.add_all(
            CatalogueItem(code=c, name=n, pinyin=p, kind=k, item_class=cl, price_fen=f)
            for c, n, p, k, cl, f in CATALOGUE
        )
    return store


def add_person(
    store: Store,
    *,
    person_id: int,
    policy: str = "nanchang-resident",
    signed_at: str | None = "T01",
    employment: str = "active",
    balance_fen: int = 0,
    birth_date: dt.date = dt.date(1960, 6, 15),
    insured_area: str | None = None,
) -> int:
    """A person insured where their policy is (``insured_area`` otherwise), signed at ``signed_at``."""
    employee = policy.endswith("employee")
    with store.writing() as session:
        session.add(
            Person(
                id=person_id,
                psn_no=f"P{person_id:08d}",
                id_number=f"36010119600615{person_id:04d}"[:18],
                name=f"测试{person_id}",
                gender="1",
                birth_date=birth_date,
                policy=policy,
                insutype="310" if employee else "390",
                insuplc_admdvs=insured_area or INSURED_AREAS.get(policy.split("-", maxsplit=1)[0], "360101"),
                employment=employment,
                account_balance_fen=balance_fen,
                roster_updated_at=NOW,
            )
        )
        if signed_at is not None and not employee:
            session.flush()
            # Shaoguan signs a basic facility and a village station (第六条); the others, one facility.
            role = "basic" if policy.startswith("shaoguan") else "single"
            session.add(
                Signing(person_id=person_id, facility_id=signed_at, role=role, effective_from=dt.date(2024, 1, 1))
            )
    return person_id
