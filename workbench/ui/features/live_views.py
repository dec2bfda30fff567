"""Live views beside the loss curves: the decision boundary and Dropout made visible.

A column to the right of the plots on the Training tab holds the boundary panel and the network
diagram. The training thread is asked for live pictures only while that column can be seen (the
tab is current, the column is not collapsed or switched off in the View menu): a hidden view
costs training nothing. After a run, and when a model file is opened, both views show the model
in evaluation mode. The epoch plot's "Restored the weights of epoch N" note is set here too, as
the run's end is what this module listens to.

Captions say which moment of training a picture shows: a live picture the epoch and iteration it
was taken at (the controller hands it out only once the status bar's counters have reached it),
a finished or opened model the run position every other view shows. A run starts on its own
data's points (or none), and other data clears both views: no picture outlives its data.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.core.events import LiveViewUpdated, RunFinished
from workbench.ui.core_text import class_name_text, error_text
from workbench.ui.model_data import data_at_hand, make_builtin_data, names_a_file
from workbench.ui.panels.boundary_panel import BoundaryPanel
from workbench.ui.panels.network_panel import NetworkPanel
from workbench.ui.run_position import Phase, RunPosition, count_text
from workbench.ui.training import RunState

if TYPE_CHECKING:  # torch-importing modules: only for type hints
    from workbench.core.data import PreparedData
    from workbench.core.modelfile import TrainedModel
    from workbench.ui.main_window import MainWindow


class LiveViews(QObject):
    """Owns the column of live views and keeps the training thread's request in step."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.boundary = BoundaryPanel()
        self.network = NetworkPanel()
        # A box layout, not a splitter: it honours the wrapped labels' height for their width,
        # so the network panel's text is never cut; the plane takes what is left.
        self.column = QWidget()
        self.column.setObjectName("liveViewsColumn")
        column_layout = QVBoxLayout(self.column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(6)
        column_layout.addWidget(self.boundary, 3)
        column_layout.addWidget(self.network, 2)
        window.add_side_view(self.column, self.tr("Live views"))

        self.action = QAction(self.tr("Live &views (decision boundary, Dropout)"), window)
        self.action.setObjectName("liveViewsAction")
        self.action.setCheckable(True)
        self.action.setChecked(True)
        self.action.toggled.connect(self._on_action_toggled)
        window.add_menu_actions("view", [self.action])

        self._model_data: PreparedData | None = None
        self._awaiting_preview: TrainedModel | None = None
        self._data_generation = 0  # counts data changes: a model's late data may be stale
        self._spread_seed = itertools.count(1)
        controller = window.controller
        controller.live_view_received.connect(self._on_live_view_received)
        window.run_started.connect(self._on_run_started)
        window.run_finished.connect(self._on_run_finished)
        window.run_state_changed.connect(self._on_state_changed)
        window.model_changed.connect(self._on_model_changed)
        window.data_changed.connect(self._on_data_changed)
        window.form.preview_ready.connect(self._on_form_preview_ready)
        self.network.spread_requested.connect(self._on_spread_requested)
        self.column.installEventFilter(self)
        if window.model is not None:
            self._on_model_changed()

    # -- when to ask for pictures -------------------------------------------------------------
    @property
    def wanted(self) -> bool:
        """True when a person can see the views (so pictures are worth their cost): the column
        is hidden with its tab, when switched off, and has no width when pushed aside."""
        return self.column.isVisible() and self.column.width() > 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.column and event.type() in (QEvent.Show, QEvent.Hide, QEvent.Resize):
            self._update_request()
        return False

    def _update_request(self, *_args: object) -> None:
        wanted = self.wanted
        if wanted != self._window.controller.live_view_wanted:
            self._window.controller.set_live_view(wanted)

    def _on_action_toggled(self, on: bool) -> None:
        self.column.setVisible(on)
        self._update_request()

    # -- during a run ------------------------------------------------------------------------
    def _on_run_started(self, _event: object) -> None:
        waiting = self.tr("The decision boundary appears as soon as the first iterations are "
                          "done.")
        data = self._window.controller.run_data
        if data is None:  # the training thread reads the data itself: no points known yet
            self.boundary.clear(waiting)
        else:
            from workbench.core.liveview import plane_from_data  # loaded by the run already

            # The run's own points at once (the very arrays its pictures will carry, so a
            # second run on the same data redraws nothing); never another data set's.
            plane = plane_from_data(data)
            if plane is None:
                self.boundary.show_unsupported()
            else:
                self.boundary.set_plane(plane.extent, plane.train_points, plane.train_labels,
                                        plane.val_points, plane.val_labels)
                self.boundary.show_waiting(waiting)
        self.network.show_nothing()

    def _on_live_view_received(self, event: LiveViewUpdated) -> None:
        epoch, iteration = count_text(event.epoch), count_text(event.iteration)
        if event.extent is None:
            self.boundary.show_unsupported()
        elif event.probabilities is not None:
            self.boundary.set_plane(event.extent, event.train_points, event.train_labels,
                                    event.val_points, event.val_labels)
            self.boundary.set_probabilities(event.probabilities, self.tr(
                "Epoch {epoch}, iteration {iteration}. Colour: the predicted class; pale: "
                "unsure.").format(epoch=epoch, iteration=iteration))
        if event.columns:
            self.network.show_training(
                event.columns, event.dropout_rates, event.dropout_masks,
                self.tr("Probe pass at epoch {epoch}, iteration {iteration}.").format(
                    epoch=epoch, iteration=iteration))
        if event.spread_train is not None and event.spread_eval is not None:
            started = self._window.controller.last_started
            names = started.class_names if started is not None else ()
            self._show_spread(event.spread_train, event.spread_eval, names,
                              any(r > 0 for r in event.dropout_rates))

    def _on_state_changed(self, value: str) -> None:
        state = RunState(value)
        if state == RunState.RUNNING:
            self.network.set_spread_available(True)
        elif state in (RunState.PAUSED, RunState.STOPPING):
            self.network.set_spread_available(False, self.tr(
                "Resume training to compare the modes, or compare once the run has ended."))
        else:
            self.network.set_spread_available(self._window.model is not None)

    def _on_run_finished(self, event: RunFinished) -> None:
        if not event.restored_best:
            return
        plot = self._window.epoch_plot
        plot.mark_restored(plot.best_epoch if plot.best_epoch is not None else event.best_epoch)
        status = self._window.statusBar()
        note = self.tr("Restored the weights of epoch {epoch}.").format(
            epoch=plot.best_epoch if plot.best_epoch is not None else event.best_epoch)
        status.showMessage(f"{status.currentMessage()} {note}".strip())

    # -- other data --------------------------------------------------------------------------------
    def _on_data_changed(self) -> None:
        """The form holds other data: nothing drawn from the previous one stays."""
        self._data_generation += 1
        self._model_data = None
        self._awaiting_preview = None
        self.boundary.reset()
        self.network.show_nothing()
        self.network.set_spread_available(False, self.tr(
            "Train a model on this data, or open one, to compare the modes."))

    # -- a finished or opened model ------------------------------------------------------------
    def _where(self, position: RunPosition) -> str:
        """How much training the window's model has had, in the counters' words."""
        if not position.shows_counts or position.phase == Phase.RUNNING:
            return ""
        return self.tr("{done} of {epochs} epochs complete, iteration {iteration}").format(
            done=count_text(position.epoch), epochs=count_text(position.epochs),
            iteration=count_text(position.iteration))

    def _model_caption(self) -> tuple[str, str]:
        """The boundary's and the network's caption for the window's model."""
        position = self._window.controller.position
        where = self._where(position)
        colours = self.tr("Colour: the predicted class; pale: unsure.")
        if not where:
            return self.tr("The trained model. {colours}").format(colours=colours), ""
        if position.phase == Phase.MODEL:
            what = self.tr("The opened model ({where}).").format(where=where)
        elif position.weights_epoch and position.weights_epoch != position.epoch:
            what = self.tr("The trained model with the weights of epoch {epoch}, its best "
                           "({where}).").format(epoch=count_text(position.weights_epoch),
                                                where=where)
        else:
            what = self.tr("The trained model ({where}).").format(where=where)
        return f"{what} {colours}", what

    def _on_model_changed(self) -> None:
        model = self._window.model
        if model is None:
            return
        from workbench.core.liveview import boundary_supported, network_columns

        columns = network_columns(model.module)
        self.network.show_evaluation([c.width for c in columns], [c.dropout for c in columns],
                                     self._model_caption()[1])
        self.network.set_spread_available(not self._window.controller.is_active)
        self._model_data = None
        self._awaiting_preview = None
        data = data_at_hand(self._window, model)
        if data is not None:
            self._show_model(model, data)
            return
        if not boundary_supported(model.task, tuple(model.input_shape)):
            # No plane to draw: the spread's one sample comes with the form's preview of the
            # model's data, instead of a second read of (perhaps) a whole image folder.
            self.boundary.show_unsupported()
            self._awaiting_preview = model
            return
        if names_a_file(model):
            # A file the model names is read only when the person opens it (the window
            # offers it); the points come with the form's preview of it then.
            self.boundary.clear(self.tr("Open the model's data to see its points and its "
                                        "decision boundary."))
            self._awaiting_preview = model
            return
        self.boundary.clear(self.tr("Reading the model's data..."))
        generation = self._data_generation
        make_builtin_data(self, model, lambda d: self._on_model_data(model, d, generation),
                          lambda exc: self._on_model_data_failed(exc, generation),
                          name="workbench-live-data")

    def _on_form_preview_ready(self) -> None:
        model = self._awaiting_preview
        if model is None or model is not self._window.model:
            return
        data = self._window.form.prepared_data_for(model.config)
        if data is not None:
            self._awaiting_preview = None
            self._show_model(model, data)

    def _on_model_data(self, model: TrainedModel, data: PreparedData, generation: int) -> None:
        # Still the model on show, and no other data chosen meanwhile.
        if model is self._window.model and generation == self._data_generation:
            self._show_model(model, data)

    def _on_model_data_failed(self, error: BaseException, generation: int) -> None:
        if generation != self._data_generation:
            return
        self.boundary.show_message(self.tr("The model's data could not be read ({error}), so "
                                           "no decision boundary is drawn.").format(error=error_text(error)))

    def _show_model(self, model: TrainedModel, data: PreparedData) -> None:
        from workbench.core.liveview import (
            boundary_for_model,
            boundary_supported,
            plane_from_data,
        )

        self._model_data = data
        if not boundary_supported(model.task, tuple(model.input_shape)):
            self.boundary.show_unsupported()
            return
        plane = plane_from_data(data)
        if plane is None:
            self.boundary.show_unsupported()
            return
        self.boundary.set_plane(plane.extent, plane.train_points, plane.train_labels,
                                plane.val_points, plane.val_labels)
        self.boundary.set_probabilities(
            boundary_for_model(model.module, model.mean, model.std, plane),
            self._model_caption()[0])

    # -- train vs eval ---------------------------------------------------------------------------
    def _on_spread_requested(self) -> None:
        controller = self._window.controller
        if controller.is_active:
            controller.request_spread()  # answered with the next live picture
            return
        model, data = self._window.model, self._model_data
        if model is None or data is None:
            return
        import torch

        from workbench.core.liveview import network_columns, train_eval_spread

        x = _first_sample(data, model)
        generator = torch.Generator().manual_seed(next(self._spread_seed))
        train, evals = train_eval_spread(model.module, torch.as_tensor(x),
                                         model.task == "classification", generator)
        has_dropout = any(c.dropout > 0 for c in network_columns(model.module))
        self._show_spread(train[:, 0], evals[:, 0], model.class_names, has_dropout)

    def _show_spread(self, train: np.ndarray, evals: np.ndarray, class_names: Any,
                     has_dropout: bool) -> None:
        if train.shape[1] > 1:  # classification: the probability of the class eval picks
            k = int(np.argmax(evals[0]))
            name = class_name_text(class_names[k]) if k < len(class_names) else str(k)
            what = self.tr("Probability of \u201c{name}\u201d, one validation sample:"
                           ).format(name=name)
            train, evals = train[:, k], evals[:, k]
        else:
            what = self.tr("Predicted value, one validation sample:")
            train, evals = train[:, 0], evals[:, 0]
        self.network.show_spread(train, evals, what, has_dropout)


def _first_sample(data: PreparedData, model: TrainedModel) -> np.ndarray:
    """The sample the training thread uses for the spread, normalised for ``model``."""
    source = data.x_val if len(data.x_val) else data.x_train
    raw = source[:1] * data.std + data.mean
    return np.ascontiguousarray((raw - model.mean) / model.std, dtype=np.float32)


def install(window: MainWindow) -> LiveViews:
    return LiveViews(window)
