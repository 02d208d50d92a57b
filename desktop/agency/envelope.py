"""The request envelope around every message, and the signed request ready to post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.agency import codes
from desktop.agency.field_types import first_badly_typed
from desktop.agency.fields import field_tables, first_missing_field, names_psn_no
from desktop.agency.messages import Message, input_of
from desktop.agency.msgid import check_facility_code, parse_msgid
from desktop.agency.signing import Signer, sign_envelope
from desktop.agency.values import time_text
from desktop.agency.wire import ProtocolError


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sends: the facility, where care happens, the operator, and the session's ``sign_no``."""

    fixmedins_code: str
    fixmedins_name: str
    mdtrtarea_admvs: str
    opter: str
    opter_name: str
    opter_type: str = codes.STAFF_OPERATOR
    recer_sys_code: str = codes.RECEIVER_SYSTEM
    infver: str = "V1.0"
    dev_no: str = ""
    dev_safe_info: str = ""
    sign_no: str = ""


def build_envelope(
    sender: Sender,
    infno: str,
    msgid: str,
    payload: Mapping[str, Any],
    *,
    at: dt.datetime,
    insuplc_admdvs: str = "",
) -> dict[str, Any]:
    """Every envelope field of the interface around ``payload``, unsigned (``cainfo`` empty),
    checked for the fields the tables require and for each field's type and length.

    ``insuplc_admdvs`` (the patient's insurance division, from 1101) is required whenever
    the payload names a ``psn_no``.
    """
    check_facility_code(sender.fixmedins_code)
    field_tables().transaction(infno)
    if parse_msgid(msgid).facility_code != sender.fixmedins_code:
        raise ProtocolError("msgid", f"{msgid} does not start with the facility code {sender.fixmedins_code}")
    if names_psn_no(payload) and not insuplc_admdvs:
        raise ProtocolError("insuplc_admdvs", "is required when the input names a psn_no; take it from 1101")
    envelope = {
        "infno": infno,
        "msgid": msgid,
        "mdtrtarea_admvs": sender.mdtrtarea_admvs,
        "insuplc_admdvs": insuplc_admdvs,
        "recer_sys_code": sender.recer_sys_code,
        "dev_no": sender.dev_no,
        "dev_safe_info": sender.dev_safe_info,
        "cainfo": "",
        "signtype": "",
        "infver": sender.infver,
        "opter_type": sender.opter_type,
        "opter": sender.opter,
        "opter_name": sender.opter_name,
        "inf_time": time_text(at, "inf_time"),
        "fixmedins_code": sender.fixmedins_code,
        "fixmedins_name": sender.fixmedins_name,
        "sign_no": sender.sign_no,
        "input": dict(payload),
    }
    missing = first_missing_field(envelope)
    if missing is not None:
        raise ProtocolError(missing, f"is required by {infno} but empty")
    badly_typed = first_badly_typed(envelope)
    if badly_typed is not None:
        raise badly_typed
    return envelope


def prepare_request(
    sender: Sender,
    message: Message,
    msgid: str,
    signer: Signer,
    *,
    at: dt.datetime,
    insuplc_admdvs: str = "",
) -> dict[str, Any]:
    """The signed envelope for one typed message, checked against the required-field lists."""
    envelope = build_envelope(sender, message.infno, msgid, input_of(message), at=at, insuplc_admdvs=insuplc_admdvs)
    return sign_envelope(envelope, signer)
