"""The Try tab for image models: a picture from a file, a drop, the clipboard or the drawing pad
gives the probabilities that predicting the same picture file gives (``workbench predict``'s
path, ``predict_image_files``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from workbench.config import TrainConfig
from workbench.core.engine import Engine
from workbench.core.predicting import image_input, open_image, predict_image_files


def _train(data: dict, epochs: int) -> Engine:
    engine = Engine(TrainConfig().with_changes(data=data, run={"epochs": epochs,
                                                                "device": "cpu"}))
    engine.run()
    return engine


@pytest.fixture(scope="module")
def digits_run() -> Engine:
    return _train({"dataset": "digits"}, epochs=8)


def _write_shapes(root: Path, n: int = 24) -> Path:
    """Two classes of colour pictures of different sizes: red discs and blue bars."""
    rng = np.random.default_rng(0)
    for name in ("bar", "disc"):
        (root / name).mkdir(parents=True)
        for i in range(n):
            side = int(rng.integers(20, 48))
            im = Image.new("RGB", (side, side), (255, 255, 255))
            draw = ImageDraw.Draw(im)
            a, b = int(rng.integers(1, side // 4)), int(rng.integers(3 * side // 4, side - 1))
            if name == "disc":
                draw.ellipse((a, a, b, b), fill=(220, 30, 30))
            else:
                draw.rectangle((a, side // 3, b, 2 * side // 3), fill=(30, 30, 220))
            im.save(root / name / f"{i:02d}.png")
    return root


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = _write_shapes(tmp_path_factory.mktemp("shapes") / "shapes")
    return _train({"dataset": "images", "image_dir": str(root), "image_size": 12,
                   "grayscale": False}, epochs=6)


def _panel(qtbot, engine: Engine):
    from workbench.ui.panels.predict_panel import PredictPanel

    panel = PredictPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 640)
    panel.set_model(engine.trained_model(), engine.data)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _digit_png(path: Path, digit: int, run: Engine) -> Path:
    """A validation digit drawn large, dark ink on white paper, as a person's picture is."""
    from sklearn.datasets import load_digits

    images = load_digits().images
    x = images[np.flatnonzero(load_digits().target == digit)[0]]
    ink = (255 - x / 16 * 255).astype(np.uint8)
    Image.fromarray(ink).resize((160, 200), Image.Resampling.BICUBIC).save(path)
    return path


def _same_as_predict(panel, model, path: Path) -> None:
    expected = predict_image_files(model, path).prediction.proba[0]
    np.testing.assert_array_equal(panel.image_page.bars.values(), expected.astype(np.float64))
    np.testing.assert_array_equal(panel.last_prediction.proba[0], expected)


def test_the_tab_says_what_it_can_do_for_an_image_model(qtbot, digits_run) -> None:
    panel = _panel(qtbot, digits_run)
    page = panel.image_page
    assert panel.pages.currentWidget() is page
    text = page.hint.text()
    assert "above" not in text and "workbench predict" not in text
    assert "Draw a digit" in text and "paste" in text and "drop" in text
    assert page.canvas.objectName() == "tryImageCanvas" and page.canvas.isVisible()
    assert page.colour_button.isHidden()  # the digit pad reads ink, not colour
    assert panel.predict_csv_button.isHidden()
    assert not page.bars.values().any() and panel.last_prediction is None


def test_an_opened_file_matches_predict(qtbot, digits_run, tmp_path: Path) -> None:
    model = digits_run.trained_model()
    panel = _panel(qtbot, digits_run)
    path = _digit_png(tmp_path / "seven.png", 7, digits_run)

    def choose() -> None:  # the file dialog the button opens: pick the file, press Open
        from PySide6.QtWidgets import QFileDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, choose)
            return
        dialog.selectFile(str(path))
        dialog.accept()

    QTimer.singleShot(0, choose)
    qtbot.mouseClick(panel.image_page.open_button, Qt.LeftButton)
    assert panel.last_prediction is not None
    _same_as_predict(panel, model, path)
    assert panel.last_prediction.names[0] == "7"
    assert panel.result_label.text().startswith("seven.png: 7 (")
    # the pad shows the picture, the preview the 8 x 8 input the model was given
    assert not panel.image_page.canvas.is_empty()
    np.testing.assert_array_equal(panel.image_page.preview.pixels,
                                  image_input(model, open_image(path)))


