"""What the sandbox agency knows before any clinic calls: facilities, insured persons, the catalogue.

Seeded from a JSON file (``--roster FILE``) or ``POST /_admin/roster``:

```json
{"facilities": [{"fixmedins_code": "H36012100101", "fixmedins_name": "幽兰镇卫生院", "id": "T01",
                 "kind": "township_health_center", "level": 1, "parent_id": null, "in_city": true,
                 "designated_resident": true, "designated_employee": true, "admdvs": "360121"}],
 "persons": [{"psn_no": "36010000000000000001", "certno": "360121196006150013", "psn_name": "张伟",
              "gend": "1", "brdy": "1960-06-15", "policy": "nanchang-resident", "insutype": "390",
              "psn_type": "1501", "insuplc_admdvs": "360121", "balc": "0.00", "insured": true,
              "patient": {"contracted_facilities": ["T01"], "family_doctor": false},
              "cards": [{"mdtrt_cert_type": "03", "mdtrt_cert_no": "A1234567", "card_sn": "SN01"}],
              "filings": [{"kind": "relocation", "place_admdvs": "440200", "valid_from": "2024-01-01",
                           "valid_until": null}]}],
 "catalogue": [{"med_list_codg": "XA01", "med_list_name": "阿莫西林胶囊", "kind": "drug", "class": "A",
                "pric": "12.50"}],
 "diagnoses": [{"diag_code": "J06.900", "diag_name": "急性上呼吸道感染", "vali_flag": "1"}]}
```

``diagnoses`` is the agency's diagnosis catalogue, downloaded with 1307; ``vali_flag``
"0" withdraws a code.

``patient`` holds the quote contract's patient fields except ``birth_date`` and
``account_balance``, which come from ``brdy`` and ``balc``; it is checked with the
contract's own reader, so a bad value is refused here, naming it, not at the first 2207.
``filings`` (optional) are the person's out-of-area filings (异地备案, ``kind`` relocation
异地安置 or referral 转诊备案) the agency holds: with the person's ``insuplc_admdvs`` and the
facility's ``admdvs`` they decide an out-of-area visit as the counter does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from desktop.agency.codes import POOLING_FUND
from desktop.agency.wire import ProtocolError
from desktop.divisions import is_division
from desktop.money import AmountError, parse_amount
from desktop.policy import PolicyBook
from desktop.policy.codec import InputError, read_request
from desktop.policy.types import FacilityKind, ItemClass, ItemKind

_FACILITY_KINDS = {kind.value for kind in FacilityKind}
_ITEM_KINDS = {kind.value for kind in ItemKind}
_ITEM_CLASSES = {c.value for c in ItemClass}


@dataclass(frozen=True, slots=True)
class RosterFacility:
    fixmedins_code: str
    fixmedins_name: str
    id: str
    kind: str
    level: int
    parent_id: str | None
    in_city: bool
    designated_resident: bool
    designated_employee: bool
    admdvs: str


@dataclass(frozen=True, slots=True)
class Card:
    mdtrt_cert_type: str
    mdtrt_cert_no: str
    card_sn: str


@dataclass(frozen=True, slots=True)
class RosterFiling:
    kind: str
    place_admdvs: str
    valid_from: dt.date
    valid_until: dt.date | None


@dataclass(frozen=True, slots=True)
class RosterPerson:
    psn_no: str
    certno: str
    psn_name: str
    gend: str
    brdy: dt.date
    policy: str
    insutype: str
    psn_type: str
    insuplc_admdvs: str
    balc: Decimal
    insured: bool
    patient: Mapping[str, Any]
    cards: tuple[Card, ...]
    filings: tuple[RosterFiling, ...] = ()


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    med_list_codg: str
    med_list_name: str
    kind: str
    item_class: str
    pric: Decimal


@dataclass(frozen=True, slots=True)
class DiagnosisListing:
    diag_code: str
    diag_name: str
    vali_flag: str


@dataclass(frozen=True, slots=True)
class Roster:
    facilities: tuple[RosterFacility, ...]
    persons: tuple[RosterPerson, ...]
    catalogue: tuple[CatalogueEntry, ...]
    diagnoses: tuple[DiagnosisListing, ...] = ()


def read_roster(raw: Any, book: PolicyBook) -> Roster:
    if not isinstance(raw, Mapping):
        raise ProtocolError("(roster)", "must be a JSON object with facilities, persons and catalogue")
    unknown = set(raw) - {"facilities", "persons", "catalogue", "diagnoses"}
    if unknown:
        raise ProtocolError(sorted(unknown)[0], "unknown section; expected facilities, persons, catalogue or diagnoses")
    return Roster(
        facilities=tuple(_facility(r, f"facilities[{i}]") for i, r in enumerate(_list(raw, "facilities"))),
        persons=tuple(_person(r, f"persons[{i}]", book) for i, r in enumerate(_list(raw, "persons"))),
        catalogue=tuple(_entry(r, f"catalogue[{i}]") for i, r in enumerate(_list(raw, "catalogue"))),
        diagnoses=tuple(_diagnosis(r, f"diagnoses[{i}]") for i, r in enumerate(_list(raw, "diagnoses"))),
    )


def _diagnosis(record: Any, where: str) -> DiagnosisListing:
    flag = _text(record, "vali_flag", where, default="1")
    if flag not in ("0", "1"):
        raise ProtocolError(f"{where}.vali_flag", f"{flag!r} is not 0 or 1")
    return DiagnosisListing(_text(record, "diag_code", where), _text(record, "diag_name", where), flag)


def _list(raw: Mapping[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise ProtocolError(key, "must be a list")
    return value


def _text(record: Any, key: str, where: str, default: str | None = None) -> str:
    if not isinstance(record, Mapping):
        raise ProtocolError(where, "must be a JSON object")
    value = record.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        raise ProtocolError(f"{where}.{key}", "is required text" if value is None else f"{value!r} is not text")
    return value


def _flag(record: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = record.get(key, default)
    if not isinstance(value, bool):
        raise ProtocolError(f"{where}.{key}", f"{value!r} is not true or false")
    return value


def _money(record: Mapping[str, Any], key: str, where: str, default: str = "0.00") -> Decimal:
    value = record.get(key, default)
    try:
        return parse_amount(value if isinstance(value, str) else "")
    except AmountError as exc:
        raise ProtocolError(f"{where}.{key}", f'{value!r}: {exc}; write amounts as text like "12.50"') from None


def _facility(record: Any, where: str) -> RosterFacility:
    code = _text(record, "fixmedins_code", where)
    kind = _text(record, "kind", where)
    if kind not in _FACILITY_KINDS:
        raise ProtocolError(f"{where}.kind", f"{kind!r} is not one of {', '.join(sorted(_FACILITY_KINDS))}")
    level = record.get("level", 1)
    if level not in (1, 2, 3) or isinstance(level, bool):
        raise ProtocolError(f"{where}.level", f"{level!r} is not a hospital grade 1, 2 or 3")
    parent = record.get("parent_id")
    if parent is not None and not isinstance(parent, str):
        raise ProtocolError(f"{where}.parent_id", "must be text or null")
    return RosterFacility(
        fixmedins_code=code,
        fixmedins_name=_text(record, "fixmedins_name", where, default=code),
        id=_text(record, "id", where, default=code),
        kind=kind,
        level=level,
        parent_id=parent,
        in_city=_flag(record, "in_city", where, True),
        designated_resident=_flag(record, "designated_resident", where, True),
        designated_employee=_flag(record, "designated_employee", where, True),
        admdvs=_text(record, "admdvs", where, default=""),
    )


def _person(record: Any, where: str, book: PolicyBook) -> RosterPerson:
    brdy_text = _text(record, "brdy", where)
    try:
        brdy = dt.date.fromisoformat(brdy_text)
    except ValueError:
        raise ProtocolError(f"{where}.brdy", f"{brdy_text!r} is not a date like 1960-06-15") from None
    policy = _text(record, "policy", where)
    balc = _money(record, "balc", where)
    patient = record.get("patient", {})
    if not isinstance(patient, Mapping) or {"birth_date", "account_balance"} & set(patient):
        raise ProtocolError(f"{where}.patient", "must be an object without birth_date or account_balance")
    check_patient(policy, brdy, balc, patient, book, where)
    insutype = _text(record, "insutype", where)
    if insutype not in POOLING_FUND:
        raise ProtocolError(f"{where}.insutype", f"{insutype!r} is not {' or '.join(POOLING_FUND)}")
    cards = record.get("cards", [])
    if not isinstance(cards, list):
        raise ProtocolError(f"{where}.cards", "must be a list")
    filings = record.get("filings", [])
    if not isinstance(filings, list):
        raise ProtocolError(f"{where}.filings", "must be a list")
    return RosterPerson(
        psn_no=_text(record, "psn_no", where),
        certno=_text(record, "certno", where),
        psn_name=_text(record, "psn_name", where),
        gend=_text(record, "gend", where, default="1"),
        brdy=brdy,
        policy=policy,
        insutype=insutype,
        psn_type=_text(record, "psn_type", where, default=""),
        insuplc_admdvs=_text(record, "insuplc_admdvs", where),
        balc=balc,
        insured=_flag(record, "insured", where, True),
        patient=dict(patient),
        cards=tuple(_card(c, f"{where}.cards[{i}]") for i, c in enumerate(cards)),
        filings=tuple(_filing(f, f"{where}.filings[{i}]") for i, f in enumerate(filings)),
    )


def _filing(record: Any, where: str) -> RosterFiling:
    kind = _text(record, "kind", where)
    if kind not in ("relocation", "referral"):
        raise ProtocolError(f"{where}.kind", f"{kind!r} is not relocation or referral")
    place = _text(record, "place_admdvs", where)
    if not is_division(place):
        raise ProtocolError(f"{where}.place_admdvs", f"{place!r} is not a six-digit division code")
    until = record.get("valid_until")
    return RosterFiling(
        kind, place, _date(record.get("valid_from"), f"{where}.valid_from"),
        None if until is None else _date(until, f"{where}.valid_until"),
    )  # fmt: skip


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value if isinstance(value, str) else "")
    except ValueError:
        raise ProtocolError(where, f"{value!r} is not a date like 2024-01-01") from None


def check_patient(
    policy: str, brdy: dt.date, balc: Decimal, patient: Mapping[str, Any], book: PolicyBook, where: str
) -> None:
    """Run the person through the quote contract's reader once, on their birthday."""
    probe = {
        "policy": policy,
        "visit_date": brdy.isoformat(),
        "patient": {**patient, "birth_date": brdy.isoformat(), "account_balance": f"{balc:.2f}"},
        "facility": {"id": "-", "kind": "village_clinic"},
    }
    try:
        read_request(json.loads(json.dumps(probe)), known_policy=lambda name: name in book.policies)
    except InputError as exc:
        raise ProtocolError(f"{where}.{exc.field}", exc.message) from None


def _card(record: Any, where: str) -> Card:
    kind = _text(record, "mdtrt_cert_type", where)
    if kind not in ("01", "02", "03"):
        raise ProtocolError(f"{where}.mdtrt_cert_type", f"{kind!r} is not 01, 02 or 03")
    return Card(kind, _text(record, "mdtrt_cert_no", where), _text(record, "card_sn", where, default=""))


def _entry(record: Any, where: str) -> CatalogueEntry:
    kind = _text(record, "kind", where)
    if kind not in _ITEM_KINDS:
        raise ProtocolError(f"{where}.kind", f"{kind!r} is not one of {', '.join(sorted(_ITEM_KINDS))}")
    item_class = _text(record, "class", where)
    if item_class not in _ITEM_CLASSES:
        raise ProtocolError(f"{where}.class", f"{item_class!r} is not A, B or C")
    return CatalogueEntry(
        med_list_codg=_text(record, "med_list_codg", where),
        med_list_name=_text(record, "med_list_name", where, default=""),
        kind=kind,
        item_class=item_class,
        pric=_money(record, "pric", where),
    )
