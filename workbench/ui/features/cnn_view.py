"""Inside a CNN, beside the live views: the first convolution's filters and, for one chosen
validation sample, its feature maps after each convolution and pooling layer with their shapes.

The view is there only for models with convolutions (a run of a CNN configuration, a trained or
opened CNN). During a run the training thread sends the filters and the chosen sample's maps
with its live pictures, and only while this view can be seen; after the run, and for an opened
model, they are computed here from the window's model (one sample's forward pass).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction

from workbench.core.events import LiveViewUpdated
from workbench.ui.core_text import class_name_text, error_text
from workbench.ui.model_data import data_at_hand, make_builtin_data, names_a_file
from workbench.ui.panels.cnn_panel import CnnPanel
from workbench.ui.run_position import count_text

if TYPE_CHECKING:  # torch-importing modules: only for type hints
    from workbench.config import TrainConfig
    from workbench.core.data import PreparedData
    from workbench.core.modelfile import TrainedModel
    from workbench.ui.main_window import MainWindow


def _is_cnn_config(config: TrainConfig) -> bool:
    from workbench.config import ModelKind

    return config.model.kind == ModelKind.CNN


class CnnView(QObject):
    """Owns the CNN panel, keeps the training thread's request in step, feeds the panel."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.panel = CnnPanel()
        self.panel.setVisible(False)
        window.add_side_view(self.panel, self.tr("Inside the CNN"))
        self.action = QAction(self.tr("Inside the &CNN (filters, feature maps)"), window)
        self.action.setObjectName("cnnViewAction")
        self.action.setCheckable(True)
        self.action.setChecked(True)
        self.action.toggled.connect(self._update_visibility)
        window.add_menu_actions("view", [self.action], separator=False)
        self._is_cnn = False
        self._running = False
        self._data: PreparedData | None = None
        self._data_generation = 0
        self._awaiting_preview: TrainedModel | None = None
        window.form.preview_ready.connect(self._on_form_preview_ready)
        controller = window.controller
        controller.live_view_received.connect(self._on_live_view_received)
        window.run_started.connect(self._on_run_started)
        window.run_finished.connect(self._on_run_ended)
        window.run_failed.connect(self._on_run_ended)
        window.model_changed.connect(self._on_model_changed)
        window.data_changed.connect(self._on_data_changed)
        window.tabs.currentChanged.connect(self._update_request)
        self.panel.sample_changed.connect(self._on_sample_changed)
        self.panel.installEventFilter(self)
        if window.model is not None:
            self._on_model_changed()

    # -- when to ask for pictures -------------------------------------------------------------
    @property
    def wanted(self) -> bool:
        """True when a person can see the view (so the run's pictures carry the CNN's)."""
        return (self.panel.isVisible() and self.panel.width() > 0
                and self._window.tabs.currentWidget() is self._window.training_tab)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.panel and event.type() in (QEvent.Show, QEvent.Hide, QEvent.Resize):
            self._update_request()
        return False

    def _update_request(self, *_args: object) -> None:
        self._window.controller.set_cnn_pictures(self._running and self.wanted,
                                                 self.panel.sample)

    def _update_visibility(self) -> None:
        self.panel.setVisible(self._is_cnn and self.action.isChecked())
        self._update_request()

    # -- during a run ------------------------------------------------------------------------
    def _on_run_started(self, _event: object) -> None:
        window = self._window
        cfg = window.form.config()
        self._running = True
        self._is_cnn = _is_cnn_config(cfg)
        self._data_generation += 1
        data = window.controller.run_data or window.form.prepared_data_for(cfg)
        self._data = data if self._is_cnn else None
        if self._is_cnn:
            self._show_samples(self.panel.sample)
            self.panel.set_maps([], self.tr("The filters and feature maps appear as soon as "
                                            "the first iterations are done."))
        self._update_visibility()

    def _on_live_view_received(self, event: LiveViewUpdated) -> None:
        if not self._is_cnn or not self._running or event.filters is None:
            return
        self.panel.set_filters(event.filters)
        # A picture taken before another sample was chosen keeps the maps of the new one away.
        if event.feature_maps and event.maps_sample == self.panel.sample:
            self.panel.set_maps(event.feature_maps, self.tr(
                "Epoch {epoch}, iteration {iteration}. Grey: one scale per layer, white its "
                "largest value.").format(
                    epoch=count_text(event.epoch), iteration=count_text(event.iteration)))

    def _on_run_ended(self, _event: object) -> None:
        self._running = False
        self._update_request()

    # -- a finished or opened model ------------------------------------------------------------
    def _on_model_changed(self) -> None:
        self._running = False
        self._update_request()
        model = self._window.model
        if model is None:
            return
        from workbench.core.cnn_inside import has_convolution

        self._is_cnn = has_convolution(model.module)
        self._update_visibility()
        if not self._is_cnn:
            self._data = None
            return
        data = data_at_hand(self._window, model)
        if data is not None:
            self._show_model(model, data)
            return
        if names_a_file(model):
            # A file the model names is read only when the person opens it (the window
            # offers it); the maps come with the form's preview of it then.
            from workbench.core.cnn_inside import first_filters

            self._awaiting_preview = model
            self.panel.show_message(self.tr("Open the model's data to see its feature maps."))
            self.panel.set_filters(first_filters(model.module))  # the weights need no data
            return
        self.panel.show_message(self.tr("Reading the model's data..."))
        generation = self._data_generation
        make_builtin_data(self, model, lambda d: self._on_model_data(model, d, generation),
                          lambda exc: self._on_model_data_failed(exc, generation),
                          name="workbench-cnn-data")

    def _on_form_preview_ready(self) -> None:
        model, self._awaiting_preview = self._awaiting_preview, None
        if model is None or model is not self._window.model:
            return
        data = self._window.form.prepared_data_for(model.config)
        if data is not None:
            self._show_model(model, data)
        else:
            self._awaiting_preview = model

    def _on_model_data(self, model: TrainedModel, data: PreparedData, generation: int) -> None:
        if model is self._window.model and generation == self._data_generation:
            self._show_model(model, data)

    def _on_model_data_failed(self, error: BaseException, generation: int) -> None:
        if generation == self._data_generation:
            self.panel.show_message(self.tr(
                "The model's data could not be read ({error}), so no feature maps are drawn. "
                "Choose the model's data in the form to see them.").format(
                    error=error_text(error)))

    def _show_model(self, model: TrainedModel, data: PreparedData) -> None:
        from workbench.core.cnn_inside import first_filters

        if tuple(data.input_shape) != tuple(model.input_shape):
            self.panel.show_message(self.tr(
                "The data in the form has other inputs than the model, so no feature maps are "
                "drawn."))
            return
        self._data = data
        self.panel.set_filters(first_filters(model.module))
        self._show_samples(self.panel.sample)
        self._show_model_maps(model)

    def _show_model_maps(self, model: TrainedModel) -> None:
        import torch

        from workbench.core.cnn_inside import feature_maps, normalised_sample

        data = self._data
        if data is None or not len(data.x_val):
            self.panel.set_maps([], self.tr("The data has no validation samples to show."))
            return
        x = normalised_sample(data, self.panel.sample, model.mean, model.std)
        stages = feature_maps(model.module, torch.as_tensor(x))
        self.panel.set_maps(stages, self.tr(
            "The trained model. Grey: one scale per layer, white its largest value."))

    # -- the chosen sample and other data -----------------------------------------------------
    def _show_samples(self, chosen: int) -> None:
        """The chooser's range and the chosen sample's own picture, from the current data."""
        data = self._data
        count = 0 if data is None else len(data.x_val)
        self.panel.set_samples(count, chosen)
        if data is None or count == 0:
            self.panel.set_sample(None, self.tr("no validation samples"))
            return
        from workbench.core.cnn_inside import raw_sample

        index = self.panel.sample
        what = self.tr("of {count} (validation)").format(count=count_text(count))
        if data.task == "classification" and len(data.class_names):
            label = int(data.y_val[index])
            name = data.class_names[label] if label < len(data.class_names) else str(label)
            what = self.tr("of {count} (validation), class \u201c{name}\u201d").format(
                count=count_text(count), name=class_name_text(name))
        self.panel.set_sample(raw_sample(data, index), what)

    def _on_sample_changed(self, index: int) -> None:
        self._show_samples(index)
        if self._running:
            self._update_request()  # the next live picture shows this sample
            self.panel.set_maps([], self.tr("This sample's feature maps appear with the next "
                                            "live picture."))
        elif self._window.model is not None and self._is_cnn and self._data is not None:
            self._show_model_maps(self._window.model)

    def _on_data_changed(self) -> None:
        """Other data in the form: no map of the previous data stays."""
        self._data_generation += 1
        if self._running:
            return
        self._data = None
        self.panel.show_message(self.tr("Train a CNN on this data, or open one, to look "
                                        "inside it."))


def install(window: MainWindow) -> CnnView:
    return CnnView(window)
