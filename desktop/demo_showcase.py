"""The demo's catchment: residents signed with the centre or its village clinics who did not come.

A township centre is budgeted for everyone signed with it (洪府厅发〔2019〕102号 第二十七条),
and most of them see no doctor in a year; without them the demo's few hundred regular
patients would overspend a budget made for themselves alone. Written in bulk, with a
random draw of its own, so the demo's visits are the same with or without it.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db import audit
from db.models import Card, Person, Signing
from db.session import Store

CATCHMENT_PER_PATIENT = 4  # signed residents for each regular patient
# Nanchang signs the centre; its integrated village clinics are its service points (第十七条).
CENTRE = "T01"


def add_catchment(store: Store, people: int, today: dt.date, seed: int = 4202) -> int:
    """Add ``CATCHMENT_PER_PATIENT × people`` Nanchang residents, each signed; returns how many."""
    from desktop.demo import GIVEN, SURNAMES, VILLAGES, id_number

    rng = random.Random(seed)
    count = CATCHMENT_PER_PATIENT * people
    first_id = people + 1
    with store.writing() as session:
        taken = set(session.scalars(select(Person.id_number)))
        persons, cards, signings = [], [], []
        now = dt.datetime.combine(today, dt.time(8), dt.UTC) - dt.timedelta(days=1)
        for number in range(first_id, first_id + count):
            birth = dt.date(rng.randint(1936, today.year - 1), rng.randint(1, 12), rng.randint(1, 28))
            gender = rng.choice("12")
            number_text = id_number(rng, ["360121"], birth, gender)
            while number_text in taken:
                number_text = id_number(rng, ["360121"], birth, gender)
            taken.add(number_text)
            persons.append(
                {
                    "id": number,
                    "psn_no": f"3601{number:016d}",
                    "id_number": number_text,
                    "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                    "gender": gender,
                    "birth_date": birth,
                    "address": f"南昌县幽兰镇{rng.choice(VILLAGES)}{rng.randint(1, 120)}号",
                    "policy": "nanchang-resident",
                    "insutype": "390",
                    "insuplc_admdvs": "360121",
                    "roster_updated_at": now,
                }
            )
            cards.append({"person_id": number, "kind": "ssc", "number": f"A{number:08d}", "card_sn": ""})
            since = dt.date(today.year - rng.randint(1, 4), 1, 1)
            signings.append(
                {
                    "person_id": number,
                    "facility_id": CENTRE,
                    "effective_from": since,
                    "family_doctor": rng.random() < 0.3,
                    "origin": "chosen",
                    "start_kind": "continuing",
                    "recorded_at": now,
                }
            )
        session.execute(insert(Person), persons)
        session.execute(insert(Card), cards)
        session.execute(insert(Signing), signings)
        _seal(session, first_id, count, now)
    return count


def _seal(session: Session, first_id: int, count: int, now: dt.datetime) -> None:
    """Rows written with Core statements are sealed by an entry of their own (db/audit.py)."""
    person_ids = tuple(range(first_id, first_id + count))
    added = {
        "person": person_ids,
        "card": tuple(session.scalars(select(Card.id).where(Card.person_id >= first_id))),
        "signing": tuple(session.scalars(select(Signing.id).where(Signing.person_id >= first_id))),
    }
    audit.record(
        session.connection(),
        at=now,
        staff_id=None,
        action="demo_catchment",
        entity="person,card,signing",
        entity_id=count,
        detail={table: len(keys) for table, keys in added.items()},
        rows=[audit.Batch(table, keys) for table, keys in added.items()],
    )
