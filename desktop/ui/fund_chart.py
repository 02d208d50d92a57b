"""The fund's year as a chart drawn with QPainter: budget used against the months, and the months.

Above: what the fund has paid for the year so far, month by month, against the year's
budget and the floors of its year-end bands (80%, 90% …), with the year carried on to
December at its pace so far (the projection) and the band that lands in. Below: each
month's spending as a bar under the month's ceiling or advance, with what the agency pays.

QPainter rather than QtCharts: the chart is two panels of lines and bars, and QtCharts
would ship PySide6-Addons with every copy of the program (README, "The fund page").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget
from typing_extensions import override

from desktop.fund.types import FundPosition

SPENT = QColor("#1f5fa8")
PROJECTED = QColor("#1f5fa8")
BUDGET = QColor("#2e7d32")
FLOOR = QColor("#9e9e9e")
CEILING = QColor("#c62828")
PAID = QColor("#f9a825")
BAR = QColor("#90b4dd")
GRID = QColor("#e6e6e6")
BAND_FILL = (QColor(255, 243, 224), QColor(232, 245, 233), QColor(227, 242, 253))


@dataclass(frozen=True, slots=True)
class ChartText:
    """The chart's words, translated by the page."""

    months: tuple[str, ...]  # twelve short month names
    budget: str  # "Budget {amount}"
    spent: str  # "Spent"
    projected: str  # "Projected {amount}"
    ceiling: str  # the month's limit's name: ceiling or advance
    paid: str  # "Paid"
    monthly: str  # the lower panel's title
    empty: str  # shown before the figures arrive


def _yuan(value: Decimal) -> str:
    return f"{value:,.0f}"


