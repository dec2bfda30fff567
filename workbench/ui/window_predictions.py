"""Predictions from the window: File > Predict CSV writes the model's predictions for a table,
and the Try tab gets its data points once the form has read the model's data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from workbench.ui import dialogs

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

translate = QCoreApplication.translate


class WindowPredictions(QObject):
    """Predict CSV, and the Try tab kept in step with the form's data."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def predict_csv_dialog(self) -> None:
        w = self._window
        if w.model is None:
            return
        source = dialogs.ask_open_file(w, translate("MainWindow", "Predict CSV: input file"),
                                       dialogs.CSV_FILTER)
        if not source:
            return
        target = dialogs.ask_save_file(w, translate("MainWindow",
                                                    "Predict CSV: write predictions to"),
                                       dialogs.CSV_FILTER,
                                       str(Path(source).with_suffix("")) + "_predictions.csv",
                                       ".csv")
        if target:
            w.predict_csv(source, target)

    def predict_csv(self, source: str | Path, target: str | Path) -> int | None:
        """See ``MainWindow.predict_csv``."""
        from workbench.core.predicting import predict_csv_file

        w = self._window
        if w.model is None:
            return None
        try:
            rows = len(predict_csv_file(w.model, source, target).rows)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_exception(w, exc, translate("MainWindow", "predicting {path}").format(
                path=source))
            return None
        w.statusBar().showMessage(translate("MainWindow", "Wrote {n} predictions to {path}"
                                            ).format(n=f"{rows:,}", path=target))
        return rows

    def on_preview_ready(self) -> None:
        # An opened model's map gets its data points once the preview of its data is read.
        w = self._window
        model = w.predict_panel.model
        if model is not None and model is w.model and not w.controller.is_active:
            data = w.form.prepared_data_for(model.config)
            if data is not None and not w.predict_panel.has_data:
                w.predict_panel.set_model(model, data)
        w.update_actions()
