"""The receipt: clinic, patient (masked ID), items, the split, the policy version, a signature line.

Printed on the default printer; with no printer installed it is written as an A5 PDF, which
the clinic can print later or keep.

The receipt has its own type, in points: the application's font is set in pixels for the
screen (``desktop.ui.style``), and 15 pixels of a 1200 dpi printer are 0.3 mm.
"""

from __future__ import annotations

import html
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from db.models import Facility, Person, Settlement, Staff
from db.session import APP_NAME, Store
from desktop.privacy import mask_id_number
from desktop.settlement.records import settlement_json
from desktop.settlement.service import CHINA
from desktop.ui.style import FONT_FAMILIES

BODY_POINTS = 10.5  # the heading (<h2>) is set half as large again


def receipts_folder() -> Path:
    return Path(platformdirs.user_documents_dir()) / APP_NAME / "receipts"


def receipt_html(store: Store, settlement_id: int) -> str:
    with store.reading() as session:
        data = settlement_json(session, settlement_id)
        settlement = session.get(Settlement, settlement_id)
        assert settlement is not None
        person = session.get(Person, settlement.person_id)
        facility = session.get(Facility, data["facility"])
        staff = session.get(Staff, settlement.staff_id)
        assert person is not None
        assert facility is not None
        assert staff is not None
        settled_at = settlement.settled_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    e = html.escape
    words = {
        "title": QCoreApplication.translate("Receipt", "Outpatient settlement receipt"),
        "reversed": QCoreApplication.translate("Receipt", "REVERSED"),
        "number": QCoreApplication.translate("Receipt", "Receipt no."),
        "patient": QCoreApplication.translate("Receipt", "Patient"),
        "id": QCoreApplication.translate("Receipt", "ID number"),
        "diagnosis": QCoreApplication.translate("Receipt", "Diagnosis"),
        "item": QCoreApplication.translate("Receipt", "Item"),
        "qty": QCoreApplication.translate("Receipt", "Qty"),
        "price": QCoreApplication.translate("Receipt", "Price"),
        "amount": QCoreApplication.translate("Receipt", "Amount"),
        "policy": QCoreApplication.translate("Receipt", "Policy"),
        "clerk": QCoreApplication.translate("Receipt", "Clerk"),
        "signature": QCoreApplication.translate("Receipt", "Patient's signature"),
    }
    w = {key: e(value) for key, value in words.items()}
    rows = "".join(
        f"<tr><td>{e(i['name'])}</td><td align=right>{e(i['quantity'])}</td>"
        f"<td align=right>{e(i['price'])}</td><td align=right>{e(i['amount'])}</td></tr>"
        for i in data["items"]
    )
    split = [
        (QCoreApplication.translate("Receipt", "Total"), data["total"]),
        (QCoreApplication.translate("Receipt", "Out of scope"), data["out_of_scope"]),
        (QCoreApplication.translate("Receipt", "Deductible"), data["deductible_applied"]),
        (QCoreApplication.translate("Receipt", "Fund pays"), data["fund"]),
        (QCoreApplication.translate("Receipt", "Personal account"), data["account"]),
        (QCoreApplication.translate("Receipt", "Patient pays"), data["cash"]),
    ]
    split_rows = "".join(f"<tr><td>{e(k)}</td><td align=right>{e(v)}</td></tr>" for k, v in split)
    reversed_note = f"<p><b>{w['reversed']}</b></p>" if data["reversed"] else ""
    diagnoses = e("、".join(d["name"] for d in data["diagnoses"]) or "—")
    masked = e(mask_id_number(person.id_number))
    return f"""
<h2 align=center>{e(facility.name)}</h2>
<p align=center>{w["title"]}</p>
{reversed_note}
<p>{w["number"]} {settlement_id} &nbsp; {e(settled_at)}<br>
{w["patient"]}: {e(person.name)} &nbsp; {w["id"]}: {masked}<br>
{w["diagnosis"]}: {diagnoses}</p>
<table width=100% cellspacing=0 cellpadding=3 border=1 style="border-collapse: collapse">
<tr><th>{w["item"]}</th><th>{w["qty"]}</th><th>{w["price"]}</th><th>{w["amount"]}</th></tr>
{rows}</table>
<table width=100% cellspacing=0 cellpadding=2>{split_rows}</table>
<p>{w["policy"]}: {e(data["policy_version"])}<br>{w["clerk"]}: {e(staff.name)}</p>
<p><br>{w["signature"]}: ______________________</p>
"""


def receipt_font() -> QFont:
    """The receipt's type: the counter's faces, sized in points for paper rather than pixels."""
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPointSizeF(BODY_POINTS)
    return font


def receipt_document(store: Store, settlement_id: int) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(receipt_font())
    document.setHtml(receipt_html(store, settlement_id))
    return document


def print_document(document: QTextDocument, printer: QPrinter) -> None:
    """Lay the document out on the printer's page, inside its margins, and paint it page by page.

    ``QTextDocument.print_`` would add 2 cm margins of its own and a page number; laid out
    on the printer itself, the points of the document's font are the printer's points.
    """
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    document.documentLayout().setPaintDevice(printer)
    document.setDocumentMargin(0)  # the page layout's margins are the receipt's
    document.setPageSize(QSizeF(page.width(), page.height()))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer or PDF file could not be opened for writing")
    try:
        for number in range(document.pageCount()):
            if number:
                printer.newPage()
            top = number * page.height()
            painter.save()
            painter.translate(0, -top)
            document.drawContents(painter, QRectF(0, top, page.width(), page.height()))
            painter.restore()
    finally:
        painter.end()


def print_receipt(store: Store, settlement_id: int, folder: Path | None = None) -> Path | None:
    """Print on the default printer, on its own paper; with none, write an A5 PDF and return its path."""
    document = receipt_document(store, settlement_id)
    default = QPrinterInfo.defaultPrinter()
    if not default.isNull():
        printer = QPrinter(default, QPrinter.PrinterMode.HighResolution)
        print_document(document, printer)
        return None
    target = (folder or receipts_folder()) / f"receipt-{settlement_id}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A5),
            QPageLayout.Orientation.Portrait,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    print_document(document, printer)
    return target
