"""Field values in the interface's forms: amounts 16,2, counts 16,4, prices 16,6, times and dates.

Writing refuses what the field cannot hold; reading names the field it refuses.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.agency.msgid import CHINA
from desktop.agency.wire import ProtocolError

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _scaled(value: Decimal, places: int, field: str, *, signed: bool = False) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ProtocolError(field, f"{value!r} is not a Decimal amount")
    if value < 0 and not signed:
        raise ProtocolError(field, f"{value} is negative")
    scaled = value.quantize(Decimal(1).scaleb(-places))
    if scaled != value:
        raise ProtocolError(field, f"{value} has more than {places} decimal places")
    return scaled


def amount(value: Decimal, field: str, *, signed: bool = False) -> Decimal:
    """Money, 数值型 16,2: exactly two decimals on the wire (``12.50``)."""
    return _scaled(value, 2, field, signed=signed)


def count(value: Decimal, field: str) -> Decimal:
    """A quantity, 数值型 16,4."""
    if value <= 0:
        raise ProtocolError(field, f"{value} must be more than zero")
    return _scaled(value, 4, field)


def price(value: Decimal, field: str) -> Decimal:
    """A unit price, 数值型 16,6."""
    return _scaled(value, 6, field)


def time_text(moment: dt.datetime, field: str) -> str:
    """日期时间型: ``yyyy-MM-dd HH:mm:ss`` in Beijing time."""
    if moment.tzinfo is None:
        raise ProtocolError(field, "the time needs a time zone")
    return moment.astimezone(CHINA).strftime(TIME_FORMAT)


def date_text(day: dt.date) -> str:
    """日期型: ``yyyy-MM-dd``."""
    return day.isoformat()


def read_text(record: Any, name: str, path: str, *, required: bool = True) -> str:
    """Text, or a code or id the agency wrote as a JSON number (``"mdtrt_id": 300179916``)."""
    value = record.get(name) if isinstance(record, dict) else None
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if required:
            raise ProtocolError(f"{path}.{name}", "is missing from the agency's answer")
        return ""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ProtocolError(f"{path}.{name}", f"{value!r} is not text")
    return str(value)


def read_decimal(record: Any, name: str, path: str, *, required: bool = True, places: int = 2) -> Decimal:
    """A number the agency sent as a JSON number or as text (``12.5``, ``"12.50"``, ``" 12.50 "``);
    missing optional ones (absent, null or empty) read as zero. More decimals than the
    field holds are refused unless they are zeros (``4.520000``)."""
    value = record.get(name) if isinstance(record, dict) else None
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if required:
            raise ProtocolError(f"{path}.{name}", "is missing from the agency's answer")
        return Decimal(0).quantize(Decimal(1).scaleb(-places))
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ProtocolError(f"{path}.{name}", f"{value!r} is not a number")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ProtocolError(f"{path}.{name}", f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ProtocolError(f"{path}.{name}", f"{value!r} is not a number")
    scaled = number.quantize(Decimal(1).scaleb(-places))
    if scaled != number:
        raise ProtocolError(f"{path}.{name}", f"{value} has more than {places} decimal places")
    return scaled


# The spellings of a time the interface's gateways are seen to use: its own
# ``yyyy-MM-dd HH:mm:ss``, the same without separators (as msgids and refmsg_time are
# written), an ISO ``T``, slashes, and any of these with milliseconds.
_TIME = re.compile(
    r"(?P<y>\d{4})[-/]?(?P<mo>\d{2})[-/]?(?P<d>\d{2})[ T]?(?P<h>\d{2}):?(?P<mi>\d{2}):?(?P<s>\d{2})"
    r"(?:\.?(?P<ms>\d{1,6}))?"
)
_DAY = re.compile(r"(?P<y>\d{4})([-/]?)(?P<mo>\d{1,2})\2(?P<d>\d{1,2})")


def parse_time(text: str) -> dt.datetime | None:
    """A Beijing time in any spelling above, or None when it is none of them."""
    found = _TIME.fullmatch(text.strip())
    if found is None:
        return None
    try:
        moment = dt.datetime(
            int(found["y"]),
            int(found["mo"]),
            int(found["d"]),
            int(found["h"]),
            int(found["mi"]),
            int(found["s"]),
            int((found["ms"] or "").ljust(6, "0")),
            tzinfo=CHINA,
        )
    except ValueError:
        return None
    return moment


def parse_date(text: str) -> dt.date | None:
    """A date as ``2024-05-10``, ``20240510`` or ``2024/5/10``; a time's date part will do."""
    text = text.strip()
    found = _DAY.fullmatch(text)
    if found is None:
        moment = parse_time(text)
        return None if moment is None else moment.date()
    try:
        return dt.date(int(found["y"]), int(found["mo"]), int(found["d"]))
    except ValueError:
        return None


def read_time(record: Any, name: str, path: str, *, required: bool = True) -> dt.datetime | None:
    text = read_text(record, name, path, required=required)
    if not text:
        return None
    moment = parse_time(text)
    if moment is None:
        raise ProtocolError(f"{path}.{name}", f"{text!r} is not a time like 2024-05-10 10:00:00")
    return moment


def read_date(record: Any, name: str, path: str) -> dt.date:
    text = read_text(record, name, path)
    day = parse_date(text)
    if day is None:
        raise ProtocolError(f"{path}.{name}", f"{text!r} is not a date like 2024-05-10")
    return day
