"""Training section: epochs, batch size, optimizer, learning rate, schedule, early stopping."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QSpinBox,
    QWidget,
)

from workbench.config import OptimConfig, Optimizer, RunConfig, Schedule, iterations_per_epoch
from workbench.ui import numbers
from workbench.ui.widgets import (
    LearningRateSpinBox,
    add_explained_row,
    explained_form,
    fill_combo,
    hint_label,
    name_widget,
    select_data,
    signals_blocked,
)


class TrainingPanel(QGroupBox):
    """Edits ``TrainConfig.optim`` and ``TrainConfig.run`` (all but the device)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Training"), parent)
        self._optim = OptimConfig()
        self._run = RunConfig()
        self._n_train: int | None = None

        self._make_run_widgets()
        self._make_optimizer_widgets()
        self._make_schedule_widgets()
        self._lay_out()
        self._connect()
        self.set_config(OptimConfig(), RunConfig())

    def _make_run_widgets(self) -> None:
        self.epochs_spin = name_widget(QSpinBox(), "epochsSpin", self.tr("Epochs"))
        self.epochs_spin.setRange(1, 100_000)
        self.epochs_spin.setToolTip(self.tr(
            "An epoch is one pass of the whole training set through the network."))
        self.batch_spin = name_widget(QSpinBox(), "batchSizeSpin", self.tr("Batch size"))
        self.batch_spin.setRange(1, 1_000_000)
        self.batch_spin.setToolTip(self.tr(
            "Samples per weight update (one iteration). Small batches: more, noisier updates; "
            "large batches: fewer, smoother ones."))
        self.drop_last_check = name_widget(QCheckBox(self.tr("Drop the last partial batch")),
                                           "dropLastCheck", self.tr("Drop the last partial batch"))
        self.iterations_label = hint_label()
        self.iterations_label.setObjectName("iterationsPerEpochLabel")

    def _make_optimizer_widgets(self) -> None:
        self.optimizer_combo = name_widget(QComboBox(), "optimizerCombo", self.tr("Optimizer"))
        fill_combo(self.optimizer_combo, [
            (Optimizer.SGD.value, self.tr("SGD")),
            (Optimizer.MOMENTUM.value, self.tr("SGD with momentum")),
            (Optimizer.RMSPROP.value, self.tr("RMSprop")),
            (Optimizer.ADAM.value, self.tr("Adam")),
            (Optimizer.ADAMW.value, self.tr("AdamW")),
        ])
        self.lr_spin = name_widget(LearningRateSpinBox(), "learningRateSpin",
                                   self.tr("Learning rate"))
        self.lr_spin.setToolTip(self.tr(
            "Step size of each update. Too large diverges (the loss grows or becomes NaN); too "
            "small crawls. Arrows step by x1.78 on a log scale; type any value."))
        self.momentum_spin = name_widget(QDoubleSpinBox(), "momentumSpin", self.tr("Momentum"))
        self.momentum_spin.setRange(0.0, 0.999)
        self.momentum_spin.setDecimals(3)
        self.momentum_spin.setSingleStep(0.05)
        self.nesterov_check = name_widget(QCheckBox(self.tr("Nesterov")), "nesterovCheck",
                                          self.tr("Nesterov momentum"))
        self.weight_decay_spin = name_widget(QDoubleSpinBox(), "weightDecaySpin",
                                             self.tr("Weight decay"))
        self.weight_decay_spin.setRange(0.0, 1.0)
        self.weight_decay_spin.setDecimals(6)
        self.weight_decay_spin.setSingleStep(0.0001)
        self.weight_decay_spin.setSpecialValueText(self.tr("off"))

    def _make_schedule_widgets(self) -> None:
        self.schedule_combo = name_widget(QComboBox(), "scheduleCombo",
                                          self.tr("Learning-rate schedule"))
        fill_combo(self.schedule_combo, [
            (Schedule.NONE.value, self.tr("Constant")),
            (Schedule.STEP.value, self.tr("Step: multiply every N epochs")),
            (Schedule.COSINE.value, self.tr("Cosine to zero")),
            (Schedule.PLATEAU.value, self.tr("Lower on plateau")),
        ])
        self.step_size_spin = name_widget(QSpinBox(), "stepSizeSpin", self.tr("Every"))
        self.step_size_spin.setRange(1, 100_000)
        self.step_size_spin.setSuffix(self.tr(" epochs"))
        self.gamma_spin = name_widget(QDoubleSpinBox(), "gammaSpin", self.tr("Factor"))
        self.gamma_spin.setRange(0.01, 1.0)
        self.gamma_spin.setSingleStep(0.05)
        self.plateau_spin = name_widget(QSpinBox(), "plateauPatienceSpin",
                                        self.tr("Plateau patience"))
        self.plateau_spin.setRange(0, 10_000)
        self.plateau_spin.setSuffix(self.tr(" epochs"))
        self.patience_spin = name_widget(QSpinBox(), "patienceSpin",
                                         self.tr("Early-stopping patience"))
        self.patience_spin.setRange(0, 100_000)
        self.patience_spin.setSpecialValueText(self.tr("off"))
        self.patience_spin.setSuffix(self.tr(" epochs"))
        self.patience_spin.setToolTip(self.tr(
            "Stop when the validation loss has not improved for this many epochs, and keep the "
            "weights of the best epoch."))
        self.seed_spin = name_widget(QSpinBox(), "seedSpin", self.tr("Random seed"))
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip(self.tr("The same seed and settings give the same run."))
        # Counts grouped as every panel writes them ("1,438"), in either language.
        numbers.use_number_locale(self.epochs_spin, self.batch_spin, self.step_size_spin,
                                  self.plateau_spin, self.patience_spin, self.momentum_spin,
                                  self.weight_decay_spin, self.gamma_spin, self.lr_spin)
        numbers.use_number_locale(self.seed_spin, grouped=False)


    def _lay_out(self) -> None:
        form = explained_form(self)
        add_explained_row(form, self.tr("Epochs"), "run.epochs", self.epochs_spin)
        add_explained_row(form, self.tr("Batch size"), "run.batch_size", self.batch_spin)
        add_explained_row(form, "", "run.drop_last", self.drop_last_check)
        form.addRow(self.iterations_label)
        add_explained_row(form, self.tr("Optimizer"), "optim.optimizer", self.optimizer_combo)
        add_explained_row(form, self.tr("Learning rate"), "optim.lr", self.lr_spin)
        add_explained_row(form, self.tr("Momentum"), "optim.momentum", self.momentum_spin)
        add_explained_row(form, "", "optim.nesterov", self.nesterov_check)
        add_explained_row(form, self.tr("Weight decay"), "optim.weight_decay",
                          self.weight_decay_spin)
        add_explained_row(form, self.tr("LR schedule"), "optim.schedule", self.schedule_combo)
        add_explained_row(form, self.tr("Every"), "optim.step_size", self.step_size_spin)
        add_explained_row(form, self.tr("Factor"), "optim.gamma", self.gamma_spin)
        add_explained_row(form, self.tr("Plateau patience"), "optim.plateau_patience",
                          self.plateau_spin)
        add_explained_row(form, self.tr("Early stopping"), "run.patience", self.patience_spin)
        add_explained_row(form, self.tr("Seed"), "run.seed", self.seed_spin)
        self._form = form
        # Folded away in presentation mode (and when "Show advanced settings" is off).
        self._advanced_shown = True


    def _connect(self) -> None:
        for spin in (self.epochs_spin, self.batch_spin, self.step_size_spin, self.plateau_spin,
                     self.patience_spin, self.seed_spin):
            spin.valueChanged.connect(self.changed)
        for dspin in (self.lr_spin, self.momentum_spin, self.weight_decay_spin, self.gamma_spin):
            dspin.valueChanged.connect(self.changed)
        for check in (self.drop_last_check, self.nesterov_check):
            check.toggled.connect(self.changed)
        for combo in (self.optimizer_combo, self.schedule_combo):
            combo.currentIndexChanged.connect(self.changed)
            combo.currentIndexChanged.connect(self._update_visibility)
        for widget_signal in (self.epochs_spin.valueChanged, self.batch_spin.valueChanged,
                              self.drop_last_check.toggled):
            widget_signal.connect(self._update_iterations)

    def set_config(self, optim: OptimConfig, run: RunConfig) -> None:
        self._optim, self._run = optim, run
        widgets = (self.epochs_spin, self.batch_spin, self.drop_last_check, self.optimizer_combo,
                   self.lr_spin, self.momentum_spin, self.nesterov_check, self.weight_decay_spin,
                   self.schedule_combo, self.step_size_spin, self.gamma_spin, self.plateau_spin,
                   self.patience_spin, self.seed_spin)
        with signals_blocked(*widgets):
            self.epochs_spin.setValue(run.epochs)
            self.batch_spin.setValue(run.batch_size)
            self.drop_last_check.setChecked(run.drop_last)
            select_data(self.optimizer_combo, optim.optimizer.value)
            self.lr_spin.setValue(optim.lr)
            self.momentum_spin.setValue(optim.momentum)
            self.nesterov_check.setChecked(optim.nesterov)
            self.weight_decay_spin.setValue(optim.weight_decay)
            select_data(self.schedule_combo, optim.schedule.value)
            self.step_size_spin.setValue(optim.step_size)
            self.gamma_spin.setValue(optim.gamma)
            self.plateau_spin.setValue(optim.plateau_patience)
            self.patience_spin.setValue(run.patience)
            self.seed_spin.setValue(min(run.seed, self.seed_spin.maximum()))
        self._update_visibility()
        self._update_iterations()

    def optim_config(self) -> OptimConfig:
        optimizer = Optimizer(self.optimizer_combo.currentData())
        return replace(
            self._optim,
            optimizer=optimizer,
            lr=self.lr_spin.value(),
            momentum=round(self.momentum_spin.value(), 6),
            nesterov=self.nesterov_check.isChecked() and optimizer == Optimizer.MOMENTUM,
            weight_decay=round(self.weight_decay_spin.value(), 9),
            schedule=Schedule(self.schedule_combo.currentData()),
            step_size=self.step_size_spin.value(),
            gamma=round(self.gamma_spin.value(), 6),
            plateau_patience=self.plateau_spin.value(),
        )

    def run_config(self) -> RunConfig:
        """``TrainConfig.run`` from this section (device options come from the Device one)."""
        seed = self.seed_spin.value()
        if seed == self.seed_spin.maximum() and self._run.seed > seed:
            seed = self._run.seed  # a seed beyond the spin box's range, from a file
        return replace(
            self._run,
            epochs=self.epochs_spin.value(),
            batch_size=self.batch_spin.value(),
            drop_last=self.drop_last_check.isChecked(),
            patience=self.patience_spin.value(),
            seed=seed,
        )

    def field_widgets(self) -> dict[str, QWidget]:
        return {
            "run.epochs": self.epochs_spin, "run.batch_size": self.batch_spin,
            "run.patience": self.patience_spin, "run.seed": self.seed_spin,
            "optim.optimizer": self.optimizer_combo, "optim.lr": self.lr_spin,
            "optim.momentum": self.momentum_spin, "optim.nesterov": self.nesterov_check,
            "optim.weight_decay": self.weight_decay_spin, "optim.schedule": self.schedule_combo,
            "optim.step_size": self.step_size_spin, "optim.gamma": self.gamma_spin,
            "optim.plateau_patience": self.plateau_spin,
        }

    def set_training_samples(self, n_train: int | None) -> None:
        """The training-set size (from the data preview), for the iterations-per-epoch line."""
        self._n_train = n_train
        self._update_iterations()

    def _update_iterations(self) -> None:
        n, batch = self._n_train, self.batch_spin.value()
        if not n:
            self.iterations_label.setText(self.tr(
                "Iterations per epoch = training samples / batch size, rounded up."))
            return
        ipe, last = iterations_per_epoch(n, batch, self.drop_last_check.isChecked())
        total = ipe * self.epochs_spin.value()
        if batch > n:
            text = self.tr("Batch size {batch} is larger than the {n} training samples: use "
                           "{n} or less ({n} is full-batch training).").format(
                batch=f"{batch:,}", n=f"{n:,}")
        elif ipe == 0:
            text = self.tr("No full batch of {batch} in {n} training samples: lower the batch "
                           "size.").format(batch=f"{batch:,}", n=f"{n:,}")
        elif last == batch:
            text = self.tr("{n} samples / batch {batch} = {ipe} iterations per epoch; "
                           "{total} iterations in all.").format(
                n=f"{n:,}", batch=f"{batch:,}", ipe=f"{ipe:,}", total=f"{total:,}")
        else:
            text = self.tr("{n} samples / batch {batch} = {ipe} iterations per epoch ({full} "
                           "of {batch} and a last one of {last}); {total} iterations in all."
                           ).format(n=f"{n:,}", batch=f"{batch:,}", ipe=f"{ipe:,}",
                                    full=f"{ipe - 1:,}", last=f"{last:,}", total=f"{total:,}")
        self.iterations_label.setText(text)

    def set_advanced_visible(self, shown: bool) -> None:
        """Show or fold away the advanced rows (weight decay, schedule, Nesterov, seed)."""
        self._advanced_shown = shown
        self._update_visibility()

    def _update_visibility(self) -> None:
        optimizer = self.optimizer_combo.currentData()
        schedule = self.schedule_combo.currentData() if self._advanced_shown else None
        advanced = self._advanced_shown
        momentum = optimizer == Optimizer.MOMENTUM.value
        self._form.setRowVisible(self.momentum_spin, momentum)
        self._form.setRowVisible(self.nesterov_check, momentum and advanced)
        for widget in (self.weight_decay_spin, self.schedule_combo, self.seed_spin):
            self._form.setRowVisible(widget, advanced)
        self._form.setRowVisible(self.step_size_spin, schedule == Schedule.STEP.value)
        self._form.setRowVisible(self.gamma_spin, schedule in (Schedule.STEP.value,
                                                               Schedule.PLATEAU.value))
        self._form.setRowVisible(self.plateau_spin, schedule == Schedule.PLATEAU.value)
