"""The simulated reader, the e-voucher scan parser, the typed ID number and the reader interface."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.identity.evoucher import ScannerReader, parse_evoucher
from desktop.identity.reads import CardKind, CardRead, CardReader, ReaderError, ReaderProblem
from desktop.identity.simulated import SimulatedReader
from desktop.identity.typed import IdNumberReader
from tests.identity.roster import valid_id

TOKEN = "E36A7F0C2B9D4E51A8C3"
ID_NUMBER = valid_id("360121", dt.date(1960, 6, 15), 1)


def test_simulated_reader_hands_out_reads_in_turn_then_asks_for_a_card() -> None:
    first = CardRead(CardKind.SOCIAL_SECURITY_CARD, "A00000001", ID_NUMBER, "张伟", "36" * 16)
    failure = ReaderError(ReaderProblem.NO_CARD, "请插卡", "no card")
    reader: CardReader = SimulatedReader([first, failure])
    assert reader.read() == first
    with pytest.raises(ReaderError) as caught:
        reader.read()
    assert caught.value is failure
    with pytest.raises(ReaderError) as empty:
        reader.read()
    assert empty.value.problem is ReaderProblem.NO_CARD
    assert "请刷卡" in empty.value.chinese


def test_simulated_reader_takes_more_reads_later() -> None:
    reader = SimulatedReader()
    reader.put(CardRead(CardKind.EVOUCHER, TOKEN))
    assert len(reader) == 1
    assert reader.read().number == TOKEN
    assert len(reader) == 0


def test_a_read_never_prints_its_numbers_in_full() -> None:
    read = CardRead(
        CardKind.SOCIAL_SECURITY_CARD, "A00000001", ID_NUMBER, "欧阳娜娜", "360100D156000005AB12CD34EF567890"
    )
    shown = repr(read)
    assert ID_NUMBER not in shown
    assert "A00000001" not in shown
    assert "娜娜" not in shown
    assert "360100D156000005AB12CD34EF567890" not in shown
    assert ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:] in shown


@pytest.mark.parametrize(
    "scanned",
    [
        TOKEN,
        f"{TOKEN}\r\n",
        f"  {TOKEN}\t",
        f"ecQrCode={TOKEN}",
        f"ECQRCODE={TOKEN}&chnlId=alipay",
        f"chnl=wx;ecToken={TOKEN}",
        f"https://example.invalid/ec?from=app&qrCode={TOKEN}",
        f'{{"ecQrCode": "{TOKEN}", "chnlId": "wx"}}',
        "".join(chr(ord(c) + 0xFEE0) for c in TOKEN),  # typed through a full-width input method
    ],
)
def test_the_token_is_extracted_from_what_the_scanner_typed(scanned: str) -> None:
    assert parse_evoucher(scanned) == TOKEN


def test_base64_characters_are_kept() -> None:
    assert parse_evoucher("AbCdEfGh12+/34567890==") == "AbCdEfGh12+/34567890=="
    assert parse_evoucher("code=AbCdEfGh12+/34567890==") == "AbCdEfGh12+/34567890=="


@pytest.mark.parametrize(
    ("scanned", "chinese"),
    [
        ("", "扫码内容为空"),
        ("   \r\n", "扫码内容为空"),
        ("6901234567892", "商品条码"),
        (ID_NUMBER, "身份证号"),
        ("E36A7F0C", "太短"),
        ("E" * 51, "太长"),
        ("E36A7F0C2B9D4E51A8C3中文", "无效字符"),
        ("E36A7F0C 2B9D4E51A8C3", "无效字符"),
        ('{"ecQrCode": "E36A', "不完整"),
        ('["E36A7F0C2B9D4E51A8C3"]', "不是医保电子凭证"),
        ('{"other": "E36A7F0C2B9D4E51A8C3"}', "没有电子凭证令牌"),
        ("https://example.invalid/page?x=1", "网址"),
    ],
)
def test_a_bad_scan_says_why(scanned: str, chinese: str) -> None:
    with pytest.raises(ReaderError) as caught:
        parse_evoucher(scanned)
    assert caught.value.problem is ReaderProblem.BAD_SCAN
    assert chinese in caught.value.chinese


def test_scanner_reader_reads_the_next_scanned_line() -> None:
    lines = iter([f"{TOKEN}\n", "6901234567892\n"])
    reader = ScannerReader(lambda: next(lines))
    assert reader.read() == CardRead(CardKind.EVOUCHER, TOKEN)
    with pytest.raises(ReaderError):
        reader.read()


def test_typed_id_number_is_validated_before_it_becomes_a_read() -> None:
    typed = iter([ID_NUMBER.lower(), ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] == "0" else "0")])
    reader = IdNumberReader(lambda: next(typed), today=lambda: dt.date(2024, 5, 10))
    read = reader.read()
    assert read == CardRead(CardKind.ID_NUMBER, ID_NUMBER, holder_id_number=ID_NUMBER)
    with pytest.raises(ReaderError) as caught:
        reader.read()
    assert caught.value.problem is ReaderProblem.BAD_ID_NUMBER
    assert "校验位" in caught.value.chinese
