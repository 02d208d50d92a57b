"""What the agency's messages say about one settled visit, read from the store in bulk.

The relay sends a settlement as 2201 registration → 2203 visit → 2204 fees → 2207
settlement, and a reversal (冲正) as 2208; each is built here from the stored visit, so
a message sent again after a crash or a timeout says exactly what the first one said.

The agency knows things by its own names: the diagnosing doctor by the practitioner code
(医保医师代码) on the staff record, each item by the national code it is mapped to
(医保目录对照, reviewed by staff), a chronic disease by its national code and name
(``resources/agency/chronic_diseases.toml``). Whatever lacks one cannot be sent, and the
message says which: the record is set aside until staff supply it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, select
from sqlalchemy.orm import aliased

from db.models import (
    CatalogueMapping,
    Diagnosis,
    Facility,
    Person,
    Reversal,
    Settlement,
    Staff,
    Visit,
    VisitItem,
)
from desktop.agency import Sender, codes
from desktop.agency.chronic import disease as chronic_disease
from desktop.agency.messages import Message
from desktop.agency.msgid import CHINA
from desktop.agency.outpatient import (
    CancelFees,
    CancelRegistration,
    CancelSettlement,
    FeeDetail,
    FeeUpload,
    Registration,
    VisitInfo,
)
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
    name: str = ""
    national_code: str | None = None  # reviewed 医保目录对照, or None


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A member of staff: username and name, and their practitioner code if they are a doctor."""

    username: str
    name: str
    practitioner_code: str | None = None


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
    doctor: StaffMember | None  # the diagnosing doctor, with a practitioner code
    reverser: StaffMember | None  # who reversed the settlement at the counter
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

    @property
    def ipt_otp_no(self) -> str:
        """The visit's outpatient number (门诊号), unique in the clinic."""
        return f"MZ{self.visit_id}"

    def sender(self, sign_no: str, infno: str = "") -> Sender:
        """The envelope's operator: who settled, or for a reversal's 2208/2601 who reversed."""
        operator = self.reverser if infno in REVERSAL_INFNOS and self.reverser is not None else None
        return Sender(
            fixmedins_code=self.fixmedins_code,
            fixmedins_name=self.fixmedins_name,
            mdtrtarea_admvs=self.admdvs,
            opter=operator.username if operator else self.staff_username,
            opter_name=operator.name if operator else self.staff_name,
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


# A reversal's own messages: the cancel of a booked settlement, or 2601 for one not booked.
REVERSAL_INFNOS = frozenset({"2208", "2601", "2202", "2205"})
_doctor = aliased(Staff)
_reverser = aliased(Staff)
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
        Staff.practitioner_code.label("staff_code"),
        _doctor.username.label("doctor_username"),
        _doctor.name.label("doctor_name"),
        _doctor.practitioner_code.label("doctor_code"),
        Reversal.id.label("reversal_id"),
        _reverser.username.label("reverser_username"),
        _reverser.name.label("reverser_name"),
    )
    .join(Visit, Visit.id == Settlement.visit_id)
    .join(Person, Person.id == Settlement.person_id)
    .join(Facility, Facility.id == Visit.facility_id)
    .join(Staff, Staff.id == Visit.staff_id)
    .outerjoin(_doctor, _doctor.id == Visit.doctor_id)
    .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
    .outerjoin(_reverser, _reverser.id == Reversal.staff_id)
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
    reviewed = and_(CatalogueMapping.code == VisitItem.code, CatalogueMapping.state == REVIEWED)
    for item in connection.execute(
        select(VisitItem.visit_id, VisitItem.line_no, VisitItem.code, VisitItem.quantity, VisitItem.price_fen)
        .add_columns(VisitItem.amount_fen, VisitItem.name, CatalogueMapping.national_code)
        .outerjoin(CatalogueMapping, reviewed)
        .where(VisitItem.visit_id.in_(visit_ids))
        .order_by(VisitItem.visit_id, VisitItem.line_no)
    ):
        lines[item.visit_id].append(
            Line(
                item.line_no,
                item.code,
                Decimal(item.quantity),
                from_fen(item.price_fen),
                from_fen(item.amount_fen),
                item.name,
                item.national_code,
            )
        )
    diagnoses: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for diagnosis in connection.execute(
        select(Diagnosis.visit_id, Diagnosis.code, Diagnosis.name)
        .where(Diagnosis.visit_id.in_(visit_ids))
        .order_by(Diagnosis.visit_id, Diagnosis.line_no)
    ):
        diagnoses[diagnosis.visit_id].append((diagnosis.code, diagnosis.name))
    practitioners = _practitioners(connection, {row.facility_id for row in rows})
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
            doctor=_doctor_of(row, practitioners),
            reverser=None if row.reverser_username is None else StaffMember(row.reverser_username, row.reverser_name),
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


