"""The clinic's records. Money is integer fen; rates are two-decimal text.

Settled rows are never updated in their amounts or deleted: a correction is a reversal
row, and the accumulators move by the reversal's own amounts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from db.audit_rules import AGENCY_FIGURES, AUDIT, DELIVERY, SET_BY_SYNC, Chained

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Every state a settlement can be in, for the column comment and for anyone who lists them.
SETTLEMENT_STATUSES = (
    "pending (not yet booked by the agency), unknown (sent; whether the agency booked it is being found out: "
    "2601 on its msgid), confirmed, differs (the agency's split is not ours), rejected (the agency refused it), "
    "void (reversed before the agency booked it); local (self-pay: never sent)"
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timestamps stored as naive UTC and read back timezone-aware, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:  # noqa: ARG002
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive timestamp {value.isoformat()}: give it a time zone")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:  # noqa: ARG002
        return None if value is None else value.replace(tzinfo=dt.UTC)


# --- places and people -------------------------------------------------------------


class Facility(Base):
    __tablename__ = "facility"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, comment="fixmedins_code for the agency")
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))
    level: Mapped[int] = mapped_column(Integer, default=1)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("facility.id"), comment="township centre (一体化)")
    admdvs: Mapped[str] = mapped_column(String(6), comment="admin division where care happens")
    # Not read by the quote: whether a visit is in the patient's pooling city is worked out from
    # the person's insured area and this admdvs (desktop.area).
    in_city: Mapped[bool] = mapped_column(Boolean, default=True)
    designated_resident: Mapped[bool] = mapped_column(Boolean, default=True)
    designated_employee: Mapped[bool] = mapped_column(Boolean, default=True)
    suspended_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 3", name="level"),
        {"info": {AUDIT: Chained("where care is paid for, and at what level")}},
    )


class Person(Base):
    """One insured person on the roster (参保人员)."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    psn_no: Mapped[str] = mapped_column(String(30), unique=True, comment="the agency's person number")
    id_number: Mapped[str] = mapped_column(String(18), unique=True, comment="resident ID (GB 11643)")
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(1), comment="1 male, 2 female (GB/T 2261.1)")
    birth_date: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    household_head: Mapped[str] = mapped_column(String(50), default="", comment="户主")
    residence_facility_id: Mapped[str | None] = mapped_column(
        ForeignKey("facility.id"), comment="facility of the registered residence (湖南 第六条 default signing)"
    )
    policy: Mapped[str] = mapped_column(String(40), comment="policy id in resources/policies")
    insutype: Mapped[str] = mapped_column(String(6), comment="310 employees, 390 residents")
    insuplc_admdvs: Mapped[str] = mapped_column(String(6), comment="insurance division")
    category: Mapped[str] = mapped_column(String(30), default="general")
    employment: Mapped[str] = mapped_column(String(10), default="active")
    retired_on: Mapped[dt.date | None] = mapped_column(Date)
    enrolled_on: Mapped[dt.date | None] = mapped_column(Date)
    poverty_registered: Mapped[bool] = mapped_column(Boolean, default=False)
    benefit_suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    insured: Mapped[bool] = mapped_column(
        Boolean, default=True, comment="contributions paid this year", info={AUDIT: AGENCY_FIGURES}
    )
    account_balance_fen: Mapped[int] = mapped_column(BigInteger, default=0, info={AUDIT: AGENCY_FIGURES})
    roster_updated_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime(), default=_utc_now, info={AUDIT: AGENCY_FIGURES}
    )

    cards: Mapped[list[Card]] = relationship(back_populates="person")
    filings: Mapped[list[AreaFiling]] = relationship(back_populates="person", foreign_keys="AreaFiling.person_id")
    certificates: Mapped[list[ChronicCertificate]] = relationship(back_populates="person")
    signings: Mapped[list[Signing]] = relationship(back_populates="person")

    __table_args__ = (
        CheckConstraint("account_balance_fen >= 0", name="balance_not_negative"),
        Index("ix_person_name", "name"),
        {"info": {AUDIT: Chained("the roster: who is insured, under which policy")}},
    )


