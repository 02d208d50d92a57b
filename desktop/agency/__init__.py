"""The national interface as the program speaks it: msgids, envelopes, signatures, messages, replies.

Qt-free and database-free: the sync client and the agency sandbox both build on it.
"""

from desktop.agency.envelope import Sender, build_envelope, prepare_request
from desktop.agency.fields import field_tables, first_missing_field
from desktop.agency.messages import Message, input_of
from desktop.agency.msgid import make_msgid, parse_msgid
from desktop.agency.replies import AgencyRefusedError, Reply, parse_reply
from desktop.agency.signing import SignatureError, Signer, Sm2Signer, Sm2Verifier, sign_envelope, verify_envelope
from desktop.agency.wire import ProtocolError, decode, encode

__all__ = [
    "AgencyRefusedError",
    "Message",
    "ProtocolError",
    "Reply",
    "Sender",
    "SignatureError",
    "Signer",
    "Sm2Signer",
    "Sm2Verifier",
    "build_envelope",
    "decode",
    "encode",
    "field_tables",
    "first_missing_field",
    "input_of",
    "make_msgid",
    "parse_msgid",
    "parse_reply",
    "prepare_request",
    "sign_envelope",
    "verify_envelope",
]
