"""The window's model document, as in any editor: the current model, the file it belongs to and
whether it has changed since that file was written or read.

The rules:

- a fresh run's model is untitled and modified;
- a run that continued from the current model keeps that model's file and is modified;
- opening a model file makes that file the owner, unmodified;
- saving writes the owner file (asking for a name when there is none), sets the owner and clears
  the modified flag.

Whatever would drop a modified model (closing the window, opening another model or a
configuration, a fresh run) asks first: Save, Discard or Cancel. The window decides when to ask;
the document asks, saves and keeps the state. Its ``changed`` signal tells the window to update
its title and actions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.ui import dialogs
from workbench.ui.background import run_in_background

if TYPE_CHECKING:
    from workbench.core.modelfile import TrainedModel

log = logging.getLogger(__name__)

MODEL_SUFFIX = ".wbm"


def _suggested_stem(model: TrainedModel) -> str:
    """An untitled model's file name: after its table or image folder, else its data set."""
    data = model.config.data
    source = {"csv": data.csv_path, "images": data.image_dir}.get(data.dataset, "")
    stem = Path(source).name.split(".")[0] if source else data.dataset
    return stem or "model"


class SaveReason(str, Enum):
    """What is about to drop or replace the model; the question names it."""

    CLOSE = "close"
    OPEN_MODEL = "open_model"
    OPEN_CONFIG = "open_config"
    START = "start"