class WalkIn(Base):
    """Someone seen for self-pay (自费) who is not on the roster: only what the ledger records of them."""

    __tablename__ = "walk_in"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18), default="", comment="only when a card or typed number gave it")
    phone: Mapped[str] = mapped_column(String(20), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = ({"info": {AUDIT: Chained("who a self-pay visit was for, as the ledger records them")}},)


class Card(Base):
    """What identifies a person at the counter: social security card, e-voucher, ID card."""

    __tablename__ = "card"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(20), comment="ssc, evoucher, id_card")
    number: Mapped[str] = mapped_column(String(64))
    card_sn: Mapped[str] = mapped_column(String(32), default="")
    valid: Mapped[bool] = mapped_column(Boolean, default=True)

    person: Mapped[Person] = relationship(back_populates="cards")

    __table_args__ = (
        UniqueConstraint("kind", "number", name="uq_card_kind_number"),
        {"info": {AUDIT: Chained("which card stands for which person")}},
    )


class ChronicCertificate(Base):
    """A certified special chronic disease (门诊慢特病) in force for a period."""

    __tablename__ = "chronic_certificate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    disease: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="certificates")

    __table_args__ = ({"info": {AUDIT: Chained("a certified disease raises what the fund pays")}},)


class Signing(Base):
    """A signing (签约) record; history is kept by dates, never overwritten."""

    __tablename__ = "signing"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    role: Mapped[str] = mapped_column(String(20), default="single", comment="single, basic, village_station")
    origin: Mapped[str] = mapped_column(String(20), default="chosen")
    family_doctor: Mapped[bool] = mapped_column(Boolean, default=False)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_until: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # How the signing began and ended, as the capitation fund counts its months (desktop.fund).
    start_kind: Mapped[str] = mapped_column(
        String(12),
        default="continuing",
        server_default="continuing",
        comment="continuing, first (首次选定), moved (住址改变), reassigned (原机构暂停或终止)",
    )
    end_kind: Mapped[str | None] = mapped_column(String(12), comment="null (simply ended or open), moved, reassigned")

    person: Mapped[Person] = relationship(back_populates="signings")

    __table_args__ = (
        CheckConstraint("start_kind IN ('continuing', 'first', 'moved', 'reassigned')", name="start_kind"),
        CheckConstraint("end_kind IS NULL OR end_kind IN ('moved', 'reassigned')", name="end_kind"),
        {"info": {AUDIT: Chained("where a resident is signed decides whether the fund pays")}},
    )


class AreaFiling(Base):
    """An out-of-area filing (异地备案): 异地安置 or 转诊备案 to a place, for a period.

    From the agency, or entered by staff with the paper in hand; never edited: a wrong entry
    is withdrawn (who, when) and entered again, each step in the audit log.
    """

    __tablename__ = "area_filing"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), comment="relocation 异地安置, referral 转诊备案")
    place_admdvs: Mapped[str] = mapped_column(String(6), comment="where care is filed for (安置地/转入地)")
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date, comment="null: until withdrawn")
    origin: Mapped[str] = mapped_column(String(10), comment="agency, or staff (from the paper)")
    document_no: Mapped[str] = mapped_column(String(50), default="", comment="the filing's number on the paper")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), comment="null when from the agency")
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    person: Mapped[Person] = relationship(back_populates="filings", foreign_keys=[person_id])

    __table_args__ = (
        CheckConstraint("kind IN ('relocation', 'referral')", name="kind"),
        CheckConstraint("origin IN ('agency', 'staff')", name="origin"),
        CheckConstraint("valid_until IS NULL OR valid_until >= valid_from", name="dates_in_order"),
        {"info": {AUDIT: Chained("a filing decides whether the fund pays care away from home")}},
    )


class CatalogueItem(Base):
    """A drug, treatment or material with its catalogue class (甲/乙/丙)."""

    __tablename__ = "catalogue_item"

    code: Mapped[str] = mapped_column(String(50), primary_key=True, comment="med_list_codg")
    name: Mapped[str] = mapped_column(String(100))
    pinyin: Mapped[str] = mapped_column(String(50), default="", comment="initials for keyboard search")
    kind: Mapped[str] = mapped_column(String(20))
    item_class: Mapped[str] = mapped_column(String(1))
    unit: Mapped[str] = mapped_column(String(10), default="")
    spec: Mapped[str] = mapped_column(String(50), default="")
    price_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    atc_code: Mapped[str | None] = mapped_column(
        String(10), comment="WHO ATC code of a drug (J01: antibacterials for systemic use)"
    )
    divisible: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        server_default=false(),
        comment="sold in fractions of its unit (克, 毫升); false for whole packs (盒, 支)",
    )

    __table_args__ = (
        CheckConstraint("item_class IN ('A', 'B', 'C')", name="item_class"),
        CheckConstraint("price_fen >= 0", name="price_not_negative"),
        Index("ix_catalogue_item_pinyin", "pinyin"),
    )


