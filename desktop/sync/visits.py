"""What the agency's messages say about one settled visit, read from the store in bulk.

The relay sends a settlement as 2201 registration → 2203 visit → 2204 fees → 2207
settlement, and a reversal (冲正) as 2208; each is built here from the stored visit, so
a message sent again after a crash or a timeout says exactly what the first one said.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import Connection, select

from db.models import Diagnosis, Facility, Person, Reversal, Settlement, Staff, Visit, VisitItem
from desktop.agency import Sender, codes
from desktop.agency.messages import Message
from desktop.agency.msgid import CHINA
from desktop.agency.outpatient import CancelSettlement, FeeDetail, FeeUpload, Registration, VisitInfo
from desktop.agency.outpatient import Diagnosis as AgencyDiagnosis
from desktop.agency.outpatient import Reversal as AgencyReversal
from desktop.agency.outpatient import Settlement as AgencySettlement
from desktop.agency.wire import ProtocolError
from desktop.money import from_fen

# Village clinics and township centres see patients in general practice (全科医疗科, A03
# in the national department code table); the clinic keeps no departments of its own.
DEPARTMENT_CODE = "A03"
DEPARTMENT_NAME = "全科医疗科"
# The patient is identified to the agency by resident ID number (mdtrt_cert_type 02):
# every person on the roster has one, and a card read at the counter resolves to it.
CERTIFICATE_TYPE = codes.ID_CARD


@dataclass(frozen=True, slots=True)
class Line:
    line_no: int
    code: str
    quantity: Decimal
    price: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class VisitFacts:
    settlement_id: int
    visit_id: int
    settlement_msgid: str
    visit_date: dt.date
    began_at: dt.datetime
    person_id: int
    psn_no: str
    id_number: str
    insutype: str
    insuplc_admdvs: str
    facility_id: str
    fixmedins_code: str
    fixmedins_name: str
    admdvs: str
    staff_username: str
    staff_name: str
    emergency: bool
    disease: str | None
    lines: tuple[Line, ...]
    diagnoses: tuple[tuple[str, str], ...]
    total: Decimal
    in_scope: Decimal
    out_of_scope: Decimal
    fund: Decimal
    account: Decimal
    cash: Decimal
    agency_mdtrt_id: str | None
    agency_setl_id: str | None
    reversed: bool

    @property
    def med_type(self) -> str:
        if self.disease:
            return codes.CHRONIC_OUTPATIENT
        return codes.EMERGENCY if self.emergency else codes.GENERAL_OUTPATIENT

    @property
    def chrg_bchno(self) -> str:
        """The visit's charge batch: one per visit, as the clinic bills it once."""
        return f"B{self.visit_id}"

    def sender(self, sign_no: str) -> Sender:
        return Sender(
            fixmedins_code=self.fixmedins_code,
            fixmedins_name=self.fixmedins_name,
            mdtrtarea_admvs=self.admdvs,
            opter=self.staff_username,
            opter_name=self.staff_name,
            sign_no=sign_no,
        )

    def with_agency_ids(self, *, mdtrt_id: str | None = None, setl_id: str | None = None) -> VisitFacts:
        """These facts with what the agency has answered since they were read."""
        return replace(
            self,
            agency_mdtrt_id=mdtrt_id or self.agency_mdtrt_id,
            agency_setl_id=setl_id or self.agency_setl_id,
        )


def began_at(visit_date: dt.date, created_at: dt.datetime) -> dt.datetime:
    """When the visit began, for 2201's ``begntime``: the entry's time of day on the visit's date.

    A visit entered later from a paper ledger keeps its own date: the agency dates the
    visit, picks the policy version and counts the year by ``begntime``.
    """
    local = created_at.astimezone(CHINA)
    return dt.datetime.combine(visit_date, local.time().replace(microsecond=0), tzinfo=CHINA)