def test_a_dropped_file_and_a_dropped_image_match_predict(qtbot, digits_run,
                                                          tmp_path: Path) -> None:
    model = digits_run.trained_model()
    panel = _panel(qtbot, digits_run)
    page = panel.image_page
    path = _digit_png(tmp_path / "four.png", 4, digits_run)

    def drop(mime: QMimeData) -> None:
        at = QPointF(page.canvas.mapTo(page, QPoint(20, 20)))
        enter = QDragEnterEvent(at.toPoint(), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
        QApplication.sendEvent(page, enter)
        assert enter.isAccepted()
        QApplication.sendEvent(page, QDropEvent(at, Qt.CopyAction, mime, Qt.LeftButton,
                                                Qt.NoModifier))

    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(path))])
    drop(files)
    _same_as_predict(panel, model, path)
    # An image dragged from a web page comes as pixels: the same as its file.
    page.clear()
    picture = QMimeData()
    picture.setImageData(QImage(str(path)))
    drop(picture)
    _same_as_predict(panel, model, path)
    assert "Dropped picture" in panel.result_label.text()
    # Something that is no picture is not taken.
    text = QMimeData()
    text.setText("not a picture")
    enter = QDragEnterEvent(QPoint(5, 5), Qt.CopyAction, text, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(page, enter)
    assert not enter.isAccepted()


def test_a_pasted_picture_matches_predict(qtbot, folder_run, tmp_path: Path) -> None:
    model = folder_run.trained_model()
    panel = _panel(qtbot, folder_run)
    page = panel.image_page
    image = QImage(40, 30, QImage.Format_ARGB32)
    image.fill(Qt.transparent)  # transparency is read as white paper, as in training
    from PySide6.QtGui import QPainter

    painter = QPainter(image)
    painter.setBrush(QColor(220, 30, 30))
    painter.drawEllipse(8, 4, 24, 22)
    painter.end()
    path = tmp_path / "pasted.png"
    assert image.save(str(path))
    QGuiApplication.clipboard().setImage(image)
    page.canvas.setFocus()
    qtbot.waitUntil(page.canvas.hasFocus)
    qtbot.keyClick(page.canvas, Qt.Key_V, Qt.ControlModifier)
    assert panel.last_prediction is not None
    _same_as_predict(panel, model, path)
    assert panel.last_prediction.names[0] == "disc"
    # A copied file (its path) is read from the file.
    QGuiApplication.clipboard().setText(str(path))
    page.clear()
    assert page.paste() is not None
    _same_as_predict(panel, model, path)


def _stroke(canvas, points: list[tuple[float, float]], interval_ms: int = 0) -> None:
    """Press, move through ``points`` (0..1 of the pad), release: as a mouse does."""
    side = min(canvas.width(), canvas.height())
    ox, oy = (canvas.width() - side) / 2, (canvas.height() - side) / 2

    def send(kind: QEvent.Type, p: tuple[float, float]) -> None:
        pos = QPointF(ox + p[0] * side, oy + p[1] * side)
        button = Qt.NoButton if kind == QEvent.MouseMove else Qt.LeftButton
        held = Qt.NoButton if kind == QEvent.MouseButtonRelease else Qt.LeftButton
        QApplication.sendEvent(canvas, QMouseEvent(kind, pos, canvas.mapToGlobal(pos), button,
                                                   held, Qt.NoModifier))

    send(QEvent.MouseButtonPress, points[0])
    for p in points[1:]:
        send(QEvent.MouseMove, p)
    send(QEvent.MouseButtonRelease, points[-1])


def _one_stroke(n: int) -> list[tuple[float, float]]:
    """A "7": across the top, then down to the left."""
    top = [(0.3 + 0.4 * t / (n // 2), 0.2) for t in range(n // 2)]
    down = [(0.7 - 0.25 * t / (n - n // 2), 0.2 + 0.65 * t / (n - n // 2))
            for t in range(n - n // 2)]
    return top + down


def test_a_drawing_matches_predict_on_its_png(qtbot, digits_run, tmp_path: Path) -> None:
    model = digits_run.trained_model()
    panel = _panel(qtbot, digits_run)
    page = panel.image_page
    _stroke(page.canvas, _one_stroke(40))
    assert not page._throttle.isActive()  # the end of a stroke predicts at once
    path = tmp_path / "drawn.png"
    assert page.canvas.image().save(str(path))
    _same_as_predict(panel, model, path)
    assert panel.result_label.text().startswith("Your drawing: ")
    # the drawing became a digit like the training ones: centred, filling the height, with
    # as much ink as they have
    x = page.preview.pixels[0]
    assert x.shape == (8, 8) and x[0].any() and x[7].any()
    assert 0.2 <= x.mean() <= 0.45
    assert set(np.unique(x * 16)) <= set(range(17))
    page.clear_button.click()
    assert page.canvas.is_empty() and not page.bars.values().any()


def test_a_retrained_model_keeps_the_drawing(qtbot, digits_run, folder_run,
                                            tmp_path: Path) -> None:
    """A new model of the same kind (the next run) predicts what is on the pad at once; a model
    that reads other pictures starts from an empty pad."""
    panel = _panel(qtbot, digits_run)
    page = panel.image_page
    _stroke(page.canvas, _one_stroke(30))
    path = tmp_path / "drawn.png"
    page.canvas.image().save(str(path))
    retrained = _train({"dataset": "digits"}, epochs=1).trained_model()
    panel.set_model(retrained, None)
    assert not page.canvas.is_empty()
    _same_as_predict(panel, retrained, path)
    assert panel.result_label.text().startswith("Your drawing: ")
    panel.set_model(folder_run.trained_model(), folder_run.data)
    assert page.canvas.is_empty() and not page.bars.values().any()
    assert panel.last_prediction is None


def test_bars_follow_the_stroke_at_a_steady_pace(qtbot, digits_run) -> None:
    """Moves come every 10 ms for about 1.2 s: the bars change while drawing, but the model is
    not asked at every move (at most 25 times a second; the band is generous)."""
    from workbench.ui.panels.try_image import PREDICTIONS_PER_SECOND

    panel = _panel(qtbot, digits_run)
    page, canvas = panel.image_page, panel.image_page.canvas
    points = _one_stroke(120)
    side = min(canvas.width(), canvas.height())
    seen: list[np.ndarray] = []
    state = {"i": 0}

    def send(kind: QEvent.Type, p: tuple[float, float]) -> None:
        pos = QPointF((canvas.width() - side) / 2 + p[0] * side,
                      (canvas.height() - side) / 2 + p[1] * side)
        button = Qt.NoButton if kind == QEvent.MouseMove else Qt.LeftButton
        QApplication.sendEvent(canvas, QMouseEvent(kind, pos, canvas.mapToGlobal(pos), button,
                                                   Qt.LeftButton, Qt.NoModifier))

    def move() -> None:
        i = state["i"]
        send(QEvent.MouseButtonPress if i == 0 else QEvent.MouseMove, points[i])
        seen.append(page.bars.values())
        state["i"] += 1
        if state["i"] < len(points):
            QTimer.singleShot(10, move)

    QTimer.singleShot(0, move)
    qtbot.waitUntil(lambda: state["i"] == len(points), timeout=20_000)
    qtbot.waitUntil(lambda: not page._throttle.isActive())
    during = page.predictions
    moves = canvas.moves
    assert moves == len(points)
    # live: several predictions during the stroke, the bars changed while it was drawn
    assert during >= 5, during
    assert len({tuple(v.round(6)) for v in seen}) >= 3
    # paced: far fewer predictions than moves, within the cap over the stroke's duration
    assert during < moves / 2, (during, moves)
    assert during <= PREDICTIONS_PER_SECOND * 3


def test_a_folder_model_reads_pictures_as_training_did(qtbot, folder_run,
                                                       tmp_path: Path) -> None:
    from workbench.core.data.images import _read_image

    model = folder_run.trained_model()
    assert model.input_shape == (3, 12, 12)
    for file in sorted((Path(folder_run.config.data.image_dir) / "disc").iterdir())[:3]:
        np.testing.assert_array_equal(image_input(model, open_image(file)),
                                      _read_image(file, 12, "RGB"))
    panel = _panel(qtbot, folder_run)
    page = panel.image_page
    assert "12 x 12" in page.hint.text() and "colour" in page.input_caption.text()
    # the free canvas: drawn strokes predicted as the same picture saved as a file
    page.pen_slider.setValue(30)
    assert not page.colour_button.isHidden()  # a colour model: strokes in any colour
    page.set_pen_colour(QColor(200, 20, 20))
    _stroke(page.canvas, [(0.2, 0.5), (0.5, 0.45), (0.8, 0.5)])
    assert page.canvas.image().pixelColor(page.canvas.side // 2, page.canvas.side // 2 - 6) \
        == QColor(200, 20, 20)
    path = tmp_path / "drawn.png"
    page.canvas.image().save(str(path))
    _same_as_predict(panel, model, path)
    # drawing over an opened picture predicts what the pad shows
    disc = min((Path(folder_run.config.data.image_dir) / "disc").iterdir())
    page.open_file(disc)
    _same_as_predict(panel, model, disc)
    _stroke(page.canvas, [(0.1, 0.1), (0.2, 0.1)])
    page.canvas.image().save(str(path))
    _same_as_predict(panel, model, path)


def test_pictures_that_cannot_be_read_are_named(qtbot, digits_run, tmp_path: Path) -> None:
    panel = _panel(qtbot, digits_run)
    page = panel.image_page
    bad = tmp_path / "notes.png"
    bad.write_text("this is text")
    assert page.open_file(bad) is None
    text = panel.result_label.text()
    assert "notes.png" in text and "PNG or JPEG" in text
    assert page.open_file(tmp_path / "gone.png") is None
    assert "gone.png" in panel.result_label.text()
    assert page.open_file(tmp_path) is None
    assert "folder" in panel.result_label.text()
    QGuiApplication.clipboard().setText("hello")
    assert page.paste() is None
    assert "no picture" in panel.result_label.text()
    assert panel.last_prediction is None


def test_redrawn_training_digits_are_read_as_their_digit(digits_run) -> None:
    """Training digits drawn large as dark ink on white paper come back close to their
    8 x 8 originals, and the model reads most of them right."""
    from sklearn.datasets import load_digits

    from workbench.core.predicting import predict_images

    bunch = load_digits()
    model = digits_run.trained_model()
    pictures = [Image.fromarray((255 - x / 16 * 255).astype(np.uint8)).resize(
        (180, 180), Image.Resampling.BICUBIC) for x in bunch.images[:200]]
    x = np.stack([image_input(model, p) for p in pictures])[:, 0]
    assert np.abs(x - bunch.images[:200] / 16).mean() < 0.12
    right = predict_images(model, pictures).labels == bunch.target[:200]
    assert right.mean() >= 0.85, right.mean()
    # an empty page has no ink: nothing is made up
    assert not image_input(model, Image.new("L", (50, 50), 255)).any()


def test_picture_files_and_folders_as_predictions_csv(digits_run, tmp_path: Path) -> None:
    """The command line's output for pictures: a file column, the prediction, one probability
    column per class, the same numbers as one picture at a time."""
    import csv as csv_module

    from workbench.core.predicting import predictions_csv
    from workbench.errors import DataError

    model = digits_run.trained_model()
    folder = tmp_path / "pictures"
    folder.mkdir()
    for digit in (3, 0, 8):
        _digit_png(folder / f"d{digit}.png", digit, digits_run)
    (folder / "notes.txt").write_text("not a picture")
    result = predict_image_files(model, folder)
    rows = list(csv_module.DictReader(predictions_csv(model, result).splitlines()))
    assert [r["file"] for r in rows] == ["d0.png", "d3.png", "d8.png"]
    for row in rows:
        one = predict_image_files(model, folder / row["file"]).prediction
        assert row["prediction"] == one.names[0]
        # one batch of three or one picture alone: float32 sums in another order
        np.testing.assert_allclose([float(row[f"p_{k}"]) for k in range(10)], one.proba[0],
                                   rtol=1e-5, atol=1e-7)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="holds no pictures"):
        predict_image_files(model, empty)


def test_an_opened_digits_model_in_the_window(qtbot, window, digits_run,
                                              tmp_path: Path) -> None:
    from workbench.core.modelfile import save_model

    path = tmp_path / "digits.wbm"
    save_model(digits_run.trained_model(), path)
    assert window.open_model_path(path)
    panel = window.predict_panel
    window.tabs.setCurrentWidget(panel)
    assert panel.pages.currentWidget() is panel.image_page
    qtbot.waitUntil(panel.image_page.canvas.isVisible)
    # the pad and the bars fit a small laptop screen, as the other tabs do
    hint = window.minimumSizeHint()
    assert hint.width() <= 1100 and hint.height() <= 700, hint
    png = _digit_png(tmp_path / "two.png", 2, digits_run)
    panel.image_page.open_file(png)
    _same_as_predict(panel, window.model, png)
