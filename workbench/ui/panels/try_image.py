"""Try an image model: draw, open, drop or paste a picture and watch the class probabilities.

Every picture goes through ``workbench.core.predicting.image_input``, the path
``workbench predict`` takes for a picture file, so a drawing saved as PNG and predicted on the
command line gives the same probabilities as the bars. While a stroke is drawn the prediction
follows it, at most ``PREDICTIONS_PER_SECOND`` times a second (and once more when the stroke
ends).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QMimeData, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPixmap,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QColorDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import WorkbenchError
from workbench.ui.core_text import error_text
from workbench.ui.panels.draw_canvas import INK, DrawCanvas
from workbench.ui.widgets import name_widget

if TYPE_CHECKING:
    from PIL import Image

    from workbench.core.modelfile import Prediction, TrainedModel

PREDICTIONS_PER_SECOND = 25  # while drawing: smooth to the eye, a few % of one core
DIGIT_PAD_SIDE = 256
FREE_CANVAS_SIDE = 256
_BAR_ROW = 22
_TOP_COLOR = QColor(31, 119, 180)
_OTHER_COLOR = QColor(158, 198, 225)


def qimage_to_pil(image: QImage) -> Image.Image:
    """A QImage as a Pillow image: RGB when it is opaque, else RGBA (not premultiplied)."""
    from PIL import Image

    opaque = not image.hasAlphaChannel()
    fmt, channels = (QImage.Format_RGB888, 3) if opaque else (QImage.Format_RGBA8888, 4)
    converted = image.convertToFormat(fmt)
    w, h, line = converted.width(), converted.height(), converted.bytesPerLine()
    raw = np.frombuffer(converted.constBits(), dtype=np.uint8, count=line * h)
    pixels = raw.reshape(h, line)[:, :w * channels].reshape(h, w, channels).copy()
    return Image.fromarray(pixels, "RGB" if opaque else "RGBA")


def pil_to_qimage(image: Image.Image) -> QImage:
    rgba = image.convert("RGBA")
    data = rgba.tobytes()
    return QImage(data, rgba.width, rgba.height, 4 * rgba.width,
                  QImage.Format_RGBA8888).copy()


class ProbabilityBars(QWidget):
    """One bar per class, in the model's class order; the most likely class stands out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tryProbabilityBars")
        self._names: list[str] = []
        self._values = np.zeros(0)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def set_classes(self, names: list[str]) -> None:
        self._names = list(names)
        self._values = np.zeros(len(names))
        self.setAccessibleName(self.tr("Class probabilities"))
        self.updateGeometry()
        self.update()

    def set_values(self, values: np.ndarray | None) -> None:
        """Probabilities (one per class), or None for no bars."""
        self._values = (np.zeros(len(self._names)) if values is None
                        else np.nan_to_num(np.asarray(values, dtype=np.float64)))
        self.setAccessibleDescription(", ".join(
            f"{n} {100 * v:.1f} %" for n, v in zip(self._names, self._values, strict=True)))
        self.update()

    def values(self) -> np.ndarray:
        return self._values.copy()

    def sizeHint(self) -> QSize:
        return QSize(260, _BAR_ROW * max(1, len(self._names)) + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, _BAR_ROW * max(1, len(self._names)) + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        name_w = min(max((metrics.horizontalAdvance(n) for n in self._names), default=0) + 8,
                     self.width() // 3)
        pct_w = metrics.horizontalAdvance("100.0 %") + 8
        bar_w = max(10, self.width() - name_w - pct_w)
        top = int(np.argmax(self._values)) if self._values.any() else -1
        text_color = self.palette().windowText().color()
        for i, name in enumerate(self._names):
            y = 2 + i * _BAR_ROW
            value = float(np.clip(self._values[i], 0.0, 1.0))
            painter.setPen(text_color)
            shown = metrics.elidedText(name, Qt.ElideRight, name_w - 8)
            painter.drawText(QRectF(0, y, name_w - 8, _BAR_ROW), Qt.AlignRight | Qt.AlignVCenter,
                             shown)
            track = QRectF(name_w, y + 4, bar_w, _BAR_ROW - 8)
            painter.fillRect(track, self.palette().alternateBase())
            painter.fillRect(QRectF(track.x(), track.y(), bar_w * value, track.height()),
                             _TOP_COLOR if i == top else _OTHER_COLOR)
            painter.drawText(QRectF(name_w + bar_w + 4, y, pct_w - 4, _BAR_ROW),
                             Qt.AlignLeft | Qt.AlignVCenter, f"{100 * value:.1f} %")
        painter.end()


class InputPreview(QLabel):
    """The model's input, pixel for pixel, enlarged: what the network is given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tryModelInput")
        self.setFixedSize(96, 96)
        self.setAlignment(Qt.AlignCenter)
        self.setStyleSheet("border: 1px solid #999; background: white;")
        self.pixels: np.ndarray | None = None

    def show_input(self, x: np.ndarray | None, ink: bool) -> None:
        """``x``: channels x height x width in 0..1; ``ink``: values are ink (shown dark)."""
        self.pixels = None if x is None else x.copy()
        if x is None:
            self.clear()
            return
        arr = np.clip(x, 0.0, 1.0)
        arr = 1.0 - arr if ink else arr
        rgb = np.repeat(arr, 3, axis=0) if arr.shape[0] == 1 else arr[:3]
        data = np.ascontiguousarray((rgb.transpose(1, 2, 0) * 255).round().astype(np.uint8))
        h, w = data.shape[:2]
        image = QImage(data.tobytes(), w, h, 3 * w, QImage.Format_RGB888).copy()
        side = self.width() - 2
        self.setPixmap(QPixmap.fromImage(image).scaled(side, side, Qt.KeepAspectRatio,
                                                       Qt.FastTransformation))


class ImageTryPage(QWidget):
    """The Try tab's page for image models."""

    predicted = Signal(object, str)  # Prediction, where the picture came from
    failed = Signal(str)  # a message for the person: what went wrong and what to do

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tryImagePage")
        self.setAcceptDrops(True)
        self.model: TrainedModel | None = None
        self.last_prediction: Prediction | None = None
        self.last_input: np.ndarray | None = None  # the model's input for the last prediction
        self.predictions = 0  # predictions made (for pacing checks)
        self._picture: Image.Image | None = None  # an opened, dropped or pasted picture
        self._picture_name = ""
        self._kind: tuple[bool, tuple[int, ...]] | None = None  # the pad's kind of picture

        self.hint = name_widget(QLabel(), "tryImageHint", self.tr("What you can do here"))
        self.hint.setWordWrap(True)
        self.canvas = DrawCanvas(DIGIT_PAD_SIDE)
        self.canvas.setAccessibleName(self.tr("Drawing pad"))
        self.canvas.stroke_moved.connect(self._on_canvas_stroke_moved)
        self.canvas.stroke_finished.connect(self._on_canvas_stroke_finished)
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(1000 // PREDICTIONS_PER_SECOND)
        self._throttle.timeout.connect(self.predict_canvas)

        self.open_button = name_widget(QPushButton(self.tr("Open picture...")),
                                       "tryOpenImageButton", self.tr("Open a picture file"))
        self.open_button.clicked.connect(self._on_open_clicked)
        self.paste_button = name_widget(QPushButton(self.tr("Paste")), "tryPasteImageButton",
                                        self.tr("Paste a picture from the clipboard"))
        self.paste_button.setToolTip(QKeySequence(QKeySequence.Paste).toString(
            QKeySequence.NativeText))
        self.paste_button.clicked.connect(self.paste)
        self.clear_button = name_widget(QPushButton(self.tr("Clear")), "tryClearImageButton",
                                        self.tr("Clear the drawing"))
        self.clear_button.clicked.connect(self.clear)
        self.pen_slider = name_widget(QSlider(Qt.Horizontal), "tryPenWidth",
                                      self.tr("Pen width"))
        self.pen_slider.setRange(2, 40)
        self.pen_slider.valueChanged.connect(self._on_pen_changed)
        self.pen_label = QLabel(self.tr("Pen"))
        self.colour_button = name_widget(QPushButton(self.tr("Colour...")), "tryPenColour",
                                         self.tr("Pen colour"))
        self.colour_button.clicked.connect(self._on_colour_clicked)
        self.input_caption = QLabel()
        self.input_caption.setWordWrap(True)
        self.preview = InputPreview()
        self.bars = ProbabilityBars()
        self.source_label = name_widget(QLabel(), "tryImageSource",
                                        self.tr("The picture predicted"))
        self.source_label.setWordWrap(True)
        self._layout()
        # Ctrl+V anywhere on the page (the pad takes the focus when the page is shown).
        self._paste_shortcut = QShortcut(QKeySequence.Paste, self, self.paste,
                                         context=Qt.WidgetWithChildrenShortcut)

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.open_button, self.paste_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.pen_label)
        buttons.addWidget(self.pen_slider, 1)
        buttons.addWidget(self.colour_button)
        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addLayout(buttons)
        seen = QHBoxLayout()
        seen.addWidget(self.preview, 0, Qt.AlignTop)
        seen.addWidget(self.input_caption, 1, Qt.AlignTop)
        right = QVBoxLayout()
        right.addLayout(seen)
        right.addSpacing(8)
        right.addWidget(self.bars)
        right.addWidget(self.source_label)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addSpacing(12)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addLayout(body, 1)

    # -- model -----------------------------------------------------------------------------
    def set_model(self, model: TrainedModel, class_names: list[str]) -> None:
        """Try ``model``. A drawing or picture already on the pad stays when the model reads
        the same kind of picture (a retrained model, say), and is predicted again."""
        from workbench.core.predicting import is_digits_model

        kind = (is_digits_model(model), tuple(model.input_shape))
        keep = kind == self._kind and not self.canvas.is_empty()
        self.model, self._kind = model, kind
        self._throttle.stop()
        self._set_texts(model)
        self.bars.set_classes(class_names)
        if keep:
            if self._picture is not None:
                self.predict_picture(self._picture, self._picture_name)
            else:
                self.predict_canvas()
            return
        side = DIGIT_PAD_SIDE if kind[0] else FREE_CANVAS_SIDE
        self.canvas.set_side(side)
        pen = round(side / 12) if kind[0] else round(side / 32)
        self.pen_slider.setValue(pen)
        self.canvas.set_pen_width(pen)
        self.set_pen_colour(INK)
        # Grey models (and the digit pad) read only how dark a stroke is.
        self.colour_button.setVisible(not kind[0] and model.input_shape[0] == 3)
        self.clear()

    def _set_texts(self, model: TrainedModel) -> None:
        from workbench.core.predicting import is_digits_model

        channels, height, width = model.input_shape
        if is_digits_model(model):
            self.hint.setText(self.tr(
                "Draw a digit on the pad with the mouse: the bars show how sure the model is of "
                "each digit, and move as you draw. You can also open a picture of a digit, drop "
                "one here, or paste one (Ctrl+V). Your drawing is cut to its ink, centred and "
                "thickened as the training digits are."))
            self.input_caption.setText(self.tr(
                "What the model sees: 8 x 8 squares, each 0 to 16 parts ink, as in the digits "
                "set."))
            return
        self.hint.setText(self.tr(
            "Open a picture, drop one here, paste one (Ctrl+V) or draw on the canvas: the "
            "bars show how sure the model is of each class. The picture is resized to "
            "{w} x {h} pixels, as the training images were.").format(w=width, h=height))
        colour = self.tr("grey") if channels == 1 else self.tr("colour")
        self.input_caption.setText(self.tr(
            "What the model sees: {w} x {h} {colour} pixels.").format(w=width, h=height,
                                                                      colour=colour))

    def stop(self) -> None:
        """No prediction pending (the tab shows another model, or none)."""
        self._throttle.stop()
        self.model = None

    # -- sources -----------------------------------------------------------------------------
    def clear(self) -> None:
        self._throttle.stop()
        self._picture = None
        self._picture_name = ""
        self.canvas.clear()
        self.bars.set_values(None)
        self.preview.show_input(None, ink=False)
        self.last_prediction = self.last_input = None
        self.source_label.setText(self.tr("Draw, or bring a picture."))

    def predict_canvas(self) -> Prediction | None:
        """Predict what the pad holds now (nothing while it is empty)."""
        self._throttle.stop()
        if self.model is None or self.canvas.is_empty():
            return None
        return self.predict_picture(qimage_to_pil(self.canvas.image()), self.tr("Your drawing"))

    def open_file(self, path: str | Path) -> Prediction | None:
        """Predict a picture file, read as ``workbench predict`` reads it; show it on the pad."""
        from workbench.core.predicting import open_image

        try:
            picture = open_image(path)
        except WorkbenchError as exc:
            self.failed.emit(error_text(exc))
            return None
        return self._take_picture(picture, Path(path).name)

    def open_qimage(self, image: QImage, where: str) -> Prediction | None:
        if image.isNull():
            self.failed.emit(self.tr("That picture cannot be read. Save it as PNG or JPEG and "
                                     "open the file."))
            return None
        return self._take_picture(qimage_to_pil(image), where)

    def _take_picture(self, picture: Image.Image, where: str) -> Prediction | None:
        self._throttle.stop()
        self._picture, self._picture_name = picture, where
        self.canvas.show_picture(pil_to_qimage(picture))
        return self.predict_picture(picture, where)

    def predict_picture(self, picture: Image.Image, where: str) -> Prediction | None:
        """Predict one picture through the shared image path; bars, preview and label follow."""
        from workbench.core.predicting import image_input, is_digits_model

        model = self.model
        if model is None:
            return None
        try:
            x = image_input(model, picture)
            pred = model.predict(x[None])
        except (WorkbenchError, OSError, ValueError) as exc:
            text = error_text(exc) if isinstance(exc, WorkbenchError) else str(exc)
            self.failed.emit(self.tr("That picture cannot be used: {reason}").format(
                reason=text))
            return None
        self.predictions += 1
        self.last_prediction, self.last_input = pred, x
        self.preview.show_input(x, ink=is_digits_model(model))
        self.bars.set_values(pred.proba[0] if pred.proba is not None else None)
        self.source_label.setText(where)
        self.predicted.emit(pred, where)
        return pred

    def paste(self) -> Prediction | None:
        """A picture from the clipboard: an image, a copied picture file or its path."""
        return self.take_mime(QGuiApplication.clipboard().mimeData(), self.tr("Pasted picture"))

    def take_mime(self, mime: QMimeData | None, where: str) -> Prediction | None:
        if self.model is None:
            return None
        path = _local_file(mime)
        if path is not None:
            return self.open_file(path)
        if mime is not None and mime.hasImage():
            return self.open_qimage(QImage(mime.imageData()), where)
        self.failed.emit(self.tr("There is no picture to take: copy an image, or a PNG or JPEG "
                                 "file, and paste again."))
        return None

    def _on_open_clicked(self) -> None:
        from workbench.core.predicting import IMAGE_SUFFIXES

        patterns = " ".join(f"*{s}" for s in IMAGE_SUFFIXES)
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open picture"), "",
            self.tr("Pictures ({patterns});;All files (*)").format(patterns=patterns))
        if path:
            self.open_file(path)

    # -- drawing ---------------------------------------------------------------------------
    def _on_canvas_stroke_moved(self) -> None:
        if self._picture is not None:  # drawing over a picture: the pad is the picture now
            self._picture = None
        if not self._throttle.isActive():
            self._throttle.start()

    def _on_canvas_stroke_finished(self) -> None:
        self.predict_canvas()

    def _on_colour_clicked(self) -> None:
        colour = QColorDialog.getColor(self.canvas.pen_color, self, self.tr("Pen colour"))
        if colour.isValid():
            self.set_pen_colour(colour)

    def set_pen_colour(self, colour: QColor) -> None:
        self.canvas.set_pen_color(colour)
        swatch = QPixmap(14, 14)
        swatch.fill(colour)
        self.colour_button.setIcon(QIcon(swatch))

    def _on_pen_changed(self, value: int) -> None:
        self.canvas.set_pen_width(value)

    # -- Qt --------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.canvas.setFocus(Qt.OtherFocusReason)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if self.model is not None and (_local_file(mime) is not None or mime.hasImage()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        event.acceptProposedAction()
        self.take_mime(event.mimeData(), self.tr("Dropped picture"))


def _local_file(mime: QMimeData | None) -> str | None:
    """The first local file a clipboard or drop holds (as a URL or as a typed path)."""
    if mime is None:
        return None
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile():
            return url.toLocalFile()
    if mime.hasText():
        text = mime.text().strip()
        if text.startswith("file://"):
            from PySide6.QtCore import QUrl

            return QUrl(text).toLocalFile() or None
        if text and "\n" not in text and len(text) < 4096 and Path(text).is_file():
            return text
    return None