_FACTS = (
    select(
        Settlement.id,
        Settlement.visit_id,
        Settlement.msgid,
        Settlement.total_fen,
        Settlement.in_scope_fen,
        Settlement.out_of_scope_fen,
        Settlement.fund_fen,
        Settlement.account_fen,
        Settlement.cash_fen,
        Settlement.agency_mdtrt_id,
        Settlement.agency_setl_id,
        Visit.visit_date,
        Visit.created_at,
        Visit.emergency,
        Visit.disease,
        Person.id.label("person_id"),
        Person.psn_no,
        Person.id_number,
        Person.insutype,
        # The areas the visit was settled with (the person's may have changed since, by 1101).
        Settlement.insuplc_admdvs,
        Facility.id.label("facility_id"),
        Facility.code,
        Facility.name.label("facility_name"),
        Settlement.mdtrtarea_admvs.label("admdvs"),
        Staff.username,
        Staff.name.label("staff_name"),
        Reversal.id.label("reversal_id"),
    )
    .join(Visit, Visit.id == Settlement.visit_id)
    .join(Person, Person.id == Settlement.person_id)
    .join(Facility, Facility.id == Visit.facility_id)
    .join(Staff, Staff.id == Visit.staff_id)
    .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
)


CHUNK = 500  # ids per query: SQLite takes at most 32,766 parameters


def load_visits(connection: Connection, settlement_ids: Iterable[int]) -> dict[int, VisitFacts]:
    """The facts of each settlement named, in three queries per few hundred."""
    wanted = sorted(set(settlement_ids))
    found: dict[int, VisitFacts] = {}
    for start in range(0, len(wanted), CHUNK):
        found.update(_load(connection, wanted[start : start + CHUNK]))
    return found


def _load(connection: Connection, wanted: list[int]) -> dict[int, VisitFacts]:
    rows = connection.execute(_FACTS.where(Settlement.id.in_(wanted))).all()
    visit_ids = [row.visit_id for row in rows]
    lines: dict[int, list[Line]] = defaultdict(list)
    for item in connection.execute(
        select(VisitItem.visit_id, VisitItem.line_no, VisitItem.code, VisitItem.quantity, VisitItem.price_fen)
        .add_columns(VisitItem.amount_fen)
        .where(VisitItem.visit_id.in_(visit_ids))
        .order_by(VisitItem.visit_id, VisitItem.line_no)
    ):
        lines[item.visit_id].append(
            Line(item.line_no, item.code, Decimal(item.quantity), from_fen(item.price_fen), from_fen(item.amount_fen))
        )
    diagnoses: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for diagnosis in connection.execute(
        select(Diagnosis.visit_id, Diagnosis.code, Diagnosis.name)
        .where(Diagnosis.visit_id.in_(visit_ids))
        .order_by(Diagnosis.visit_id, Diagnosis.line_no)
    ):
        diagnoses[diagnosis.visit_id].append((diagnosis.code, diagnosis.name))
    return {
        row.id: VisitFacts(
            settlement_id=row.id,
            visit_id=row.visit_id,
            settlement_msgid=row.msgid,
            visit_date=row.visit_date,
            began_at=began_at(row.visit_date, row.created_at),
            person_id=row.person_id,
            psn_no=row.psn_no,
            id_number=row.id_number,
            insutype=row.insutype,
            insuplc_admdvs=row.insuplc_admdvs,
            facility_id=row.facility_id,
            fixmedins_code=row.code,
            fixmedins_name=row.facility_name,
            admdvs=row.admdvs,
            staff_username=row.username,
            staff_name=row.staff_name,
            emergency=row.emergency,
            disease=row.disease,
            lines=tuple(lines[row.visit_id]),
            diagnoses=tuple(diagnoses[row.visit_id]),
            total=from_fen(row.total_fen),
            in_scope=from_fen(row.in_scope_fen),
            out_of_scope=from_fen(row.out_of_scope_fen),
            fund=from_fen(row.fund_fen),
            account=from_fen(row.account_fen),
            cash=from_fen(row.cash_fen),
            agency_mdtrt_id=row.agency_mdtrt_id,
            agency_setl_id=row.agency_setl_id,
            reversed=row.reversal_id is not None,
        )
        for row in rows
    }


# --- the messages ---------------------------------------------------------------------


def _mdtrt_id(facts: VisitFacts) -> str:
    if not facts.agency_mdtrt_id:
        raise ProtocolError("mdtrt_id", f"settlement {facts.settlement_id} has no visit id from the agency (2201)")
    return facts.agency_mdtrt_id


