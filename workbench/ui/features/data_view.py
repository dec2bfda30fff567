"""Data first, and data painted by hand, on the decision-boundary plane.

As soon as a data set is chosen (and whenever its settings change) the background preview the
form makes anyway brings its points to the boundary panel: training points as circles,
validation points as squares, in the class colours training uses. Data that is not 2-D gets the
panel's explanation at once instead of an invitation to train. (The class counts and the sample
images are the data panel's own, from the same preview.)

The draw set turns the plane into a canvas. Each click or drag paints a point of the chosen
class, a right-click erases the nearest; Undo, Clear, Save and Open act on the drawing, which
the data panel keeps in the settings. During a run every change is offered to the engine
(``TrainingController.offer_training_data``): it trains on the new training points from its
next epoch, and the concept panel's arithmetic follows when the run says it has adopted them.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject
from PySide6.QtGui import QAction

from workbench.config import DRAW_DATASET
from workbench.ui import dialogs
from workbench.ui.training import RunState

if TYPE_CHECKING:
    from workbench.core.data import PreparedData
    from workbench.core.events import DataChanged
    from workbench.ui.main_window import MainWindow
    from workbench.ui.panels.boundary_panel import BoundaryPanel

log = logging.getLogger(__name__)

Points = tuple[tuple[float, float, int], ...]
MAX_UNDO = 500
# A right-click removes the nearest point within this share of the canvas's width.
ERASE_RADIUS = 0.06
DRAWING_FILTER = QT_TRANSLATE_NOOP("dialogs", "Drawings (*.csv);;All files (*)")


class DataView(QObject):
    """Shows the chosen data on the boundary panel before any run; runs the drawing."""

    def __init__(self, window: MainWindow, boundary: BoundaryPanel) -> None:
        super().__init__(window)
        self._window = window
        self.boundary = boundary
        self.data_panel = window.form.data_panel
        self._undo: list[Points] = []
        # The run trains on a drawing: offers go to it; the training points offered last.
        self._run_draws = False
        self._run_begun = False

        bar = boundary.draw_bar
        boundary.point_painted.connect(self._on_point_painted)
        boundary.point_erased.connect(self._on_point_erased)
        bar.undo_requested.connect(self.undo)
        bar.clear_requested.connect(self.clear)
        bar.save_requested.connect(self._on_save_requested)
        bar.open_requested.connect(self._on_open_requested)
        bar.classes_changed.connect(self.set_classes)
        window.form.preview_ready.connect(self._on_preview_ready)
        window.form.changed.connect(self._on_form_changed)
        self.data_panel.config_set.connect(self._on_form_changed)
        controller = window.controller
        controller.run_started.connect(self._on_run_started)
        controller.state_changed.connect(self._on_state_changed)
        controller.training_data_changed.connect(self._on_training_data_changed)

        self.draw_action = QAction(self.tr("&Draw your own data"), window)
        self.draw_action.setObjectName("drawDatasetAction")
        self.draw_action.setToolTip(self.tr("Paint 2-D points of up to five classes on the "
                                            "plane and train on them."))
        self.draw_action.triggered.connect(self.data_panel.use_drawing)
        window.add_menu_actions("file", [self.draw_action])
        self._on_form_changed()
        if window.form.preview is not None:
            self._on_preview_ready()

    # -- which data ------------------------------------------------------------------------
    @property
    def drawing(self) -> bool:
        return self.data_panel.current_dataset() == DRAW_DATASET

    @property
    def points(self) -> Points:
        return self.data_panel.drawn_points

    def _on_form_changed(self) -> None:
        drawing = self.drawing
        was = self.boundary.drawing
        self.boundary.set_drawing(drawing)
        if drawing:
            self.boundary.draw_bar.set_classes(self.data_panel.draw_classes)
            self._show_drawing()
        elif was:
            self._undo.clear()
            self._on_preview_ready()  # the chosen data's points, once they are read

    # -- data first ------------------------------------------------------------------------
    def _on_preview_ready(self) -> None:
        """The data's points on the plane while no run and no model's colours are shown."""
        window = self._window
        if self.drawing or self.boundary.drawing:
            self._on_form_changed()  # also after settings put in whole (a model's, a file's)
        data = window.form.preview
        if data is None or self.drawing or window.controller.is_active:
            return
        from workbench.core.liveview import plane_from_data  # torch is loaded by the preview

        plane = plane_from_data(data)
        if plane is None:
            if self.boundary.image is not None:
                return
            if data.is_image and data.task == "classification" and data.n_train:
                self._show_samples(data)
            else:
                self.boundary.show_unsupported()
            return
        if self.boundary.image is not None:
            # A model's colours stay; the points are the data's as now set.
            self.boundary.set_plane(plane.extent, plane.train_points, plane.train_labels,
                                    plane.val_points, plane.val_labels)
            return
        self.boundary.show_data(plane.extent, plane.train_points, plane.train_labels,
                                plane.val_points, plane.val_labels, self._data_caption(data))

    def _show_samples(self, data: PreparedData) -> None:
        from workbench.ui.core_text import class_name_text
        from workbench.ui.panels.boundary_panel import sample_indices

        chosen = sample_indices(data.y_train, data.n_classes)
        raw = data.x_train[chosen] * data.std + data.mean
        self.boundary.show_samples(raw, data.y_train[chosen],
                                   [class_name_text(n) for n in data.class_names], self.tr(
            "The first training images of each class. (The decision boundary is drawn for "
            "data with two features.)"))

    def _data_caption(self, data: PreparedData) -> str:
        return self.tr("The data: {train} training points (circles) and {val} validation "
                       "points (squares; the box above chooses which to show). Start training to "
                       "colour the plane by the model's prediction.").format(train=f"{data.n_train:,}", val=f"{data.n_val:,}")

    # -- the drawing ---------------------------------------------------------------------------
    def _set_points(self, points: Points, undoable: bool = True) -> None:
        if points == self.points:
            return
        if undoable:
            self._undo.append(self.points)
            del self._undo[:-MAX_UNDO]
        self.data_panel.set_drawing(points, self.data_panel.draw_classes)
        self._show_drawing()
        self._offer()

    def add_point(self, x: float, y: float, label: int) -> None:
        if not (math.isfinite(x) and math.isfinite(y)):
            return
        label = max(0, min(int(label), self.data_panel.draw_classes - 1))
        self._set_points((*self.points, (float(x), float(y), label)))

    def remove_nearest(self, x: float, y: float) -> bool:
        """Remove the painted point nearest to (x, y), if one is within reach."""
        from workbench.core.data.drawn import canvas_extent, points_array

        xy, _ = points_array(self.points)
        if not len(xy):
            return False
        x0, x1, _y0, _y1 = canvas_extent(self.points)
        distance = np.hypot(xy[:, 0] - x, xy[:, 1] - y)
        nearest = int(np.argmin(distance))
        if distance[nearest] > ERASE_RADIUS * (x1 - x0):
            return False
        self._set_points(self.points[:nearest] + self.points[nearest + 1:])
        return True

    def undo(self) -> None:
        if self._undo:
            self._set_points(self._undo.pop(), undoable=False)

    def clear(self) -> None:
        self._set_points(())

    def set_classes(self, classes: int) -> None:
        """The drawing's number of classes; points of classes beyond it are removed."""
        if self._window.controller.is_active:
            self.boundary.draw_bar.set_classes(self.data_panel.draw_classes)
            return
        kept = tuple(p for p in self.points if p[2] < classes)
        if kept != self.points:
            self._undo.append(self.points)
        self.data_panel.set_drawing(kept, classes)
        self.boundary.draw_bar.set_classes(classes)
        self._show_drawing()

    def _on_point_painted(self, x: float, y: float, label: int) -> None:
        self.add_point(x, y, label)

    def _on_point_erased(self, x: float, y: float) -> None:
        self.remove_nearest(x, y)

    def _split(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The drawing's coordinates, classes and validation mask (as the run splits it)."""
        from workbench.core.data.drawn import points_array, validation_mask

        xy, labels = points_array(self.points)
        return xy, labels, validation_mask(labels, self.data_panel.config().val_split)

    def _show_drawing(self) -> None:
        from workbench.core.data.drawn import canvas_extent

        xy, labels, held = self._split()
        self.boundary.set_drawn_points(canvas_extent(self.points), xy[~held], labels[~held],
                                       xy[held], labels[held], self._drawing_caption(held))

    def _drawing_caption(self, held: np.ndarray) -> str:
        if not len(held):
            return self.tr("Click on the plane to paint points of the chosen class; drag to "
                           "paint several; right-click removes the nearest.")
        share = round(self.data_panel.config().val_split * 100)
        text = self.tr("{train} training points (circles) and {val} held out for validation "
                       "(squares: {share} % of each class's points).").format(
            train=int((~held).sum()), val=int(held.sum()), share=share)
        if self._run_draws:
            text += " " + self.tr("Points painted now are trained on from the next epoch; "
                                  "the validation points stay as at Start.")
        return text

    # -- files ---------------------------------------------------------------------------------
    def save_drawing_to(self, path: str) -> bool:
        from workbench.core.data.drawn import write_drawing

        try:
            write_drawing(path, self.points)
        except Exception as exc:  # noqa: BLE001 - shown to the person, the window goes on
            dialogs.show_exception(self._window, exc, self.tr("saving the drawing to {path}")
                                   .format(path=path))
            return False
        self._window.statusBar().showMessage(self.tr("Saved the drawing ({n} points) to {path}")
                                             .format(n=len(self.points), path=path))
        return True

    def open_drawing(self, path: str) -> bool:
        """Paint on the drawing in ``path`` (undo brings the previous drawing back)."""
        from workbench.core.data.drawn import read_drawing

        if self._window.controller.is_active:
            return False
        try:
            points, classes = read_drawing(path)
        except Exception as exc:  # noqa: BLE001 - shown to the person, the window goes on
            dialogs.show_exception(self._window, exc, self.tr("opening the drawing {path}")
                                   .format(path=path))
            return False
        self._undo.append(self.points)
        self.data_panel.set_drawing(points, classes)
        self.data_panel.use_drawing()
        self.boundary.draw_bar.set_classes(classes)
        self._show_drawing()
        self._window.statusBar().showMessage(self.tr("Opened the drawing {path} ({n} points)")
                                             .format(path=path, n=len(points)))
        return True

    def _on_save_requested(self) -> None:
        path = dialogs.ask_save_file(self._window, self.tr("Save the drawing"), DRAWING_FILTER,
                                     "drawing.csv", ".csv")
        if path:
            self.save_drawing_to(path)

    def _on_open_requested(self) -> None:
        path = dialogs.ask_open_file(self._window, self.tr("Open a drawing"), DRAWING_FILTER)
        if path:
            self.open_drawing(path)

    # -- during a run ------------------------------------------------------------------------
    def _on_run_started(self, _event: object) -> None:
        if self._run_draws:
            self._show_drawing()  # the caption says how painting acts now

    def _on_state_changed(self, value: str) -> None:
        state = RunState(value)
        idle = state == RunState.IDLE
        bar = self.boundary.draw_bar
        bar.classes_spin.setEnabled(idle)
        bar.open_button.setEnabled(idle)
        self.draw_action.setEnabled(idle)  # the data of a run under way stays its own
        if idle:
            self._run_draws = False
            self._run_begun = False
            if self.drawing:
                self._show_drawing()
        elif not self._run_begun:
            # The run begins (running, or paused to be stepped): on the drawing or not.
            self._run_begun = True
            self._run_draws = self.drawing

    def _offer(self) -> None:
        """Hand the drawing's training points to the run under way (from its next epoch)."""
        if not self._run_draws or not self._window.controller.is_active:
            return
        xy, labels, held = self._split()
        if not (~held).any():
            return  # nothing to train on: the run keeps its last points
        try:
            self._window.controller.offer_training_data(xy[~held], labels[~held])
        except ValueError as exc:  # points the run cannot take: said, never raised
            self._window.statusBar().showMessage(str(exc))

    def _on_training_data_changed(self, changes: list[DataChanged]) -> None:
        """The run trains on the offered points now: the arithmetic follows."""
        last = changes[-1]
        run = self._window.form.config().run
        self._window.concept_panel.set_plan(last.train_samples, run.batch_size, run.epochs,
                                            run.drop_last)
        self._window.statusBar().showMessage(self.tr(
            "From epoch {epoch} the network trains on {n} drawn points: {ipe} iterations per "
            "epoch.").format(epoch=f"{last.epoch:,}", n=f"{last.train_samples:,}",
                             ipe=f"{last.iterations_per_epoch:,}"))


def install(window: MainWindow) -> DataView:
    from workbench.ui.panels.boundary_panel import BoundaryPanel

    # The live views (installed before this feature) placed the panel in the window.
    boundary = window.findChild(BoundaryPanel, "boundaryPanel")
    if boundary is None:
        raise RuntimeError("the data view needs the live views' boundary panel")
    return DataView(window, boundary)
