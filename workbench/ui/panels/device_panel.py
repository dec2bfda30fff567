"""Device section: where training runs (each CUDA GPU by name, Apple MPS, CPU)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGroupBox, QWidget

from workbench.ui.core_text import device_text
from workbench.ui.widgets import (
    add_explained_row,
    explained_form,
    name_widget,
    select_data,
    signals_blocked,
)

if TYPE_CHECKING:
    from workbench.core.devices import DeviceInfo


class DevicePanel(QGroupBox):
    """A device combo filled after the window is shown (listing devices imports torch)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Device"), parent)
        self.device_combo = name_widget(QComboBox(), "deviceCombo", self.tr("Device"))
        self.device_combo.addItem(self.tr("Detecting devices..."), "auto")
        self.device_combo.setToolTip(self.tr("Where the network trains; the best one is chosen "
                                             "first."))
        self.compile_check = name_widget(QCheckBox(self.tr("Compile the model (torch.compile)")),
                                         "compileCheck", self.tr("Compile the model"))
        self.compile_check.setToolTip(self.tr(
            "Slower to start, faster per iteration on a GPU for long runs."))
        self.amp_check = name_widget(QCheckBox(self.tr("Mixed precision (bfloat16)")),
                                     "ampCheck", self.tr("Mixed precision"))
        self.amp_check.setToolTip(self.tr(
            "Computes the forward pass in bfloat16 where it is safe: faster on recent GPUs."))
        self._wanted = "auto"
        self._detected = False
        form = explained_form(self)
        add_explained_row(form, self.tr("Train on"), "run.device", self.device_combo)
        add_explained_row(form, "", "run.compile", self.compile_check)
        add_explained_row(form, "", "run.amp", self.amp_check)
        self._form = form
        self.device_combo.currentIndexChanged.connect(self._on_index_changed)
        self.compile_check.toggled.connect(self.changed)
        self.amp_check.toggled.connect(self.changed)

    @property
    def detected(self) -> bool:
        return self._detected

    def set_devices(self, devices: Sequence[DeviceInfo]) -> None:
        """The detected devices, best first; keeps the configured one when it is there."""
        with signals_blocked(self.device_combo):
            self.device_combo.clear()
            for info in devices:
                self.device_combo.addItem(device_text(info), info.id)
            if not devices:
                self.device_combo.addItem(self.tr("Automatic"), "auto")
            wanted = "cuda:0" if self._wanted == "cuda" else self._wanted
            if wanted == "auto" or not select_data(self.device_combo, wanted):
                self.device_combo.setCurrentIndex(0)
        self._detected = True

    def set_run(self, device: str, compile_model: bool, amp: bool) -> None:
        with signals_blocked(self.compile_check, self.amp_check):
            self.compile_check.setChecked(compile_model)
            self.amp_check.setChecked(amp)
        self.set_device(device)

    def values(self) -> dict[str, object]:
        """This section's part of ``TrainConfig.run``."""
        return {"device": self.device(), "compile": self.compile_check.isChecked(),
                "amp": self.amp_check.isChecked()}

    def set_device(self, device: str) -> None:
        self._wanted = device
        if self._detected:
            with signals_blocked(self.device_combo):
                wanted = "cuda:0" if device == "cuda" else device
                if device == "auto" or not select_data(self.device_combo, wanted):
                    self.device_combo.setCurrentIndex(0)

    def device(self) -> str:
        """The chosen device id; "auto" until detection has finished."""
        if not self._detected:
            return self._wanted
        return str(self.device_combo.currentData() or "auto")

    def field_widgets(self) -> dict[str, QWidget]:
        return {"run.device": self.device_combo, "run.threads": self.device_combo,
                "run.compile": self.compile_check, "run.amp": self.amp_check}

    def set_advanced_visible(self, shown: bool) -> None:
        """Show or fold away the advanced rows (compilation, mixed precision)."""
        for widget in (self.compile_check, self.amp_check):
            self._form.setRowVisible(widget, shown)

    def _on_index_changed(self) -> None:
        self._wanted = self.device()
        self.changed.emit()