def registration(facts: VisitFacts) -> Registration:
    return Registration(
        psn_no=facts.psn_no,
        insutype=facts.insutype,
        begntime=facts.began_at,
        mdtrt_cert_type=CERTIFICATE_TYPE,
        mdtrt_cert_no=facts.id_number,
        ipt_otp_no=f"MZ{facts.visit_id}",
        atddr_no=facts.staff_username,
        dr_name=facts.staff_name,
        dept_code=DEPARTMENT_CODE,
        dept_name=DEPARTMENT_NAME,
        caty=DEPARTMENT_CODE,
    )


def visit_info(facts: VisitFacts) -> VisitInfo:
    diagnoses = tuple(
        AgencyDiagnosis(
            diag_srt_no=number,
            diag_code=code,
            diag_name=name,
            diag_dept=DEPARTMENT_NAME,
            dise_dor_no=facts.staff_username,
            dise_dor_name=facts.staff_name,
            diag_time=facts.began_at,
        )
        for number, (code, name) in enumerate(facts.diagnoses, start=1)
    )
    disease = facts.disease or ""
    return VisitInfo(
        mdtrt_id=_mdtrt_id(facts),
        psn_no=facts.psn_no,
        begntime=facts.began_at,
        diagnoses=diagnoses,
        med_type=facts.med_type,
        dise_codg=disease,
        dise_name=disease,
    )


def fee_upload(facts: VisitFacts) -> FeeUpload:
    mdtrt_id = _mdtrt_id(facts)
    return FeeUpload(
        tuple(
            FeeDetail(
                feedetl_sn=f"{line.line_no}",
                mdtrt_id=mdtrt_id,
                psn_no=facts.psn_no,
                chrg_bchno=facts.chrg_bchno,
                fee_ocur_time=facts.began_at,
                med_list_codg=line.code,
                medins_list_codg=line.code,
                det_item_fee_sumamt=line.amount,
                cnt=line.quantity,
                pric=line.price,
                bilg_dept_codg=DEPARTMENT_CODE,
                bilg_dept_name=DEPARTMENT_NAME,
                bilg_dr_codg=facts.staff_username,
                bilg_dr_name=facts.staff_name,
            )
            for line in facts.lines
        )
    )


def settlement(facts: VisitFacts) -> AgencySettlement:
    # The account is used where the counter used it: the clinic took cash for the rest,
    # so the agency must not charge the account for a visit the patient paid in cash.
    return AgencySettlement(
        psn_no=facts.psn_no,
        mdtrt_cert_type=CERTIFICATE_TYPE,
        mdtrt_cert_no=facts.id_number,
        medfee_sumamt=facts.total,
        mdtrt_id=_mdtrt_id(facts),
        chrg_bchno=facts.chrg_bchno,
        insutype=facts.insutype,
        acct_used_flag=facts.account > 0,
        fulamt_ownpay_amt=facts.out_of_scope,
        inscp_scp_amt=facts.in_scope,
        med_type=facts.med_type,
    )


def cancellation(facts: VisitFacts) -> CancelSettlement:
    if not facts.agency_setl_id:
        raise ProtocolError("setl_id", f"settlement {facts.settlement_id} was never booked by the agency (2207)")
    return CancelSettlement(setl_id=facts.agency_setl_id, mdtrt_id=_mdtrt_id(facts), psn_no=facts.psn_no)


def reversal(facts: VisitFacts) -> AgencyReversal:
    """2601 for the settlement's 2207, whose outcome is unknown, after the clinic reversed it."""
    return AgencyReversal(psn_no=facts.psn_no, omsgid=facts.settlement_msgid, oinfno="2207")


BUILDERS: dict[str, Callable[[VisitFacts], Message]] = {
    "2201": registration,
    "2203": visit_info,
    "2204": fee_upload,
    "2207": settlement,
    "2208": cancellation,
}


def message_for(infno: str, facts: VisitFacts) -> Message:
    builder = BUILDERS.get(infno)
    if builder is None:
        raise ProtocolError("infno", f"the outbox holds a {infno!r}, which the relay does not send")
    return builder(facts)
