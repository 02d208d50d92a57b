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

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
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
        self.setMinimumSize(QSize(640, 360))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_position(self, position: FundPosition | None, elapsed: int) -> None:
        self.position = position
        self.elapsed = max(0, min(elapsed, 12))
        self.update()

    def image(self, size: QSize) -> QImage:
        """The chart as it would be drawn at ``size`` (for the printed report)."""
        picture = QImage(size, QImage.Format.Format_ARGB32)
        picture.fill(QColor("white"))
        painter = QPainter(picture)
        try:
            self._draw(painter, QRectF(0, 0, size.width(), size.height()))
        finally:
            painter.end()
        return picture

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("white"))
            self._draw(painter, QRectF(self.rect()))
        finally:
            painter.end()

    # --- drawing -----------------------------------------------------------------------

    def _draw(self, painter: QPainter, area: QRectF) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 8.0))
        painter.setFont(font)
        if self.position is None:
            painter.setPen(FLOOR)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self._text.empty)
            return
        metrics = QFontMetricsF(font)
        left = metrics.horizontalAdvance("000,000") + 12
        line = metrics.height()
        top_panel = QRectF(area.left() + left, area.top() + line, area.width() - left - 12, area.height() * 0.58 - line)
        bottom_top = top_panel.bottom() + 2.2 * line
        bottom_panel = QRectF(top_panel.left(), bottom_top, top_panel.width(), area.bottom() - bottom_top - 1.6 * line)
        self._budget_used(painter, top_panel, metrics)
        self._month_by_month(painter, bottom_panel, metrics)
        self._month_names(painter, bottom_panel, metrics)

    def _x(self, panel: QRectF, month: float) -> float:
        """The middle of month ``month`` (1–12); 0.5 and 12.5 are the panel's edges."""
        return panel.left() + (month - 0.5) * panel.width() / 12

    def _budget_used(self, painter: QPainter, panel: QRectF, metrics: QFontMetricsF) -> None:
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
            painter.fillRect(band, BAND_FILL[index % len(BAND_FILL)])
        self._axis(painter, panel, metrics, top, y)
        for _name, floor in position.band_floors[1:]:
            level = y(position.budget * floor)
            painter.setPen(QPen(FLOOR, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(panel.left(), level), QPointF(panel.right(), level))
            painter.drawText(QPointF(panel.left() + 4, level - 3), f"{floor:.0%}")
        level = y(position.budget)
        painter.setPen(QPen(BUDGET, 2))
        painter.drawLine(QPointF(panel.left(), level), QPointF(panel.right(), level))
        budget = self._text.budget.format(amount=_yuan(position.budget))
        painter.drawText(QPointF(panel.left() + panel.width() * 0.35, level - 4), budget)
        shown = cumulative[: max(self.elapsed, 0)]
        self._spent_line(painter, panel, shown, y)
        if projected is not None and shown:
            start = QPointF(self._x(panel, len(shown)), y(shown[-1]))
            end = QPointF(self._x(panel, 12), y(projected))
            painter.setPen(QPen(PROJECTED, 2, Qt.PenStyle.DashLine))
            painter.drawLine(start, end)
            label = self._text.projected.format(amount=_yuan(projected))
            width = metrics.horizontalAdvance(label)
            painter.drawText(QPointF(min(end.x() - width / 2, panel.right() - width), end.y() - 6), label)

    def _spent_line(
        self, painter: QPainter, panel: QRectF, shown: list[Decimal], y: Callable[[Decimal], float]
    ) -> None:
        if not shown:
            return
        path = QPainterPath(QPointF(self._x(panel, 0.5), panel.bottom()))
        for month, value in enumerate(shown, start=1):
            path.lineTo(QPointF(self._x(panel, month), y(value)))
        painter.setPen(QPen(SPENT, 2.5))
        painter.drawPath(path)
        painter.setBrush(SPENT)
        for month, value in enumerate(shown, start=1):
            painter.drawEllipse(QPointF(self._x(panel, month), y(value)), 3, 3)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _axis(
        self, painter: QPainter, panel: QRectF, metrics: QFontMetricsF, top: Decimal, y: Callable[[Decimal], float]
    ) -> None:
        painter.setPen(GRID)
        for step in range(1, 5):
            value = top * step / 5
            level = y(value)
            painter.drawLine(QPointF(panel.left(), level), QPointF(panel.right(), level))
        painter.setPen(QColor("#555555"))
        for step in range(5):
            value = top * step / 5
            label = _yuan(value)
            painter.drawText(
                QPointF(panel.left() - metrics.horizontalAdvance(label) - 6, y(value) + metrics.ascent() / 2 - 1), label
            )
        painter.drawLine(panel.bottomLeft(), panel.bottomRight())
        painter.drawLine(panel.bottomLeft(), panel.topLeft())

    def _month_by_month(self, painter: QPainter, panel: QRectF, metrics: QFontMetricsF) -> None:
        position = self.position
        assert position is not None
        limits = [m.limit for m in position.months if m.limit is not None]
        top = max([*(m.fund_paid for m in position.months), *limits, Decimal(1)]) * Decimal("1.1")

        def y(value: Decimal) -> float:
            return panel.bottom() - float(value / top) * panel.height()

        self._axis(painter, panel, metrics, top, y)
        width = panel.width() / 12 * 0.56
        for m in position.months:
            if m.fund_paid > 0:
                x = self._x(panel, m.month)
                painter.fillRect(QRectF(x - width / 2, y(m.fund_paid), width, panel.bottom() - y(m.fund_paid)), BAR)
            if m.paid is not None and m.month <= max(self.elapsed, 1) and m.fund_paid > 0:
                painter.setPen(QPen(PAID, 3))
                x = self._x(panel, m.month)
                painter.drawLine(QPointF(x - width / 2, y(m.paid)), QPointF(x + width / 2, y(m.paid)))
        if limits:  # the ceiling (or advance) month by month, as a step line across the bars
            painter.setPen(QPen(CEILING, 2))
            for m in position.months:
                if m.limit is None:
                    continue
                half = panel.width() / 24
                x = self._x(panel, m.month)
                painter.drawLine(QPointF(x - half, y(m.limit)), QPointF(x + half, y(m.limit)))
        self._legend(painter, panel, metrics)

    def _legend(self, painter: QPainter, panel: QRectF, metrics: QFontMetricsF) -> None:
        items = [(BAR, self._text.spent), (CEILING, self._text.ceiling), (PAID, self._text.paid)]
        x = panel.left() + 4
        baseline = panel.top() - 6
        painter.setPen(QColor("#333333"))
        painter.drawText(QPointF(x, baseline), self._text.monthly)
        x += metrics.horizontalAdvance(self._text.monthly) + 16
        for colour, name in items:
            painter.fillRect(QRectF(x, baseline - metrics.ascent() + 2, 14, metrics.ascent() - 3), colour)
            painter.setPen(QColor("#333333"))
            painter.drawText(QPointF(x + 18, baseline), name)
            x += 18 + metrics.horizontalAdvance(name) + 16

    def _month_names(self, painter: QPainter, panel: QRectF, metrics: QFontMetricsF) -> None:
        painter.setPen(QColor("#555555"))
        for month, name in enumerate(self._text.months, start=1):
            width = metrics.horizontalAdvance(name)
            painter.drawText(QPointF(self._x(panel, month) - width / 2, panel.bottom() + metrics.height()), name)
