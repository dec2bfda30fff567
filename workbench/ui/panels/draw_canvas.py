"""A canvas to draw on with the mouse (or a pen): dark strokes on white paper, kept as an image.

The Try tab draws digits and pictures on it for image models. Strokes are drawn into a fixed
working image, whatever the widget's size on screen; ``image()`` gives that image. A picture can
be laid on it (shown fitted and centred), and drawn over.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor(20, 20, 20)
PAPER = QColor(255, 255, 255)


class DrawCanvas(QWidget):
    """A square drawing surface; ``stroke_moved`` on every move of a stroke,
    ``stroke_finished`` when the button is let go, ``cleared`` after ``clear()``."""

    stroke_moved = Signal()
    stroke_finished = Signal()
    cleared = Signal()

    def __init__(self, side: int = 256, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tryImageCanvas")
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setCursor(Qt.CrossCursor)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(180, 180)
        self._image = QImage(side, side, QImage.Format_RGB32)
        self._image.fill(PAPER)
        self._pen_width = max(1.0, side / 14)
        self._pen_color = QColor(INK)
        self._last: QPointF | None = None
        self._empty = True
        self.moves = 0  # stroke moves drawn since the canvas was made (for pacing checks)

    # -- the drawing ----------------------------------------------------------------------
    @property
    def side(self) -> int:
        return self._image.width()

    @property
    def pen_width(self) -> float:
        return self._pen_width

    def set_pen_width(self, width: float) -> None:
        """The stroke width in the working image's pixels."""
        self._pen_width = max(1.0, float(width))

    @property
    def pen_color(self) -> QColor:
        return QColor(self._pen_color)

    def set_pen_color(self, color: QColor) -> None:
        self._pen_color = QColor(color)

    def set_side(self, side: int) -> None:
        """A new, empty working image of ``side`` x ``side`` pixels."""
        if side != self.side:
            self._image = QImage(side, side, QImage.Format_RGB32)
        self.clear()

    def is_empty(self) -> bool:
        return self._empty

    def image(self) -> QImage:
        """A copy of the drawing, ``side`` x ``side`` pixels."""
        return self._image.copy()

    def clear(self) -> None:
        self._image.fill(PAPER)
        self._empty = True
        self._last = None
        self.update()
        self.cleared.emit()

    def show_picture(self, picture: QImage) -> None:
        """Lay ``picture`` on white paper, fitted and centred (transparency shows the paper)."""
        self._image.fill(PAPER)
        if not picture.isNull():
            scaled = picture.scaled(self.side, self.side, Qt.KeepAspectRatio,
                                    Qt.SmoothTransformation)
            painter = QPainter(self._image)
            painter.drawImage((self.side - scaled.width()) // 2,
                              (self.side - scaled.height()) // 2, scaled)
            painter.end()
        self._empty = picture.isNull()
        self.update()

    def _draw_to(self, point: QPointF) -> None:
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(self._pen_color, self._pen_width, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        if self._last is None:
            painter.drawPoint(point)
        else:
            painter.drawLine(self._last, point)
        painter.end()
        self._last = point
        self._empty = False
        self.update()

    # -- screen <-> working image ---------------------------------------------------------------
    def _target(self) -> QRectF:
        """Where the working image is shown: the largest centred square."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_image(self, pos: QPointF) -> QPointF:
        target = self._target()
        scale = self.side / max(target.width(), 1.0)
        return QPointF((pos.x() - target.x()) * scale, (pos.y() - target.y()) * scale)

    # -- Qt ------------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(280, 280)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        target = self._target()
        painter.setRenderHint(QPainter.SmoothPixmapTransform)
        painter.drawImage(target, self._image)
        painter.setPen(QPen(QColor(150, 150, 150), 1))
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        if self.hasFocus():
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRect(target.adjusted(1, 1, -2, -2))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.MouseFocusReason)
        self._last = None
        self._draw_to(self._to_image(event.position()))
        self.moves += 1
        self.stroke_moved.emit()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not event.buttons() & Qt.LeftButton or self._last is None:
            return
        self._draw_to(self._to_image(event.position()))
        self.moves += 1
        self.stroke_moved.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.LeftButton or self._last is None:
            return
        self._last = None
        self.stroke_finished.emit()
