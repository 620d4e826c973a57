"""Icons drawn with QPainter (no image files): simple, thick, high-contrast shapes an elderly eye can read."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from ui import theme

Draw = Callable[[QPainter, float], None]


def _pen(p: QPainter, s: float, colour: str = theme.PRIMARY, width: float = 0.07) -> None:
    pen = QPen(QColor(colour), s * width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)


def id_card(p: QPainter, s: float) -> None:
    _pen(p, s)
    p.drawRoundedRect(QRectF(s * 0.08, s * 0.2, s * 0.84, s * 0.6), s * 0.06, s * 0.06)
    p.drawEllipse(QPointF(s * 0.3, s * 0.43), s * 0.08, s * 0.08)
    p.drawArc(QRectF(s * 0.17, s * 0.53, s * 0.26, s * 0.2), 0, 180 * 16)
    for y in (0.38, 0.5, 0.62):
        p.drawLine(QPointF(s * 0.52, s * y), QPointF(s * 0.82, s * y))


def wallet(p: QPainter, s: float) -> None:
    _pen(p, s)
    p.drawRoundedRect(QRectF(s * 0.1, s * 0.25, s * 0.8, s * 0.58), s * 0.07, s * 0.07)
    p.drawLine(QPointF(s * 0.18, s * 0.25), QPointF(s * 0.7, s * 0.12))
    p.drawRoundedRect(QRectF(s * 0.62, s * 0.45, s * 0.28, s * 0.18), s * 0.04, s * 0.04)
    p.setBrush(QBrush(QColor(theme.PRIMARY)))
    p.drawEllipse(QPointF(s * 0.72, s * 0.54), s * 0.025, s * 0.025)


def qr(p: QPainter, s: float) -> None:
    _pen(p, s)
    for x, y in ((0.12, 0.12), (0.58, 0.12), (0.12, 0.58)):
        p.drawRect(QRectF(s * x, s * y, s * 0.3, s * 0.3))
    p.setBrush(QBrush(QColor(theme.PRIMARY)))
    for x, y in ((0.22, 0.22), (0.68, 0.22), (0.22, 0.68), (0.6, 0.6), (0.78, 0.78), (0.6, 0.8), (0.8, 0.6)):
        p.drawRect(QRectF(s * x, s * y, s * 0.1, s * 0.1))


def money(p: QPainter, s: float) -> None:
    _pen(p, s)
    p.drawEllipse(QPointF(s * 0.5, s * 0.5), s * 0.38, s * 0.38)
    # the yuan sign: a Y with two bars
    p.drawLine(QPointF(s * 0.36, s * 0.28), QPointF(s * 0.5, s * 0.48))
    p.drawLine(QPointF(s * 0.64, s * 0.28), QPointF(s * 0.5, s * 0.48))
    p.drawLine(QPointF(s * 0.5, s * 0.48), QPointF(s * 0.5, s * 0.74))
    p.drawLine(QPointF(s * 0.38, s * 0.52), QPointF(s * 0.62, s * 0.52))
    p.drawLine(QPointF(s * 0.38, s * 0.63), QPointF(s * 0.62, s * 0.63))


def building(p: QPainter, s: float) -> None:
    _pen(p, s)
    roof = QPainterPath(QPointF(s * 0.1, s * 0.35))
    roof.lineTo(s * 0.5, s * 0.12)
    roof.lineTo(s * 0.9, s * 0.35)
    roof.closeSubpath()
    p.drawPath(roof)
    for x in (0.22, 0.42, 0.58, 0.78):
        p.drawLine(QPointF(s * x, s * 0.42), QPointF(s * x, s * 0.75))
    p.drawLine(QPointF(s * 0.1, s * 0.84), QPointF(s * 0.9, s * 0.84))


def progress(p: QPainter, s: float) -> None:
    _pen(p, s)
    p.drawEllipse(QPointF(s * 0.42, s * 0.42), s * 0.26, s * 0.26)
    p.drawLine(QPointF(s * 0.61, s * 0.61), QPointF(s * 0.86, s * 0.86))
    p.drawLine(QPointF(s * 0.42, s * 0.28), QPointF(s * 0.42, s * 0.44))
    p.drawLine(QPointF(s * 0.42, s * 0.44), QPointF(s * 0.53, s * 0.5))


def two_people(p: QPainter, s: float) -> None:
    """Someone helping someone: the cadre operating the screen for a villager (代为操作)."""
    _pen(p, s)
    for x, r in ((0.33, 0.11), (0.67, 0.11)):
        p.drawEllipse(QPointF(s * x, s * 0.3), s * r, s * r)
        p.drawArc(QRectF(s * (x - 0.2), s * 0.5, s * 0.4, s * 0.5), 0, 180 * 16)


def calendar(p: QPainter, s: float) -> None:
    """A day's page with lines: today's activity (今日记录)."""
    _pen(p, s)
    p.drawRoundedRect(QRectF(s * 0.14, s * 0.2, s * 0.72, s * 0.66), s * 0.06, s * 0.06)
    p.drawLine(QPointF(s * 0.14, s * 0.36), QPointF(s * 0.86, s * 0.36))
    for x in (0.32, 0.68):
        p.drawLine(QPointF(s * x, s * 0.12), QPointF(s * x, s * 0.26))
    for y in (0.5, 0.62, 0.74):
        p.drawLine(QPointF(s * 0.26, s * y), QPointF(s * 0.74, s * y))


def speaker(p: QPainter, s: float) -> None:
    _pen(p, s)
    body = QPainterPath(QPointF(s * 0.12, s * 0.38))
    for x, y in ((0.3, 0.38), (0.52, 0.2), (0.52, 0.8), (0.3, 0.62), (0.12, 0.62)):
        body.lineTo(s * x, s * y)
    body.closeSubpath()
    p.drawPath(body)
    p.drawArc(QRectF(s * 0.5, s * 0.32, s * 0.2, s * 0.36), -60 * 16, 120 * 16)
    p.drawArc(QRectF(s * 0.5, s * 0.18, s * 0.36, s * 0.64), -60 * 16, 120 * 16)


def house(p: QPainter, s: float) -> None:
    _pen(p, s)
    path = QPainterPath(QPointF(s * 0.1, s * 0.5))
    for x, y in ((0.5, 0.14), (0.9, 0.5)):
        path.lineTo(s * x, s * y)
    p.drawPath(path)
    p.drawPolyline(
        [
            QPointF(s * 0.22, s * 0.42),
            QPointF(s * 0.22, s * 0.86),
            QPointF(s * 0.78, s * 0.86),
            QPointF(s * 0.78, s * 0.42),
        ]
    )
    p.drawRect(QRectF(s * 0.42, s * 0.6, s * 0.16, s * 0.26))


def back(p: QPainter, s: float) -> None:
    _pen(p, s, width=0.1)
    p.drawPolyline([QPointF(s * 0.62, s * 0.18), QPointF(s * 0.3, s * 0.5), QPointF(s * 0.62, s * 0.82)])


def forward(p: QPainter, s: float, colour: str = theme.ON_PRIMARY) -> None:
    _pen(p, s, colour, width=0.1)
    p.drawPolyline([QPointF(s * 0.38, s * 0.18), QPointF(s * 0.7, s * 0.5), QPointF(s * 0.38, s * 0.82)])


def help_mark(p: QPainter, s: float) -> None:
    _pen(p, s)
    p.drawEllipse(QPointF(s * 0.5, s * 0.5), s * 0.4, s * 0.4)
    p.drawArc(QRectF(s * 0.36, s * 0.24, s * 0.28, s * 0.24), -90 * 16, 270 * 16)
    p.drawLine(QPointF(s * 0.5, s * 0.48), QPointF(s * 0.5, s * 0.58))
    p.setBrush(QBrush(QColor(theme.PRIMARY)))
    p.drawEllipse(QPointF(s * 0.5, s * 0.72), s * 0.04, s * 0.04)


def warning_sign(p: QPainter, s: float) -> None:
    _pen(p, s, theme.WARNING)
    tri = QPainterPath(QPointF(s * 0.5, s * 0.1))
    tri.lineTo(s * 0.92, s * 0.86)
    tri.lineTo(s * 0.08, s * 0.86)
    tri.closeSubpath()
    p.drawPath(tri)
    p.drawLine(QPointF(s * 0.5, s * 0.36), QPointF(s * 0.5, s * 0.6))
    p.drawPoint(QPointF(s * 0.5, s * 0.74))


def tick(p: QPainter, s: float) -> None:
    _pen(p, s, theme.SUCCESS, width=0.1)
    p.drawPolyline([QPointF(s * 0.18, s * 0.52), QPointF(s * 0.42, s * 0.76), QPointF(s * 0.84, s * 0.26)])


def lock(p: QPainter, s: float) -> None:
    _pen(p, s, theme.TEXT)
    p.drawRoundedRect(QRectF(s * 0.2, s * 0.44, s * 0.6, s * 0.44), s * 0.05, s * 0.05)
    p.drawArc(QRectF(s * 0.3, s * 0.14, s * 0.4, s * 0.6), 0, 180 * 16)


def pixmap(draw: Draw, size: int) -> QPixmap:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw(p, float(size))
    p.end()
    return pm


def icon(draw: Draw, size: int = 64) -> QIcon:
    return QIcon(pixmap(draw, size))
