"""Taking the patient's (or a family member's) signature on screen, by finger, pen or mouse."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageWriter,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTouchEvent,
)
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget
from typing_extensions import override

INK = QColor("#102060")
INK_WIDTH = 2.5
# Stored images are this size whatever the screen: big enough to read, small on disk.
STORED_SIZE = QSize(480, 160)


class SignaturePad(QWidget):
    """A white pad that records strokes; ``png()`` gives the signature as a PNG image."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[QPointF]] = []
        self._drawing = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setMinimumSize(STORED_SIZE)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(self.tr("Signature pad"))

    @override
    def sizeHint(self) -> QSize:
        return STORED_SIZE * 1.25

    def is_empty(self) -> bool:
        return not any(len(stroke) > 1 for stroke in self._strokes)

    def clear(self) -> None:
        self._strokes.clear()
        self._drawing = False
        self.update()
        self.changed.emit()

    def png(self) -> bytes:
        """The strokes scaled onto a white image of ``STORED_SIZE``, as PNG bytes."""
        image = QImage(STORED_SIZE, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(STORED_SIZE.width() / max(1, self.width()), STORED_SIZE.height() / max(1, self.height()))
        self._draw_strokes(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        QImageWriter(buffer, QByteArray(b"PNG")).write(image)  # QImage.save's format argument fails in 6.12
        buffer.close()
        return bytes(data.data())

    # --- input ----------------------------------------------------------------------

    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
        event.accept()

    @override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing:
            self._extend(event.position())
        event.accept()

    @override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing:
            self._extend(event.position())
            self._end()
        event.accept()

    @override
    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                position = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(position)
                else:
                    self._extend(position)
                if kind == QEvent.Type.TouchEnd:
                    self._end()
            event.accept()
            return True
        return super().event(event)

    def _begin(self, point: QPointF) -> None:
        self._drawing = True
        self._strokes.append([QPointF(point)])
        self.update()

    def _extend(self, point: QPointF) -> None:
        # a pen resting in one place adds nothing: a tap is not a signature
        if self._drawing and self._strokes and self._strokes[-1][-1] != point:
            self._strokes[-1].append(QPointF(point))
            self.update()

    def _end(self) -> None:
        self._drawing = False
        self.changed.emit()

    # --- drawing --------------------------------------------------------------------

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#b0b0b0"), 1, Qt.PenStyle.DashLine))
        baseline = self.height() * 0.75
        painter.drawLine(QPointF(12, baseline), QPointF(self.width() - 12, baseline))
        self._draw_strokes(painter)
        painter.end()

    def _draw_strokes(self, painter: QPainter) -> None:
        painter.setPen(QPen(INK, INK_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        for stroke in self._strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0])
                continue
            path = QPainterPath(stroke[0])
            for point in stroke[1:]:
                path.lineTo(point)
            painter.drawPath(path)


class SignatureDialog(QDialog):
    """The pad with Clear and Accept; Accept stays off until something is drawn."""

    def __init__(self, patient: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Signature"))
        self.pad = SignaturePad(self)
        prompt = QLabel(self.tr("{patient}: the patient or a family member signs below.").format(patient=patient))
        prompt.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.accept_button = QPushButton(self.tr("Accept signature"), self)
        self.accept_button.setEnabled(False)
        self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.clear_button.clicked.connect(self.pad.clear)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.pad.changed.connect(self._update_accept)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.buttons)

    def _update_accept(self) -> None:
        self.accept_button.setEnabled(not self.pad.is_empty())

    def png(self) -> bytes:
        return self.pad.png()
