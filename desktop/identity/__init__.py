"""Who is at the counter: card readers, resident ID validation and the offline identity check.

Qt-free. Readers return a ``CardRead``; ``check`` turns a read into an ``IdentityCheck``
from the local roster; ``patient_from_check`` gives the copay engine its ``Patient``.
"""

from desktop.identity.check import (
    CheckedPerson,
    IdentityCheck,
    SignedFacility,
    UnknownFacilityError,
    check,
)
from desktop.identity.evoucher import ScannerReader, parse_evoucher
from desktop.identity.findings import Finding, FindingCode, Severity
from desktop.identity.id_number import IdNumberError, IdNumberProblem, validate_id_number
from desktop.identity.patient import NotOnRosterError, patient_from_check
from desktop.identity.pcsc import SscReader
from desktop.identity.reads import CardKind, CardRead, CardReader, ReaderError, ReaderProblem, mask_number
from desktop.identity.report import check_json
from desktop.identity.simulated import SimulatedReader
from desktop.identity.typed import IdNumberReader, id_number_read

__all__ = [
    "CardKind",
    "CardRead",
    "CardReader",
    "CheckedPerson",
    "Finding",
    "FindingCode",
    "IdNumberError",
    "IdNumberProblem",
    "IdNumberReader",
    "IdentityCheck",
    "NotOnRosterError",
    "ReaderError",
    "ReaderProblem",
    "ScannerReader",
    "Severity",
    "SignedFacility",
    "SimulatedReader",
    "SscReader",
    "UnknownFacilityError",
    "check",
    "check_json",
    "id_number_read",
    "mask_number",
    "parse_evoucher",
    "patient_from_check",
    "validate_id_number",
]