class NationalItem(Base):
    """One line of the national catalogue as downloaded (1301 drugs, 1305 services, 1306 materials)."""

    __tablename__ = "national_item"

    code: Mapped[str] = mapped_column(String(50), primary_key=True, comment="med_list_codg")
    catalogue: Mapped[str] = mapped_column(String(4), comment="1301, 1305 or 1306")
    name: Mapped[str] = mapped_column(String(200))
    pinyin: Mapped[str] = mapped_column(String(100), default="", comment="initials, for search")
    spec: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), comment="the item kind its charge type stands for")
    item_class: Mapped[str] = mapped_column(String(1), comment="A/B/C (chrgitm_lv 01/02/03)")
    price_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    version: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="vali_flag 1")

    __table_args__ = (
        Index("ix_national_item_pinyin", "pinyin"),
        {"info": {AUDIT: Chained("the lines a mapping names: their class decides what the fund pays")}},
    )


class CatalogueMapping(Base):
    """医保目录对照: a local item's national code, proposed from the catalogue and reviewed by staff."""

    __tablename__ = "catalogue_mapping"

    code: Mapped[str] = mapped_column(ForeignKey("catalogue_item.code"), primary_key=True)
    national_code: Mapped[str] = mapped_column(ForeignKey("national_item.code"))
    state: Mapped[str] = mapped_column(
        String(20), comment="proposed (found by name or pinyin, not yet checked), reviewed (staff confirmed)"
    )
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (
        {"info": {AUDIT: Chained("which national code each item is billed under, as staff reviewed it")}},
    )


class MappingUpload(Base):
    """A reviewed mapping as the agency holds it for one facility (3301 up, 3302 withdrawn)."""

    __tablename__ = "mapping_upload"

    # One key column: the audit chain names a row by it.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("catalogue_item.code"))
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    national_code: Mapped[str] = mapped_column(String(50))
    msgid: Mapped[str] = mapped_column(String(30), unique=True, comment="the 3301, stored before it is sent")
    state: Mapped[str] = mapped_column(
        String(20), comment="pending, done, set_aside (the agency refused it)", info={AUDIT: DELIVERY}
    )
    error: Mapped[str] = mapped_column(Text, default="", info={AUDIT: DELIVERY})
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), info={AUDIT: DELIVERY})

    __table_args__ = (
        UniqueConstraint("code", "facility_id", name="uq_mapping_upload_item_facility"),
        {"info": {AUDIT: Chained("which national code the agency was told each item is, under which msgid")}},
    )


class DiagnosisEntry(Base):
    """A line of the agency's diagnosis catalogue (1307), as downloaded.

    The shipped catalogue (``resources/diagnoses``) is read from its file; a line here
    renames a shipped code, adds one, or withdraws it (``active`` false).
    """

    __tablename__ = "diagnosis_catalogue"

    code: Mapped[str] = mapped_column(String(20), primary_key=True, comment="diag_code (ICD-10, 医保版)")
    name: Mapped[str] = mapped_column(String(100), comment="diag_name")
    initials: Mapped[str] = mapped_column(String(100), default="", comment="pinyin initials for keyboard search")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="vali_flag")
    ver: Mapped[str] = mapped_column(String(30), default="", comment="the catalogue version it came with")


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20), comment="clerk, village_doctor, admin")
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    password_hash: Mapped[str] = mapped_column(String(200), comment="argon2id")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    practitioner_code: Mapped[str | None] = mapped_column(
        String(30), comment="医保医师代码 (D + division + serial): a doctor the agency knows, who may diagnose"
    )

    __table_args__ = ({"info": {AUDIT: Chained("who may act, and as what")}},)


# --- visits and money ----------------------------------------------------------------


class Visit(Base):
    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), comment="none for a walk-in")
    walk_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("walk_in.id"), comment="a self-pay patient off the roster"
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    visit_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    referral: Mapped[bool] = mapped_column(Boolean, default=False)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    inpatient: Mapped[bool] = mapped_column(Boolean, default=False)
    liability: Mapped[str | None] = mapped_column(String(20))
    disease: Mapped[str | None] = mapped_column(String(40), comment="certified chronic disease treated")
    doctor_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id"), comment="the diagnosing doctor (a practitioner); null before 0016"
    )
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary, comment="patient's signature (台账)")

    items: Mapped[list[VisitItem]] = relationship(back_populates="visit", order_by="VisitItem.line_no")
    diagnoses: Mapped[list[Diagnosis]] = relationship(back_populates="visit", order_by="Diagnosis.line_no")

    __table_args__ = (
        Index("ix_visit_facility_date", "facility_id", "visit_date"),
        CheckConstraint("(person_id IS NULL) <> (walk_in_id IS NULL)", name="one_patient"),
        {"info": {AUDIT: Chained("a settled visit is never edited; the ledger's signature is audited when taken")}},
    )


