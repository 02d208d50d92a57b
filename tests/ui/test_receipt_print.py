"""The printed receipt read as paper: the words a readable size whatever the screen's font."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db.models import Facility, Person, Settlement, Visit
from db.session import Store
from desktop.privacy import mask_id_number
from desktop.ui.receipt import print_receipt
from desktop.ui.style import counter_font, style_sheet

POINTS_PER_MM = 72 / 25.4
READABLE_PT = 3 * POINTS_PER_MM  # 3 mm from the top of a line's letters to the bottom: 8.5 pt


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@pytest.fixture
def counter_look(qapp: QApplication) -> Iterator[None]:
    """The application's real font and style sheet (``make_application``), for this test only.

    The font is set in pixels for the screen: 15 px, which on a 1200 dpi printer is 0.3 mm.
    """
    font, sheet = qapp.font(), qapp.styleSheet()
    qapp.setFont(counter_font())
    qapp.setStyleSheet(style_sheet())
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def words_of(pdf: Path) -> tuple[float, float, list[Word]]:
    """Page 1's size and its words' boxes, in points, as poppler reads them."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', xhtml)
    assert page is not None
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xhtml)
    words = [Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, text in found]
    return float(page.group(1)), float(page.group(2)), words


@pytest.mark.usefixtures("counter_look")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_receipt_is_printed_in_readable_type(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QPrinterInfo, "defaultPrinter", staticmethod(QPrinterInfo))  # no printer: a PDF
    with store.reading() as session:
        settlement = session.scalars(select(Settlement).order_by(Settlement.id.desc())).first()
        assert settlement is not None
        person = session.get(Person, settlement.person_id)
        visit = session.get(Visit, settlement.visit_id)
        assert person is not None
        assert visit is not None
        facility = session.get(Facility, visit.facility_id)
        assert facility is not None
        settlement_id, id_number = settlement.id, person.id_number
        printed = (facility.name, mask_id_number(id_number), settlement.policy_version, "______")
    pdf = print_receipt(store, settlement_id, tmp_path)
    assert pdf is not None

    width, height, words = words_of(pdf)
    assert (round(width), round(height)) == (420, 595)  # A5 portrait, in points
    text = " ".join(word.text for word in words)
    for words_printed in printed:  # clinic, masked ID, policy version, signature line
        assert words_printed.replace(" ", "") in text.replace(" ", "")
    assert id_number not in text
    small = [(word.text, round(word.height / POINTS_PER_MM, 2)) for word in words if word.height < READABLE_PT]
    assert not small, f"words under 3 mm tall (text, mm): {small}"
    heading = words[0]  # the clinic's name, first and centred
    assert heading.height >= 1.3 * min(word.height for word in words)
    assert all(word.left > 0 and word.right < width and word.top > 0 and word.bottom < height for word in words)