class ModelDocument(QObject):
    """The window's current model, its owner file (None: untitled) and its modified flag."""

    changed = Signal()  # the model, its owner file or its modified flag changed
    saved = Signal(str)  # the path just written

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._widget = parent  # the file dialogs' and message boxes' parent
        self._model: TrainedModel | None = None
        self._path: Path | None = None
        self._modified = False
        self._last_folder = ""
        self._loading = False

    # -- state -----------------------------------------------------------------------------------
    @property
    def model(self) -> TrainedModel | None:
        return self._model

    @property
    def path(self) -> Path | None:
        """The owner file; None while the model is untitled (or there is none)."""
        return self._path

    @property
    def modified(self) -> bool:
        """The model has changed since its file was written or read (a run made or changed it)."""
        return self._modified and self._model is not None

    @property
    def untitled(self) -> bool:
        return self._path is None

    @property
    def folder(self) -> str:
        """Where file dialogs start: the owner's folder, else the last model file's."""
        return str(self._path.parent) if self._path is not None else self._last_folder

    def name(self) -> str:
        """The owner file's name, or "Untitled"."""
        return self._path.name if self._path is not None else self.tr("Untitled")

    def _set(self, model: TrainedModel | None, path: Path | None, modified: bool) -> None:
        self._model, self._path, self._modified = model, path, modified
        if path is not None:
            self._last_folder = str(path.parent)
        self.changed.emit()

    def replace_model(self, model: TrainedModel | None) -> None:
        """Put ``model`` in place of the current one, owner and flag as they are."""
        self._set(model, self._path, self._modified)

    def take_run_model(self, model: TrainedModel, continued: bool) -> None:
        """A run's model: a fresh run's is untitled; one that continued from the current model
        keeps its file. Either way it is not saved yet."""
        self._set(model, self._path if continued else None, True)

    def take_file_model(self, model: TrainedModel, path: str | Path) -> None:
        """A model just read from ``path``: that file owns it and it is unchanged."""
        self._set(model, Path(path), False)

    def take_recovered_model(self, model: TrainedModel) -> None:
        """A model recovered from an interrupted run: untitled and not saved."""
        self._set(model, None, True)

    # -- files -----------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """True while a model file is being read (in the background)."""
        return self._loading

    def load(self, path: str | Path) -> TrainedModel | None:
        """Read a model file and make it the document's; None (with a message) when it cannot
        be read, and then nothing changes.

        The file is read and its architecture built in a background thread (a large model
        takes seconds): the window keeps painting and answering meanwhile, with its file
        actions off (``loading``), and this call returns once the model is read.
        """
        from workbench.core.modelfile import load_model

        model, error = self.read_in_background(lambda: load_model(path))
        if error is not None:
            dialogs.show_exception(self._widget, error, QCoreApplication.translate(
                "MainWindow", "opening {path}").format(path=path))
            return None
        self.take_file_model(model, path)  # type: ignore[arg-type]
        return model  # type: ignore[return-value]

    def read_in_background(self, job: Callable[[], object]) -> tuple[object, BaseException | None]:
        """``job()`` (reading a model or checkpoint file) in a background thread while the
        window's event loop runs, ``loading`` on; returns (result, None) or (None, error)."""
        outcome: dict[str, object] = {}
        loop = QEventLoop()

        def finish(key: str, value: object) -> None:
            outcome[key] = value
            loop.quit()

        self._loading = True
        self.changed.emit()
        try:
            run_in_background(self, job, lambda result: finish("result", result),
                              lambda exc: finish("error", exc), name="workbench-read-model")
            while not outcome:  # delivered through the event loop, never before it runs
                loop.exec()
        finally:
            self._loading = False
            self.changed.emit()
        error = outcome.get("error")
        if isinstance(error, BaseException):
            return None, error
        return outcome.get("result"), None

    def save(self) -> bool:
        """Write the model to its own file; an untitled model asks for a name first. False when
        nothing was written (no model, the file dialog was cancelled, or writing failed)."""
        if self._model is None:
            return False
        if self._path is not None and self._path.suffix.lower() == MODEL_SUFFIX:
            return self.save_to(self._path)
        return self.save_as()

    def save_as(self) -> bool:
        """Ask for a file name, then write the model there."""
        if self._model is None:
            return False
        stem = self._path.stem if self._path is not None else _suggested_stem(self._model)
        suggested = str(Path(self.folder) / f"{stem}{MODEL_SUFFIX}") if self.folder else (
            f"{stem}{MODEL_SUFFIX}")
        path = dialogs.ask_save_file(
            self._widget, QCoreApplication.translate("MainWindow", "Save model"),
            dialogs.MODEL_FILTER, suggested, MODEL_SUFFIX)
        return bool(path) and self.save_to(path)

    def save_to(self, path: str | Path) -> bool:
        """Write the model to ``path`` (atomically), which becomes its owner."""
        from workbench.core.modelfile import save_model

        if self._model is None:
            return False
        path = Path(path)
        try:
            save_model(self._model, path)
        except Exception as exc:  # noqa: BLE001 - shown to the person, the window goes on
            dialogs.show_exception(self._widget, exc, QCoreApplication.translate(
                "MainWindow", "saving the model to {path}").format(path=path))
            return False
        self._set(self._model, path, False)
        self.saved.emit(str(path))
        return True

    # -- Save / Discard / Cancel -------------------------------------------------------------------
    def ask_save_changes(self, reason: SaveReason | str, running: bool = False,
                         before_save: Callable[[], object] | None = None) -> bool:
        """Before ``reason`` drops the model: Save, Discard or Cancel when there is unsaved work
        (a modified model, or a run under way when ``running``). True: go on.

        Save saves (asking for a name when untitled; cancelling that is Cancel), after
        ``before_save`` (which ends the run under way so that its model can be saved).
        Discard goes on and changes nothing here: what follows replaces the model.
        """
        if not (self.modified or running):
            return True
        text, informative = self._question(SaveReason(reason), running)
        answer = dialogs.ask_save_changes(self._widget, self.tr("Unsaved model"), text,
                                          informative)
        if answer == QMessageBox.StandardButton.Save:
            if before_save is not None:
                before_save()
            # A run that ended with nothing to keep leaves nothing to save.
            return not self.modified or self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _question(self, reason: SaveReason, running: bool) -> tuple[str, str]:
        if running:
            text = self.tr("Training is still running and its model is not saved.")
        elif self._path is not None:
            text = self.tr("The model from {name} has been trained further and is not "
                           "saved.").format(name=self._path.name)
        else:
            text = self.tr("The trained model is not saved.")
        if reason == SaveReason.CLOSE and running:
            informative = self.tr("Save stops the run and saves its model; Discard stops it "
                                  "and closes the window without saving.")
        elif reason == SaveReason.CLOSE:
            informative = self.tr("Save it before closing? Otherwise it is lost.")
        elif reason == SaveReason.OPEN_MODEL:
            informative = self.tr("Save it before opening another model? Otherwise it is "
                                  "lost.")
        elif reason == SaveReason.OPEN_CONFIG:
            informative = self.tr("Save it before loading other settings?")
        else:
            informative = self.tr("Save it before a new run replaces it? To train it further "
                                  "instead, tick \"Continue from the current model\".")
        return text, informative