class VisitItem(Base):
    __tablename__ = "visit_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    item_class: Mapped[str] = mapped_column(String(1))
    quantity: Mapped[str] = mapped_column(String(20), comment="decimal text, e.g. 1.5")
    price_fen: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    in_scope_fen: Mapped[int] = mapped_column(BigInteger)

    visit: Mapped[Visit] = relationship(back_populates="items")

    __table_args__ = (
        UniqueConstraint("visit_id", "line_no", name="uq_visit_item_line"),
        {"info": {AUDIT: Chained("what was charged")}},
    )


class Diagnosis(Base):
    __tablename__ = "diagnosis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20), comment="ICD-10")
    name: Mapped[str] = mapped_column(String(100))

    visit: Mapped[Visit] = relationship(back_populates="diagnoses")

    __table_args__ = ({"info": {AUDIT: Chained("why it was charged")}},)


class Settlement(Base):
    """What the fund, the account and the patient paid for one visit, as settled."""

    __tablename__ = "settlement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True, comment="none for a walk-in")
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    settled_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    year: Mapped[int] = mapped_column(Integer, comment="accumulator year (the visit's)")
    policy: Mapped[str] = mapped_column(String(40))
    policy_version: Mapped[str] = mapped_column(String(60))
    covered: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(40))
    rate: Mapped[str] = mapped_column(String(4))
    total_fen: Mapped[int] = mapped_column(BigInteger)
    in_scope_fen: Mapped[int] = mapped_column(BigInteger)
    out_of_scope_fen: Mapped[int] = mapped_column(BigInteger)
    deductible_fen: Mapped[int] = mapped_column(BigInteger)
    fund_fen: Mapped[int] = mapped_column(BigInteger)
    fund_toward_cap_fen: Mapped[int] = mapped_column(BigInteger, comment="what moved fund_paid")
    fund_out_of_city_fen: Mapped[int] = mapped_column(BigInteger, comment="what moved fund_paid_out_of_city")
    account_fen: Mapped[int] = mapped_column(BigInteger)
    cash_fen: Mapped[int] = mapped_column(BigInteger)
    explanation: Mapped[str] = mapped_column(Text, comment="JSON list of sentences")
    # Empty for a self-pay settlement, which the agency never hears of.
    insuplc_admdvs: Mapped[str] = mapped_column(
        String(6), server_default="", comment="the person's insured area when settled"
    )
    mdtrtarea_admvs: Mapped[str] = mapped_column(
        String(6), server_default="", comment="the clinic's division, where care happened"
    )
    area_filing_id: Mapped[int | None] = mapped_column(
        ForeignKey("area_filing.id"), comment="the 异地备案 that paid an out-of-area visit"
    )
    status: Mapped[str] = mapped_column(
        String(20),
        default="pending",
        comment=SETTLEMENT_STATUSES,
        info={AUDIT: SET_BY_SYNC},
    )
    msgid: Mapped[str | None] = mapped_column(
        String(30), unique=True, comment="the 2207 msgid, fixed before sending; none for self-pay"
    )
    agency_mdtrt_id: Mapped[str | None] = mapped_column(
        String(30), comment="the visit's id at the agency (2201)", info={AUDIT: SET_BY_SYNC}
    )
    agency_setl_id: Mapped[str | None] = mapped_column(String(30), info={AUDIT: SET_BY_SYNC})
    agency_fund_fen: Mapped[int | None] = mapped_column(BigInteger, info={AUDIT: SET_BY_SYNC})
    agency_account_fen: Mapped[int | None] = mapped_column(BigInteger, info={AUDIT: SET_BY_SYNC})
    agency_cash_fen: Mapped[int | None] = mapped_column(BigInteger, info={AUDIT: SET_BY_SYNC})
    agency_setl_time: Mapped[dt.datetime | None] = mapped_column(
        UtcDateTime(),
        comment="the agency's settlement time (2207 setl_time): its books and 3201 go by it",
        info={AUDIT: SET_BY_SYNC},
    )
    self_pay: Mapped[bool] = mapped_column(
        Boolean, server_default=false(), comment="自费: no fund, no account, never sent to the agency"
    )

    visit: Mapped[Visit] = relationship()
    reversal: Mapped[Reversal | None] = relationship(back_populates="settlement")

    __table_args__ = (
        CheckConstraint("total_fen = fund_fen + account_fen + cash_fen", name="split_adds_up"),
        CheckConstraint("total_fen = in_scope_fen + out_of_scope_fen", name="scope_adds_up"),
        CheckConstraint(
            "fund_fen >= 0 AND account_fen >= 0 AND cash_fen >= 0 AND deductible_fen >= 0",
            name="not_negative",
        ),
        CheckConstraint("self_pay OR (person_id IS NOT NULL AND msgid IS NOT NULL)", name="insured_is_sent"),
        CheckConstraint("NOT self_pay OR (fund_fen = 0 AND account_fen = 0)", name="self_pay_is_cash"),
        Index("ix_settlement_settled_at", "settled_at"),
        {"info": {AUDIT: Chained("settled amounts are never edited: a correction is a reversal")}},
    )


