"""A small real roster for identity checks: Nanchang, Shaoguan and Hunan clinics and their people."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from db.models import Accumulator, Card, ChronicCertificate, Facility, Person, Signing
from db.session import Store, open_store

UTC = dt.UTC
DAY = dt.date(2024, 5, 10)
NOW = dt.datetime(2024, 5, 10, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
FRESH = NOW - dt.timedelta(days=1)


def valid_id(region: str, born: dt.date, sequence: int) -> str:
    """A GB 11643 number with its check digit computed by stdnum."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}0"
    return body[:-1] + ric.calc_check_digit(body)


FACILITIES: list[tuple[str, str, str, str | None, str, dict[str, Any]]] = [
    # id, name, kind, parent, admdvs, extra
    ("T01", "青山镇卫生院", "township_health_center", None, "360121", {}),
    ("V01", "青山镇东村卫生室", "village_clinic", "T01", "360121", {"designated_employee": False}),
    ("T02", "莲塘镇卫生院", "township_health_center", None, "360121", {}),
    ("S01", "塔城乡卫生院", "township_health_center", None, "360121", {"suspended_on": dt.date(2024, 4, 1)}),
    ("N01", "幽兰镇卫生院", "township_health_center", None, "360121", {"designated_resident": False}),
    ("T10", "曲江镇卫生院", "township_health_center", None, "440205", {}),
    ("V10", "曲江镇白土村卫生站", "village_clinic", "T10", "440205", {}),
    ("H01", "集里街道卫生院", "township_health_center", None, "430181", {}),
    ("HV1", "集里街道新安村卫生室", "village_clinic", "H01", "430181", {}),
]


def make_store(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "clinic.sqlite3")
    with store.writing() as session:
        for number, (fid, name, kind, parent, admdvs, extra) in enumerate(FACILITIES, start=1):
            session.add(
                Facility(
                    id=fid,
                    code=f"H{admdvs}{number:05d}",
                    name=name,
                    kind=kind,
                    parent_id=parent,
                    admdvs=admdvs,
                    **extra,
                )
            )
            session.flush()
    return store


def add_person(
    store: Store,
    person_id: int,
    *,
    policy: str = "nanchang-resident",
    region: str = "360121",
    born: dt.date = dt.date(1960, 6, 15),
    sequence: int | None = None,
    name: str = "张伟",
    signed_at: tuple[str, ...] = ("T01",),
    cards: tuple[tuple[str, str, bool], ...] = (),
    updated: dt.datetime = FRESH,
    **fields: Any,
) -> str:
    """The person's ID number; ``cards`` are (kind, number, valid)."""
    id_number = valid_id(region, born, sequence if sequence is not None else person_id * 2 + 1)
    employee = policy.endswith("employee")
    with store.writing() as session:
        values: dict[str, Any] = {
            "psn_no": f"P{person_id:08d}",
            "id_number": id_number,
            "name": name,
            "gender": "1" if int(id_number[16]) % 2 else "2",
            "birth_date": born,
            "policy": policy,
            "insutype": "310" if employee else "390",
            "insuplc_admdvs": region,
            "roster_updated_at": updated,
            **fields,
        }
        session.add(Person(id=person_id, **values))
        session.flush()
        role = "basic" if policy.startswith("shaoguan") else "single"  # Shaoguan: basic facility + village station
        for facility in signed_at:
            session.add(
                Signing(person_id=person_id, facility_id=facility, role=role, effective_from=dt.date(2024, 1, 1))
            )
        for kind, number, valid in cards:
            session.add(Card(person_id=person_id, kind=kind, number=number, valid=valid))
    return id_number


def add_signing(
    store: Store, person_id: int, facility: str, start: dt.date, until: dt.date | None, **extra: Any
) -> None:
    with store.writing() as session:
        session.add(
            Signing(person_id=person_id, facility_id=facility, effective_from=start, effective_until=until, **extra)
        )


def add_certificate(store: Store, person_id: int, disease: str, start: dt.date, until: dt.date | None = None) -> None:
    with store.writing() as session:
        session.add(ChronicCertificate(person_id=person_id, disease=disease, valid_from=start, valid_until=until))


def add_year_to_date(
    store: Store, person_id: int, year: int, deductible_fen: int, fund_fen: int, out_fen: int = 0
) -> None:
    with store.writing() as session:
        session.add(
            Accumulator(
                person_id=person_id,
                year=year,
                deductible_met_fen=deductible_fen,
                fund_paid_fen=fund_fen,
                fund_paid_out_of_city_fen=out_fen,
            )
        )
