"""Data section: which data set, how it is split, and what it holds (per-class counts)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.config import (
    BUNDLED_DATASETS,
    SYNTHETIC_DATASETS,
    AugmentConfig,
    DataConfig,
    Imbalance,
)
from workbench.ui.core_text import class_name_text
from workbench.ui.widgets import (
    add_explained_row,
    explained_form,
    fill_combo,
    hint_label,
    name_widget,
    select_data,
    signals_blocked,
)

if TYPE_CHECKING:
    from workbench.core.data import PreparedData

DATASET_LABELS = {
    "spiral": QT_TRANSLATE_NOOP("DataPanel", "Spiral (2-D points, synthetic)"),
    "moons": QT_TRANSLATE_NOOP("DataPanel", "Moons (2-D points, synthetic)"),
    "circles": QT_TRANSLATE_NOOP("DataPanel", "Circles (2-D points, synthetic)"),
    "xor": QT_TRANSLATE_NOOP("DataPanel", "XOR (2-D points, synthetic)"),
    "blobs": QT_TRANSLATE_NOOP("DataPanel", "Blobs (2-D points, synthetic)"),
    "digits": QT_TRANSLATE_NOOP("DataPanel", "Digits (8x8 images, 10 classes)"),
    "iris": QT_TRANSLATE_NOOP("DataPanel", "Iris (4 measurements, 3 species)"),
    "wine": QT_TRANSLATE_NOOP("DataPanel", "Wine (13 measurements, 3 cultivars)"),
    "breast_cancer": QT_TRANSLATE_NOOP("DataPanel", "Breast cancer (30 features, 2 classes)"),
    "diabetes": QT_TRANSLATE_NOOP("DataPanel", "Diabetes (10 features, regression)"),
    "csv": QT_TRANSLATE_NOOP("DataPanel", "CSV file"),
    "images": QT_TRANSLATE_NOOP("DataPanel", "Image folder"),
}

# Short names, for tables that list many runs.
DATASET_SHORT_LABELS = {
    "spiral": QT_TRANSLATE_NOOP("DataPanel", "Spiral"),
    "moons": QT_TRANSLATE_NOOP("DataPanel", "Moons"),
    "circles": QT_TRANSLATE_NOOP("DataPanel", "Circles"),
    "xor": QT_TRANSLATE_NOOP("DataPanel", "XOR"),
    "blobs": QT_TRANSLATE_NOOP("DataPanel", "Blobs"),
    "digits": QT_TRANSLATE_NOOP("DataPanel", "Digits"),
    "iris": QT_TRANSLATE_NOOP("DataPanel", "Iris"),
    "wine": QT_TRANSLATE_NOOP("DataPanel", "Wine"),
    "breast_cancer": QT_TRANSLATE_NOOP("DataPanel", "Breast cancer"),
    "diabetes": QT_TRANSLATE_NOOP("DataPanel", "Diabetes"),
    "csv": QT_TRANSLATE_NOOP("DataPanel", "CSV file"),
    "images": QT_TRANSLATE_NOOP("DataPanel", "Image folder"),
}

# Synthetic sets whose number of classes can be chosen (spiral arms, blob centres).
_WITH_CLASSES = ("spiral", "blobs")


def _tr(text: str) -> str:
    return QCoreApplication.translate("DataPanel", text)


def dataset_short_label(name: str) -> str:
    """A built-in data set's short name ("Spiral"), translated; other names as they are."""
    return _label(DATASET_SHORT_LABELS, name)


def dataset_label(name: str) -> str:
    """A built-in data set's name for people ("Spiral (2-D points, synthetic)"), translated;
    other names (a CSV file's) as they are."""
    return _label(DATASET_LABELS, name)


def _label(labels: dict[str, str], name: str) -> str:
    return _tr(labels[name]) if name in labels else name