class FundChart(QWidget):
    """Draws one ``FundPosition``; ``elapsed`` is how many months are behind us (the rest is projection)."""

    def __init__(self, text: ChartText, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fundChart")
        self._text = text
        self.position: FundPosition | None = None
        self.elapsed = 0
        self._drawing: _Drawing | None = None
        self.setMinimumSize(QSize(640, 360))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_position(self, position: FundPosition | None, elapsed: int) -> None:
        elapsed = max(0, min(elapsed, 12))
        if position == self.position and elapsed == self.elapsed and position is not None:
            return  # the same figures read again: the drawing worked out for them still holds
        self.position = position
        self.elapsed = elapsed
        self._drawing = None
        self.update()

    def image(self, size: QSize) -> QImage:
        """The chart as it would be drawn at ``size`` (for the printed report)."""
        picture = QImage(size, QImage.Format.Format_ARGB32)
        picture.fill(QColor("white"))
        painter = QPainter(picture)
        try:
            self._drawn(QRectF(0, 0, size.width(), size.height())).play(painter)
        finally:
            painter.end()
        return picture

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        area = QRectF(self.rect())
        if self._drawing is None or self._drawing.area != area or self._drawing.font != self.font():
            self._drawing = self._drawn(area)
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("white"))
            self._drawing.play(painter)
        finally:
            painter.end()

    # --- drawing -----------------------------------------------------------------------

    def _drawn(self, area: QRectF) -> _Drawing:
        """The chart's strokes for ``area``, worked out once: a paint only plays them."""
        font = QFont(self.font())
        drawing = _Drawing(area, QFont(self.font()))
        font.setPointSizeF(max(font.pointSizeF(), 8.0))
        drawing.calls.append(lambda painter: painter.setFont(font))
        if self.position is None:
            drawing.text_in(QPen(FLOOR), area, Qt.AlignmentFlag.AlignCenter, self._text.empty)
            return drawing
        metrics = QFontMetricsF(font)
        left = metrics.horizontalAdvance("000,000") + 12
        line = metrics.height()
        top_panel = QRectF(area.left() + left, area.top() + line, area.width() - left - 12, area.height() * 0.58 - line)
        bottom_top = top_panel.bottom() + 2.2 * line
        bottom_panel = QRectF(top_panel.left(), bottom_top, top_panel.width(), area.bottom() - bottom_top - 1.6 * line)
        self._budget_used(drawing, top_panel, metrics)
        self._month_by_month(drawing, bottom_panel, metrics)
        self._month_names(drawing, bottom_panel, metrics)
        return drawing

    def _x(self, panel: QRectF, month: float) -> float:
        """The middle of month ``month`` (1–12); 0.5 and 12.5 are the panel's edges."""
        return panel.left() + (month - 0.5) * panel.width() / 12

    def _budget_used(self, drawing: _Drawing, panel: QRectF, metrics: QFontMetricsF) -> None:
        position = self.position
        assert position is not None
        cumulative: list[Decimal] = []
        running = Decimal(0)
        for month in position.months:
            running += month.fund_paid
            cumulative.append(running)
        projected = position.projection.projected if position.projection else None
        top = max([position.budget * Decimal("1.1"), *(cumulative or [Decimal(0)]), projected or Decimal(0)])
        top = top if top > 0 else Decimal(1)

        def y(value: Decimal) -> float:
            return panel.bottom() - float(value / top) * panel.height()

        floors = [Decimal(0), *(floor for _name, floor in position.band_floors[1:])]
        edges = [*(position.budget * f for f in floors), top]
        for index in range(len(edges) - 1):  # the bands, shaded from their floor to the next
            band = QRectF(panel.left(), y(edges[index + 1]), panel.width(), y(edges[index]) - y(edges[index + 1]))
            drawing.fill(band, BAND_FILL[index % len(BAND_FILL)])
        self._axis(drawing, panel, metrics, top, y)
        dashed = QPen(FLOOR, 1, Qt.PenStyle.DashLine)
        for _name, floor in position.band_floors[1:]:
            level = y(position.budget * floor)
            drawing.lines(dashed, [QLineF(panel.left(), level, panel.right(), level)])
            drawing.text(dashed, QPointF(panel.left() + 4, level - 3), f"{floor:.0%}")
        level = y(position.budget)
        pen = QPen(BUDGET, 2)
        drawing.lines(pen, [QLineF(panel.left(), level, panel.right(), level)])
        budget = self._text.budget.format(amount=_yuan(position.budget))
        drawing.text(pen, QPointF(panel.left() + panel.width() * 0.35, level - 4), budget)
        shown = cumulative[: max(self.elapsed, 0)]
        self._spent_line(drawing, panel, shown, y)
        if projected is not None and shown:
            start = QPointF(self._x(panel, len(shown)), y(shown[-1]))
            end = QPointF(self._x(panel, 12), y(projected))
            pen = QPen(PROJECTED, 2, Qt.PenStyle.DashLine)
            drawing.lines(pen, [QLineF(start, end)])
            label = self._text.projected.format(amount=_yuan(projected))
            width = metrics.horizontalAdvance(label)
            drawing.text(pen, QPointF(min(end.x() - width / 2, panel.right() - width), end.y() - 6), label)

    def _spent_line(
        self, drawing: _Drawing, panel: QRectF, shown: list[Decimal], y: Callable[[Decimal], float]
    ) -> None:
        if not shown:
            return
        points = [QPointF(self._x(panel, month), y(value)) for month, value in enumerate(shown, start=1)]
        path = QPainterPath(QPointF(self._x(panel, 0.5), panel.bottom()))
        for point in points:
            path.lineTo(point)
        pen = QPen(SPENT, 2.5)
        drawing.path(pen, path)
        drawing.dots(pen, SPENT, points, 3)

    def _axis(
        self, drawing: _Drawing, panel: QRectF, metrics: QFontMetricsF, top: Decimal, y: Callable[[Decimal], float]
    ) -> None:
        grid = [QLineF(panel.left(), y(top * step / 5), panel.right(), y(top * step / 5)) for step in range(1, 5)]
        drawing.lines(QPen(GRID), grid)
        pen = QPen(QColor("#555555"))
        for step in range(5):
            value = top * step / 5
            label = _yuan(value)
            drawing.text(
                pen,
                QPointF(panel.left() - metrics.horizontalAdvance(label) - 6, y(value) + metrics.ascent() / 2 - 1),
                label,
            )
        drawing.lines(
            pen, [QLineF(panel.bottomLeft(), panel.bottomRight()), QLineF(panel.bottomLeft(), panel.topLeft())]
        )

    def _month_by_month(self, drawing: _Drawing, panel: QRectF, metrics: QFontMetricsF) -> None:
        position = self.position
        assert position is not None
        limits = [m.limit for m in position.months if m.limit is not None]
        top = max([*(m.fund_paid for m in position.months), *limits, Decimal(1)]) * Decimal("1.1")

        def y(value: Decimal) -> float:
            return panel.bottom() - float(value / top) * panel.height()

        self._axis(drawing, panel, metrics, top, y)
        width = panel.width() / 12 * 0.56
        paid: list[QLineF] = []
        for m in position.months:
            if m.fund_paid > 0:
                x = self._x(panel, m.month)
                drawing.fill(QRectF(x - width / 2, y(m.fund_paid), width, panel.bottom() - y(m.fund_paid)), BAR)
            if m.paid is not None and m.month <= max(self.elapsed, 1) and m.fund_paid > 0:
                x = self._x(panel, m.month)
                paid.append(QLineF(x - width / 2, y(m.paid), x + width / 2, y(m.paid)))
        drawing.lines(QPen(PAID, 3), paid)
        half = panel.width() / 24
        # The ceiling (or advance) month by month, as a step line across the bars.
        ceiling = [
            QLineF(self._x(panel, m.month) - half, y(m.limit), self._x(panel, m.month) + half, y(m.limit))
            for m in position.months
            if m.limit is not None
        ]
        drawing.lines(QPen(CEILING, 2), ceiling)
        self._legend(drawing, panel, metrics)

    def _legend(self, drawing: _Drawing, panel: QRectF, metrics: QFontMetricsF) -> None:
        items = [(BAR, self._text.spent), (CEILING, self._text.ceiling), (PAID, self._text.paid)]
        x = panel.left() + 4
        baseline = panel.top() - 6
        pen = QPen(QColor("#333333"))
        drawing.text(pen, QPointF(x, baseline), self._text.monthly)
        x += metrics.horizontalAdvance(self._text.monthly) + 16
        for colour, name in items:
            drawing.fill(QRectF(x, baseline - metrics.ascent() + 2, 14, metrics.ascent() - 3), colour)
            drawing.text(pen, QPointF(x + 18, baseline), name)
            x += 18 + metrics.horizontalAdvance(name) + 16

    def _month_names(self, drawing: _Drawing, panel: QRectF, metrics: QFontMetricsF) -> None:
        pen = QPen(QColor("#555555"))
        for month, name in enumerate(self._text.months, start=1):
            width = metrics.horizontalAdvance(name)
            drawing.text(pen, QPointF(self._x(panel, month) - width / 2, panel.bottom() + metrics.height()), name)


