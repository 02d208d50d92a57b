"""The social security card (社会保障卡) over PC/SC, through pyscard (the ``smartcard`` extra).

The national card keeps the files a counter may read without a PIN in the social security
environment SSSE (application name ``sx1.sh.社会保障``): EF05 发卡机构数据 with the card
identification code (卡识别码, item 01, the ``card_sn`` the agency's 1101 asks for) and
the card number (卡号, item 07); EF06 持卡人基本信息 with the social security number
(社会保障号码, item 08, the holder's resident ID number) and the name (姓名, item 09).
Items are read with READ RECORD by item tag (P2 = 00) and come back as tag, length, value
(人社信息函〔2012〕37号, 社会保障卡文件结构和数据项 V2.0; LD/T 32.5 for the commands).

pyscard is imported only when a card is read, so the counter runs without it; a missing
library, PC/SC service, reader or card is a ``ReaderError`` with words for the clerk.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from typing import Any, Protocol

from desktop.identity.id_number import IdNumberError, validate_id_number
from desktop.identity.reads import CardKind, CardRead, ReaderError, ReaderProblem

SSSE_NAME = "sx1.sh.社会保障".encode("gbk")
EF05_ISSUER, EF06_HOLDER = 0xEF05, 0xEF06
ITEM_CARD_SN, ITEM_CARD_NUMBER, ITEM_ID_NUMBER, ITEM_NAME = 0x01, 0x07, 0x08, 0x09
_CARD_SN_BYTES = 16  # stored binary, shown as 32 hexadecimal characters
_OK = (0x90, 0x00)
_FILE_NOT_FOUND = (0x6A, 0x82)


class CardConnection(Protocol):
    """What pyscard's ``CardConnection`` offers and this reader uses."""

    def connect(self) -> None: ...

    def disconnect(self) -> None: ...

    def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]: ...


class CardStatusError(Exception):
    """The card answered with a status word other than 90 00."""

    def __init__(self, command: str, sw1: int, sw2: int) -> None:
        super().__init__(f"{command} answered {sw1:02X}{sw2:02X}")
        self.status = (sw1, sw2)


class SscReader:
    """Reads the card in a PC/SC reader (the first one, or the one whose name contains ``reader_name``).

    ``open_connection`` replaces pyscard (tests, or another PC/SC binding): it returns a
    connection not yet connected.
    """

    def __init__(
        self, reader_name: str | None = None, open_connection: Callable[[], CardConnection] | None = None
    ) -> None:
        self._open = open_connection or (lambda: pcsc_connection(reader_name))

    def read(self) -> CardRead:
        connection = self._open()
        try:
            connection.connect()
        except Exception as exc:  # pyscard raises NoCardException, CardConnectionException and others
            raise ReaderError(
                ReaderProblem.NO_CARD, "读卡器中没有卡，或卡未插好，请重新插卡", f"cannot connect to the card: {exc}"
            ) from exc
        try:
            return read_social_security_card(connection)
        finally:
            _disconnect_quietly(connection)


def _disconnect_quietly(connection: CardConnection) -> None:
    # The card may already be pulled out; the read is done either way.
    with contextlib.suppress(Exception):
        connection.disconnect()


def pcsc_connection(reader_name: str | None = None) -> CardConnection:
    """pyscard's connection to the chosen reader, or ``ReaderError`` saying what is missing."""
    try:
        system = importlib.import_module("smartcard.System")
    except ImportError as exc:
        raise ReaderError(
            ReaderProblem.NO_LIBRARY,
            "未安装社保卡读卡组件，请联系维护人员安装（pyscard）",
            "pyscard is not installed: pip install 'clinic-pos[smartcard]'",
        ) from exc
    try:
        found: list[Any] = list(system.readers())
    except Exception as exc:  # no PC/SC service: pyscard's exception classes differ by platform
        raise ReaderError(
            ReaderProblem.NO_READER, "读卡服务未启动，请检查读卡器驱动", f"the PC/SC service is not available: {exc}"
        ) from exc
    chosen = [r for r in found if reader_name is None or reader_name in str(r)]
    if not chosen:
        wanted = f" named {reader_name!r}" if reader_name else ""
        raise ReaderError(
            ReaderProblem.NO_READER, "未检测到读卡器，请检查读卡器是否连接好", f"no PC/SC reader{wanted} is connected"
        )
    connection: CardConnection = chosen[0].createConnection()
    return connection


