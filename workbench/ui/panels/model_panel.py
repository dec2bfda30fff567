"""Model section: layers, activation, dropout, normalisation (and the CNN's convolutions)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from workbench.config import Activation, ModelConfig, ModelKind, Norm, Pooling
from workbench.ui.widgets import (
    add_explained_row,
    explained_form,
    fill_combo,
    name_widget,
    select_data,
    signals_blocked,
)

# Digits separated by commas (spaces allowed); empty is a linear model / no extra layer.
_LAYER_LIST = QRegularExpression(r"^\s*(\d+\s*(,\s*\d*\s*)*)?$")


def parse_sizes(text: str) -> tuple[int, ...]:
    """``"64, 64"`` -> ``(64, 64)``; empty parts are ignored."""
    return tuple(int(part) for part in text.replace(" ", "").split(",") if part)


def format_sizes(sizes: tuple[int, ...]) -> str:
    return ",".join(str(s) for s in sizes)


class ModelPanel(QGroupBox):
    """Edits ``TrainConfig.model``."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Model"), parent)
        self._base = ModelConfig()
        self.kind_combo = name_widget(QComboBox(), "modelKindCombo", self.tr("Network type"))
        fill_combo(self.kind_combo, [
            (ModelKind.MLP.value, self.tr("Fully connected (MLP)")),
            (ModelKind.CNN.value, self.tr("Convolutional (CNN, images)")),
        ])
        self.hidden_edit = name_widget(QLineEdit(), "hiddenLayersEdit", self.tr("Hidden layers"))
        self.hidden_edit.setValidator(QRegularExpressionValidator(_LAYER_LIST, self.hidden_edit))
        self.hidden_edit.setPlaceholderText(self.tr("none: a linear model"))
        self.hidden_edit.setToolTip(self.tr(
            "Units per hidden layer, separated by commas: 64,64 is two layers of 64 units."))
        self.channels_edit = name_widget(QLineEdit(), "channelsEdit", self.tr("Filters"))
        self.channels_edit.setValidator(QRegularExpressionValidator(_LAYER_LIST,
                                                                    self.channels_edit))
        self.channels_edit.setToolTip(self.tr(
            "Filters per convolution layer, separated by commas: 16,32 is two layers."))
        self.kernel_spin = name_widget(QSpinBox(), "kernelSizeSpin", self.tr("Kernel size"))
        self.kernel_spin.setRange(1, 15)
        self.kernel_spin.setSingleStep(2)
        self.pooling_combo = name_widget(QComboBox(), "poolingCombo", self.tr("Pooling"))
        fill_combo(self.pooling_combo, [(Pooling.MAX.value, self.tr("Max")),
                                        (Pooling.AVG.value, self.tr("Average"))])
        self.activation_combo = name_widget(QComboBox(), "activationCombo",
                                            self.tr("Activation"))
        fill_combo(self.activation_combo, [
            (Activation.RELU.value, "ReLU"),
            (Activation.LEAKY_RELU.value, self.tr("Leaky ReLU")),
            (Activation.ELU.value, "ELU"),
            (Activation.GELU.value, "GELU"),
            (Activation.SILU.value, self.tr("SiLU (Swish)")),
            (Activation.MISH.value, "Mish"),
            (Activation.TANH.value, "tanh"),
            (Activation.SIGMOID.value, self.tr("sigmoid")),
            (Activation.SOFTPLUS.value, self.tr("softplus")),
        ])
        self._make_dropout_spins()
        self.norm_combo = name_widget(QComboBox(), "normCombo", self.tr("Normalisation layers"))
        fill_combo(self.norm_combo, [(Norm.NONE.value, self.tr("None")),
                                     (Norm.BATCH.value, self.tr("BatchNorm")),
                                     (Norm.LAYER.value, self.tr("LayerNorm"))])

        form = explained_form(self)
        add_explained_row(form, self.tr("Network"), "model.kind", self.kind_combo)
        add_explained_row(form, self.tr("Filters"), "model.channels", self.channels_edit)
        add_explained_row(form, self.tr("Kernel size"), "model.kernel_size", self.kernel_spin)
        add_explained_row(form, self.tr("Pooling"), "model.pooling", self.pooling_combo)
        add_explained_row(form, self.tr("Hidden layers"), "model.hidden", self.hidden_edit)
        add_explained_row(form, self.tr("Activation"), "model.activation",
                          self.activation_combo)
        add_explained_row(form, self.tr("Input dropout"), "model.input_dropout",
                          self.input_dropout_spin)
        add_explained_row(form, self.tr("Hidden dropout"), "model.dropout", self.dropout_spin)
        add_explained_row(form, self.tr("Normalisation"), "model.norm", self.norm_combo)
        self._form = form
        # Folded away in presentation mode (and when "Show advanced settings" is off).
        self._advanced_shown = True

        for combo in (self.kind_combo, self.pooling_combo, self.activation_combo,
                      self.norm_combo):
            combo.currentIndexChanged.connect(self.changed)
        self.kind_combo.currentIndexChanged.connect(self._update_visibility)
        for edit in (self.hidden_edit, self.channels_edit):
            edit.textChanged.connect(self.changed)
        for spin in (self.input_dropout_spin, self.dropout_spin, self.kernel_spin):
            spin.valueChanged.connect(self.changed)
        self.set_config(ModelConfig())

    def _make_dropout_spins(self) -> None:
        self.input_dropout_spin = name_widget(QDoubleSpinBox(), "inputDropoutSpin",
                                              self.tr("Input dropout"))
        self.dropout_spin = name_widget(QDoubleSpinBox(), "dropoutSpin",
                                        self.tr("Hidden-layer dropout"))
        for spin in (self.input_dropout_spin, self.dropout_spin):
            spin.setRange(0.0, 0.95)
            spin.setSingleStep(0.05)
            spin.setDecimals(2)
            spin.setSpecialValueText(self.tr("off"))
        self.input_dropout_spin.setToolTip(self.tr(
            "Chance that each input is dropped in a training step; about 0.2 is typical. "
            "Nothing is dropped when predicting."))
        self.dropout_spin.setToolTip(self.tr(
            "Chance that each hidden unit is dropped in a training step; about 0.5 is typical. "
            "Nothing is dropped when predicting."))

    def set_config(self, cfg: ModelConfig) -> None:
        self._base = cfg
        widgets = (self.kind_combo, self.hidden_edit, self.channels_edit, self.kernel_spin,
                   self.pooling_combo, self.activation_combo, self.input_dropout_spin,
                   self.dropout_spin, self.norm_combo)
        with signals_blocked(*widgets):
            select_data(self.kind_combo, cfg.kind.value)
            self.hidden_edit.setText(format_sizes(cfg.hidden))
            self.channels_edit.setText(format_sizes(cfg.channels))
            self.kernel_spin.setValue(cfg.kernel_size)
            select_data(self.pooling_combo, cfg.pooling.value)
            select_data(self.activation_combo, cfg.activation.value)
            self.input_dropout_spin.setValue(cfg.input_dropout)
            self.dropout_spin.setValue(cfg.dropout)
            select_data(self.norm_combo, cfg.norm.value)
        self._update_visibility()

    def config(self) -> ModelConfig:
        hidden = parse_sizes(self.hidden_edit.text())
        dropout = round(self.dropout_spin.value(), 6)
        base = self._base
        # Per-layer rates from a file only hold while the layers and the rate are unchanged.
        per_layer = base.dropout_per_layer
        if per_layer and (hidden != base.hidden or dropout != base.dropout):
            per_layer = ()
        return replace(
            base,
            kind=ModelKind(self.kind_combo.currentData()),
            hidden=hidden,
            channels=parse_sizes(self.channels_edit.text()),
            kernel_size=self.kernel_spin.value(),
            pooling=Pooling(self.pooling_combo.currentData()),
            activation=Activation(self.activation_combo.currentData()),
            input_dropout=round(self.input_dropout_spin.value(), 6),
            dropout=dropout,
            dropout_per_layer=per_layer,
            norm=Norm(self.norm_combo.currentData()),
        )

    def field_widgets(self) -> dict[str, QWidget]:
        return {
            "model.kind": self.kind_combo, "model.hidden": self.hidden_edit,
            "model.channels": self.channels_edit, "model.kernel_size": self.kernel_spin,
            "model.activation": self.activation_combo,
            "model.input_dropout": self.input_dropout_spin, "model.dropout": self.dropout_spin,
            "model.dropout_per_layer": self.dropout_spin, "model.norm": self.norm_combo,
            "model.leaky_slope": self.activation_combo,
        }

    def set_advanced_visible(self, shown: bool) -> None:
        """Show or fold away the advanced rows (normalisation layers)."""
        self._advanced_shown = shown
        self._update_visibility()

    def _update_visibility(self) -> None:
        cnn = self.kind_combo.currentData() == ModelKind.CNN.value
        for widget in (self.channels_edit, self.kernel_spin, self.pooling_combo):
            self._form.setRowVisible(widget, cnn)
        self._form.setRowVisible(self.norm_combo, self._advanced_shown)