class _Drawing:
    """A chart's painter calls for one area, worked out once and played at every paint: the
    figures' arithmetic and the text's measuring are done per position, not per paint."""

    def __init__(self, area: QRectF, font: QFont) -> None:
        self.area = area
        self.font = font  # the widget's, which a change of invalidates the drawing
        self.calls: list[Callable[[QPainter], None]] = []

    def play(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for call in self.calls:
            call(painter)

    def fill(self, rect: QRectF, colour: QColor) -> None:
        self.calls.append(lambda painter: painter.fillRect(rect, colour))

    def lines(self, pen: QPen, lines: list[QLineF]) -> None:
        if not lines:
            return

        def draw(painter: QPainter) -> None:
            painter.setPen(pen)
            painter.drawLines(lines)

        self.calls.append(draw)

    def text(self, pen: QPen, point: QPointF, text: str) -> None:
        def draw(painter: QPainter) -> None:
            painter.setPen(pen)
            painter.drawText(point, text)

        self.calls.append(draw)

    def text_in(self, pen: QPen, rect: QRectF, flags: Qt.AlignmentFlag, text: str) -> None:
        def draw(painter: QPainter) -> None:
            painter.setPen(pen)
            painter.drawText(rect, flags, text)

        self.calls.append(draw)

    def path(self, pen: QPen, path: QPainterPath) -> None:
        def draw(painter: QPainter) -> None:
            painter.setPen(pen)
            painter.drawPath(path)

        self.calls.append(draw)

    def dots(self, pen: QPen, colour: QColor, centres: list[QPointF], radius: float) -> None:
        def draw(painter: QPainter) -> None:
            painter.setPen(pen)
            painter.setBrush(colour)
            for centre in centres:
                painter.drawEllipse(centre, radius, radius)
            painter.setBrush(Qt.BrushStyle.NoBrush)

        self.calls.append(draw)
