"""Which fields each transaction carries and which are required, from the interface's own tables.

The lists come from ``resources/agency/national-interface-fields.json``, a copy of
``shared/spec/national-interface-fields.json`` (see ``resources/agency/README.md`` for its
sources). ``input`` there holds the fields with a definite 必填 Y; the two conditional
rules of the tables (``insuplc_admdvs`` whenever the input names a ``psn_no``; 1101's
``card_sn`` for a social security card) are applied here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from desktop.agency.wire import ProtocolError

# Input nodes that hold a list of records; every other input node is one object.
_INPUT_LIST_NODES = frozenset({"diseinfo", "feedetail"})

# Transactions the shared tables do not cover. 9002 (签退) takes the sign-in number and
# the operator; 1302–1307 download the other catalogues the way 1301 does (``ver`` in,
# a file reference out).
_CATALOGUE_SHAPE = "1301"
CATALOGUE_INFNOS = ("1301", "1302", "1303", "1304", "1305", "1306", "1307")
# 目录对照上传 / 撤销 (3301 / 3302), as openhis's Input_3301.cs / Input_3302.cs give them.
_MAPPING_UPLOAD = {
    "input": ["fixmedins_hilist_id", "fixmedins_hilist_name", "list_type", "med_list_codg", "begndate", "enddate"],
    "input_all": [
        "fixmedins_hilist_id", "fixmedins_hilist_name", "list_type", "med_list_codg", "begndate", "enddate",
        "aprvno", "dosform", "exct_cont", "item_cont", "prcunt", "spec", "pacspec", "memo",
    ],
    "output": [],
}  # fmt: skip
_MAPPING_WITHDRAWAL = {
    "input": ["fixmedins_code", "fixmedins_hilist_id", "list_type", "med_list_codg"],
    "input_all": ["fixmedins_code", "fixmedins_hilist_id", "list_type", "med_list_codg"],
    "output": [],
}
# Required by the tables' notes rather than their lists: 2203's main-diagnosis flag (the
# shared diseinfo class both HIS codebases send marks it 必填).
_ALSO_REQUIRED = {"2203": ("diseinfo", "maindiag_flag")}
_SIGN_OUT = {
    "input": ["sign_no", "opter_no"],
    "input_all": ["sign_no", "opter_no"],
    "output": ["sign_time", "sign_no"],
    "output_nodes": {"signoutoutb": ["sign_time", "sign_no"]},
}


@dataclass(frozen=True, slots=True)
class Transaction:
    """One transaction's input nodes (name → fields in table order) and required fields."""

    infno: str
    nodes: Mapping[str, tuple[str, ...]]
    required: frozenset[str]
    outputs: tuple[str, ...]
    output_nodes: Mapping[str, tuple[str, ...]]

    def node_is_list(self, node: str) -> bool:
        return node in _INPUT_LIST_NODES


@dataclass(frozen=True, slots=True)
class FieldTables:
    envelope_required: tuple[str, ...]
    envelope_all: tuple[str, ...]
    reply_fields: tuple[str, ...]
    transactions: Mapping[str, Transaction]

    def transaction(self, infno: str) -> Transaction:
        found = self.transactions.get(infno)
        if found is None:
            raise ProtocolError("infno", f"{infno!r} is not a transaction this program speaks")
        return found


@cache
def field_tables() -> FieldTables:
    """The shipped tables, read once."""
    text = resources.files("resources").joinpath("agency/national-interface-fields.json").read_text("utf-8")
    return tables_from(json.loads(text))


def tables_from(raw: Mapping[str, Any]) -> FieldTables:
    envelope = raw["envelope"]
    transactions = {infno: _transaction(infno, entry) for infno, entry in raw.items() if infno != "envelope"}
    transactions["9002"] = _transaction("9002", _SIGN_OUT)
    transactions["3301"] = _transaction("3301", _MAPPING_UPLOAD)
    transactions["3302"] = _transaction("3302", _MAPPING_WITHDRAWAL)
    for infno, (node, name) in _ALSO_REQUIRED.items():
        found = transactions[infno]
        nodes = {**found.nodes, node: (*found.nodes[node], name)}
        transactions[infno] = Transaction(infno, nodes, found.required | {name}, found.outputs, found.output_nodes)
    for infno in CATALOGUE_INFNOS:
        transactions[infno] = _transaction(infno, raw[_CATALOGUE_SHAPE])
    return FieldTables(
        envelope_required=tuple(envelope["input"]),
        envelope_all=tuple(envelope["input_all"]),
        reply_fields=tuple(envelope["output"]),
        transactions=transactions,
    )


def _transaction(infno: str, entry: Mapping[str, Any]) -> Transaction:
    nodes = entry.get("input_nodes") or {"data": entry["input_all"]}
    output_nodes = entry.get("output_nodes") or {}
    return Transaction(
        infno=infno,
        nodes={name: tuple(fields) for name, fields in nodes.items()},
        required=frozenset(entry["input"]),
        outputs=tuple(entry["output"]),
        output_nodes={name: tuple(fields) for name, fields in output_nodes.items()},
    )


def names_psn_no(value: Any) -> bool:
    """Whether a message's input names a person anywhere (then the envelope needs insuplc_admdvs)."""
    if isinstance(value, Mapping):
        if _present(value.get("psn_no")):
            return True
        return any(names_psn_no(entry) for entry in value.values())
    if isinstance(value, list):
        return any(names_psn_no(entry) for entry in value)
    return False


def _present(value: Any) -> bool:
    return value is not None and value not in ("", [], {})


def first_missing_field(message: Mapping[str, Any], tables: FieldTables | None = None) -> str | None:
    """The dotted path of the first required field the message lacks, or None when complete.

    Envelope fields first, in table order; then each input node's fields in table order,
    record by record for list nodes (``input.feedetail[2].pric``). An empty string counts
    as missing: the agency cannot act on it.
    """
    tables = tables or field_tables()
    for name in tables.envelope_required:
        if not _present(message.get(name)):
            return name
    payload = message["input"]
    if not isinstance(payload, Mapping):
        raise ProtocolError("input", "must be a JSON object")
    if names_psn_no(payload) and not _present(message.get("insuplc_admdvs")):
        return "insuplc_admdvs"
    missing = missing_input_field(tables.transaction(str(message["infno"])), payload)
    return None if missing is None else f"input.{missing}"


def missing_input_field(transaction: Transaction, payload: Mapping[str, Any]) -> str | None:
    """The path inside ``input`` of the first required field the payload lacks (``feedetail[2].pric``)."""
    for node, fields in transaction.nodes.items():
        missing = _missing_in_node(transaction, node, fields, payload.get(node))
        if missing is not None:
            return missing
    return None


def _missing_in_node(transaction: Transaction, node: str, fields: Sequence[str], value: Any) -> str | None:
    required = [name for name in fields if name in transaction.required]
    if not required:
        return None
    if transaction.node_is_list(node):
        if not isinstance(value, list) or not value:
            return node
        for index, record in enumerate(value):
            missing = _missing_in_record(transaction, record, required)
            if missing is not None:
                return f"{node}[{index}].{missing}"
        return None
    missing = _missing_in_record(transaction, value, required)
    return None if missing is None else f"{node}.{missing}"


def _missing_in_record(transaction: Transaction, record: Any, required: Sequence[str]) -> str | None:
    if not isinstance(record, Mapping):
        return required[0]
    for name in required:
        if not _present(record.get(name)):
            return name
    if transaction.infno == "1101" and record.get("mdtrt_cert_type") == "03" and not _present(record.get("card_sn")):
        return "card_sn"
    return None
