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

from sqlalchemy import select, update

from db.models import Person
from db.session import Store
from desktop.agency import AgencyRefusedError, Reply, Sender, codes
from desktop.agency.messages import Message, PersonQuery
from desktop.agency.replies import read_person
from desktop.agency.wire import ProtocolError
from desktop.identity.reads import CardKind, CardRead
from desktop.money import to_fen
from desktop.sync.client import AgencyBusy, AgencyClient, AgencyUnreachable, OutcomeUnknown, utc_now
from desktop.sync.outbox import audit, waiting_for_person
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
            info = read_person(self.sessions.call(self.place, query))
        except AgencyRefusedError:
            return None
        except ProtocolError as exc:
            raise AgencySilent(f"the agency's answer could not be read: {exc}") from None
        with self.store.reading() as session:
            person_id = session.scalar(select(Person.id).where(Person.psn_no == info.psn_no))
            insutype = session.scalar(select(Person.insutype).where(Person.psn_no == info.psn_no))
        insurance = info.insurance(insutype) if insutype else None
        insured = None if insurance is None or not insurance.psn_insu_stas else insurance.psn_insu_stas == "1"
        balance = None if insurance is None else insurance.balc
        if person_id is not None:
            self._refresh(person_id, insured, balance)
        return OnlineAnswer(info.psn_no, info.certno, info.psn_name, insured, balance, person_id is not None)

    def _refresh(self, person_id: int, insured: bool | None, balance: Decimal | None) -> None:
        now = self.clock()
        values: dict[str, object] = {"roster_updated_at": now}
        if insured is not None:
            values["insured"] = insured
        with self.store.write_connection() as connection:
            # The agency's balance lacks what this counter spent and has not yet sent.
            if balance is not None and not waiting_for_person(connection, person_id):
                values["account_balance_fen"] = to_fen(balance)
            connection.execute(update(Person).where(Person.id == person_id).values(**values))
            detail = {key: value for key, value in values.items() if key != "roster_updated_at"}
            audit(connection, now, None, "standing_from_agency", "person", person_id, detail)
