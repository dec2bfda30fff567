"""The data a trained or opened model was made from, for the views that draw with it.

A model names its data, and a model file may come from anyone: the views never read a file it
names by themselves (the window offers to open it). They take the data of the run that made the
model, or the form's preview of the same settings; a built-in data set, which names no file, is
made again in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from workbench.ui.background import run_in_background

if TYPE_CHECKING:  # torch-importing modules: only for type hints
    from workbench.core.data import PreparedData
    from workbench.core.modelfile import TrainedModel
    from workbench.ui.main_window import MainWindow

FILE_DATASETS = ("csv", "images")  # the data sets that are files a model names


def data_at_hand(window: MainWindow, model: TrainedModel) -> PreparedData | None:
    """The model's data without reading anything: the last run's, or the form's preview."""
    engine = window.controller.last_engine
    if engine is not None and getattr(engine, "config", None) == model.config:
        return engine.data
    return window.form.prepared_data_for(model.config)


def names_a_file(model: TrainedModel) -> bool:
    """True when the model's data is a file or folder it names (read only when a person
    opens it)."""
    return model.config.data.dataset in FILE_DATASETS


def make_builtin_data(owner: QObject, model: TrainedModel,
                      done: Callable[[PreparedData], None],
                      failed: Callable[[BaseException], None], name: str) -> None:
    """Make the model's built-in data set again, off the GUI thread (never a file it names)."""
    if names_a_file(model):
        raise ValueError("the model's data is a file: it is read only when a person opens it")
    cfg = model.config

    def load() -> PreparedData:
        from workbench.core.data import prepare

        return prepare(cfg.data, cfg.run.seed)

    run_in_background(owner, load, done, failed, name=name)
