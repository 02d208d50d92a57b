"""The identity check online (1101): the agency's word on a card, an ID number or an e-voucher.

Offline the counter checks the local roster; when the agency answers, the same read is
asked of it too. An e-voucher's QR token means nothing to the roster (it changes every
minute on the patient's phone): only 1101 turns it into a person, whose ID number the
offline check then reads. For every kind of read the answer refreshes the person's
standing on the roster (insured this year, account balance), which the settlement uses.

One try with a short timeout and no retries: a clerk with a queue waits for nothing, and
the offline check goes on when the agency is silent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from db.models import Person
from db.session import Store
from desktop.agency import AgencyRefusedError, Reply, Sender, codes
from desktop.agency.messages import Message, PersonQuery
from desktop.agency.replies import Insurance, read_person
from desktop.agency.wire import ProtocolError
from desktop.identity.reads import CardKind, CardRead
from desktop.money import to_fen
from desktop.sync.client import AgencyBusy, AgencyClient, AgencyUnreachable, OutcomeUnknown, is_session_lost, utc_now
from desktop.sync.outbox import waiting_for_person
from desktop.sync.refresh import store_standing
from desktop.sync.sessions import Operator, Place, Sessions

CERTIFICATE_OF_KIND = {
    CardKind.EVOUCHER: codes.E_VOUCHER,
    CardKind.ID_NUMBER: codes.ID_CARD,
    CardKind.SOCIAL_SECURITY_CARD: codes.SOCIAL_SECURITY_CARD,
}


class AgencySilent(Exception):  # noqa: N818 — the state of the line, as the clerk is told it
    """The agency did not answer; the offline check stands alone."""


@dataclass(frozen=True, slots=True)
class OnlineAnswer:
    """What the agency says of the person the read names."""

    psn_no: str
    id_number: str
    name: str
    insured: bool | None  # None when the agency lists no insurance of the person's kind here
    balance: Decimal | None
    on_roster: bool  # the local roster knows this person (and was refreshed)

    def as_read(self, read: CardRead) -> CardRead:
        """The read for the offline check: an e-voucher becomes the ID number it stands for."""
        if read.kind is CardKind.EVOUCHER:
            return CardRead(CardKind.ID_NUMBER, self.id_number, holder_id_number=self.id_number)
        return read


class OnlineCheck:
    def __init__(
        self,
        store: Store,
        client: AgencyClient,
        operator: Operator,
        place: Place,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.store = store
        self.client = client
        self.place = place
        self.clock = clock
        self.sessions = Sessions(store, operator, self._once, clock)

    def _once(self, sender: Sender, message: Message, msgid: str, insuplc_admdvs: str) -> Reply:
        try:
            return self.client.send(sender, message, msgid, insuplc_admdvs)
        except (AgencyUnreachable, OutcomeUnknown, AgencyBusy) as exc:
            raise AgencySilent(str(exc)) from None

    def ask(self, read: CardRead) -> OnlineAnswer | None:
        """The agency's answer, None when it knows no such credential; ``AgencySilent`` offline."""
        query = PersonQuery(
            mdtrt_cert_type=CERTIFICATE_OF_KIND[read.kind], mdtrt_cert_no=read.number.strip(), card_sn=read.card_sn
        )
        try:
            info = read_person(self._call(query))
        except AgencyRefusedError:
            return None
        except ProtocolError as exc:
            raise AgencySilent(f"the agency's answer could not be read: {exc}") from None
        with self.store.reading() as session:
            person = session.execute(select(Person.id, Person.insutype).where(Person.psn_no == info.psn_no)).first()
        insurance = None if person is None else info.insurance(person.insutype)
        if person is not None:
            self._refresh(person.id, insurance)
        status = "" if insurance is None else insurance.psn_insu_stas
        return OnlineAnswer(
            psn_no=info.psn_no,
            id_number=info.certno,
            name=info.psn_name,
            insured=None if not status else status == "1",
            balance=None if insurance is None else insurance.balc,
            on_roster=person is not None,
        )

    def _call(self, query: PersonQuery) -> Reply:
        """1101 in the session; a session the agency forgot is signed in again, once."""
        try:
            return self.sessions.call(self.place, query)
        except AgencyRefusedError as exc:
            if not is_session_lost(exc.err_msg):
                raise
            self.sessions.forget(self.place.fixmedins_code)
            return self.sessions.call(self.place, query)

    def _refresh(self, person_id: int, insurance: Insurance | None) -> None:
        with self.store.write_connection() as connection:
            # The agency's balance lacks what this counter spent and has not yet sent.
            balance = None
            if insurance is not None and not waiting_for_person(connection, person_id):
                balance = to_fen(insurance.balc)
            status = "" if insurance is None else insurance.psn_insu_stas
            area = "" if insurance is None else insurance.insuplc_admdvs
            store_standing(connection, person_id, balance, status, self.clock(), insured_area=area)
