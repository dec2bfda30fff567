"""The decision boundary: the 2-feature plane coloured by predicted class, with the data over it.

Colour is the predicted class; lightness is the model's confidence (pale where it hesitates,
full where it is sure), as in TensorFlow Playground. The plane is redrawn from each live-view
picture the training thread sends, and from the finished or opened model afterwards; the caption
says which moment of training the colours are from.

The points are drawn once per data: the panel keeps the arrays it drew and skips drawing the very
same arrays again (runs on the same data hand over the same ones). Anything else (other data, or
no data known yet) replaces or clears them, so one data set's points never stay under another's.
Before any run the data's own points are shown (``show_data``): a class sees the data first.

In drawing mode (the draw data set) the plane is a canvas: clicking or dragging paints points of
the chosen class, a right-click erases the nearest one. The painted points are the only points
shown (a run's pictures bring their colours, not their points), the view keeps the canvas's
extent, and messages go to the caption so the canvas never disappears.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.panels.sample_strip import SampleStrip, pick_samples
from workbench.ui.widgets import (
    cache_axes,
    cache_painted,
    fill_combo,
    name_widget,
    release_steady_size,
    select_data,
    set_steady_text,
)

# Blue and orange for two classes (the Playground's pair), then a qualitative palette.
CLASS_COLORS = np.array([
    (8, 119, 189), (245, 147, 34), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
], dtype=np.float32)
# How much of the class colour the plane shows at no / full confidence: pale enough that the
# points, drawn in the full colour, stand out everywhere.
PLANE_MIN_TINT = 0.08
PLANE_MAX_TINT = 0.62
POINT_SIZE = 6

# A drag paints a new point once the pointer has moved this share of the canvas's width.
DRAG_SPACING = 0.03
MAX_DRAW_CLASSES = 5
SAMPLE_ROWS = 5  # sample images shown per class

SHOW_TRAINING = "training"
SHOW_VALIDATION = "validation"
SHOW_BOTH = "both"


def sample_indices(labels: np.ndarray, classes: int) -> np.ndarray:
    """The samples ``show_samples`` shows: the first few of each class."""
    return np.concatenate([np.zeros(0, dtype=np.int64),
                           *pick_samples(labels, classes, SAMPLE_ROWS)]).astype(np.int64)


def class_color(index: int) -> np.ndarray:
    return CLASS_COLORS[index % len(CLASS_COLORS)]


def plane_image(probabilities: np.ndarray) -> np.ndarray:
    """RGB uint8 (rows, columns, 3) from class probabilities (rows, columns, classes)."""
    k = probabilities.shape[2]
    # A diverged model gives NaN or infinite outputs: shown as "unsure", never as garbage.
    probabilities = np.nan_to_num(probabilities, nan=1.0 / k, posinf=1.0, neginf=0.0)
    winner = probabilities.argmax(axis=2)
    top = probabilities.max(axis=2)
    # 0 where the classes are level (1/k each), 1 where the model is certain.
    confidence = np.clip((top - 1.0 / k) / max(1.0 - 1.0 / k, 1e-6), 0.0, 1.0)
    tint = PLANE_MIN_TINT + (PLANE_MAX_TINT - PLANE_MIN_TINT) * confidence
    colors = CLASS_COLORS[winner % len(CLASS_COLORS)]
    rgb = 255.0 - (255.0 - colors) * tint[..., None]
    return np.round(rgb).astype(np.uint8)


class DrawBar(QWidget):
    """The drawing tools beside the canvas: the class to paint, how many classes, undo, clear,
    save and open."""

    classes_changed = Signal(int)
    undo_requested = Signal()
    clear_requested = Signal()
    save_requested = Signal()
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawBar")
        self.class_group = QButtonGroup(self)
        self.class_group.setExclusive(True)
        self.class_buttons: list[QToolButton] = []
        classes_row = QHBoxLayout()
        classes_row.setContentsMargins(0, 0, 0, 0)
        classes_row.setSpacing(3)
        label = QLabel(self.tr("Paint:"))
        label.setToolTip(self.tr("The class of the points that clicks on the plane add."))
        classes_row.addWidget(label)
        for k in range(MAX_DRAW_CLASSES):
            button = QToolButton()
            button.setObjectName(f"drawClassButton{k}")
            button.setCheckable(True)
            # Numbered as the classes are everywhere else ("class 0", the file's labels).
            button.setText(str(k))
            button.setAccessibleName(self.tr("Paint class {n}").format(n=k))
            button.setToolTip(self.tr("Clicks on the plane add points of class {n}.").format(
                n=k))
            r, g, b = (int(c) for c in class_color(k))
            button.setStyleSheet(
                f"QToolButton {{ background: rgb({r},{g},{b}); color: white; font-weight: bold;"
                " border: 2px solid transparent; border-radius: 3px; min-width: 18px; }"
                " QToolButton:checked { border: 2px solid black; }")
            self.class_group.addButton(button, k)
            self.class_buttons.append(button)
            classes_row.addWidget(button)
        self.class_buttons[0].setChecked(True)
        self.classes_spin = QSpinBox()
        self.classes_spin.setObjectName("drawClassesSpin")
        self.classes_spin.setAccessibleName(self.tr("Number of classes"))
        self.classes_spin.setRange(2, MAX_DRAW_CLASSES)
        self.classes_spin.setPrefix(self.tr("classes: "))
        self.classes_spin.setToolTip(self.tr("How many classes the drawing has (2 to 5)."))
        self.classes_spin.valueChanged.connect(self._on_classes_changed)
        classes_row.addStretch(1)
        classes_row.addWidget(self.classes_spin)

        tools_row = QHBoxLayout()
        tools_row.setContentsMargins(0, 0, 0, 0)
        tools_row.setSpacing(3)
        self.undo_button = self._tool("drawUndoButton", self.tr("Undo"),
                                      self.tr("Take back the last point added or removed "
                                              "(Ctrl+Z)."), self.undo_requested)
        self.undo_button.setShortcut("Ctrl+Z")
        self.clear_button = self._tool("drawClearButton", self.tr("Clear"),
                                       self.tr("Remove every point (Undo brings them back)."),
                                       self.clear_requested)
        self.save_button = self._tool("drawSaveButton", self.tr("Save..."),
                                      self.tr("Save the drawing as a CSV file (x, y, label)."),
                                      self.save_requested)
        self.open_button = self._tool("drawOpenButton", self.tr("Open..."),
                                      self.tr("Open a drawing saved as a CSV file and paint "
                                              "on."), self.open_requested)
        for button in (self.undo_button, self.clear_button, self.save_button,
                       self.open_button):
            tools_row.addWidget(button)
        tools_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(classes_row)
        layout.addLayout(tools_row)
        self.set_classes(2)

    def _tool(self, name: str, text: str, tip: str, signal: Signal) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setText(text)
        button.setAccessibleName(text.rstrip("."))
        button.setToolTip(tip)
        button.clicked.connect(signal)
        return button

    @property
    def current_class(self) -> int:
        return max(0, self.class_group.checkedId())

    def set_current_class(self, k: int) -> None:
        self.class_buttons[max(0, min(k, self.classes_spin.value() - 1))].setChecked(True)

    def set_classes(self, classes: int) -> None:
        """Show ``classes`` class buttons (without emitting ``classes_changed``)."""
        self.classes_spin.blockSignals(True)
        self.classes_spin.setValue(classes)
        self.classes_spin.blockSignals(False)
        self._show_classes(self.classes_spin.value())

    def _show_classes(self, classes: int) -> None:
        for k, button in enumerate(self.class_buttons):
            button.setVisible(k < classes)
        if self.current_class >= classes:
            self.class_buttons[classes - 1].setChecked(True)

    def _on_classes_changed(self, classes: int) -> None:
        self._show_classes(classes)
        self.classes_changed.emit(classes)


class BoundaryPanel(QWidget):
    """Plane, points and a choice of which split's points to show."""

    #: drawing mode: paint a point of the chosen class here (x, y in the plane's units)
    point_painted = Signal(float, float, int)
    #: drawing mode: remove the painted point nearest to (x, y)
    point_erased = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boundaryPanel")
        title = QLabel(self.tr("<b>Decision boundary</b>"))
        title.setToolTip(self.tr(
            "Each place of the plane coloured by the class the model predicts there; the paler "
            "the colour, the less sure the model is. Circles: training points; squares: "
            "validation points."))
        # A combo box rather than radio buttons: the column stays narrow on small screens.
        self.points_combo = name_widget(QComboBox(), "boundaryPointsCombo",
                                        self.tr("Points to show"))
        fill_combo(self.points_combo, [(SHOW_TRAINING, self.tr("Training")),
                                       (SHOW_VALIDATION, self.tr("Validation")),
                                       (SHOW_BOTH, self.tr("Both"))])
        self.points_combo.setToolTip(self.tr("Which data to draw over the plane: the training "
                                             "points, the validation points, or both."))
        self.points_combo.currentIndexChanged.connect(self._on_points_changed)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(title)
        row.addStretch(1)
        row.addWidget(self.points_combo)

        self.plot = pg.PlotWidget(background="w")
        self.plot.setObjectName("boundaryPlot")
        self.plot.setAccessibleName(self.tr("Decision boundary"))
        item = self.plot.plotItem
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(False, False)
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTextPen((90, 90, 90))
            item.getAxis(axis).setPen((170, 170, 170))
            item.getAxis(axis).setStyle(tickLength=-4)
        self.plot.setMinimumSize(150, 140)
        self._image = pg.ImageItem()
        item.addItem(self._image)
        # Training points filled with a white rim; validation points with a dark rim.
        self._train_scatter = pg.ScatterPlotItem(size=POINT_SIZE, pen=pg.mkPen(255, 255, 255))
        self._val_scatter = pg.ScatterPlotItem(size=POINT_SIZE, pen=pg.mkPen(30, 30, 30),
                                               symbol="s")
        item.addItem(self._train_scatter)
        item.addItem(self._val_scatter)
        cache_axes(item)  # the plane below them redraws; they and the axes stay
        cache_painted(self._train_scatter, self._val_scatter)

        self._message_page = self._build_message_page()
        self._stack = QStackedWidget()
        self._stack.addWidget(self.plot)
        self._stack.addWidget(self._message_page)

        self.caption = QLabel()
        self.caption.setObjectName("boundaryCaption")
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        self.draw_bar = DrawBar()
        self.draw_bar.setVisible(False)
        layout.addLayout(row)
        layout.addWidget(self.draw_bar)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self.caption)
        self._drawing = False
        self._canvas: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0)
        self._last_painted: QPointF | None = None
        self.plot.viewport().installEventFilter(self)

        self._extent: tuple[float, float, float, float] | None = None
        # The arrays drawn (held, so that no other array can take their identity) and extent.
        self._points: tuple[object, ...] = ()
        self._rgb: np.ndarray | None = None
        self._placed: tuple[object, ...] = ()  # extent and image shape the image's rect is for
        self.reset()

    def _build_message_page(self) -> QWidget:
        """The page instead of the plane: a message, and sample images for image data."""
        self.message = QLabel()
        self.message.setObjectName("boundaryMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setStyleSheet("color: palette(placeholder-text); padding: 12px;")
        # Image data has no plane: a few of its images per class stand in, before any run.
        self.sample_strip = SampleStrip(rows=SAMPLE_ROWS)
        self.sample_strip.setVisible(False)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.sample_strip)
        layout.addStretch(1)
        return page

    # -- what is shown ----------------------------------------------------------------------
    @property
    def points_shown(self) -> str:
        return self.points_combo.currentData()

    def set_points_shown(self, which: str) -> None:
        select_data(self.points_combo, which)

    @property
    def image(self) -> np.ndarray | None:
        """The plane's RGB image as drawn (rows from the bottom), None when none is shown."""
        return None if self._rgb is None else self._rgb.copy()

    @property
    def showing_plane(self) -> bool:
        return self._stack.currentWidget() is self.plot

    @property
    def has_points(self) -> bool:
        """True while points of some data are set (drawn when the plane is shown)."""
        return bool(self._points)

    def show_waiting(self, text: str) -> None:
        """A run is starting: no colours until its first picture. With the run's points set
        (``set_plane``) the plot shows them with ``text`` below; otherwise ``text`` replaces
        the plot."""
        self._clear_image()
        if not self._points:
            self.show_message(text)
            return
        self._stack.setCurrentWidget(self.plot)
        set_steady_text(self.caption, text)

    def reset(self) -> None:
        """No data's points and no model: the invitation to start training."""
        self.clear(self.tr("Start training to watch the decision boundary form."))

    def clear(self, text: str) -> None:
        """Nothing of any data on show: no points, no colours, ``text`` instead. While
        drawing, the painted points stay and ``text`` goes below them."""
        self._clear_image()
        if self._drawing:
            self._show_caption(text)
            return
        self._clear_points()
        self.show_message(text)

    def show_data(self, extent: tuple[float, float, float, float], train: np.ndarray,
                  train_labels: np.ndarray, val: np.ndarray, val_labels: np.ndarray,
                  caption: str) -> None:
        """The data before any model: its points on an uncoloured plane, ``caption`` below."""
        self._clear_image()
        self.set_plane(extent, train, train_labels, val, val_labels)
        self._show_caption(caption)

    def _show_caption(self, text: str) -> None:
        self._stack.setCurrentWidget(self.plot)
        set_steady_text(self.caption, text)

    def _clear_image(self) -> None:
        self._rgb = None
        self._image.clear()
        self._placed = ()  # the next image places itself again

    def _clear_points(self) -> None:
        if not self._points:
            return
        self._points = ()
        self._extent = None
        self._train_scatter.clear()
        self._val_scatter.clear()

    def show_message(self, text: str) -> None:
        if self._drawing:  # the canvas stays; the message goes below it
            self._show_caption(text)
            return
        self.message.setText(text)
        self.sample_strip.setVisible(False)
        self.sample_strip.clear()
        release_steady_size(self.caption)
        self.caption.clear()
        self._stack.setCurrentWidget(self._message_page)

    def show_samples(self, images: np.ndarray, labels: np.ndarray,
                     class_names: tuple[str, ...] | list[str], text: str) -> None:
        """Image data before any run: ``text`` and raw images (N, C, H, W), a few per class
        (``sample_indices`` picks them)."""
        self._clear_image()
        self._clear_points()
        self.show_message(text)
        self.sample_strip.set_samples(images, labels, class_names)
        self.sample_strip.setVisible(True)

    def show_unsupported(self) -> None:
        self._clear_image()
        self._clear_points()  # the data on show now has no plane: none of an earlier one
        self.show_message(self.tr(
            "The decision boundary needs 2 input features: it is drawn for classification "
            "data with exactly two (spiral, moons, circles, xor, blobs, or a CSV file with two "
            "feature columns)."))

    def set_plane(self, extent: tuple[float, float, float, float], train: np.ndarray,
                  train_labels: np.ndarray, val: np.ndarray, val_labels: np.ndarray) -> None:
        """The plane's extent and the points (raw features); the very arrays drawn last time
        cost nothing."""
        if self._drawing:  # the painted points and the canvas stay; colours go here
            self._extent = extent
            return
        old = self._points
        if old and old[0] == extent and old[1] is train and old[2] is val:
            return
        self._points = (extent, train, val)
        self._extent = extent
        x0, x1, y0, y1 = extent
        self.plot.plotItem.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self._draw_points(train, train_labels, val, val_labels)

    def _draw_points(self, train: np.ndarray, train_labels: np.ndarray, val: np.ndarray,
                     val_labels: np.ndarray) -> None:
        for scatter, pts, labels in ((self._train_scatter, train, train_labels),
                                     (self._val_scatter, val, val_labels)):
            brushes = [pg.mkBrush(*class_color(int(c))) for c in range(int(labels.max()) + 1)] \
                if len(labels) else []
            scatter.setData(pos=np.asarray(pts, dtype=np.float64).reshape(-1, 2),
                            brush=[brushes[int(c)] for c in labels])
        self._apply_points_shown()

    # -- drawing -----------------------------------------------------------------------------
    @property
    def drawing(self) -> bool:
        return self._drawing

    def set_drawing(self, on: bool) -> None:
        """Drawing mode on (the canvas and its tools) or off (back to an empty panel)."""
        if on == self._drawing:
            return
        self._drawing = on
        self.draw_bar.setVisible(on)
        self._clear_image()
        self._clear_points()
        if on:
            # Both splits: painted validation points are part of the drawing.
            self.set_points_shown(SHOW_BOTH)
            self._stack.setCurrentWidget(self.plot)
        else:
            self.reset()

    def set_drawn_points(self, canvas: tuple[float, float, float, float], train: np.ndarray,
                         train_labels: np.ndarray, val: np.ndarray, val_labels: np.ndarray,
                         caption: str) -> None:
        """Drawing mode: the painted points (raw units) on a canvas of ``canvas``'s extent."""
        self._canvas = canvas
        self._points = (canvas, train, val)
        x0, x1, y0, y1 = canvas
        self.plot.plotItem.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self._draw_points(train, train_labels, val, val_labels)
        self._show_caption(caption)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._drawing or watched is not self.plot.viewport():
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            where = self._plane_point(event)
            if event.button() == Qt.MouseButton.RightButton:
                self.point_erased.emit(where.x(), where.y())
            elif event.button() == Qt.MouseButton.LeftButton:
                self._paint(where)
            return True
        if (kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent)
                and event.buttons() & Qt.MouseButton.LeftButton
                and self._last_painted is not None):
            where = self._plane_point(event)
            step = DRAG_SPACING * (self._canvas[1] - self._canvas[0])
            if (where - self._last_painted).manhattanLength() >= step:
                self._paint(where)
            return True
        if kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick):
            if kind == QEvent.Type.MouseButtonRelease:
                self._last_painted = None
            return True
        return False

    def _paint(self, where: QPointF) -> None:
        self._last_painted = where
        self.point_painted.emit(where.x(), where.y(), self.draw_bar.current_class)

    def _plane_point(self, event: QMouseEvent) -> QPointF:
        scene = self.plot.mapToScene(event.position().toPoint())
        return self.plot.plotItem.vb.mapSceneToView(scene)

    def widget_pos(self, x: float, y: float) -> QPointF:
        """Where the plane point (x, y) is on the plot's viewport (to click there)."""
        scene = self.plot.plotItem.vb.mapViewToScene(QPointF(x, y))
        return QPointF(self.plot.mapFromScene(scene))

    def set_probabilities(self, probabilities: np.ndarray, caption: str) -> None:
        """Colour the plane from class probabilities (rows from the plane's bottom)."""
        self._rgb = plane_image(probabilities)
        # pyqtgraph's ImageItem indexes [x, y]: columns first.
        self._image.setImage(np.ascontiguousarray(self._rgb.transpose(1, 0, 2)),
                             levels=(0, 255), autoLevels=False)
        placed = (self._extent, self._rgb.shape)
        if self._extent is not None and placed != self._placed:
            # After setImage: a rect set before the first image is lost (it scales the image).
            # Set again only when it changes: each call moves the item, which costs a paint.
            self._placed = placed
            x0, x1, y0, y1 = self._extent
            self._image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        # Settled now rather than when the paint begins, which would ask for a second paint.
        self.plot.scene().prepareForPaint()
        set_steady_text(self.caption, caption)
        self._stack.setCurrentWidget(self.plot)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        release_steady_size(self.caption)  # the caption follows the panel's new width

    def _on_points_changed(self, *_args: object) -> None:
        self._apply_points_shown()

    def _apply_points_shown(self) -> None:
        which = self.points_shown
        self._train_scatter.setVisible(which in (SHOW_TRAINING, SHOW_BOTH))
        self._val_scatter.setVisible(which in (SHOW_VALIDATION, SHOW_BOTH))

    def visible_point_counts(self) -> tuple[int, int]:
        """Training and validation points drawn now (0 for a hidden split)."""
        return (len(self._train_scatter.data) if self._train_scatter.isVisible() else 0,
                len(self._val_scatter.data) if self._val_scatter.isVisible() else 0)
