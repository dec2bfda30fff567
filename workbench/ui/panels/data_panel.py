"""Data section: which data set, how it is split, and what it holds (per-class counts).

A table file (CSV, TSV, Excel...) is read and its columns described in the background when it
is opened; the column table shows what each column is used as before anything is trained, and
the roles and the task chosen there go into the ``DataConfig`` the panel produces.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
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
    DRAW_DATASET,
    SYNTHETIC_DATASETS,
    AugmentConfig,
    DataConfig,
    Imbalance,
    Task,
)
from workbench.ui import numbers
from workbench.ui.background import run_in_background
from workbench.ui.core_text import class_name_text
from workbench.ui.panels.class_counts import ClassCountsChart
from workbench.ui.panels.column_table import (
    ColumnTable,
    reason_text,
    task_text,
    warning_text,
)
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
    from workbench.core.data import PreparedData, TableInfo
    from workbench.core.data.tables import ColumnInfo

log = logging.getLogger(__name__)

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
    "draw": QT_TRANSLATE_NOOP("DataPanel", "Draw your own (2-D points)"),
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
    "draw": QT_TRANSLATE_NOOP("DataPanel", "Drawing"),
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


# A chosen role (the column table's) -> the DataConfig field that lists its columns.
_ROLE_FIELDS = {"categorical": "categorical", "numeric": "numeric", "date": "dates",
                "ignored": "ignore"}
# Lower-case codec names as people know them.
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16",
                   "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "cp1252": "Windows-1252",
                   "cp1251": "Windows-1251", "cp1250": "Windows-1250", "gb18030": "GB18030",
                   "big5": "Big5", "shift_jis": "Shift JIS", "euc_kr": "EUC-KR"}
# No column is named so: describing columns for no target gives every column its own role.
_NO_TARGET = "\0"
# The warning box, as the evaluation panel's: attention, not error.
_WARNING_STYLE = ("color: #7a3d00; background: #fff0d9; border: 1px solid #f0b060; "
                  "border-radius: 3px; padding: 4px;")


@dataclass(frozen=True)
class TableDescription:
    """A table file as read: its columns with the roles Workbench infers, and its format."""

    path: str
    sheet: str  # the sheet asked for ("" = the first, and text files)
    sheets: tuple[str, ...]  # an Excel workbook's sheets; () for text files
    columns: tuple[ColumnInfo, ...]  # described without a target: every column's own role
    rows: int
    encoding: str
    separator: str
    decimal: str
    sheet_read: str = ""  # the sheet that was read


def describe_table_file(path: str, sheet: str = "",
                        na_values: tuple[str, ...] = ()) -> TableDescription:
    """Read a table file and describe its columns (slow for large files: not on the GUI thread)."""
    from workbench.core.data.table_set import read_for
    from workbench.core.data.tables import describe_columns

    table = read_for(DataConfig(dataset="csv", csv_path=path, sheet=sheet, na_values=na_values))
    columns = tuple(describe_columns(table, _NO_TARGET))
    sheets: tuple[str, ...] = ()
    if table.encoding == "xlsx":
        sheets = _sheet_names(path) or (table.sheet,)
    return TableDescription(path, sheet, sheets, columns, table.n_rows, table.encoding,
                            table.separator, table.decimal, table.sheet)


def _sheet_names(path: str) -> tuple[str, ...]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # the sheet was read already: the list is a convenience
        log.warning("cannot list the sheets of %s", path, exc_info=True)
        return ()
    try:
        return tuple(str(name) for name in book.sheetnames)
    finally:
        book.close()


class DataPanel(QGroupBox):
    """Edits ``TrainConfig.data``. Emits ``changed`` on every edit (the preview follows it)."""

    changed = Signal()
    open_csv_requested = Signal()
    open_images_requested = Signal()
    #: a table file the person chose could not be read: (path, the exception)
    table_failed = Signal(str, object)
    #: settings were put in whole (``set_config``: a model's, a file's), without ``changed``
    config_set = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Data"), parent)
        self._base = DataConfig()
        # The table file read last, and the one being read now: (path, sheet).
        self._table: TableDescription | None = None
        self._reading: tuple[str, str] | None = None
        self._read_generation = 0
        # The roles the person chose, by column ("numeric", "categorical", "date", "ignored").
        self._roles: dict[str, str] = {}
        # What the last preview said about the table, and what "Automatic" chose for which
        # target: (target, task, reason).
        self._table_info: TableInfo | None = None
        self._auto_task: tuple[str, str, str] | None = None
        # Where to go back to when choosing a file or folder is cancelled.
        self._previous_dataset = self._base.dataset

        self._build_source_widgets()
        self._build_size_widgets()
        self._build_preparation_widgets()
        self._build_layout()
        self._connect_widgets()
        self.set_config(DataConfig())

    def _build_source_widgets(self) -> None:
        """Where the data comes from: the data set, its file or folder, sheet, target, task."""
        self.dataset_combo = name_widget(QComboBox(), "datasetCombo", self.tr("Data set"))
        fill_combo(self.dataset_combo, [(name, _tr(DATASET_LABELS[name]))
                                        for name in SYNTHETIC_DATASETS + BUNDLED_DATASETS
                                        + ("csv", "images", DRAW_DATASET)])
        self.open_csv_button = name_widget(QPushButton(self.tr("Open CSV...")), "openCsvButton",
                                           self.tr("Open a CSV file"))
        self.open_images_button = name_widget(QPushButton(self.tr("Open image folder...")),
                                              "openImagesButton",
                                              self.tr("Open a folder of images"))
        self.open_csv_button.setToolTip(self.tr(
            "Train on a table from a CSV, TSV or Excel file: numbers, categories and dates."))
        self.open_images_button.setToolTip(self.tr(
            "Train on images sorted into one sub-folder per class."))
        self.path_label = QLabel()
        self.path_label.setObjectName("dataPathLabel")
        self.path_label.setWordWrap(True)
        self.target_combo = name_widget(QComboBox(), "targetCombo", self.tr("Target column"))
        self.target_combo.setToolTip(self.tr("The CSV column the network learns to predict; "
                                             "all other columns are its inputs."))
        self.sheet_combo = name_widget(QComboBox(), "sheetCombo", self.tr("Sheet"))
        self.sheet_combo.setToolTip(self.tr("The sheet of the Excel workbook to train on."))
        self.task_combo = name_widget(QComboBox(), "taskCombo", self.tr("Task"))
        fill_combo(self.task_combo, [(Task.AUTO.value, self.tr("Automatic")),
                                     (Task.CLASSIFICATION.value, self.tr("Classification")),
                                     (Task.REGRESSION.value, self.tr("Regression"))])
        self.task_combo.setToolTip(self.tr(
            "Classification predicts one of the target column's values; regression predicts "
            "a number. Automatic decides from the target column, and says what it chose."))
        for combo in (self.target_combo, self.sheet_combo, self.task_combo):
            # Long column names and reasons must not widen the settings column.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.table_label = QLabel()
        self.table_label.setObjectName("tableSummaryLabel")
        self.table_label.setWordWrap(True)
        self.table_warning_label = QLabel()
        self.table_warning_label.setObjectName("tableWarningLabel")
        self.table_warning_label.setWordWrap(True)
        self.table_warning_label.setStyleSheet(_WARNING_STYLE)
        self.column_table = ColumnTable()

    def _build_size_widgets(self) -> None:
        """How much data and of what shape; counts grouped as everywhere else (1,000)."""
        self.samples_spin = name_widget(QSpinBox(), "samplesSpin", self.tr("Samples"))
        self.samples_spin.setRange(10, 1_000_000)
        self.samples_spin.setSingleStep(100)
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
        numbers.use_number_locale(self.samples_spin, self.classes_spin, self.image_size_spin,
                                  self.val_split_spin, self.noise_spin)

    def _build_preparation_widgets(self) -> None:
        """How the data is prepared: class balance, normalisation, augmentation, drawing."""
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
        self.draw_hint = hint_label(self.tr(
            "Paint the points on the plane of the Training tab: a click adds a point of the "
            "chosen class, dragging adds several, a right-click removes the nearest."))
        self.draw_hint.setObjectName("drawHintLabel")
        # The drawing (draw set): kept while other data is chosen, so coming back keeps it.
        self._points: tuple[tuple[float, float, int], ...] = ()
        self._draw_classes = 2
        self.class_counts = ClassCountsChart()
        self.class_counts.setVisible(False)

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.open_csv_button)
        buttons.addWidget(self.open_images_button)
        form = explained_form()
        add_explained_row(form, self.tr("Data set"), "data.dataset", self.dataset_combo)
        form.addRow(buttons)
        form.addRow(self.path_label)
        add_explained_row(form, self.tr("Sheet"), "data.sheet", self.sheet_combo)
        add_explained_row(form, self.tr("Target column"), "data.target", self.target_combo)
        add_explained_row(form, self.tr("Task"), "data.task", self.task_combo)
        form.addRow(self.table_label)
        form.addRow(self.table_warning_label)
        form.addRow(self.column_table)
        form.addRow(self.draw_hint)
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
        layout.addWidget(self.class_counts)
        self._form = form

    def _connect_widgets(self) -> None:
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
        self.target_combo.currentIndexChanged.connect(self._on_target_changed)
        self.task_combo.currentIndexChanged.connect(self.changed)
        self.sheet_combo.currentIndexChanged.connect(self._on_sheet_changed)
        self.column_table.role_chosen.connect(self._on_role_chosen)

    # -- config <-> form ---------------------------------------------------------------------
    def set_config(self, cfg: DataConfig) -> None:
        self._base = cfg
        if cfg.dataset == DRAW_DATASET:
            self._points, self._draw_classes = tuple(cfg.points), cfg.classes
        widgets = (self.dataset_combo, self.samples_spin, self.noise_spin, self.classes_spin,
                   self.image_size_spin, self.grayscale_check, self.val_split_spin,
                   self.imbalance_combo, self.normalize_check, self.hflip_check, self.crop_spin,
                   self.rotation_spin, self.jitter_spin, self.target_combo, self.task_combo)
        self._roles = {}
        for names, role in ((cfg.categorical, "categorical"), (cfg.numeric, "numeric"),
                            (cfg.dates, "date"), (cfg.ignore, "ignored")):
            for name in names:  # later lists win, as in the core (ignore last)
                self._roles[name] = role
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
            select_data(self.task_combo, Task(cfg.task).value)
        # A file still being read is not this configuration's (or is read again below).
        self._read_generation += 1
        self._reading = None
        if not self._described(cfg.csv_path, cfg.sheet):
            self._table = None
            self._table_info = None
            self._auto_task = None
        self._fill_table(cfg.target)
        if cfg.dataset == "csv":
            self._read_unless_described()
        self._update_visibility()
        self.config_set.emit()

    def config(self) -> DataConfig:
        base = self._base
        target = base.target
        table: dict[str, object] = {}
        if self.current_dataset() == "csv":
            if self.target_combo.count():
                target = self.target_combo.currentData() or ""
            table = {"task": Task(self.task_combo.currentData()), **self._role_lists(target)}
        draw = self.current_dataset() == DRAW_DATASET
        return replace(
            base,
            **table,
            dataset=self.current_dataset(),
            samples=self.samples_spin.value(),
            noise=round(self.noise_spin.value(), 6),
            classes=self._draw_classes if draw else self.classes_spin.value(),
            points=self._points if draw else (),
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

    def _role_lists(self, target: str) -> dict[str, tuple[str, ...]]:
        """The chosen roles as DataConfig's lists; the target's own choice waits unused."""
        lists: dict[str, list[str]] = {field: [] for field in _ROLE_FIELDS.values()}
        for name, role in self._roles.items():
            if name != target and role in _ROLE_FIELDS:
                lists[_ROLE_FIELDS[role]].append(name)
        return {field: tuple(names) for field, names in lists.items()}

    def field_widgets(self) -> dict[str, QWidget]:
        return {
            "data.dataset": self.dataset_combo, "data.csv_path": self.open_csv_button,
            "data.image_dir": self.open_images_button, "data.target": self.target_combo,
            "data.sheet": self.sheet_combo, "data.task": self.task_combo,
            "data.categorical": self.column_table, "data.numeric": self.column_table,
            "data.dates": self.column_table, "data.ignore": self.column_table,
            "data.samples": self.samples_spin, "data.noise": self.noise_spin,
            "data.classes": self.classes_spin, "data.image_size": self.image_size_spin,
            "data.val_split": self.val_split_spin, "data.imbalance": self.imbalance_combo,
            "data.augment.crop": self.crop_spin, "data.augment.rotation": self.rotation_spin,
            "data.augment.jitter": self.jitter_spin, "data.points": self.dataset_combo,
        }

    # -- the drawing ---------------------------------------------------------------------------
    @property
    def drawn_points(self) -> tuple[tuple[float, float, int], ...]:
        return self._points

    @property
    def draw_classes(self) -> int:
        return self._draw_classes

    def set_drawing(self, points: tuple[tuple[float, float, int], ...], classes: int) -> None:
        """The painted points and the number of classes of the draw set (emits ``changed``)."""
        points, classes = tuple(points), int(classes)
        if (points, classes) == (self._points, self._draw_classes):
            return
        self._points, self._draw_classes = points, classes
        if self.current_dataset() == DRAW_DATASET:
            self.changed.emit()

    def use_drawing(self) -> None:
        """Train on the drawing: choose the draw set (as picking it in the combo box does)."""
        select_data(self.dataset_combo, DRAW_DATASET)

    # -- files ---------------------------------------------------------------------------------
    def open_table(self, path: str) -> None:
        """Train on this table file: read and describe it in the background, then show its
        columns (the last one the target) with fresh roles. ``table_failed`` says why not."""
        self._read(str(path), "", opening=True)

    def _described(self, path: str, sheet: str) -> bool:
        table = self._table
        return table is not None and table.path == path and sheet in (table.sheet,
                                                                       table.sheet_read)

    def _read_unless_described(self) -> None:
        """The configured table's columns, read in the background unless shown already."""
        path, sheet = self._base.csv_path, self._base.sheet
        if path and not self._described(path, sheet) and self._reading != (path, sheet):
            self._read(path, sheet, opening=False)

    def _read(self, path: str, sheet: str, opening: bool) -> None:
        """Read ``path`` off the GUI thread. ``opening``: the person chose the file or sheet,
        so its roles start afresh and a failure is theirs to hear of."""
        self._read_generation += 1
        generation = self._read_generation
        self._reading = (path, sheet)
        na_values = tuple(self._base.na_values)
        self._update_visibility()

        def job() -> TableDescription:
            return describe_table_file(path, sheet, na_values)

        def done(table: TableDescription) -> None:
            if generation == self._read_generation:
                self._reading = None
                self._on_table_read(table, opening)

        def failed(exc: BaseException) -> None:
            if generation != self._read_generation:
                return
            self._reading = None
            if opening:
                self._fill_table(self._base.target)  # back to the sheet still in use
                self._update_visibility()
                self.table_failed.emit(path, exc)
            else:
                # The preview reads the same file and says why in the summary.
                log.info("cannot describe the columns of %s: %s", path, exc)
                self._update_visibility()

        run_in_background(self, job, done, failed, name="workbench-table-read")

    def _on_table_read(self, table: TableDescription, opening: bool) -> None:
        before = self.config()
        self._table = table
        if opening:
            self._roles = {}
            self._table_info = None
            self._auto_task = None
            self._base = replace(before, dataset="csv", csv_path=table.path, sheet=table.sheet,
                                 target="", task=Task.AUTO, categorical=(), numeric=(),
                                 dates=(), ignore=())
            with signals_blocked(self.dataset_combo, self.task_combo):
                select_data(self.dataset_combo, "csv")
                select_data(self.task_combo, Task.AUTO.value)
        self._fill_table(self._base.target)
        self._update_visibility()
        if opening or self.config() != before:
            self.changed.emit()

    def set_image_dir(self, folder: str) -> None:
        self._base = replace(self.config(), dataset="images", image_dir=str(folder))
        with signals_blocked(self.dataset_combo):
            select_data(self.dataset_combo, "images")
        self._update_visibility()
        self.changed.emit()

    @property
    def _csv_columns(self) -> list[str]:
        return [info.name for info in self._table.columns] if self._table is not None else []

    def _fill_table(self, target: str) -> None:
        """The target picker, the sheet picker and the column table from the table read last."""
        table = self._table
        columns = self._csv_columns
        with signals_blocked(self.target_combo, self.sheet_combo):
            self.target_combo.clear()
            for column in columns:
                self.target_combo.addItem(column, column)
            chosen = bool(target) and select_data(self.target_combo, target)
            if columns and not chosen:
                self.target_combo.setCurrentIndex(len(columns) - 1)  # "" = last column
            self.sheet_combo.clear()
            if table is not None:
                for sheet in table.sheets:
                    self.sheet_combo.addItem(sheet, sheet)
                select_data(self.sheet_combo, table.sheet or table.sheet_read)
        self.column_table.set_columns(table.columns if table is not None else (),
                                      self._current_target(), self._roles)
        self._show_table_summary()

    def _current_target(self) -> str:
        return str(self.target_combo.currentData() or "")

    def _on_target_changed(self) -> None:
        self.column_table.set_target(self._current_target())
        self._update_task_label()
        self.changed.emit()

    def _on_role_chosen(self, column: str, role: str) -> None:
        if role:
            self._roles[column] = role
        else:
            self._roles.pop(column, None)
        self.changed.emit()

    def _on_sheet_changed(self) -> None:
        sheet = str(self.sheet_combo.currentData() or "")
        if self._base.csv_path and sheet and not self._described(self._base.csv_path, sheet):
            self._read(self._base.csv_path, sheet, opening=True)

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
        if name == "csv" and self._base.csv_path:
            self._read_unless_described()
        elif name == "csv":
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
        self._set_row_visible(self.draw_hint, name == DRAW_DATASET)
        self._set_row_visible(self.image_size_spin, name == "images")
        self._set_row_visible(self.grayscale_check, name == "images")
        csv = name == "csv"
        described = csv and self._table is not None
        self._set_row_visible(self.sheet_combo, described and bool(self._table.sheets))
        self._set_row_visible(self.target_combo, csv and bool(self._csv_columns))
        self._set_row_visible(self.task_combo, csv and bool(self._base.csv_path))
        self._set_row_visible(self.table_label, csv and (described or self._reading is not None))
        self._set_row_visible(self.table_warning_label,
                              described and bool(self.table_warning_label.text()))
        self._set_row_visible(self.column_table, described)
        if csv and self._reading is not None:
            self.table_label.setText(self.tr("Reading {file}...").format(
                file=Path(self._reading[0]).name))
        path = ""
        if name == "csv" and self._base.csv_path:
            path = self._base.csv_path
        elif name == "images" and self._base.image_dir:
            path = self._base.image_dir
        self.path_label.setText(Path(path).name if path else "")
        self.path_label.setToolTip(path)
        self._set_row_visible(self.path_label, bool(path))
        self._augment_box.setVisible(name in ("digits", "images"))

    # -- what the table holds -------------------------------------------------------------------
    def _show_table_summary(self) -> None:
        """Rows read and left out, encoding and separator; the preview's warnings below."""
        table = self._table
        if table is None:
            self.table_label.clear()
            self.table_warning_label.clear()
            self._update_task_label()
            return
        info = self._table_info
        if info is not None and info.file != Path(table.path).name:
            info = None  # the preview of another file
        rows = f"{table.rows:,}"
        if info is not None and info.dropped_rows:
            parts = [self.tr("{rows} rows, {dropped} left out (no target)").format(
                rows=rows, dropped=f"{info.dropped_rows:,}")]
        else:
            parts = [self.tr("{rows} rows").format(rows=rows)]
        if table.sheets:
            parts.append(self.tr("Excel sheet {sheet}").format(sheet=table.sheet_read))
        else:
            parts.append(_ENCODING_NAMES.get(table.encoding.lower(), table.encoding.upper()))
            parts.append(self.tr("separator {separator}").format(
                separator=self._separator_text(table.separator)))
            if table.decimal == ",":
                parts.append(self.tr("decimal comma"))
        self.table_label.setText(" · ".join(parts))
        warnings = [warning_text(w) for w in info.warnings] if info is not None else []
        self.table_warning_label.setText("\n".join(warnings))
        self._set_row_visible(self.table_warning_label,
                              self.current_dataset() == "csv" and bool(warnings))
        self._update_task_label()

    def _separator_text(self, separator: str) -> str:
        if separator == "\t":
            return self.tr("tab")
        if separator == r"\s+":
            return self.tr("spaces")
        return separator

    def _update_task_label(self) -> None:
        """"Automatic" says what it chose for the current target, and why."""
        text = self.tr("Automatic")
        if self._auto_task is not None and self._auto_task[0] == self._current_target():
            _, task, reason = self._auto_task
            text = self.tr("Automatic: {task} ({reason})").format(task=task_text(task),
                                                                  reason=reason_text(reason))
        self.task_combo.setItemText(self.task_combo.findData(Task.AUTO.value), text)
        self.task_combo.setItemData(self.task_combo.findData(Task.AUTO.value), text,
                                    Qt.ItemDataRole.ToolTipRole)

    def show_summary(self, data: PreparedData | None, error: str = "") -> None:
        """What the data holds, from the background preview (or why it cannot be read)."""
        info = data.table_info if data is not None else None
        if info is not None or error:
            self._table_info = info
            if info is not None and self.task_combo.currentData() == Task.AUTO.value:
                self._auto_task = (self._current_target(), info.task, info.task_reason)
            self._show_table_summary()
        self._show_pictures(data if not error else None)
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
            synthetic = data.name in (*SYNTHETIC_DATASETS, DRAW_DATASET)
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

    def _show_pictures(self, data: PreparedData | None) -> None:
        """The class counts as bars (classification data)."""
        classification = data is not None and data.task == "classification"
        self.class_counts.setVisible(classification)
        if classification:
            names = [class_name_text(n) if data.name in (*SYNTHETIC_DATASETS, DRAW_DATASET)
                     else n for n in data.class_names]
            self.class_counts.set_counts(names, data.train_counts, data.val_counts)
