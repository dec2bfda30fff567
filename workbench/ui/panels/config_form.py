"""The hyperparameter form: Data, Model, Training and Device sections as one TrainConfig.

``config()`` reads the form into a frozen TrainConfig; ``set_config()`` writes one into the form
with every widget's signals blocked. Settings the form does not show (from a TOML file, say)
are kept from the last ``set_config()``. A background preview of the data (sizes, per-class
counts) follows the data settings; its prepared data is reused by the next run when it matches.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from workbench.config import DataConfig, Problem, TrainConfig
from workbench.ui.background import run_in_background
from workbench.ui.core_text import error_text, problem_text
from workbench.ui.panels.data_panel import DataPanel
from workbench.ui.panels.device_panel import DevicePanel
from workbench.ui.panels.model_panel import ModelPanel
from workbench.ui.panels.training_panel import TrainingPanel
from workbench.ui.widgets import ExplainButton, name_widget

if TYPE_CHECKING:
    from workbench.core.data import PreparedData

log = logging.getLogger(__name__)

PREVIEW_DELAY_MS = 250  # typing "1000" in Samples reads the data once, not four times

_PROBLEM_STYLE = "border: 1px solid #b3261e; border-radius: 3px;"


_warmed_up = False


def _warm_up_training(owner: QObject) -> None:
    """Once per process, after the first data preview has loaded torch: import what a run's
    first optimizer would import (torch's compiler package, 1.5 s on an idle 2-core laptop and
    3 s or more on a busy one), in the background, so the first Start (or the first run of a
    comparison) begins training at once."""
    global _warmed_up
    if _warmed_up:
        return
    _warmed_up = True

    def job() -> None:
        import torch._dynamo  # noqa: F401 - the import is the point

    run_in_background(owner, job, lambda _result: None, lambda exc: log.debug(
        "warm-up import failed: %s", exc), name="workbench-warm-up")


class ConfigForm(QWidget):
    """All settings of a run."""

    changed = Signal()
    #: the background preview of the data finished (read it from ``preview``)
    preview_ready = Signal()
    #: the person ticked or cleared "Show advanced settings"
    show_advanced_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("configForm")
        self.data_panel = DataPanel()
        self.model_panel = ModelPanel()
        self.training_panel = TrainingPanel()
        self.device_panel = DevicePanel()
        self._base = TrainConfig()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(8)
        for panel in (self.data_panel, self.model_panel, self.training_panel, self.device_panel):
            layout.addWidget(panel)
            panel.changed.connect(self.changed)
        self.advanced_check = name_widget(QCheckBox(self.tr("Show advanced settings")),
                                          "showAdvancedCheck",
                                          self.tr("Show advanced settings"))
        self.advanced_check.setToolTip(self.tr(
            "Seed, weight decay, learning-rate schedule, normalisation layers, augmentation "
            "details and device options. Hidden settings keep their values."))
        self.advanced_check.setChecked(True)
        self.advanced_check.toggled.connect(self._on_advanced_toggled)
        layout.addWidget(self.advanced_check)
        layout.addStretch(1)
        self._presenting = False

        self._marked: list[QWidget] = []
        self._preview_key: tuple[DataConfig, int] | None = None
        self._preview: PreparedData | None = None
        self._preview_error = ""
        self._preview_generation = 0
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.data_panel.changed.connect(self._schedule_preview)
        self.training_panel.seed_spin.valueChanged.connect(self._schedule_preview)
        self.changed.connect(self.clear_problems)

    # -- config <-> form -------------------------------------------------------------------------
    def config(self) -> TrainConfig:
        return replace(
            self._base,
            data=self.data_panel.config(),
            model=self.model_panel.config(),
            optim=self.training_panel.optim_config(),
            run=replace(self.training_panel.run_config(), **self.device_panel.values()),
        )

    def set_config(self, cfg: TrainConfig) -> None:
        self._base = cfg
        self.data_panel.set_config(cfg.data)
        self.model_panel.set_config(cfg.model)
        self.training_panel.set_config(cfg.optim, cfg.run)
        self.device_panel.set_run(cfg.run.device, cfg.run.compile, cfg.run.amp)
        self.clear_problems()
        self._schedule_preview()

    def set_read_only(self, read_only: bool) -> None:
        """While training, nothing in the form changes (the run uses a frozen copy anyway)."""
        for panel in (self.data_panel, self.model_panel, self.training_panel, self.device_panel):
            panel.setEnabled(not read_only)

    # -- advanced settings ---------------------------------------------------------------------
    def set_show_advanced(self, shown: bool) -> None:
        """The "Show advanced settings" choice (as remembered), without emitting a change."""
        self.advanced_check.blockSignals(True)
        self.advanced_check.setChecked(shown)
        self.advanced_check.blockSignals(False)
        self._apply_advanced()

    def set_presentation(self, on: bool) -> None:
        """Presentation mode folds the advanced settings away whatever the check box says."""
        self._presenting = on
        self.advanced_check.setEnabled(not on)
        self._apply_advanced()

    def advanced_visible(self) -> bool:
        return self.advanced_check.isChecked() and not self._presenting

    def _on_advanced_toggled(self, shown: bool) -> None:
        self._apply_advanced()
        self.show_advanced_changed.emit(shown)

    def _apply_advanced(self) -> None:
        shown = self.advanced_visible()
        for panel in (self.data_panel, self.model_panel, self.training_panel, self.device_panel):
            panel.set_advanced_visible(shown)

    def stop_timers(self) -> None:
        self._preview_timer.stop()

    # -- problems ------------------------------------------------------------------------------
    def field_widgets(self) -> dict[str, QWidget]:
        widgets: dict[str, QWidget] = {}
        for panel in (self.data_panel, self.model_panel, self.training_panel, self.device_panel):
            widgets.update(panel.field_widgets())
        return widgets

    def field_labels(self) -> dict[str, str]:
        """Each setting's label as the form shows it ("Batch size" for ``run.batch_size``).

        Read from the rows' "?" buttons, which know their setting: the row's label, or the
        field's own name where the field carries its text (check boxes).
        """
        labels: dict[str, str] = {}
        for button in self.findChildren(ExplainButton):
            label = button.parentWidget().findChild(QLabel) if button.parentWidget() else None
            labels[button.key] = label.text() if label is not None else (
                button.field.accessibleName())
        return labels

    def show_problems(self, problems: list[Problem]) -> None:
        """Outline each field with a problem and put the message in its tooltip."""
        self.clear_problems()
        widgets = self.field_widgets()
        labels = self.field_labels()
        for problem in problems:
            widget = widgets.get(problem.field)
            if widget is None:
                continue
            message = problem_text(problem, labels)
            widget.setStyleSheet(_PROBLEM_STYLE)
            if widget.property("normalToolTip") is None:
                widget.setProperty("normalToolTip", widget.toolTip())
            widget.setToolTip(message)
            widget.setProperty("problem", message)
            self._marked.append(widget)
        self._reveal_problems()
        if self._marked:
            self._marked[0].setFocus()

    def _reveal_problems(self) -> None:
        """A problem in a folded-away advanced setting unfolds the advanced settings."""
        if self.advanced_visible() or all(w.isVisibleTo(self) for w in self._marked):
            return
        if self._presenting:  # until presentation mode is next switched
            for panel in (self.data_panel, self.model_panel, self.training_panel,
                          self.device_panel):
                panel.set_advanced_visible(True)
        else:
            self.advanced_check.setChecked(True)

    def clear_problems(self) -> None:
        for widget in self._marked:
            widget.setStyleSheet("")
            widget.setProperty("problem", None)
            # The field's own explanation comes back once the problem is gone.
            widget.setToolTip(widget.property("normalToolTip") or "")
            widget.setProperty("normalToolTip", None)
        self._marked.clear()

    def problem_widgets(self) -> list[QWidget]:
        return list(self._marked)

    # -- data preview ----------------------------------------------------------------------------
    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def refresh_preview(self) -> None:
        """Read and split the data in the background; show sizes and per-class counts."""
        self._preview_timer.stop()
        cfg = self.config()
        key = (cfg.data, cfg.run.seed)
        if key == self._preview_key:
            return
        self._preview_key = key
        self._preview = None
        self._preview_error = ""
        self._preview_generation += 1
        generation = self._preview_generation
        if cfg.data.dataset == "csv" and not cfg.data.csv_path or (
                cfg.data.dataset == "images" and not cfg.data.image_dir):
            self.data_panel.show_summary(None, self.tr("Choose a file or folder to train on."))
            self.training_panel.set_training_samples(None)
            return
        self.data_panel.show_summary(None)

        def job() -> PreparedData:
            from workbench.core.data import prepare  # imports torch: off the GUI thread

            return prepare(cfg.data, cfg.run.seed)

        def done(data: PreparedData) -> None:
            if generation != self._preview_generation:
                return  # the settings changed while reading
            self._preview = data
            self.data_panel.show_summary(data)
            self.training_panel.set_training_samples(data.n_train)
            self.preview_ready.emit()
            _warm_up_training(self)

        def failed(exc: BaseException) -> None:
            if generation != self._preview_generation:
                return
            from workbench.errors import WorkbenchError

            if not isinstance(exc, WorkbenchError):
                log.warning("data preview failed", exc_info=exc)
            self._preview_error = error_text(exc, self.field_labels())
            self.data_panel.show_summary(None, self._preview_error)
            self.training_panel.set_training_samples(None)
            self.preview_ready.emit()

        run_in_background(self, job, done, failed, name="workbench-data-preview")

    def prepared_data_for(self, cfg: TrainConfig) -> PreparedData | None:
        """The previewed data when it was made from exactly these data settings and seed."""
        if self._preview is not None and self._preview_key == (cfg.data, cfg.run.seed):
            return self._preview
        return None

    @property
    def preview(self) -> PreparedData | None:
        """The previewed data of the settings now in the form (None while it is read)."""
        return self.prepared_data_for(self.config())
