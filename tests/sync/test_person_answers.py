"""A 1101 answer is about the person asked about, or nothing of it is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from db.models import Person
from db.session import Store
from desktop.agency import parse_reply
from desktop.agency.messages import Message
from desktop.agency.wire import ProtocolError
from desktop.sync.refresh import refresh_person
from desktop.sync.sessions import Place

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
PLACE = Place("H36012100101", "南昌县幽兰镇卫生院", "360121")


def _agency_about(psn_no: str, certno: str) -> Any:
    """An agency that answers 5206 with nothing, and 1101 about whom it likes."""

    def call(_place: Place, message: Message, _insuplc: str) -> Any:
        if message.infno == "5206":
            return parse_reply({"infcode": 0, "output": {"cuminfo": []}})
        base = {"psn_no": psn_no, "psn_cert_type": "01", "certno": certno, "psn_name": "某", "gend": "1", "age": 60}
        insurance = {"balc": "999.00", "insutype": "390", "psn_type": "1501", "cvlserv_flag": "0"}
        return parse_reply(
            {"infcode": 0, "output": {"baseinfo": base, "insuinfo": [{**insurance, "insuplc_admdvs": "360121"}]}}
        )

    return call


@pytest.mark.parametrize("who", ["another psn_no", "another ID number"])
def test_an_answer_about_someone_else_is_refused_and_nothing_is_stored(store: Store, who: str) -> None:
    with store.reading() as session:
        person = session.scalars(select(Person).where(Person.insutype == "390")).first()
        assert person is not None
        balance, psn_no, id_number, person_id = person.account_balance_fen, person.psn_no, person.id_number, person.id
    wrong = ("36019999999999999999", id_number) if who == "another psn_no" else (psn_no, "110101199001011237")
    with pytest.raises(ProtocolError, match="another"):
        refresh_person(store, _agency_about(*wrong), PLACE, person_id, {2026}, NOW)
    with store.reading() as session:
        assert session.get(Person, person_id).account_balance_fen == balance  # type: ignore[union-attr]
    refreshed = refresh_person(store, _agency_about(psn_no, id_number), PLACE, person_id, {2026}, NOW)
    assert refreshed is not None
    with store.reading() as session:
        assert session.get(Person, person_id).account_balance_fen == 99_900  # type: ignore[union-attr]
