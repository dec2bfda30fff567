"""Autosave and recovery in the window: each run's per-epoch checkpoint folder, and the offer to
take back a run that a previous process never finished (it crashed or was killed)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from workbench.ui import dialogs
from workbench.ui.autosave import RunFolder, abandoned_runs, discard_run

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


class RunRecovery(QObject):
    """The active run's autosave folder (removed when the run ends in this process), and the
    recovery of an abandoned one."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.enabled = True  # False: runs go without autosave (tests, the benchmark)
        self.run_folder: RunFolder | None = None

    def new_run_folder(self) -> str | None:
        """A fresh autosave folder for the run about to start; None runs without autosave."""
        self.remove_run_folder()
        if not self.enabled:
            return None
        try:
            self.run_folder = RunFolder.create()
        except OSError as exc:  # a read-only or full disk must not stop training
            log.warning("autosave is off for this run: %s", exc)
            return None
        return str(self.run_folder.checkpoint)

    def remove_run_folder(self) -> None:
        if self.run_folder is not None:
            self.run_folder.remove()
            self.run_folder = None

    def offer(self) -> None:
        """A run that a previous process never finished left its last epoch's checkpoint
        behind: offer it."""
        w = self._window
        if w.is_shut_down or w.controller.is_active:
            return
        try:
            runs = abandoned_runs()
        except OSError as exc:
            log.warning("cannot look for interrupted runs: %s", exc)
            return
        if not runs:
            return
        folder = runs[0]
        checkpoint = RunFolder(folder).checkpoint
        try:
            when = datetime.fromtimestamp(checkpoint.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        except OSError:
            when = folder.name
        dialogs.offer_recovery(w, when, lambda: w.recover_run(folder),
                               lambda: discard_run(folder))

    def recover(self, folder: str | Path) -> bool:
        """See ``MainWindow.recover_run``."""
        from workbench.core.modelfile import load_checkpoint

        w = self._window
        if w.controller.is_active or w.is_shut_down or w.document.loading:
            return False
        folder = Path(folder)
        checkpoint = RunFolder(folder).checkpoint
        # Read off the GUI thread, as an opened model is.
        loaded, error = w.document.read_in_background(lambda: load_checkpoint(checkpoint))
        if error is not None or w.is_shut_down:
            if error is not None:
                dialogs.show_exception(w, error, translate(
                    "MainWindow", "recovering {path}").format(path=checkpoint))
            discard_run(folder)
            return False
        model, state, _extra = loaded  # type: ignore[misc]
        discard_run(folder)
        w.document.take_recovered_model(model)
        w.show_loaded_model(model)
        w.statusBar().showMessage(translate(
            "MainWindow",
            "Recovered the model from epoch {epoch} of the interrupted run; save it to keep "
            "it.").format(epoch=state.get("epoch", "?")))
        return True
