"""The receipt: clinic, patient (masked ID), diagnosis with its code, items, the split with the total
in capitals (大写), where it stands with the agency (its settlement number once known), the
policy version, a signature line; and a settle-up's receipt (补收 / 退费).

Drawn from ``desktop.receipts``' data; every word goes through the translation, which
carries its punctuation, so Chinese text gets full-width punctuation (患者：, 、, ；).

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

from db.session import APP_NAME, Store
from desktop.money import format_amount
from desktop.official import Standing
from desktop.receipts import SettlementReceipt, settle_up_receipt, settlement_receipt
from desktop.settlement.service import CHINA
from desktop.ui.style import FONT_FAMILIES

BODY_POINTS = 10.5  # the heading (<h2>) is set half as large again


def receipts_folder() -> Path:
    return Path(platformdirs.user_documents_dir()) / APP_NAME / "receipts"


def _words() -> dict[str, str]:
    """Every word of the receipts in the interface language, punctuation included (the Chinese is full-width)."""
    translate = QCoreApplication.translate
    return {
        "title": translate("Receipt", "Outpatient settlement receipt"),
        "self_pay_title": translate("Receipt", "Self-pay outpatient receipt"),
        "reversed": translate("Receipt", "REVERSED: {0}"),
        "number": translate("Receipt", "Receipt no. {0}"),
        "patient": translate("Receipt", "Patient: {0}"),
        "id": translate("Receipt", "ID number: {0}"),
        "diagnosis": translate("Receipt", "Diagnosis: {0}"),
        "separator": translate("Receipt", "; "),
        "item": translate("Receipt", "Item"),
        "qty": translate("Receipt", "Qty"),
        "price": translate("Receipt", "Price"),
        "amount": translate("Receipt", "Amount"),
        "total": translate("Receipt", "Total"),
        "capitals": translate("Receipt", "Total in capitals"),
        "out_of_scope": translate("Receipt", "Out of scope"),
        "deductible": translate("Receipt", "Deductible"),
        "fund": translate("Receipt", "Fund pays"),
        "account": translate("Receipt", "Personal account"),
        "cash": translate("Receipt", "Patient pays"),
        "self_pay": translate("Receipt", "Self-pay: not covered by insurance, not sent to the agency."),
        "setl_id": translate("Receipt", "Agency settlement no.: {0}"),
        "set_aside": translate("Receipt", "Set aside by the agency: waiting on it; these figures may still change."),
        "waiting": translate("Receipt", "Waiting for the agency's settlement: these figures may still change."),
        "differs": translate(
            "Receipt",
            "The agency's split differs from the counter's: fund {0}, personal account {1}, cash {2} at the counter.",
        ),
        "collected_on": translate("Receipt", " Collected {0} on {1} (settle-up {2})."),
        "given_back_on": translate("Receipt", " Given back {0} on {1} (settle-up {2})."),
        "owes": translate("Receipt", " The patient owes {0} more in cash."),
        "due_back": translate("Receipt", " {0} in cash is due back to the patient."),
        "policy": translate("Receipt", "Policy: {0}"),
        "clerk": translate("Receipt", "Clerk: {0}"),
        "signature": translate("Receipt", "Patient's signature: {0}"),
        "collect_title": translate("Receipt", "Settle-up receipt: collected"),
        "refund_title": translate("Receipt", "Settle-up receipt: given back"),
        "settle_up_number": translate("Receipt", "Settle-up no. {0}"),
        "for_settlement": translate("Receipt", "For settlement no. {0} of {1}; agency settlement no.: {2}"),
        "at_counter": translate("Receipt", "At the counter"),
        "agency_split": translate("Receipt", "The agency's split"),
        "collected": translate("Receipt", "Collected from the patient: {0} ({1})"),
        "given_back": translate("Receipt", "Given back to the patient: {0} ({1})"),
    }


SIGNATURE_LINE = "______________________"
# Between the patient's name and ID number: an ideographic space, which both languages read as a gap.
GAP = "\u3000"


def _row(title: str, value: str) -> str:
    return f"<tr><td>{html.escape(title)}</td><td align=right>{html.escape(value)}</td></tr>"


def _patient(w: dict[str, str], name: str, id_number: str) -> str:
    text = w["patient"].format(name)
    return text + GAP + w["id"].format(id_number) if id_number else text


def _standing(receipt: SettlementReceipt, w: dict[str, str]) -> str:
    """Where the settlement stands with the agency, as the receipt says it."""
    standing = receipt.figures.standing
    if standing is Standing.SELF_PAY:
        return w["self_pay"]
    if receipt.agency_setl_id is not None:
        return w["setl_id"].format(receipt.agency_setl_id)
    return w["set_aside"] if standing is Standing.SET_ASIDE else w["waiting"]


def _difference(receipt: SettlementReceipt, w: dict[str, str]) -> str:
    """The counter's split beside the agency's, and the settle-up, where the agency's differs."""
    figures = receipt.figures
    if not figures.differs:
        return ""
    counter = figures.counter
    text = w["differs"].format(format_amount(counter.fund), format_amount(counter.account), format_amount(counter.cash))
    note = receipt.settle_up
    if note is not None:
        done = note.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
        template = w["collected_on"] if note.kind == "collect" else w["given_back_on"]
        text += template.format(format_amount(note.amount), done, note.settle_up_id)
    elif figures.owed > 0:
        text += w["owes"].format(format_amount(figures.owed))
    elif figures.owed < 0:
        text += w["due_back"].format(format_amount(-figures.owed))
    return f"<p>{html.escape(text)}</p>"