REVIEWED = "reviewed"


def _practitioners(connection: Connection, facilities: set[str]) -> dict[str, list[StaffMember]]:
    """Each facility's active doctors with a practitioner code."""
    found: dict[str, list[StaffMember]] = defaultdict(list)
    for staff in connection.execute(
        select(Staff.facility_id, Staff.username, Staff.name, Staff.practitioner_code)
        .where(Staff.facility_id.in_(facilities), Staff.active.is_(True), Staff.practitioner_code.is_not(None))
        .order_by(Staff.id)
    ):
        found[staff.facility_id].append(StaffMember(staff.username, staff.name, staff.practitioner_code))
    return found


def _doctor_of(row: Any, practitioners: dict[str, list[StaffMember]]) -> StaffMember | None:
    """The visit's diagnosing doctor: the one recorded with it; for a visit settled before the
    counter recorded one, whoever settled it if a doctor, else the facility's only doctor."""
    if row.doctor_username is not None:
        return StaffMember(row.doctor_username, row.doctor_name, row.doctor_code)
    if row.staff_code:
        return StaffMember(row.username, row.staff_name, row.staff_code)
    here = practitioners.get(row.facility_id, [])
    return here[0] if len(here) == 1 else None


# --- the messages ---------------------------------------------------------------------


def _mdtrt_id(facts: VisitFacts) -> str:
    if not facts.agency_mdtrt_id:
        raise ProtocolError("mdtrt_id", f"settlement {facts.settlement_id} has no visit id from the agency (2201)")
    return facts.agency_mdtrt_id


def doctor(facts: VisitFacts, field: str) -> StaffMember:
    """The visit's diagnosing doctor, with a practitioner code, or ``ProtocolError`` saying who lacks one."""
    found = facts.doctor
    if found is None:
        raise ProtocolError(
            field,
            f"visit {facts.visit_id} names no diagnosing doctor, and {facts.staff_username} who settled it has no "
            "practitioner code (医保医师代码): give the doctor's code with clinic-pos staff practitioner",
        )
    if not found.practitioner_code:
        raise ProtocolError(
            field,
            f"doctor {found.username} ({found.name}) has no practitioner code (医保医师代码): "
            "give it with clinic-pos staff practitioner",
        )
    return found


def registration(facts: VisitFacts) -> Registration:
    attending = doctor(facts, "input.data.atddr_no")
    return Registration(
        psn_no=facts.psn_no,
        insutype=facts.insutype,
        begntime=facts.began_at,
        mdtrt_cert_type=CERTIFICATE_TYPE,
        mdtrt_cert_no=facts.id_number,
        ipt_otp_no=facts.ipt_otp_no,
        atddr_no=attending.practitioner_code or "",
        dr_name=attending.name,
        dept_code=DEPARTMENT_CODE,
        dept_name=DEPARTMENT_NAME,
        caty=DEPARTMENT_CODE,
    )