def read_social_security_card(connection: CardConnection) -> CardRead:
    """SELECT SSSE, read EF05 items 01 and 07 and EF06 items 08 and 09, on a connected card."""
    try:
        _select_ssse(connection)
        _select_file(connection, EF05_ISSUER)
        card_sn = _card_sn(_read_item(connection, ITEM_CARD_SN))
        number = _text(_read_item(connection, ITEM_CARD_NUMBER))
        _select_file(connection, EF06_HOLDER)
        holder = _text(_read_item(connection, ITEM_ID_NUMBER))
        name = _text(_read_item(connection, ITEM_NAME), "gbk")
    except CardStatusError as exc:
        if exc.status == _FILE_NOT_FOUND:
            raise ReaderError(
                ReaderProblem.NOT_A_SOCIAL_SECURITY_CARD,
                "这张卡不是社会保障卡，请换社保卡或医保电子凭证",
                f"the card has no social security application ({exc})",
            ) from exc
        raise ReaderError(
            ReaderProblem.CARD_ERROR, "读卡失败，请重新插卡", f"the card refused a command: {exc}"
        ) from exc
    if not number:
        raise ReaderError(ReaderProblem.CARD_ERROR, "卡内没有卡号，请换卡或改用身份证号", "the card number is empty")
    try:
        holder_id = validate_id_number(holder)
    except IdNumberError as exc:
        raise ReaderError(
            ReaderProblem.CARD_ERROR, "卡内的身份证号无法识别，请改用身份证号", f"the card's ID number: {exc.english}"
        ) from exc
    return CardRead(CardKind.SOCIAL_SECURITY_CARD, number, holder_id, name, card_sn)


def _select_ssse(connection: CardConnection) -> None:
    _exchange(connection, [0x00, 0xA4, 0x04, 0x00, len(SSSE_NAME), *SSSE_NAME], "SELECT SSSE")


def _select_file(connection: CardConnection, file_id: int) -> None:
    _exchange(connection, [0x00, 0xA4, 0x02, 0x00, 0x02, file_id >> 8, file_id & 0xFF], f"SELECT {file_id:04X}")


def _read_item(connection: CardConnection, item: int) -> bytes:
    data = _exchange(connection, [0x00, 0xB2, item, 0x00, 0x00], f"READ RECORD {item:02X}")
    # The item comes back as tag, length, value; some cards send the value alone.
    if len(data) >= 2 and data[0] == item and data[1] == len(data) - 2:
        return data[2:]
    return data


def _exchange(connection: CardConnection, apdu: list[int], command: str) -> bytes:
    """Send one command, following 61xx (more data: GET RESPONSE) and 6Cxx (resend with Le = xx)."""
    data, sw1, sw2 = connection.transmit(apdu)
    if sw1 == 0x6C:
        data, sw1, sw2 = connection.transmit([*apdu[:-1], sw2])
    received = list(data)
    while sw1 == 0x61:
        data, sw1, sw2 = connection.transmit([0x00, 0xC0, 0x00, 0x00, sw2])
        received.extend(data)
    if (sw1, sw2) != _OK:
        raise CardStatusError(command, sw1, sw2)
    return bytes(received)


def _card_sn(value: bytes) -> str:
    if len(value) == _CARD_SN_BYTES:
        return value.hex().upper()
    return _text(value)


def _text(value: bytes, encoding: str = "ascii") -> str:
    # Fixed-length items are padded with 00 (an) or FF/20 by some issuers.
    trimmed = value.rstrip(b"\x00\xff\x20")
    try:
        return trimmed.decode(encoding).strip()
    except UnicodeDecodeError as exc:
        raise ReaderError(
            ReaderProblem.CARD_ERROR, "卡内数据无法识别，请换卡或改用身份证号", f"an item is not {encoding} text"
        ) from exc
