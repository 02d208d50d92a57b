"""Each field's type and length, from the interface's own tables, and the check that a message keeps to them.

The tables are ``resources/agency/national-interface-fields.md``, a verbatim copy of
``shared/spec/national-interface-fields.md``: per transaction, rows of
``| # | `field` | 中文含义 | Type | Len | Code | Req | Seen | Notes |``. A field is
字符型 N (text of at most N characters), 数值型 P,S (a number with at most P-S digits
before the point and S after), 日期型 (``yyyy-MM-dd``) or 日期时间型
(``yyyy-MM-dd HH:mm:ss``). Rows without a type (the hsa-his-only extras) say nothing.

The client checks what it sends before the first send (a field too long is a record
to correct, not a message for the agency to refuse); the sandbox checks what it gets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from desktop.agency.wire import ProtocolError

_SECTION = re.compile(r"^## (?:(?P<infno>\d{4})\b|(?P<envelope>Common request envelope))")
_ROW = re.compile(r"^\|\s*\d+\s*\|\s*`(?P<name>[A-Za-z_]+)`\s*\|[^|]*\|\s*(?P<type>[^|]*?)\s*\|\s*(?P<len>[^|]*?)\s*\|")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
TEXT, NUMBER, DATE, DATETIME = "字符型", "数值型", "日期型", "日期时间型"
# Transactions the shared tables do not carry, from openhis's Input_3301.cs / Input_3302.cs
# comments (目录对照上传 / 目录对照撤销) and the sign-out (9002) and 2205 shapes.
_EXTRA: dict[str, dict[str, tuple[str, str]]] = {
    "3301": {
        "fixmedins_hilist_id": (TEXT, "30"),
        "fixmedins_hilist_name": (TEXT, "200"),
        "list_type": (TEXT, "30"),
        "med_list_codg": (TEXT, "30"),
        "begndate": (DATE, ""),
        "enddate": (DATE, ""),
        "aprvno": (TEXT, "30"),
        "dosform": (TEXT, "200"),
        "exct_cont": (TEXT, "2000"),
        "item_cont": (TEXT, "2000"),
        "prcunt": (TEXT, "100"),
        "spec": (TEXT, "200"),
        "pacspec": (TEXT, "100"),
        "memo": (TEXT, "500"),
    },
    "3302": {
        "fixmedins_code": (TEXT, "30"),
        "fixmedins_hilist_id": (TEXT, "30"),
        "list_type": (TEXT, "30"),
        "med_list_codg": (TEXT, "30"),
    },
    "9002": {"sign_no": (TEXT, "30"), "opter_no": (TEXT, "20")},
}


@dataclass(frozen=True, slots=True)
class FieldType:
    kind: str  # TEXT, NUMBER, DATE or DATETIME
    length: int = 0  # characters (text) or all digits (numbers); 0: not given
    places: int = 0  # digits after the point (numbers)

    def problem(self, value: Any) -> str | None:
        """Why ``value`` does not fit, or None when it does."""
        if value is None or value == "":
            return None  # presence is the required-field check's business
        if self.kind == NUMBER:
            return self._number_problem(value)
        if not isinstance(value, str):
            if self.kind == TEXT and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            else:
                return f"{value!r} is not text"
        if self.kind == DATE and not _DATE.fullmatch(value):
            return f"{value!r} is not a date like 2024-05-10"
        if self.kind == DATETIME and not _DATETIME.fullmatch(value):
            return f"{value!r} is not a time like 2024-05-10 10:00:00"
        if self.kind == TEXT and self.length and len(value) > self.length:
            return f"is {len(value)} characters; the interface allows {self.length}"
        return None

    def _number_problem(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
            return f"{value!r} is not a number"
        try:
            number = Decimal(value)
        except InvalidOperation:
            return f"{value!r} is not a number"
        if not number.is_finite():
            return f"{value!r} is not a number"
        exponent = number.as_tuple().exponent
        places = max(0, -int(exponent)) if isinstance(exponent, int) else 0
        if places > self.places and number != number.quantize(Decimal(1).scaleb(-self.places)):
            return f"{value} has more than {self.places} decimal places"
        whole = len(str(abs(int(number)))) if int(number) else 0
        if self.length and whole > self.length - self.places:
            return f"{value} has more than {self.length - self.places} digits before the point"
        return None


def parse_type(kind: str, length: str) -> FieldType | None:
    kind, length = kind.strip(), length.strip().replace(",", ",")
    digits = [part.strip().replace(",", "") for part in length.split(",")] if length else []
    if kind == TEXT or (kind.startswith("(not given)") and length.isdigit()):
        return FieldType(TEXT, int(digits[0]) if digits and digits[0].isdigit() else 0)
    if kind == NUMBER:
        total = int(digits[0]) if digits and digits[0].isdigit() else 0
        places = int(digits[1]) if len(digits) > 1 and digits[1].isdigit() else 0
        return FieldType(NUMBER, total, places)
    if kind == DATE:
        return FieldType(DATE)
    if kind == DATETIME:
        return FieldType(DATETIME)
    return None


def types_from(text: str) -> dict[str, dict[str, FieldType]]:
    """Per transaction (and ``envelope``), the typed fields of its tables, input and output."""
    found: dict[str, dict[str, FieldType]] = {}
    current: dict[str, FieldType] | None = None
    for line in text.splitlines():
        section = _SECTION.match(line)
        if section is not None:
            current = found.setdefault(section["infno"] or "envelope", {})
            continue
        if line.startswith("## "):
            current = None
            continue
        row = _ROW.match(line)
        if current is None or row is None:
            continue
        typed = parse_type(row["type"], row["len"])
        if typed is not None:
            current.setdefault(row["name"], typed)
    for infno, fields in _EXTRA.items():
        found[infno] = {name: t for name, (kind, length) in fields.items() if (t := parse_type(kind, length))}
    return found


@cache
def field_types() -> dict[str, dict[str, FieldType]]:
    text = resources.files("resources").joinpath("agency/national-interface-fields.md").read_text("utf-8")
    return types_from(text)


# Transactions typed like another one in the tables: the catalogues like 1301, 2205 like 2202.
_SAME_AS = {**{f"130{n}": "1301" for n in range(2, 8)}}
# What is never a field's value: whole nodes, and the envelope's own input.
_NODES = frozenset({"input", "output"})


def first_badly_typed(message: Mapping[str, Any]) -> ProtocolError | None:
    """The first field of a request (envelope, then input, record by record) that breaks its type."""
    tables = field_types()
    infno = str(message.get("infno", ""))
    envelope = tables.get("envelope", {})
    for name, value in message.items():
        kind = envelope.get(name)
        if kind is not None and name not in _NODES:
            problem = kind.problem(value)
            if problem is not None:
                return ProtocolError(name, problem)
    typed = tables.get(_SAME_AS.get(infno, infno), {})
    payload = message.get("input")
    return _walk(typed, payload, "input") if isinstance(payload, Mapping) else None


def _walk(typed: Mapping[str, FieldType], value: Any, path: str) -> ProtocolError | None:
    if isinstance(value, Mapping):
        for name, inner in value.items():
            kind = typed.get(name)
            where = f"{path}.{name}"
            if isinstance(inner, Mapping | list):
                found = _walk(typed, inner, where)
            elif kind is not None:
                problem = kind.problem(inner)
                found = None if problem is None else ProtocolError(where, problem)
            else:
                found = None
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found = _walk(typed, inner, f"{path}[{index}]")
            if found is not None:
                return found
    return None
