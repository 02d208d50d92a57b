"""The social security card reader against a fake card that speaks the documented APDUs."""

from __future__ import annotations

import datetime as dt
import sys
import types
from typing import Any

import pytest

from desktop.identity.pcsc import SSSE_NAME, SscReader, pcsc_connection, read_social_security_card
from desktop.identity.reads import CardKind, ReaderError, ReaderProblem
from tests.identity.roster import valid_id

ID_NUMBER = valid_id("360121", dt.date(1960, 6, 15), 1)
CARD_SN = bytes.fromhex("360100D156000005AB12CD34EF567890")
OK = (0x90, 0x00)


class FakeCard:
    """A card with EF05 and EF06 under SSSE; answers SELECT, READ RECORD and GET RESPONSE.

    ``chunked`` makes it answer like a T=0 card: 61xx, then the data by GET RESPONSE.
    """

    def __init__(self, *, files: dict[int, dict[int, bytes]] | None = None, chunked: bool = False) -> None:
        self.files = files if files is not None else standard_files()
        self.chunked = chunked
        self.sent: list[list[int]] = []
        self.connected = False
        self.disconnected = False
        self._in_ssse = False
        self._file: int | None = None
        self._pending = b""

    def connect(self) -> None:
        self.connected = True

    def disconnect(self) -> None:
        self.disconnected = True

    def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]:
        self.sent.append(apdu)
        cla, ins, p1, p2 = apdu[:4]
        assert cla == 0x00
        if ins == 0xA4 and p1 == 0x04:
            self._in_ssse = bytes(apdu[5:]) == SSSE_NAME
            return ([], *OK) if self._in_ssse else ([], 0x6A, 0x82)
        if ins == 0xA4 and p1 == 0x02:
            file_id = apdu[5] << 8 | apdu[6]
            if not self._in_ssse or file_id not in self.files:
                return [], 0x6A, 0x82
            self._file = file_id
            return [], *OK
        if ins == 0xB2 and p2 == 0x00:
            assert self._file is not None
            value = self.files[self._file].get(p1)
            if value is None:
                return [], 0x6A, 0x83
            answer = bytes([p1, len(value)]) + value
            if self.chunked:
                self._pending = answer
                return [], 0x61, len(answer)
            return list(answer), *OK
        if ins == 0xC0:
            answer, self._pending = self._pending[: apdu[4]], self._pending[apdu[4] :]
            return list(answer), *OK
        return [], 0x6D, 0x00


def standard_files(holder: str = ID_NUMBER) -> dict[int, dict[int, bytes]]:
    return {
        0xEF05: {0x01: CARD_SN, 0x07: b"A00000001"},
        0xEF06: {0x08: holder.encode(), 0x09: "欧阳娜娜".encode("gbk").ljust(30, b"\x00")},
    }


def test_the_documented_flow_reads_number_holder_name_and_card_sn() -> None:
    card = FakeCard()
    read = SscReader(open_connection=lambda: card).read()
    assert read.kind is CardKind.SOCIAL_SECURITY_CARD
    assert read.number == "A00000001"
    assert read.holder_id_number == ID_NUMBER
    assert read.holder_name == "欧阳娜娜"
    assert read.card_sn == "360100D156000005AB12CD34EF567890"
    assert card.connected
    assert card.disconnected
    assert card.sent[0] == [0x00, 0xA4, 0x04, 0x00, 0x0F, *bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")]
    assert card.sent[1] == [0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x05]
    assert card.sent[2] == [0x00, 0xB2, 0x01, 0x00, 0x00]
    assert [0x00, 0xA4, 0x02, 0x00, 0x02, 0xEF, 0x06] in card.sent


def test_a_t0_card_answering_61xx_is_followed_with_get_response() -> None:
    card = FakeCard(chunked=True)
    read = read_social_security_card(card)
    assert read.holder_id_number == ID_NUMBER
    assert any(apdu[:4] == [0x00, 0xC0, 0x00, 0x00] for apdu in card.sent)


def test_6cxx_resends_with_the_length_the_card_asks_for() -> None:
    class WantsLength(FakeCard):
        def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]:
            if apdu[1] == 0xB2 and apdu[4] == 0x00:
                self.sent.append(apdu)
                return [], 0x6C, 0x0B
            return super().transmit(apdu)

    card = WantsLength()
    assert read_social_security_card(card).number == "A00000001"
    assert [0x00, 0xB2, 0x07, 0x00, 0x0B] in card.sent