def receipt_html(store: Store, settlement_id: int) -> str:
    """The settlement's receipt, at its official figures (the agency's once it booked the visit)."""
    receipt = settlement_receipt(store, settlement_id)
    w = _words()
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(line.name)}</td><td align=right>{e(line.quantity)}</td>"
        f"<td align=right>{e(format_amount(line.price))}</td><td align=right>{e(format_amount(line.amount))}</td></tr>"
        for line in receipt.lines
    )
    official = receipt.official
    split = [
        (w["total"], format_amount(receipt.total)),
        (w["capitals"], receipt.total_in_capitals),
        (w["out_of_scope"], format_amount(receipt.out_of_scope)),
        (w["deductible"], format_amount(receipt.deductible)),
        (w["fund"], format_amount(official.fund)),
        (w["account"], format_amount(official.account)),
        (w["cash"], format_amount(official.cash)),
    ]
    reversed_note = ""
    if receipt.reversal_reason is not None:
        reversed_note = f"<p><b>{e(w['reversed'].format(receipt.reversal_reason))}</b></p>"
    diagnoses = w["separator"].join(f"{d.code} {d.name}" for d in receipt.diagnoses) or "—"
    policy = e(w["policy"].format(receipt.policy_version)) + "<br>" if receipt.policy_version else ""
    title = w["self_pay_title"] if receipt.self_pay else w["title"]
    return f"""
<h2 align=center>{e(receipt.facility_name)}</h2>
<p align=center>{e(title)}</p>
{reversed_note}
<p>{e(w["number"].format(receipt.settlement_id))} &nbsp; {e(receipt.settled_at.strftime("%Y-%m-%d %H:%M"))}<br>
{e(_patient(w, receipt.patient_name, receipt.id_number))}<br>
{e(w["diagnosis"].format(diagnoses))}</p>
<table width=100% cellspacing=0 cellpadding=3 border=1 style="border-collapse: collapse">
<tr><th>{e(w["item"])}</th><th>{e(w["qty"])}</th><th>{e(w["price"])}</th><th>{e(w["amount"])}</th></tr>
{rows}</table>
<table width=100% cellspacing=0 cellpadding=2>{"".join(_row(k, v) for k, v in split)}</table>
<p>{e(_standing(receipt, w))}</p>
{_difference(receipt, w)}
<p>{policy}{e(w["clerk"].format(receipt.clerk))}</p>
<p><br>{e(w["signature"].format(SIGNATURE_LINE))}</p>
"""


def settle_up_html(store: Store, settle_up_id: int) -> str:
    """A settle-up's receipt: what was collected or given back, and the two splits that made it owed."""
    receipt = settle_up_receipt(store, settle_up_id)
    w = _words()
    e = html.escape
    collect = receipt.kind == "collect"
    what = (w["collected"] if collect else w["given_back"]).format(
        format_amount(receipt.amount), receipt.amount_in_capitals
    )
    rows = "".join(
        f"<tr><td>{e(title)}</td><td align=right>{e(format_amount(counter))}</td>"
        f"<td align=right>{e(format_amount(agency))}</td></tr>"
        for title, counter, agency in (
            (w["fund"], receipt.counter.fund, receipt.agency.fund),
            (w["account"], receipt.counter.account, receipt.agency.account),
            (w["cash"], receipt.counter.cash, receipt.agency.cash),
        )
    )
    settlement = w["for_settlement"].format(
        receipt.settlement_id, receipt.settled_on.isoformat(), receipt.agency_setl_id
    )
    return f"""
<h2 align=center>{e(receipt.facility_name)}</h2>
<p align=center>{e(w["collect_title"] if collect else w["refund_title"])}</p>
<p>{e(w["settle_up_number"].format(receipt.settle_up_id))} &nbsp; {e(receipt.at.strftime("%Y-%m-%d %H:%M"))}<br>
{e(settlement)}<br>
{e(_patient(w, receipt.patient_name, receipt.id_number))}</p>
<table width=100% cellspacing=0 cellpadding=3 border=1 style="border-collapse: collapse">
<tr><th></th><th>{e(w["at_counter"])}</th><th>{e(w["agency_split"])}</th></tr>
{rows}</table>
<p><b>{e(what)}</b></p>
<p>{e(w["clerk"].format(receipt.clerk))}</p>
<p><br>{e(w["signature"].format(SIGNATURE_LINE))}</p>
"""


def receipt_font() -> QFont:
    """The receipt's type: the counter's faces, sized in points for paper rather than pixels."""
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    font.setPointSizeF(BODY_POINTS)
    return font


def receipt_document(html_text: str) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(receipt_font())
    document.setHtml(html_text)
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
    return _print(receipt_html(store, settlement_id), f"receipt-{settlement_id}.pdf", folder)


def print_settle_up_receipt(store: Store, settle_up_id: int, folder: Path | None = None) -> Path | None:
    """A settle-up's receipt, printed or written as ``print_receipt`` does."""
    return _print(settle_up_html(store, settle_up_id), f"settle-up-{settle_up_id}.pdf", folder)


def _print(html_text: str, name: str, folder: Path | None) -> Path | None:
    document = receipt_document(html_text)
    default = QPrinterInfo.defaultPrinter()
    if not default.isNull():
        printer = QPrinter(default, QPrinter.PrinterMode.HighResolution)
        print_document(document, printer)
        return None
    target = (folder or receipts_folder()) / name
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