def visit_info(facts: VisitFacts) -> VisitInfo:
    diagnosing = doctor(facts, "input.diseinfo.dise_dor_no")
    diagnoses = tuple(
        AgencyDiagnosis(
            diag_srt_no=number,
            diag_code=code,
            diag_name=name,
            diag_dept=DEPARTMENT_NAME,
            dise_dor_no=diagnosing.practitioner_code or "",
            dise_dor_name=diagnosing.name,
            diag_time=facts.began_at,
            main=number == 1,  # the first diagnosis entered is the main one (主诊断)
        )
        for number, (code, name) in enumerate(facts.diagnoses, start=1)
    )
    chronic = None if not facts.disease else chronic_disease(facts.disease)
    return VisitInfo(
        mdtrt_id=_mdtrt_id(facts),
        psn_no=facts.psn_no,
        begntime=facts.began_at,
        diagnoses=diagnoses,
        med_type=facts.med_type,
        dise_codg="" if chronic is None else chronic.code,
        dise_name="" if chronic is None else chronic.name,
    )


def _national_code(line: Line, index: int) -> str:
    if not line.national_code:
        raise ProtocolError(
            f"input.feedetail[{index}].med_list_codg",
            f"item {line.code} {line.name} has no reviewed national code (医保目录对照): map it on the "
            "目录对照 page or with clinic-pos catalogue map, then send the record again",
        )
    return line.national_code


def fee_upload(facts: VisitFacts) -> FeeUpload:
    mdtrt_id = _mdtrt_id(facts)
    billing = doctor(facts, "input.feedetail.bilg_dr_codg")
    chronic = None if not facts.disease else chronic_disease(facts.disease)
    return FeeUpload(
        tuple(
            FeeDetail(
                feedetl_sn=f"{line.line_no}",
                mdtrt_id=mdtrt_id,
                psn_no=facts.psn_no,
                chrg_bchno=facts.chrg_bchno,
                fee_ocur_time=facts.began_at,
                med_list_codg=_national_code(line, index),
                medins_list_codg=line.code,
                det_item_fee_sumamt=line.amount,
                cnt=line.quantity,
                pric=line.price,
                bilg_dept_codg=DEPARTMENT_CODE,
                bilg_dept_name=DEPARTMENT_NAME,
                bilg_dr_codg=billing.practitioner_code or "",
                bilg_dr_name=billing.name,
                dise_codg="" if chronic is None else chronic.code,
            )
            for index, line in enumerate(facts.lines)
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


def reversal(facts: VisitFacts, omsgid: str | None = None, oinfno: str = "2207") -> AgencyReversal:
    """2601 for a 2207 (or 2208) whose outcome is unknown: the settlement's own, after the clinic
    reversed it, or ``omsgid`` when the relay settles an unknown outcome."""
    return AgencyReversal(psn_no=facts.psn_no, omsgid=omsgid or facts.settlement_msgid, oinfno=oinfno)


def cancel_fees(facts: VisitFacts) -> CancelFees:
    """2205 for the visit's uploaded fee details, which the agency will not settle."""
    return CancelFees(mdtrt_id=_mdtrt_id(facts), chrg_bchno=facts.chrg_bchno, psn_no=facts.psn_no)


def cancel_registration(facts: VisitFacts) -> CancelRegistration:
    """2202 for the visit the agency registered, which it will not settle."""
    return CancelRegistration(psn_no=facts.psn_no, mdtrt_id=_mdtrt_id(facts), ipt_otp_no=facts.ipt_otp_no)


BUILDERS: dict[str, Callable[[VisitFacts], Message]] = {
    "2201": registration,
    "2203": visit_info,
    "2204": fee_upload,
    "2207": settlement,
    "2208": cancellation,
    "2601": reversal,
    "2205": cancel_fees,
    "2202": cancel_registration,
}


def message_for(infno: str, facts: VisitFacts) -> Message:
    builder = BUILDERS.get(infno)
    if builder is None:
        raise ProtocolError("infno", f"the outbox holds a {infno!r}, which the relay does not send")
    return builder(facts)