def test_a_card_without_the_social_security_application_is_named() -> None:
    card = FakeCard(files={})
    with pytest.raises(ReaderError) as caught:
        SscReader(open_connection=lambda: card).read()
    assert caught.value.problem is ReaderProblem.NOT_A_SOCIAL_SECURITY_CARD
    assert "不是社会保障卡" in caught.value.chinese
    assert card.disconnected


def test_a_missing_item_is_a_card_error() -> None:
    files = standard_files()
    del files[0xEF06][0x08]
    with pytest.raises(ReaderError) as caught:
        read_social_security_card(FakeCard(files=files))
    assert caught.value.problem is ReaderProblem.CARD_ERROR
    assert "6A83" in caught.value.english


def test_an_unreadable_id_number_on_the_card_is_refused_without_echoing_it() -> None:
    bad = ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] == "0" else "0")
    with pytest.raises(ReaderError) as caught:
        read_social_security_card(FakeCard(files=standard_files(bad)))
    assert caught.value.problem is ReaderProblem.CARD_ERROR
    assert bad not in str(caught.value)


def test_no_card_in_the_reader() -> None:
    class Empty(FakeCard):
        def connect(self) -> None:
            raise OSError("Card is unpowered")

    with pytest.raises(ReaderError) as caught:
        SscReader(open_connection=Empty).read()
    assert caught.value.problem is ReaderProblem.NO_CARD


def test_without_pyscard_the_clerk_is_told_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "smartcard", None)  # import smartcard now raises ImportError
    monkeypatch.setitem(sys.modules, "smartcard.System", None)
    with pytest.raises(ReaderError) as caught:
        SscReader().read()
    assert caught.value.problem is ReaderProblem.NO_LIBRARY
    assert "pyscard" in caught.value.english


def _fake_pyscard(monkeypatch: pytest.MonkeyPatch, readers: Any) -> None:
    package = types.ModuleType("smartcard")
    system = types.ModuleType("smartcard.System")
    system.readers = readers  # type: ignore[attr-defined]  # the one function pyscard's System offers here
    package.System = system  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "smartcard", package)
    monkeypatch.setitem(sys.modules, "smartcard.System", system)


def test_no_reader_connected(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_pyscard(monkeypatch, lambda: [])
    with pytest.raises(ReaderError) as caught:
        pcsc_connection()
    assert caught.value.problem is ReaderProblem.NO_READER
    assert "未检测到读卡器" in caught.value.chinese


def test_pcsc_service_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> list[Any]:
        raise RuntimeError("Failed to establish context")

    _fake_pyscard(monkeypatch, refuse)
    with pytest.raises(ReaderError) as caught:
        pcsc_connection()
    assert caught.value.problem is ReaderProblem.NO_READER


def test_the_named_reader_is_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    card = FakeCard()

    class Reader:
        def __init__(self, name: str) -> None:
            self.name = name

        def __str__(self) -> str:
            return self.name

        def createConnection(self) -> FakeCard:  # noqa: N802  # pyscard's name
            assert self.name == "Decard T10 01"
            return card

    _fake_pyscard(monkeypatch, lambda: [Reader("Other 00"), Reader("Decard T10 01")])
    assert SscReader("T10").read().number == "A00000001"
    with pytest.raises(ReaderError) as caught:
        SscReader("Missing").read()
    assert "'Missing'" in caught.value.english