class DataPanel(QGroupBox):
    """Edits ``TrainConfig.data``. Emits ``changed`` on every edit (the preview follows it)."""

    changed = Signal()
    open_csv_requested = Signal()
    open_images_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Data"), parent)
        self._base = DataConfig()
        self._csv_columns: list[str] = []
        # Where to go back to when choosing a file or folder is cancelled.
        self._previous_dataset = self._base.dataset

        self.dataset_combo = name_widget(QComboBox(), "datasetCombo", self.tr("Data set"))
        fill_combo(self.dataset_combo, [(name, _tr(DATASET_LABELS[name]))
                                        for name in SYNTHETIC_DATASETS + BUNDLED_DATASETS
                                        + ("csv", "images")])
        self.open_csv_button = name_widget(QPushButton(self.tr("Open CSV...")), "openCsvButton",
                                           self.tr("Open a CSV file"))
        self.open_images_button = name_widget(QPushButton(self.tr("Open image folder...")),
                                              "openImagesButton",
                                              self.tr("Open a folder of images"))
        self.open_csv_button.setToolTip(self.tr("Train on a table of numbers from a CSV file."))
        self.open_images_button.setToolTip(self.tr(
            "Train on images sorted into one sub-folder per class."))
        self.path_label = QLabel()
        self.path_label.setObjectName("dataPathLabel")
        self.path_label.setWordWrap(True)
        self.target_combo = name_widget(QComboBox(), "targetCombo", self.tr("Target column"))
        self.target_combo.setToolTip(self.tr("The CSV column the network learns to predict; "
                                             "all other columns are its inputs."))

        self.samples_spin = name_widget(QSpinBox(), "samplesSpin", self.tr("Samples"))
        self.samples_spin.setRange(10, 1_000_000)
        self.samples_spin.setSingleStep(100)
        self.samples_spin.setGroupSeparatorShown(True)
        self.noise_spin = name_widget(QDoubleSpinBox(), "noiseSpin", self.tr("Noise"))
        self.noise_spin.setRange(0.0, 5.0)
        self.noise_spin.setSingleStep(0.05)
        self.classes_spin = name_widget(QSpinBox(), "classesSpin", self.tr("Classes"))
        self.classes_spin.setRange(2, 10)
        self.image_size_spin = name_widget(QSpinBox(), "imageSizeSpin", self.tr("Image size"))
        self.image_size_spin.setRange(4, 512)
        self.image_size_spin.setSuffix(self.tr(" px"))
        self.grayscale_check = name_widget(QCheckBox(self.tr("Grey scale")), "grayscaleCheck",
                                           self.tr("Grey scale"))
        self.val_split_spin = name_widget(QSpinBox(), "valSplitSpin", self.tr("Validation split"))
        self.val_split_spin.setRange(0, 90)
        self.val_split_spin.setSingleStep(5)
        self.val_split_spin.setSuffix(" %")
        self.val_split_spin.setToolTip(self.tr(
            "Share of the data held out to measure how well the network does on data it did "
            "not train on. 0 % means no validation (and no early stopping)."))
        self.imbalance_combo = name_widget(QComboBox(), "imbalanceCombo",
                                           self.tr("Class imbalance"))
        fill_combo(self.imbalance_combo, [
            (Imbalance.NONE.value, self.tr("Use every sample once")),
            (Imbalance.OVERSAMPLE.value, self.tr("Over-sample rare classes")),
            (Imbalance.UNDERSAMPLE.value, self.tr("Under-sample common classes")),
        ])
        self.imbalance_combo.setToolTip(self.tr(
            "Balance the classes per epoch: repeat rare samples, or draw a fresh subset of "
            "common ones each epoch."))
        self.normalize_check = name_widget(QCheckBox(self.tr("Normalise inputs")),
                                           "normalizeCheck", self.tr("Normalise inputs"))
        self.normalize_check.setToolTip(self.tr(
            "Subtract the mean and divide by the standard deviation of each input, computed on "
            "the training split only."))
        self.hflip_check = name_widget(QCheckBox(self.tr("Flip horizontally")), "hflipCheck",
                                       self.tr("Flip horizontally"))
        self.crop_spin = name_widget(QDoubleSpinBox(), "cropSpin", self.tr("Random crop"))
        self.crop_spin.setRange(0.5, 1.0)
        self.crop_spin.setSingleStep(0.05)
        self.crop_spin.setToolTip(self.tr("Fraction of the image kept by a random crop; "
                                          "1 = off."))
        self.rotation_spin = name_widget(QDoubleSpinBox(), "rotationSpin", self.tr("Rotation"))
        self.rotation_spin.setRange(0.0, 180.0)
        self.rotation_spin.setSingleStep(5.0)
        self.rotation_spin.setDecimals(0)
        self.rotation_spin.setSuffix(" °")
        self.rotation_spin.setSpecialValueText(self.tr("off"))
        self.jitter_spin = name_widget(QDoubleSpinBox(), "jitterSpin", self.tr("Colour jitter"))
        self.jitter_spin.setRange(0.0, 1.0)
        self.jitter_spin.setSingleStep(0.05)
        self.jitter_spin.setSpecialValueText(self.tr("off"))
        self.summary_label = hint_label()
        self.summary_label.setObjectName("dataSummaryLabel")

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.open_csv_button)
        buttons.addWidget(self.open_images_button)
        form = explained_form()
        add_explained_row(form, self.tr("Data set"), "data.dataset", self.dataset_combo)
        form.addRow(buttons)
        form.addRow(self.path_label)
        add_explained_row(form, self.tr("Target column"), "data.target", self.target_combo)
        add_explained_row(form, self.tr("Samples"), "data.samples", self.samples_spin)
        add_explained_row(form, self.tr("Noise"), "data.noise", self.noise_spin)
        add_explained_row(form, self.tr("Classes"), "data.classes", self.classes_spin)
        add_explained_row(form, self.tr("Image size"), "data.image_size", self.image_size_spin)
        add_explained_row(form, "", "data.grayscale", self.grayscale_check)
        add_explained_row(form, self.tr("Validation split"), "data.val_split",
                          self.val_split_spin)
        add_explained_row(form, self.tr("Class balance"), "data.imbalance",
                          self.imbalance_combo)
        add_explained_row(form, "", "data.normalize", self.normalize_check)
        self._augment_box = QGroupBox(self.tr("Augmentation (training split only)"))
        augment = explained_form(self._augment_box)
        add_explained_row(augment, "", "data.augment.hflip", self.hflip_check)
        add_explained_row(augment, self.tr("Random crop"), "data.augment.crop", self.crop_spin)
        add_explained_row(augment, self.tr("Rotation"), "data.augment.rotation",
                          self.rotation_spin)
        add_explained_row(augment, self.tr("Colour jitter"), "data.augment.jitter",
                          self.jitter_spin)
        self._augment_form = augment
        # Folded away in presentation mode (and when "Show advanced settings" is off).
        self._advanced_widgets = (self.crop_spin, self.rotation_spin, self.jitter_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._augment_box)
        layout.addWidget(self.summary_label)
        self._form = form

        self.dataset_combo.currentIndexChanged.connect(self._on_dataset_changed)
        self.open_csv_button.clicked.connect(self.open_csv_requested)
        self.open_images_button.clicked.connect(self.open_images_requested)
        for spin in (self.samples_spin, self.classes_spin, self.image_size_spin,
                     self.val_split_spin):
            spin.valueChanged.connect(self.changed)
        for dspin in (self.noise_spin, self.crop_spin, self.rotation_spin, self.jitter_spin):
            dspin.valueChanged.connect(self.changed)
        for check in (self.grayscale_check, self.normalize_check, self.hflip_check):
            check.toggled.connect(self.changed)
        self.imbalance_combo.currentIndexChanged.connect(self.changed)
        self.target_combo.currentIndexChanged.connect(self.changed)
        self.set_config(DataConfig())

    # -- config <-> form ---------------------------------------------------------------------
    def set_config(self, cfg: DataConfig) -> None:
        self._base = cfg
        widgets = (self.dataset_combo, self.samples_spin, self.noise_spin, self.classes_spin,
                   self.image_size_spin, self.grayscale_check, self.val_split_spin,
                   self.imbalance_combo, self.normalize_check, self.hflip_check, self.crop_spin,
                   self.rotation_spin, self.jitter_spin, self.target_combo)
        with signals_blocked(*widgets):
            select_data(self.dataset_combo, cfg.dataset)
            if cfg.dataset not in ("csv", "images"):
                self._previous_dataset = cfg.dataset
            self.samples_spin.setValue(cfg.samples)
            self.noise_spin.setValue(cfg.noise)
            self.classes_spin.setValue(cfg.classes)
            self.image_size_spin.setValue(cfg.image_size)
            self.grayscale_check.setChecked(cfg.grayscale)
            self.val_split_spin.setValue(round(cfg.val_split * 100))
            select_data(self.imbalance_combo, cfg.imbalance.value)
            self.normalize_check.setChecked(cfg.normalize)
            self.hflip_check.setChecked(cfg.augment.hflip)
            self.crop_spin.setValue(cfg.augment.crop)
            self.rotation_spin.setValue(cfg.augment.rotation)
            self.jitter_spin.setValue(cfg.augment.jitter)
            if not cfg.csv_path:
                self._csv_columns = []
            self._fill_targets(cfg.target)
        self._update_visibility()

    def config(self) -> DataConfig:
        base = self._base
        target = base.target
        if self.target_combo.count() and self.current_dataset() == "csv":
            target = self.target_combo.currentData() or ""
        return replace(
            base,
            dataset=self.current_dataset(),
            samples=self.samples_spin.value(),
            noise=round(self.noise_spin.value(), 6),
            classes=self.classes_spin.value(),
            target=target,
            image_size=self.image_size_spin.value(),
            grayscale=self.grayscale_check.isChecked(),
            val_split=self.val_split_spin.value() / 100.0,
            imbalance=Imbalance(self.imbalance_combo.currentData()),
            normalize=self.normalize_check.isChecked(),
            augment=AugmentConfig(
                hflip=self.hflip_check.isChecked(),
                crop=round(self.crop_spin.value(), 6),
                rotation=round(self.rotation_spin.value(), 6),
                jitter=round(self.jitter_spin.value(), 6)),
        )

    def current_dataset(self) -> str:
        return str(self.dataset_combo.currentData())

    def field_widgets(self) -> dict[str, QWidget]:
        return {
            "data.dataset": self.dataset_combo, "data.csv_path": self.open_csv_button,
            "data.image_dir": self.open_images_button, "data.target": self.target_combo,
            "data.samples": self.samples_spin, "data.noise": self.noise_spin,
            "data.classes": self.classes_spin, "data.image_size": self.image_size_spin,
            "data.val_split": self.val_split_spin, "data.imbalance": self.imbalance_combo,
            "data.augment.crop": self.crop_spin, "data.augment.rotation": self.rotation_spin,
            "data.augment.jitter": self.jitter_spin,
        }

    # -- files ---------------------------------------------------------------------------------
    def set_csv(self, path: str, columns: list[str]) -> None:
        """Train on this CSV file; ``columns`` fill the target picker (last column chosen)."""
        self._base = replace(self.config(), dataset="csv", csv_path=str(path), target="")
        self._csv_columns = list(columns)
        with signals_blocked(self.dataset_combo, self.target_combo):
            select_data(self.dataset_combo, "csv")
            self._fill_targets("")
        self._update_visibility()
        self.changed.emit()

    def set_image_dir(self, folder: str) -> None:
        self._base = replace(self.config(), dataset="images", image_dir=str(folder))
        with signals_blocked(self.dataset_combo):
            select_data(self.dataset_combo, "images")
        self._update_visibility()
        self.changed.emit()

    def _fill_targets(self, target: str) -> None:
        self.target_combo.clear()
        for column in self._csv_columns:
            self.target_combo.addItem(column, column)
        chosen = bool(target) and select_data(self.target_combo, target)
        if self._csv_columns and not chosen:
            self.target_combo.setCurrentIndex(len(self._csv_columns) - 1)  # "" = last column

    # -- behaviour -------------------------------------------------------------------------------
    def cancel_file_choice(self) -> None:
        """The person cancelled choosing a file or folder: go back unless one is configured."""
        name = self.current_dataset()
        if (name == "csv" and not self._base.csv_path) or (
                name == "images" and not self._base.image_dir):
            select_data(self.dataset_combo, self._previous_dataset)

    def _on_dataset_changed(self) -> None:
        name = self.current_dataset()
        if name not in ("csv", "images"):
            self._previous_dataset = name
        self._update_visibility()
        if name == "csv" and not self._base.csv_path:
            self.open_csv_requested.emit()
        elif name == "images" and not self._base.image_dir:
            self.open_images_requested.emit()
        self.changed.emit()

    def _set_row_visible(self, widget: QWidget, visible: bool) -> None:
        self._form.setRowVisible(widget, visible)

    def set_advanced_visible(self, shown: bool) -> None:
        """Show or fold away the advanced rows (the finer augmentation settings)."""
        for widget in self._advanced_widgets:
            self._augment_form.setRowVisible(widget, shown)

    def _update_visibility(self) -> None:
        name = self.current_dataset()
        synthetic = name in SYNTHETIC_DATASETS
        self._set_row_visible(self.samples_spin, synthetic)
        self._set_row_visible(self.noise_spin, synthetic)
        self._set_row_visible(self.classes_spin, name in _WITH_CLASSES)
        self._set_row_visible(self.image_size_spin, name == "images")
        self._set_row_visible(self.grayscale_check, name == "images")
        self._set_row_visible(self.target_combo, name == "csv" and bool(self._csv_columns))
        path = ""
        if name == "csv" and self._base.csv_path:
            path = self._base.csv_path
        elif name == "images" and self._base.image_dir:
            path = self._base.image_dir
        self.path_label.setText(Path(path).name if path else "")
        self.path_label.setToolTip(path)
        self._set_row_visible(self.path_label, bool(path))
        self._augment_box.setVisible(name in ("digits", "images"))

    def show_summary(self, data: PreparedData | None, error: str = "") -> None:
        """What the data holds, from the background preview (or why it cannot be read)."""
        if error:
            self.summary_label.setText(error)
            self.summary_label.setStyleSheet("color: #b3261e;")
            return
        self.summary_label.setStyleSheet("color: palette(placeholder-text);")
        if data is None:
            self.summary_label.setText(self.tr("Reading the data..."))
            return
        shape = "x".join(str(s) for s in data.input_shape)
        lines = [self.tr("{train} training and {val} validation samples, inputs {shape}").format(
            train=f"{data.n_train:,}", val=f"{data.n_val:,}", shape=shape)]
        if data.task == "classification":
            # The synthetic sets' classes are named by the app ("class 0"): shown translated.
            synthetic = data.name in SYNTHETIC_DATASETS
            counts = [self.tr("{name}: {train}/{val}").format(
                name=class_name_text(name) if synthetic else name, train=int(t), val=int(v))
                for name, t, v in zip(data.class_names, data.train_counts, data.val_counts,
                                      strict=False)]
            shown = counts[:12]
            more = len(counts) - len(shown)
            # The list separator differs by language (Chinese: "，").
            text = self.tr(", ").join(shown) + (
                self.tr(", and {n} more").format(n=more) if more else "")
            lines.append(self.tr("Per class (training/validation): {counts}").format(counts=text))
        else:
            lines.append(self.tr("Regression: the network predicts a number."))
        self.summary_label.setText("\n".join(lines))
