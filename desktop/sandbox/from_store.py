"""The sandbox agency's roster taken from clinic stores: the same people, facilities and catalogue.

A real agency holds the roster the clinic downloads; the sandbox is seeded the other way
round, from the clinic's own demo or test store, so that both sides know the same
people. Standing is taken as of ``day``: the signings then in force, the certified
chronic diseases, the account balance before any settlement the clinic has not sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from db.models import CatalogueItem, Facility, Person, Settlement
from db.session import Store
from desktop.area import filings_of
from desktop.money import from_fen
from desktop.roster import chronic_diseases_on, signed_on

# 人员类别: 1101 职工在职, 1201 职工退休, 1401 新生儿, 1404 大学生, 1501 普通居民（成年）.
_EMPLOYEE_TYPES = {"active": "1101", "retired": "1201"}
_RESIDENT_TYPES = {"newborn": "1401", "university_student": "1404"}


def psn_type(insutype: str, category: str, employment: str) -> str:
    if insutype == "310":
        return _EMPLOYEE_TYPES.get(employment, "1101")
    return _RESIDENT_TYPES.get(category, "1501")


def roster_from_store(store: Store, day: dt.date) -> dict[str, Any]:
    """The ``/_admin/roster`` body for everyone and everything in ``store``."""
    with store.reading() as session:
        connection = session.connection()
        facilities = [
            {
                "fixmedins_code": f.code,
                "fixmedins_name": f.name,
                "id": f.id,
                "kind": f.kind,
                "level": f.level,
                "parent_id": f.parent_id,
                "in_city": f.in_city,
                "designated_resident": f.designated_resident,
                "designated_employee": f.designated_employee,
                "admdvs": f.admdvs,
            }
            for f in session.scalars(select(Facility).order_by(Facility.id))
        ]
        # The agency's balance is the one before the clinic's own account payments it has
        # not yet heard of: those come to it with each 2207.
        spent: dict[int | None, int] = {  # None: walk-ins, who pay no account
            person_id: int(total or 0)
            for person_id, total in session.execute(
                select(Settlement.person_id, func.sum(Settlement.account_fen))
                .where(Settlement.agency_setl_id.is_(None))
                .group_by(Settlement.person_id)
            )
        }
        persons = []
        for person in session.scalars(select(Person).order_by(Person.id)):
            signings = signed_on(connection, person, day)
            balance = person.account_balance_fen + spent.get(person.id, 0)
            persons.append(
                {
                    "psn_no": person.psn_no,
                    "certno": person.id_number,
                    "psn_name": person.name,
                    "gend": person.gender,
                    "brdy": person.birth_date.isoformat(),
                    "policy": person.policy,
                    "insutype": person.insutype,
                    "psn_type": psn_type(person.insutype, person.category, person.employment),
                    "insuplc_admdvs": person.insuplc_admdvs,
                    "balc": f"{from_fen(balance)}",
                    "insured": person.insured,
                    "patient": {
                        "category": person.category,
                        "employment": person.employment,
                        "retired_on": None if person.retired_on is None else person.retired_on.isoformat(),
                        "poverty_registered": person.poverty_registered,
                        "family_doctor": any(s.family_doctor for s in signings),
                        "contracted_facilities": [s.facility_id for s in signings],
                        "enrolled_on": None if person.enrolled_on is None else person.enrolled_on.isoformat(),
                        "chronic_diseases": list(chronic_diseases_on(connection, person.id, day)),
                        "benefit_suspended": person.benefit_suspended,
                    },
                    "cards": [
                        {
                            "mdtrt_cert_type": _CARD_TYPES[card.kind],
                            "mdtrt_cert_no": card.number,
                            "card_sn": card.card_sn,
                        }
                        for card in person.cards
                        if card.valid and card.kind in _CARD_TYPES
                    ],
                    "filings": [
                        {
                            "kind": filing.kind,
                            "place_admdvs": filing.place_admdvs,
                            "valid_from": filing.valid_from.isoformat(),
                            "valid_until": None if filing.valid_until is None else filing.valid_until.isoformat(),
                        }
                        for filing in filings_of(connection, person.id)
                    ],
                }
            )
        catalogue = [
            {
                "med_list_codg": item.code,
                "med_list_name": item.name,
                "kind": item.kind,
                "class": item.item_class,
                "pric": f"{from_fen(item.price_fen)}",
            }
            for item in session.scalars(select(CatalogueItem).order_by(CatalogueItem.code))
        ]
    return {"facilities": facilities, "persons": persons, "catalogue": catalogue}


# Local card kinds to 就诊凭证类型: 01 e-voucher, 03 social security card (ID cards go by certno).
_CARD_TYPES = {"evoucher": "01", "ssc": "03"}


def merged(*rosters: dict[str, Any]) -> dict[str, Any]:
    """Several clinics' rosters as one agency's: each facility, person and line once."""
    keys = {"facilities": "fixmedins_code", "persons": "psn_no", "catalogue": "med_list_codg"}
    return {
        section: list({entry[key]: entry for roster in rosters for entry in roster[section]}.values())
        for section, key in keys.items()
    }