class Reversal(Base):
    """A reversal (冲正) of one settlement: the original stays, marked by this row."""

    __tablename__ = "reversal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlement.id"), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    reversed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    reason: Mapped[str] = mapped_column(String(200))
    msgid: Mapped[str | None] = mapped_column(String(30), unique=True, comment="the 2208 msgid; none for self-pay")

    settlement: Mapped[Settlement] = relationship(back_populates="reversal")

    __table_args__ = ({"info": {AUDIT: Chained("a reversal is never undone or removed")}},)


class SettleUp(Base):
    """A settle-up with the patient (补收 or 退费) of the cash the agency's split left owed.

    Its own act, never an edit of the settlement: who, when, how much, and which of the
    agency's settlements it follows.
    """

    __tablename__ = "settle_up"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlement.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(10), comment="collect (补收) or refund (退费)")
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    agency_setl_id: Mapped[str] = mapped_column(String(30), comment="the agency's settlement number it follows")

    __table_args__ = (
        CheckConstraint("kind IN ('collect', 'refund')", name="kind"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_settle_up_at", "at"),
        {"info": {AUDIT: Chained("a settle-up is never edited or removed: the cash moved")}},
    )


class Accumulator(Base):
    """A person's year-to-date figures for one calendar year."""

    __tablename__ = "accumulator"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    deductible_met_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    fund_paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    fund_paid_out_of_city_fen: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (
        CheckConstraint(
            "deductible_met_fen >= 0 AND fund_paid_fen >= 0 AND fund_paid_out_of_city_fen >= 0",
            name="not_negative",
        ),
    )


class MonthTotal(Base):
    """A facility's settlements standing in one month of visits under one policy: kept by the
    database's triggers (``db.month_totals``), never written by the program.

    The agency's split is counted where it gave one; reversed settlements are out.
    """

    __tablename__ = "month_total"

    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True, comment="the first day of the visits' month")
    policy: Mapped[str] = mapped_column(String(40), primary_key=True)
    visits: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    fund_fen: Mapped[int] = mapped_column(BigInteger)
    account_fen: Mapped[int] = mapped_column(BigInteger)
    cash_fen: Mapped[int] = mapped_column(BigInteger)


# --- to the agency and for the auditor -----------------------------------------------


