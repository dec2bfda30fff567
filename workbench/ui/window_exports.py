"""The window's exports: the plots as PNG or CSV, and the model as ONNX, a PyTorch program or a
training script (in the background, with its verification figures in the status bar)."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from workbench.ui import dialogs, numbers
from workbench.ui.background import run_in_background

if TYPE_CHECKING:
    from workbench.core.export import ExportResult
    from workbench.ui.main_window import MainWindow

translate = QCoreApplication.translate

EXPORT_SUFFIX = {"onnx": ".onnx", "pt2": ".pt2", "script": ".py"}


class WindowExports(QObject):
    """File > Export and the plots' own Save buttons."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.exporting = False  # a model export is under way (one at a time)

    def connect_plots(self) -> None:
        w = self._window
        for plot, png, csv in ((w.iteration_plot, self.iteration_png, self.iteration_csv),
                               (w.epoch_plot, self.epoch_png, self.epoch_csv)):
            plot.save_png_requested.connect(png)
            plot.save_csv_requested.connect(csv)

    # -- plots ---------------------------------------------------------------------------------
    def _export(self, title: str, file_filter: str, suggested: str, suffix: str,
                write: Callable[[str], object]) -> None:
        w = self._window
        path = dialogs.ask_save_file(w, title, file_filter, suggested, suffix)
        if not path:
            return
        try:
            write(path)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_exception(w, exc, translate("MainWindow", "writing {path}").format(
                path=path))
            return
        w.statusBar().showMessage(translate("MainWindow", "Wrote {path}").format(path=path))

    def iteration_png(self) -> None:
        self._export(translate("MainWindow", "Save iteration plot"), dialogs.PNG_FILTER,
                     "loss_per_iteration.png", ".png", self._window.iteration_plot.save_png)

    def iteration_csv(self) -> None:
        self._export(translate("MainWindow", "Save iteration losses"), dialogs.CSV_FILTER,
                     "loss_per_iteration.csv", ".csv", self._window.iteration_plot.save_csv)

    def epoch_png(self) -> None:
        self._export(translate("MainWindow", "Save epoch plot"), dialogs.PNG_FILTER,
                     "epochs.png", ".png", self._window.epoch_plot.save_png)

    def epoch_csv(self) -> None:
        self._export(translate("MainWindow", "Save epoch metrics"), dialogs.CSV_FILTER,
                     "epochs.csv", ".csv", self._window.epoch_plot.save_csv)

    # -- the model -----------------------------------------------------------------------------
    def export_dialog(self, fmt: str) -> None:
        w = self._window
        if w.model is None:
            return
        stem = Path(w.model_path).stem if w.model_path else "model"
        suffix = EXPORT_SUFFIX[fmt]
        suggested = f"{stem}_train.py" if fmt == "script" else stem + suffix
        path = dialogs.ask_save_file(w, translate("MainWindow", "Export the model"),
                                     f"*{suffix}", str(Path(w.document.folder) / suggested),
                                     suffix)
        if path:
            w.export_model_to(fmt, path)

    def export(self, fmt: str, path: str | Path) -> bool:
        """See ``MainWindow.export_model_to``."""
        w = self._window
        if w.model is None or self.exporting:
            return False
        model, target = w.model, Path(path)

        def job() -> object:
            from workbench.core.export import export_model

            return export_model(model, target, fmt)

        def done(result: ExportResult) -> None:
            self._set_exporting(False)
            w.statusBar().showMessage(export_message(result))
            w.export_finished.emit(str(target))

        def failed(exc: BaseException) -> None:
            self._set_exporting(False)
            dialogs.show_exception(w, exc, translate(
                "MainWindow", "exporting the model to {path}").format(path=target))
            w.export_finished.emit("")

        self._set_exporting(True)
        w.statusBar().showMessage(translate("MainWindow", "Exporting the model to {path}..."
                                            ).format(path=target))
        run_in_background(self, job, done, failed, name="workbench-export")
        return True

    def _set_exporting(self, on: bool) -> None:
        self.exporting = on
        self._window.update_actions()


def export_message(result: ExportResult) -> str:
    """The export's one line for the status bar (the CLI prints ``result.message()``)."""
    size = sum(f.stat().st_size for f in result.files if f.exists())
    size_text = (f"{size / 1024:.1f} KB" if size < 1024 * 1024
                 else f"{size / 1024 / 1024:.1f} MB")
    if result.max_abs_diff is not None:
        text = translate("MainWindow", "Exported {path} ({size}, {seconds} s); on {rows} rows "
                         "its answers match the window's (largest difference {diff}).")
    else:
        text = translate("MainWindow", "Exported {path} ({size}, {seconds} s) and checked by "
                         "running it.")
    return text.format(path=result.path, size=size_text, seconds=f"{result.seconds:.1f}",
                       rows=numbers.count(result.rows_checked),
                       diff=_plain_difference(result.max_abs_diff or 0.0))


def _plain_difference(diff: float) -> str:
    """A difference to two significant digits in plain decimals however small it is
    (0.00000012, not 1.2e-07 or 1.2 × 10⁻⁷): the zeros show how close the answers are."""
    if not math.isfinite(diff) or diff >= 1:
        return numbers.number(diff, 2)
    text = format(Decimal(f"{diff:.2g}"), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