class OutboxEntry(Base):
    """One message for the agency, written in the same transaction as what it reports."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    infno: Mapped[str] = mapped_column(String(10))
    msgid: Mapped[str] = mapped_column(String(30), unique=True, comment="stored before the first send")
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlement.id"), index=True)
    reversal_id: Mapped[int | None] = mapped_column(ForeignKey("reversal.id"))
    payload: Mapped[str] = mapped_column(Text, comment="JSON")
    state: Mapped[str] = mapped_column(
        String(20),
        default="pending",
        comment="pending, done, set_aside, void (never needed: reversed first)",
        info={AUDIT: DELIVERY},
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, info={AUDIT: DELIVERY})
    last_error: Mapped[str] = mapped_column(Text, default="", info={AUDIT: DELIVERY})
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), info={AUDIT: DELIVERY})
    # Server-side defaults: the settlement's prepared insert names only the columns it fills.
    outcome_unknown: Mapped[bool] = mapped_column(
        Boolean,
        server_default=false(),
        comment="sent, no answer came: the next send of this msgid finds out",
        info={AUDIT: DELIVERY},
    )
    first_sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), info={AUDIT: DELIVERY})
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), info={AUDIT: DELIVERY})
    answer: Mapped[str] = mapped_column(
        Text, server_default="", comment="JSON: what the agency's answer told us", info={AUDIT: DELIVERY}
    )
    resolve_msgid: Mapped[str | None] = mapped_column(
        String(30),
        comment="the 2601 or 2205 that settles an unknown outcome, stored before it is sent",
        info={AUDIT: DELIVERY},
    )
    previous_msgids: Mapped[str] = mapped_column(
        Text,
        server_default="",
        comment="msgids the row went under before, each undone or refused as a repeat",
        info={AUDIT: DELIVERY},
    )

    __table_args__ = (
        Index("ix_outbox_state_id", "state", "id"),
        {"info": {AUDIT: Chained("what the agency is told, under which msgid")}},
    )


class Reconciliation(Base):
    """One 3201 对总账 for a facility, insurance and clearing division over a period, as sent and answered.

    ``sent_*`` are the figures the clinic sent (the agency's own split where it answered one);
    ``local_*`` the split as settled at the counter, so a difference stays visible.
    """

    __tablename__ = "reconciliation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    insutype: Mapped[str] = mapped_column(String(6))
    clr_optins: Mapped[str] = mapped_column(
        String(6), comment="the clearing division (the patients' insurance division)"
    )
    begin: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    msgid: Mapped[str] = mapped_column(String(30), unique=True)
    sent_count: Mapped[int] = mapped_column(Integer)
    sent_total_fen: Mapped[int] = mapped_column(BigInteger)
    sent_fund_fen: Mapped[int] = mapped_column(BigInteger)
    sent_account_fen: Mapped[int] = mapped_column(BigInteger)
    local_fund_fen: Mapped[int] = mapped_column(BigInteger)
    local_account_fen: Mapped[int] = mapped_column(BigInteger)
    matches: Mapped[bool] = mapped_column(Boolean)
    agency_text: Mapped[str] = mapped_column(Text, default="", comment="stmt_rslt_dscr as the agency wrote it")
    agency_count: Mapped[int | None] = mapped_column(Integer, comment="the agency's own figures, where it gives them")
    agency_total_fen: Mapped[int | None] = mapped_column(BigInteger)
    agency_fund_fen: Mapped[int | None] = mapped_column(BigInteger)
    agency_account_fen: Mapped[int | None] = mapped_column(BigInteger)


class AuditEntry(Base):
    """Who did what, when; personal data in ``detail`` is masked.

    Append-only and hash-chained (``db.audit``): ``digest`` covers the entry before it,
    this entry's own fields and ``rows``, the digests of the rows it wrote. Written only
    through ``db.audit.record``.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utc_now)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="{}", comment="JSON, masked")
    seq: Mapped[int] = mapped_column(Integer, unique=True, comment="place in the chain, from 1")
    rows: Mapped[str] = mapped_column(Text, comment="JSON: {table: {layout, rows: {key: digest}}} this entry sealed")
    digest: Mapped[str] = mapped_column(String(64), comment="SHA-256 over the previous digest, this entry and rows")

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)


class AuditHead(Base):
    """The chain's newest entry, in one row: the lock two counters queue on to append."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))

    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)


class AuditLayout(Base):
    """The columns a row digest was taken over, by the key entries name: a column added later
    does not break the digests of rows sealed before it existed."""

    __tablename__ = "audit_layout"

    key: Mapped[str] = mapped_column(String(32), primary_key=True, comment="digest of table and columns")
    table_name: Mapped[str] = mapped_column(String(60))
    columns: Mapped[str] = mapped_column(Text, comment="JSON list, in digest order")


class Setting(Base):
    """Small facts about this installation: this clinic's facility, when the roster was refreshed."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        {
            "info": {
                AUDIT: Chained(
                    "how the installation is set up (its facility, the agency's address, limits)",
                    bookkeeping_keys=(
                        "auth.failures.",
                        "sync.lease",
                        "sync.session_sequence",
                        "sync.last_success",
                        "sync.catalogue_checked_at",
                        "sync.catalogue_ver.",
                        "signings.changed",  # moved by the database's triggers (db/signings_changed.py)
                    ),
                )
            }
        },
    )


class SignInToken(Base):
    """A command-line sign-in (``clinic-pos sign-in``): only the token's SHA-256 is kept, so the
    file gives away no usable token; it lapses at ``expires_at`` or when signed out."""

    __tablename__ = "sign_in_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (
        {
            "info": {
                AUDIT: Chained("who may act on the command line, and until when; signed out by an entry of its own")
            }
        },
    )
