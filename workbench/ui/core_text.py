"""Texts of the Qt-free core (validation problems, data, model-file, export and run-history
errors, device names and failed runs), shown translated in the window.

The core writes its messages in English, and keeps each message's template and parameters next
to it. Every template the core uses is listed below for lupdate; the functions here look the
template up in the translation (context "core") and fill in the parameters. Setting names such as
``run.batch_size`` are shown with the form's label for that setting when one is given. The CLI
never comes here: it prints the core's English messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from workbench.config import ConfigError, Problem
from workbench.errors import WorkbenchError
from workbench.ui import numbers

if TYPE_CHECKING:
    from workbench.core.devices import DeviceInfo
    from workbench.core.events import RunFailed, RunFinished

CONTEXT = "core"

#: Every message template of workbench.config and workbench.core (tests check the list is whole).
CORE_TEMPLATES: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("core", "{name} = {value!r} is not text."),
    QT_TRANSLATE_NOOP("core", "{name} = {value:g} is not allowed: use a value at least {lo:g} "
                              "and at most {hi:g}."),
    QT_TRANSLATE_NOOP("core", "{name} = {value!r} is not true or false."),
    QT_TRANSLATE_NOOP("core", "{name} = {value!r} is not a whole number."),
    QT_TRANSLATE_NOOP("core", "{name} = {value!r} is not a number."),
    QT_TRANSLATE_NOOP("core", "{name} = {value!r} is not a list of numbers such as 64,64."),
    QT_TRANSLATE_NOOP("core", "{name} = {value!r} is not a list of column names."),
    QT_TRANSLATE_NOOP("core", "{name} = {value:g} is not allowed: use a value above {lo:g} and "
                              "below {hi:g}."),
    QT_TRANSLATE_NOOP("core", "{name} = {value:g} is not allowed: use a value above {lo:g} and "
                              "at most {hi:g}."),
    QT_TRANSLATE_NOOP("core", "{name} = {value:g} is not allowed: use a value at least {lo:g} "
                              "and below {hi:g}."),
    QT_TRANSLATE_NOOP("core", "{name} = {value:g} is not allowed: use a value at least {lo:g} "
                              "and at most {hi:g} (0 means no validation split)."),
    QT_TRANSLATE_NOOP("core", "{name} = {value!r} is not known; use one of {allowed}."),
    QT_TRANSLATE_NOOP("core", "{name} is empty: name the CSV file to train on."),
    QT_TRANSLATE_NOOP("core", "{name} is empty: name the folder of class sub-folders."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not allowed: use 1 or more epochs."),
    QT_TRANSLATE_NOOP("core", "{name} must be 0 or more epochs."),
    QT_TRANSLATE_NOOP("core", "{name} needs {other} = momentum."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not allowed: use 1 to 100000."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not allowed: use 0 (off) or more epochs."),
    QT_TRANSLATE_NOOP("core", "{name} needs a validation split: set {other} above 0."),
    QT_TRANSLATE_NOOP("core", "{name} = plateau needs a validation split above 0."),
    QT_TRANSLATE_NOOP("core", "{name} = {value!r} is not known; use auto, cpu, mps, cuda or "
                              "cuda:N."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not allowed: use 0 or a positive number."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not allowed: use 0 (automatic) or 1 to 1024."),
    QT_TRANSLATE_NOOP("core", "Unknown setting(s) {names}; known here: {known}."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not a number (0 means no validation split)."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not allowed: use 1 to {n} (the training set "
                              "has {n} samples)."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not allowed: use 1 to the training-set size."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is larger than the training set ({n} samples): "
                              "use 1 to {n}."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not a number."),
    QT_TRANSLATE_NOOP("core", "{name} layer {layer} has {units} units: use 1 to 65536."),
    QT_TRANSLATE_NOOP("core", "{name} has {rates} rates for {layers} hidden layers: give one "
                              "rate per layer."),
    QT_TRANSLATE_NOOP("core", "{name} is empty: a CNN needs at least one layer."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} is not allowed: use an odd size 1 to 15."),
    QT_TRANSLATE_NOOP("core", "Configuration file {path} does not exist."),
    QT_TRANSLATE_NOOP("core", "Configuration file {path} is not UTF-8 text."),
    QT_TRANSLATE_NOOP("core", "Cannot read configuration file {path}: {reason}."),
    QT_TRANSLATE_NOOP("core", "Configuration file {path} is not valid TOML: {reason}."),
    QT_TRANSLATE_NOOP("core", "{name} must be a table of settings, not {value!r}."),
    QT_TRANSLATE_NOOP("core", "The configuration must be a table of settings, not {value!r}."),
    QT_TRANSLATE_NOOP("core", "{name} layer {layer} has {filters} filters: use 1 to 4096."),
    QT_TRANSLATE_NOOP("core", "There is no data set called {name!r}. Choose one of: {names}."),
    QT_TRANSLATE_NOOP("core", "{file} does not look like a CSV text file (an Excel workbook or "
                              "another binary file?). Save it as CSV (UTF-8) and pick that file."),
    QT_TRANSLATE_NOOP("core", "{file}, line {line}: this row has {values} values but the header "
                              "has {columns} columns. Give every row one value per column (look "
                              "for a missing or extra comma)."),
    QT_TRANSLATE_NOOP("core", "{first} {count} more file(s) cannot be read either: {listed}. Fix "
                              "or remove them, or choose to skip the files that cannot be read."),
    QT_TRANSLATE_NOOP("core", "The {name} data set needs 2 to 100 classes, not {classes}."),
    QT_TRANSLATE_NOOP("core", "The {name} data set needs at least {needed} samples for {classes} "
                              "classes (two per class); {samples} were asked for."),
    QT_TRANSLATE_NOOP("core", "Noise must be 0 or more, not {noise}."),
    QT_TRANSLATE_NOOP("core", "{file} is empty. A CSV file needs a header row of column names "
                              "and one row per sample."),
    QT_TRANSLATE_NOOP("core", "{file} holds no values. A CSV file needs a header row of column "
                              "names and one row per sample."),
    QT_TRANSLATE_NOOP("core", "{file}: the target column {column!r} holds text such as {value!r}, "
                              "so it cannot be predicted as a number. Choose classification, or "
                              "another target."),
    QT_TRANSLATE_NOOP("core", "This model was not trained on a table; predicting from a table file "
                              "needs one that was."),
    QT_TRANSLATE_NOOP("core", "{file}: the target column {column!r} holds {labels}, which the "
                              "model does not know. Its classes are: {classes}."),
    QT_TRANSLATE_NOOP("core", "{file}: the target column {column!r} holds text, but this model "
                              "predicts a number. Choose the column the model was trained to "
                              "predict."),
    QT_TRANSLATE_NOOP("core", "{file} has only {rows} data row with a target value; training needs "
                              "at least {needed} (one to train on, one to validate with)."),
    QT_TRANSLATE_NOOP("core", "{file} is too large to read into memory. Use a sample of the rows."),
    QT_TRANSLATE_NOOP("core", "{file} is an Excel workbook or another binary file, not a CSV file. "
                              "Save it as .xlsx (Excel 2007 or newer) or as CSV, and pick that "
                              "file."),
    QT_TRANSLATE_NOOP("core", "{file} is {size} MB; Workbench reads tables of up to {limit} MB. "
                              "Use a sample of the rows."),
    QT_TRANSLATE_NOOP("core", "{file} mixes text encodings (a byte at position {position} is not "
                              "{encoding}). Save the file again as CSV (UTF-8) and pick that "
                              "file."),
    QT_TRANSLATE_NOOP("core", "{file}: the first line is longer than {limit} MB, so this is not a "
                              "table with one row per line. Check that the file is a CSV file."),
    QT_TRANSLATE_NOOP("core", "{file} has {count} columns; Workbench reads tables of up to {limit} "
                              "columns."),
    QT_TRANSLATE_NOOP("core", "{file} unpacks to more than {limit} MB; Workbench reads tables of "
                              "up to {limit} MB. Use a sample of the rows."),
    QT_TRANSLATE_NOOP("core", "{path} is not a regular file (a pipe or a device?). Save the table "
                              "as a file and pick that."),
    QT_TRANSLATE_NOOP("core", "The date format {format!r} is not one Workbench knows."),
    QT_TRANSLATE_NOOP("core", "{file} is damaged or not compressed as its name says ({reason})."),
    QT_TRANSLATE_NOOP("core", "{file} is not an Excel workbook, so it has no sheet {sheet!r}. "
                              "Leave out the sheet, or pick the .xlsx file."),
    QT_TRANSLATE_NOOP("core", "{file} holds {count} files; a zipped table must hold exactly one. "
                              "Unpack it and pick the table."),
    QT_TRANSLATE_NOOP("core", "{file}: the text encoding cannot be recognised. Save the file as "
                              "CSV (UTF-8) and pick that file."),
    QT_TRANSLATE_NOOP("core", "{file}, line {line}: this row has {values} values but the header "
                              "has {columns} columns. Give every row one value per column (look "
                              "for a missing or extra {separator})."),
    QT_TRANSLATE_NOOP("core", "{file} has no sheet named {sheet!r}. Its sheets are: {sheets}."),
    QT_TRANSLATE_NOOP("core", "{file} has no column named {names}. The columns are: {columns}."),
    QT_TRANSLATE_NOOP("core", "{file}: the CSV text is malformed ({reason}). Check the quotes and "
                              "separators."),
    QT_TRANSLATE_NOOP("core", "{file} cannot be read as an Excel workbook ({reason}). Open it in a "
                              "spreadsheet and save it again as .xlsx."),
    QT_TRANSLATE_NOOP("core", "{file}: column {column!r} does not hold dates Workbench can read "
                              "(such as 2024-03-31 or 31/03/2024). Choose another role for it."),
    QT_TRANSLATE_NOOP("core", "{file}: no column is left to learn from (every column is the "
                              "target, left out, or has a single value). Choose the roles of the "
                              "columns again."),
    QT_TRANSLATE_NOOP("core", "{file} has no column {columns}, which the model was trained on. Add "
                              "the column (empty cells are fine), or use a file with the training "
                              "columns."),
    QT_TRANSLATE_NOOP("core", "{file}: column {column!r} holds dates, not numbers. Choose the role "
                              "'date' for it."),
    QT_TRANSLATE_NOOP("core", "{file}, row {row}, column {column!r}: {value!r} is not a number. "
                              "Fix the value, or make the column categorical."),
    QT_TRANSLATE_NOOP("core", "{file}, row {row}, column {column!r}: the value is missing. This "
                              "model was trained without missing values: fill it in, or skip such "
                              "rows."),
    QT_TRANSLATE_NOOP("core", "{file} has a header row but no data rows. Add one row per sample "
                              "below the header."),
    QT_TRANSLATE_NOOP("core", "{file} has only one column ({column!r}). A CSV for training needs "
                              "input columns and a target column; if it uses ; or tabs between "
                              "values, check that every row uses the same separator."),
    QT_TRANSLATE_NOOP("core", "{file}: the target column {column!r} holds only one class "
                              "({label!r}). A classifier needs at least two classes; check the "
                              "target column."),
    QT_TRANSLATE_NOOP("core", "{file}: every row has its own value in the target column "
                              "{column!r}, so it looks like a name or ID column, not a label. "
                              "Choose another target column."),
    QT_TRANSLATE_NOOP("core", "The image folder {folder} does not exist. Pick the folder again."),
    QT_TRANSLATE_NOOP("core", "{folder} is a file, not a folder. Pick a folder that holds one "
                              "sub-folder of images per class."),
    QT_TRANSLATE_NOOP("core", "The image folder {folder} needs one sub-folder per class, at "
                              "least two (found only {found!r}). Put each class's images in a "
                              "folder named after the class."),
    QT_TRANSLATE_NOOP("core", "The image folder {folder} needs one sub-folder per class, at "
                              "least two (found none). Put each class's images in a folder named "
                              "after the class."),
    QT_TRANSLATE_NOOP("core", "The image size must be at least 1 pixel, not {size}."),
    QT_TRANSLATE_NOOP("core", "In {folder}, no image of class {names} can be read, so there is "
                              "nothing to train that class on. Replace those files with PNG or "
                              "JPEG images, or remove the folder."),
    QT_TRANSLATE_NOOP("core", "{first} {count} more file(s) cannot be read either: {listed} and "
                              "{more} more. Fix or remove them, or choose to skip the files that "
                              "cannot be read."),
    QT_TRANSLATE_NOOP("core", "The validation split must be from 0 up to (not including) 1, not "
                              "{value}."),
    QT_TRANSLATE_NOOP("core", "There are no training samples to compute normalisation statistics "
                              "from: lower the validation split or add data."),
    QT_TRANSLATE_NOOP("core", "The data set {name!r} has an unknown task {task!r}."),
    QT_TRANSLATE_NOOP("core", "The data set {name!r} has inputs of shape {shape} and {targets} "
                              "targets: they must be (N, features) or (N, C, H, W) with one "
                              "target per sample."),
    QT_TRANSLATE_NOOP("core", "The data set {name!r} holds no samples."),
    QT_TRANSLATE_NOOP("core", "The data set {name!r} holds missing or infinite input values."),
    QT_TRANSLATE_NOOP("core", "No CSV file is chosen: pick the CSV file to train on."),
    QT_TRANSLATE_NOOP("core", "No image folder is chosen: pick a folder with one sub-folder per "
                              "class."),
    QT_TRANSLATE_NOOP("core", "The file {path} does not exist. Check the name, or pick the file "
                              "again."),
    QT_TRANSLATE_NOOP("core", "{path} is a folder, not a CSV file. Pick a .csv file."),
    QT_TRANSLATE_NOOP("core", "Workbench may not read {path}. Check the file's permissions."),
    QT_TRANSLATE_NOOP("core", "The file {path} cannot be read ({reason})."),
    QT_TRANSLATE_NOOP("core", "{file}: the first line holds numbers, not column names. Add a "
                              "header row that names each column as the first line."),
    QT_TRANSLATE_NOOP("core", "{file} has no column named {target!r}. The columns are: "
                              "{columns}. Choose one of them as the target."),
    QT_TRANSLATE_NOOP("core", "The folder {folder} cannot be read ({reason})."),
    QT_TRANSLATE_NOOP("core", "The class folder {folder} holds no images. Add images to it, or "
                              "remove the folder."),
    QT_TRANSLATE_NOOP("core", "The image {file} is too large to be read safely (more than "
                              "{limit:,} pixels). Shrink it, or remove it from the folder."),
    QT_TRANSLATE_NOOP("core", "{file} is not an image Workbench can read. Remove it from the "
                              "class folder, or save it as PNG or JPEG."),
    QT_TRANSLATE_NOOP("core", "Workbench may not read the image {file}. Check the file's "
                              "permissions, or remove it from the folder."),
    QT_TRANSLATE_NOOP("core", "The image {file} is damaged or incomplete ({reason}). Remove or "
                              "replace it."),
    QT_TRANSLATE_NOOP("core", "The data set {name!r} has fewer than two classes; a classifier "
                              "needs at least two."),
    QT_TRANSLATE_NOOP("core", "The data set {name!r} has class numbers outside 0 to {last}."),
    QT_TRANSLATE_NOOP("core", "{file}: the target column {column!r} holds values too large to "
                              "train with. Rescale that column."),
    QT_TRANSLATE_NOOP("core", "{file}, line {line}: a quote (\") in this row is never closed, so "
                              "the lines after it were read as one value. Close or remove the "
                              "quote."),
    QT_TRANSLATE_NOOP("core", "CPU ({cores} cores)"),
    QT_TRANSLATE_NOOP("core", "Device {device!r} is not available on this computer; available: "
                              "{have}."),
    QT_TRANSLATE_NOOP("core", "Apple GPU (MPS)"),
    QT_TRANSLATE_NOOP("core", "{gpu} ({gib:.0f} GB)"),
    QT_TRANSLATE_NOOP("core", "{file} could not be saved in {folder} ({reason}). A file saved "
                              "there before is unchanged."),
    QT_TRANSLATE_NOOP("core", "{file} is not a valid Workbench model file: {why}. The file may "
                              "be damaged or may not come from Workbench; open a .wbm file saved "
                              "by Workbench."),
    QT_TRANSLATE_NOOP("core", "{file} is not a Workbench model: it looks like a PyTorch/pickle "
                              "file. Pickle files can run code when opened, so Workbench never "
                              "opens them. Open a .wbm file saved by Workbench instead."),
    QT_TRANSLATE_NOOP("core", "{file} was made by a newer Workbench (a newer release, file "
                              "format {version}); this is Workbench {release} (format "
                              "{supported}). Please upgrade Workbench to open it."),
    QT_TRANSLATE_NOOP("core", "The disk is full: {file} could not be saved in {folder}. Free "
                              "some space or save to another drive. A file saved there before is "
                              "unchanged."),
    QT_TRANSLATE_NOOP("core", "Workbench may not write {file} in {folder}. Choose another "
                              "folder, or check its permissions. A file saved there before is "
                              "unchanged."),
    QT_TRANSLATE_NOOP("core", "The folder {folder} does not exist. Choose another folder to save "
                              "{file} in."),
    QT_TRANSLATE_NOOP("core", "{path} is a folder. Choose a file name to save the model as."),
    QT_TRANSLATE_NOOP("core", "the header length is larger than the file"),
    QT_TRANSLATE_NOOP("core", "the header is not a JSON object"),
    QT_TRANSLATE_NOOP("core", "the metadata is not a table of text"),
    QT_TRANSLATE_NOOP("core", "there are extra bytes after the tensors"),
    QT_TRANSLATE_NOOP("core", "the metadata {key!r} has the wrong type"),
    QT_TRANSLATE_NOOP("core", "{file} is a safetensors file but not a Workbench model (it has no "
                              "Workbench metadata). Open a .wbm file saved by Workbench."),
    QT_TRANSLATE_NOOP("core", "its format version is missing or unreadable"),
    QT_TRANSLATE_NOOP("core", "{file} is a Workbench checkpoint, not a model."),
    QT_TRANSLATE_NOOP("core", "{file} is a Workbench model, not a checkpoint."),
    QT_TRANSLATE_NOOP("core", "{file} was made by a newer Workbench ({made_by}, file format "
                              "{version}); this is Workbench {release} (format {supported}). "
                              "Please upgrade Workbench to open it."),
    QT_TRANSLATE_NOOP("core", "its settings describe {layers} layers but it holds only {tensors} "
                              "weight tensors"),
    QT_TRANSLATE_NOOP("core", "The weights in {file} do not fit the architecture its settings "
                              "describe: {problems}. The file is damaged or was edited; open "
                              "another model."),
    QT_TRANSLATE_NOOP("core", "one prediction would need {gib:.1f} GB of memory"),
    QT_TRANSLATE_NOOP("core", "its output does not match its classes"),
    QT_TRANSLATE_NOOP("core", "its normalisation statistics are missing"),
    QT_TRANSLATE_NOOP("core", "its normalisation statistics are not numbers"),
    QT_TRANSLATE_NOOP("core", "its normalisation statistics do not match its input shape"),
    QT_TRANSLATE_NOOP("core", "its normalisation statistics are not finite positive numbers"),
    QT_TRANSLATE_NOOP("core", "its task is unknown"),
    QT_TRANSLATE_NOOP("core", "its class or feature names are not text"),
    QT_TRANSLATE_NOOP("core", "its input shape is not valid"),
    QT_TRANSLATE_NOOP("core", "its input is larger than any Workbench model takes"),
    QT_TRANSLATE_NOOP("core", "a classifier needs at least two class names"),
    QT_TRANSLATE_NOOP("core", "The weights in {source} do not fit this architecture: {problems}."),
    QT_TRANSLATE_NOOP("core", "its training state is incomplete ({what})"),
    QT_TRANSLATE_NOOP("core", "its table preprocessing is not valid ({reason})"),
    QT_TRANSLATE_NOOP("core", "its table preprocessing does not match its inputs"),
    QT_TRANSLATE_NOOP("core", "a classifier has a target scaling"),
    QT_TRANSLATE_NOOP("core", "its target scaling is not two finite numbers"),
    QT_TRANSLATE_NOOP("core", "The model expects inputs of shape {want}, not {got}."),
    QT_TRANSLATE_NOOP("core", "{path} is not a regular file. Open a .wbm file saved by "
                              "Workbench."),
    QT_TRANSLATE_NOOP("core", "it is {gib:.1f} GB, larger than any model Workbench makes"),
    QT_TRANSLATE_NOOP("core", "it is larger than any model Workbench makes"),
    QT_TRANSLATE_NOOP("core", "Model file {path} does not exist."),
    QT_TRANSLATE_NOOP("core", "{path} is a folder, not a model file."),
    QT_TRANSLATE_NOOP("core", "Cannot read {path}: {reason}."),
    QT_TRANSLATE_NOOP("core", "{file} is a ZIP archive, not a Workbench model. Open a .wbm file "
                              "saved by Workbench."),
    QT_TRANSLATE_NOOP("core", "the file is too short"),
    QT_TRANSLATE_NOOP("core", "the header is not UTF-8 text"),
    QT_TRANSLATE_NOOP("core", "the header is not JSON"),
    QT_TRANSLATE_NOOP("core", "tensor {name} is described wrongly"),
    QT_TRANSLATE_NOOP("core", "tensor {name} has unknown type {kind}"),
    QT_TRANSLATE_NOOP("core", "tensor {name} has a bad shape"),
    QT_TRANSLATE_NOOP("core", "tensor {name} has bad offsets"),
    QT_TRANSLATE_NOOP("core", "tensor {name} points outside the file"),
    QT_TRANSLATE_NOOP("core", "tensor {name} has a size that does not match its shape"),
    QT_TRANSLATE_NOOP("core", "tensor {name} overlaps another or leaves a gap"),
    QT_TRANSLATE_NOOP("core", "its tensors cannot be read ({reason})"),
    QT_TRANSLATE_NOOP("core", "the metadata has no {key!r}"),
    QT_TRANSLATE_NOOP("core", "the metadata {key!r} is not JSON"),
    QT_TRANSLATE_NOOP("core", "its configuration is not valid ({reason})"),
    QT_TRANSLATE_NOOP("core", "its configuration cannot be read"),
    QT_TRANSLATE_NOOP("core", "its architecture cannot be built ({reason})"),
    QT_TRANSLATE_NOOP("core", "its layers do not fit its input shape"),
    QT_TRANSLATE_NOOP("core", "tensor {name} declares more data than the file holds"),
    QT_TRANSLATE_NOOP("core", "{file} has {found} input columns but the model needs {needed}. "
                              "Give the columns {columns}."),
    QT_TRANSLATE_NOOP("core", "This model takes images; predicting from a CSV file needs a model "
                              "trained on a table of numbers."),
    QT_TRANSLATE_NOOP("core", "{file} has {found} input columns but the model needs {needed}. "
                              "Give the columns in training order."),
    QT_TRANSLATE_NOOP("core", "{file} has {found} input columns but the model needs {needed} "
                              "(missing columns: {missing}). Give the columns {columns}."),
    QT_TRANSLATE_NOOP("core", "Unknown export format {fmt!r}: use {formats}."),
    QT_TRANSLATE_NOOP("core", "Cannot export {kind}: give a trained model or the path of a .wbm "
                              "file."),
    QT_TRANSLATE_NOOP("core", "No file name to export to: choose where to save the export."),
    QT_TRANSLATE_NOOP("core", "A training script is a Python file: name it with .py, not "
                              "{name!r} (its settings go next to it as .toml)."),
    QT_TRANSLATE_NOOP("core", "The folder {folder} does not exist. Create it or choose another "
                              "place for the export."),
    QT_TRANSLATE_NOOP("core", "{folder} is a file, not a folder. Choose a folder for the export."),
    QT_TRANSLATE_NOOP("core", "Workbench may not write in {folder}. Choose another folder, or "
                              "check its permissions."),
    QT_TRANSLATE_NOOP("core", "{file} could not be written in {folder} (the disk is full). "
                              "Choose another place for the export."),
    QT_TRANSLATE_NOOP("core", "{file} could not be written in {folder} (Workbench may not write "
                              "there). Choose another place for the export."),
    QT_TRANSLATE_NOOP("core", "{file} could not be written in {folder} (a folder has that name). "
                              "Choose another place for the export."),
    QT_TRANSLATE_NOOP("core", "{file} could not be written in {folder} ({reason}). Choose "
                              "another place for the export."),
    QT_TRANSLATE_NOOP("core", "The rows to check the export with have shape {got}; the model "
                              "takes {want}."),
    QT_TRANSLATE_NOOP("core", "The rows to check the export with have no column {columns}, which "
                              "the model was trained on. Give rows with every training column "
                              "(empty cells are fine)."),
    QT_TRANSLATE_NOOP("core", "This model was not trained on a table, so it cannot be checked with "
                              "table rows. Give rows of its inputs as an array, or no rows."),
    QT_TRANSLATE_NOOP("core", "The {what} gives {got} outputs instead of {want}; the export is "
                              "wrong and was not saved."),
    QT_TRANSLATE_NOOP("core", "The {what} gives outputs of shape {got} instead of {want}; the "
                              "export is wrong and was not saved."),
    QT_TRANSLATE_NOOP("core", "The {what} gives non-finite numbers where PyTorch does not; the "
                              "export is wrong and was not saved."),
    QT_TRANSLATE_NOOP("core", "The {what} does not match PyTorch: outputs differ by up to "
                              "{diff:.3g} (allowed {allowed:g}). The export was not saved."),
    QT_TRANSLATE_NOOP("core", "ONNX model"),
    QT_TRANSLATE_NOOP("core", "ONNX model with a batch of one row"),
    QT_TRANSLATE_NOOP("core", "exported program"),
    QT_TRANSLATE_NOOP("core", "exported program with one row"),
    QT_TRANSLATE_NOOP("core", "ONNX export needs the onnx and onnxscript packages ({reason}). "
                              "Reinstall Workbench (pip install -e .)."),
    QT_TRANSLATE_NOOP("core", "The model could not be exported to ONNX: {reason}"),
    QT_TRANSLATE_NOOP("core", "The ONNX model failed onnx.checker ({reason}); it was not saved."),
    QT_TRANSLATE_NOOP("core", "ONNX Runtime cannot run the exported model ({reason}); it was not "
                              "saved."),
    QT_TRANSLATE_NOOP("core", "The model could not be exported with torch.export: {reason}"),
    QT_TRANSLATE_NOOP("core", "The exported program cannot be loaded back and run ({reason}); it "
                              "was not saved."),
    QT_TRANSLATE_NOOP("core", "The settings stored with the exported program do not come back "
                              "unchanged; it was not saved."),
    QT_TRANSLATE_NOOP("core", "The training script does not compile ({reason}); it was not "
                              "saved."),
    QT_TRANSLATE_NOOP("core", "The training script builds a different network from Workbench's; "
                              "it was not saved."),
    QT_TRANSLATE_NOOP("core", "The trained weights do not fit the script's network ({reason}); "
                              "it was not saved."),
    QT_TRANSLATE_NOOP("core", "The training script cannot prepare the data ({reason}); it was "
                              "not saved."),
    QT_TRANSLATE_NOOP("core", "The training script prepares the data differently from Workbench "
                              "({array} differs); it was not saved."),
    QT_TRANSLATE_NOOP("core", "The training script finds other class or feature names than "
                              "Workbench; it was not saved."),
    QT_TRANSLATE_NOOP("core", "A CNN needs image data (digits or an image folder); choose the "
                              "MLP for tabular or 2-D data."),
    QT_TRANSLATE_NOOP("core", "The run history {path} cannot be opened: {reason}."),
    QT_TRANSLATE_NOOP("core", "The run history {path} was written by a newer Workbench (schema "
                              "{version}; this one knows {known}); update Workbench to record "
                              "runs there."),
    QT_TRANSLATE_NOOP("core", "The run history {path} is locked by another program; close it and "
                              "restart Workbench to record runs again."),
    QT_TRANSLATE_NOOP("core", "The run history {path} is damaged ({reason}); runs are not "
                              "recorded. Start a new history (the damaged file is kept beside "
                              "it) to record runs again."),
    QT_TRANSLATE_NOOP("core", "The run history {path} cannot be used: {reason}."),
    QT_TRANSLATE_NOOP("core", "Run {id} is not in the history any more."),
    QT_TRANSLATE_NOOP("core", "The settings of run {id} cannot be read: {reason}"),
    QT_TRANSLATE_NOOP("core", "The training split is empty: lower the validation split."),
    QT_TRANSLATE_NOOP("core", "Cannot continue training: the model takes inputs of shape "
                              "{model_shape} but the data has {data_shape}. Start a fresh run "
                              "instead."),
    QT_TRANSLATE_NOOP("core", "Cannot continue training: the model was trained for other classes "
                              "or another task. Start a fresh run instead."),
    QT_TRANSLATE_NOOP("core", "Cannot continue training: the table's columns give other inputs "
                              "than the model was trained on (other columns, categories or roles). "
                              "Start a fresh run instead."),
    QT_TRANSLATE_NOOP("core", "Cannot continue training with a different architecture (layers, "
                              "activation, dropout or normalisation changed). Start a fresh run "
                              "instead."),
    QT_TRANSLATE_NOOP("core", "{name} = {value} with drop-last leaves no full batch of the {n} "
                              "training samples: lower it."),
    QT_TRANSLATE_NOOP("core", "Configuration file {path} is not a regular file. Choose a .toml file."),
    QT_TRANSLATE_NOOP("core", "Configuration file {path} is {size:,} bytes; a configuration is at most {limit:,}."),
    QT_TRANSLATE_NOOP("core", "Configuration file {path} nests its tables or lists too deeply to be a Workbench configuration."),
    QT_TRANSLATE_NOOP("core", "The model itself gives outputs that are not numbers (NaN or infinity) for the rows it was checked with, so it was not exported. Train it again, for example with a lower learning rate."),
    QT_TRANSLATE_NOOP("core", "its settings are not valid ({problems})"),
    QT_TRANSLATE_NOOP("core", "its weights hold numbers that are not finite (NaN or infinity); train the model again"),
    QT_TRANSLATE_NOOP("core", "{file} mixes text encodings: line {line} is UTF-8, other lines are not. Open it in a spreadsheet or text editor and save it again as CSV (UTF-8)."),
    QT_TRANSLATE_NOOP("core", "{name} has {layers} layers: use at most {limit}."),
    QT_TRANSLATE_NOOP("core", "{name} is {length} characters long: use at most {limit}."),
    QT_TRANSLATE_NOOP("core", "{name} lists {count} names: use at most {limit}, each at most {length} characters."),
    QT_TRANSLATE_NOOP("core", "{name}: these layers have {millions:,} million weights between them; Workbench trains networks of up to {limit:,} million. Use fewer or smaller layers."),
    QT_TRANSLATE_NOOP("core", "{file} is the table being predicted: writing the predictions there would replace it. Choose another file for them."),
    QT_TRANSLATE_NOOP("core", "{file}, row {row}, column {column!r}: {value} is too large to be an input (the largest is about 3.4e38). Fix the value, or leave the column out."),
    QT_TRANSLATE_NOOP("core", "{file} is a folder, not a picture. Choose a PNG or JPEG file."),
    QT_TRANSLATE_NOOP("core", "The picture {file} does not exist. Choose it again."),
    QT_TRANSLATE_NOOP("core", "The picture {file} is too large to be read safely (more than {limit:,} pixels). Shrink it first."),
    QT_TRANSLATE_NOOP("core", "{file} is not a picture Workbench can read. Save it as PNG or JPEG."),
    QT_TRANSLATE_NOOP("core", "Workbench may not read the picture {file}. Check the file's permissions."),
    QT_TRANSLATE_NOOP("core", "The picture {file} is damaged or incomplete ({reason}). Choose another one."),
    QT_TRANSLATE_NOOP("core", "This model reads a table of numbers, not pictures. Try it with a table row or a CSV file."),
    QT_TRANSLATE_NOOP("core", "The folder {folder} holds no pictures (PNG, JPEG, BMP, GIF, TIFF or WebP files)."),
    QT_TRANSLATE_NOOP("core", "A drawing has 2 to {limit} classes, not {classes}."),
    QT_TRANSLATE_NOOP("core", "Cannot read the drawing {path}: {reason}."),
    QT_TRANSLATE_NOOP("core", "Line {line} of {file} has a coordinate that is not a finite number."),
    QT_TRANSLATE_NOOP("core", "Line {line} of {file} has class {label}: a drawing has classes 0 to {last}."),
    QT_TRANSLATE_NOOP("core", "Line {line} of {file} is not x,y,label (two numbers and a class number): {text!r}."),
    QT_TRANSLATE_NOOP("core", "Point {index} of the drawing ({x}, {y}, class {label}) is not a finite point of classes 0 to {last}."),
    QT_TRANSLATE_NOOP("core", "The drawing has points of one class only: choose another class and paint some of its points too."),
    QT_TRANSLATE_NOOP("core", "The drawing has {count:,} points; Workbench trains on at most {limit:,}. Remove some points."),
    QT_TRANSLATE_NOOP("core", "The drawing has {count} points: paint at least {minimum}, in at least two classes, before training."),
    QT_TRANSLATE_NOOP("core", "The drawing {path} is not UTF-8 text."),
    QT_TRANSLATE_NOOP("core", "The drawing {path} is not a file. Choose a CSV file saved from a drawing."),
    QT_TRANSLATE_NOOP("core", "The drawing {path} is {size:,} bytes; a drawing is at most {limit:,}."),
    QT_TRANSLATE_NOOP("core", "The drawn data has a class number outside 0 to {top}: use the data set's own classes."),
    QT_TRANSLATE_NOOP("core", "The drawn data has {got} features per sample but the run trains on {want}: draw on a data set with two features."),
    QT_TRANSLATE_NOOP("core", "The drawn data has {n} training samples, fewer than one batch of {bs} with drop-last on: add points or lower the batch size."),
    QT_TRANSLATE_NOOP("core", "{file} holds {count:,} points; a drawing holds at most {limit:,}."),
    QT_TRANSLATE_NOOP("core", "{file} is not a drawing: its first line must be x,y,label."),
    QT_TRANSLATE_NOOP("core", "Configuration file {path} has a key of more than {limit} parts; a Workbench configuration's keys have at most three."),
    QT_TRANSLATE_NOOP("core", "tensor {name} has a dimension longer than the file"),
)

#: The class names of the synthetic data sets (workbench.core.data.GENERIC_CLASS_NAME).
CLASS_NAME = QT_TRANSLATE_NOOP("core", "class {i}")

#: Words the core fills into a template as parameters (the separator of a table,
#: workbench.core.data.tables), translated before they are filled in.
PARAM_WORDS: dict[str, tuple[str, ...]] = {
    "separator": (QT_TRANSLATE_NOOP("core", "semicolon"), QT_TRANSLATE_NOOP("core", "tab"),
                  QT_TRANSLATE_NOOP("core", "vertical bar")),
}

# One whole sentence per kind of failed run, and per what the event knows, saying what happened
# and what to try. Engine messages that come from a core template are translated as such instead.
_NAN_AT = QT_TRANSLATE_NOOP(
    "core", "The loss became not a number or infinite at epoch {epoch}, iteration {iteration}: "
            "training diverged. Try a lower learning rate, for example a tenth of it; the "
            "weights from before the failure are kept.")
_NAN = QT_TRANSLATE_NOOP(
    "core", "The loss became not a number or infinite: training diverged. Try a lower learning "
            "rate, for example a tenth of it; the weights from before the failure are kept.")
_OOM_AT = QT_TRANSLATE_NOOP(
    "core", "The GPU ran out of memory at epoch {epoch}, iteration {iteration}. Try batch size "
            "{batch_size} or a smaller model; the weights from before the failure are kept.")
_OOM_RETRY = QT_TRANSLATE_NOOP(
    "core", "The GPU ran out of memory. Try batch size {batch_size} or a smaller model; the "
            "weights from before the failure are kept.")
_OOM = QT_TRANSLATE_NOOP(
    "core", "The GPU ran out of memory. Try a smaller batch size or a smaller model; the "
            "weights from before the failure are kept.")
_DATA = QT_TRANSLATE_NOOP(
    "core", "The data cannot be used for training. Check the data settings and the file or "
            "folder, then press Start again; the details say what is wrong.")
_CONFIG = QT_TRANSLATE_NOOP(
    "core", "The settings need a change before training can start. Check the settings, then "
            "press Start again; the details say which one.")
_ERROR_AT = QT_TRANSLATE_NOOP(
    "core", "Training failed at epoch {epoch}, iteration {iteration} because of an error in "
            "Workbench. The details say what went wrong; the weights from before the failure "
            "are kept.")
_ERROR = QT_TRANSLATE_NOOP(
    "core", "Training failed because of an error in Workbench. The details say what went wrong; "
            "the weights from before the failure are kept.")

# A run the engine's divergence rules ended, and one that finished stuck at chance level: the
# engine writes these templates (workbench.core.engine.DIVERGED_KEPT, DIVERGED_START, AT_CHANCE)
# filled in, and the sentence is translated with its numbers as the engine wrote them.
_DIVERGED_KEPT = QT_TRANSLATE_NOOP(
    "core", "The loss diverged from {start:.2g} to {peak:.2g} in epoch {epoch}: lower the "
            "learning rate (now {lr:g}; try {lower:g}). The weights of epoch {kept} are kept.")
_DIVERGED_START = QT_TRANSLATE_NOOP(
    "core", "The loss diverged from {start:.2g} to {peak:.2g} in epoch {epoch}: lower the "
            "learning rate (now {lr:g}; try {lower:g}). The model keeps its starting weights.")
_AT_CHANCE = QT_TRANSLATE_NOOP(
    "core", "The validation accuracy stayed at chance level for the last {epochs} epochs "
            "({accuracy:.1%}; always answering the most common class scores {chance:.1%}) "
            "while the loss did not fall: the network learned nothing. Check that the labels "
            "belong to the inputs, or try another learning rate (now {lr:g}; try {lower:g} or "
            "{higher:g}).")
_DIVERGED = QT_TRANSLATE_NOOP(
    "core", "The loss diverged: training was stopped. Try a lower learning rate, for example a "
            "tenth of it; the last good weights are kept.")
DIVERGED_TEXTS: tuple[str, ...] = (_DIVERGED_KEPT, _DIVERGED_START)
WARNING_TEXTS: tuple[str, ...] = (_AT_CHANCE,)

#: The sentences ``failure_text`` and ``warning_text`` choose from.
FAILURE_TEXTS: tuple[str, ...] = (_NAN_AT, _NAN, _OOM_AT, _OOM_RETRY, _OOM, _DATA, _CONFIG,
                                  _ERROR_AT, _ERROR, *DIVERGED_TEXTS, _DIVERGED, *WARNING_TEXTS)

_DEVICE_TEMPLATES = ("CPU ({cores} cores)", "Apple GPU (MPS)", "{gpu} ({gib:.0f} GB)")

# A placeholder with its conversion and format spec: {value!r}, {lo:g}, {limit:,}.
_PLACEHOLDER = re.compile(r"\{(\w+)(![rsa])?(?::([^{}]*))?\}")
# The format spec of a number written in Python's general format ({lr:g}, {start:.2g}), which
# puts scientific notation on screen ("6e-05"): the window writes such numbers plainly instead.
_GENERAL = re.compile(r"(?:\.(\d+))?g")
# The parameters of problems that name a setting (the others are values, files, columns).
_SETTING_PARAMS = frozenset({"name", "other"})
# A setting of a list, one element of it: model.dropout_per_layer[2].
_ELEMENT = re.compile(r"(?P<key>[\w.]+)\[(?P<index>\d+)\]")


def _translate(template: str) -> str:
    return QCoreApplication.translate(CONTEXT, template)


def _shown_params(params: Mapping[str, Any],
                  labels: Mapping[str, str] | None) -> dict[str, Any]:
    return {key: _translate(value) if value in PARAM_WORDS.get(key, ()) else
            _shown(value, labels if key in _SETTING_PARAMS and labels else {})
            for key, value in params.items()}


def _shown(value: Any, labels: Mapping[str, str]) -> Any:
    """A parameter as people see it: nested errors translated, setting names as labels."""
    if isinstance(value, WorkbenchError):
        return error_text(value)
    if isinstance(value, str) and labels:
        if value in labels:
            return labels[value]
        element = _ELEMENT.fullmatch(value)
        if element and element["key"] in labels:
            return f"{labels[element['key']]} [{element['index']}]"
    return value


def fill(template: str, params: Mapping[str, Any],
         labels: Mapping[str, str] | None = None) -> str:
    """``template`` translated and filled in with ``params``, numbers written plainly.

    A translation that does not fit its parameters (a broken placeholder) falls back to the
    English sentence rather than failing where a message was to be shown.
    """
    general = _general_digits(template)
    shown = _plain_numbers(_shown_params(params, labels), general)
    try:
        return _without_specs(_translate(template), general).format(**shown)
    except (KeyError, IndexError, ValueError):
        return _without_specs(template, general).format(**shown)


def _general_digits(template: str) -> dict[str, int]:
    """The placeholders ``template`` writes in the general format, with their significant
    digits: {"lr": 6, "start": 2} for "{lr:g} ... {start:.2g}"."""
    digits = {}
    for m in _PLACEHOLDER.finditer(template):
        spec = _GENERAL.fullmatch(m[3] or "")
        if spec and not m[2]:
            digits[m[1]] = int(spec[1]) if spec[1] else 6
    return digits


def _plain_numbers(params: dict[str, Any], digits: Mapping[str, int]) -> dict[str, Any]:
    """``params`` with the numbers in ``digits`` written as people write them (0.00006, not
    6e-05); numbers given as text (parsed from a message) are rewritten the same way."""
    for key, count in digits.items():
        value = params.get(key)
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            params[key] = numbers.number(value, count)
    return params


def _without_specs(template: str, keys: Mapping[str, int]) -> str:
    """``template`` with the format specs of ``keys`` taken out (their values are text now)."""
    return _PLACEHOLDER.sub(
        lambda m: "{" + m[1] + "}" if m[1] in keys and not m[2] else m[0], template)


def problem_text(problem: Problem, labels: Mapping[str, str] | None = None) -> str:
    """A validation problem's message; ``labels`` maps setting names to the form's labels."""
    if not problem.template:
        return problem.message
    return fill(problem.template, problem.params, labels)


def error_text(exc: BaseException, labels: Mapping[str, str] | None = None) -> str:
    """The message of an error the core raised for people, translated where it can be.

    ``labels`` name the settings of a ``ConfigError``; other errors quote files, columns and
    values, which are shown as they are.
    """
    if isinstance(exc, ConfigError):
        return "\n".join(problem_text(p, labels) for p in exc.problems)
    if isinstance(exc, WorkbenchError) and exc.template:
        return fill(exc.template, exc.params)
    return str(exc)


def device_text(info: DeviceInfo) -> str:
    """A device's name for people ("CPU (2 cores)"), translated."""
    if not info.template:
        return info.name
    return fill(info.template, info.params)


def device_name_text(name: str) -> str:
    """A device name the engine reported as text (in events), translated when it is known."""
    return _match_any(name, _DEVICE_TEMPLATES) or name


def class_name_text(name: str) -> str:
    """A class name of a synthetic data set ("class 0"), translated; other names as they are."""
    return _match_any(name, (CLASS_NAME,)) or name


def failure_text(failed: RunFailed, labels: Mapping[str, str] | None = None) -> str:
    """What happened to a failed run and what to try, as one translated sentence per kind.

    A message the engine passed on from a core error or problem is translated as that message
    (``labels`` name the settings of a problem); so is a diverged run's, with the engine's
    numbers (the losses, the learning rate now and the one to try).

    With no translation installed the engine's own message is kept: it says the same with
    more numbers (the learning rate, say).
    """
    if failed.kind == "diverged":
        matched = _match_any(failed.message, DIVERGED_TEXTS)
        if matched:
            return matched
    elif failed.kind not in ("nan", "oom"):
        matched = _match_lines(failed.message, labels if failed.kind == "config" else None)
        if matched:
            return matched
    template, params = _failure_template(failed)
    if _translate(template) == template:
        return failed.message
    return fill(template, params)


def warning_text(finished: RunFinished) -> str:
    """A finished run's warning (stuck at chance level...), translated; "" when it has none."""
    if not finished.warning:
        return ""
    return _match_any(finished.warning, WARNING_TEXTS) or finished.warning


def _failure_template(failed: RunFailed) -> tuple[str, dict[str, int]]:
    where = {"epoch": failed.epoch, "iteration": failed.iteration}
    # The engine reports epoch 0 when a run failed before its first iteration.
    known = bool(failed.epoch) and failed.iteration is not None
    if failed.kind == "nan":
        return (_NAN_AT, where) if known else (_NAN, {})
    if failed.kind == "diverged":
        return _DIVERGED, {}
    if failed.kind == "oom":
        size = failed.retry_batch_size
        if size is None:
            return _OOM, {}
        return (_OOM_AT, {**where, "batch_size": size}) if known else (
            _OOM_RETRY, {"batch_size": size})
    if failed.kind == "data":
        return _DATA, {}
    if failed.kind == "config":
        return _CONFIG, {}
    return (_ERROR_AT, where) if known else (_ERROR, {})


def _match_lines(message: str, labels: Mapping[str, str] | None) -> str:
    """``message`` (one core message per line) translated, or "" when a line is not one."""
    lines = [_match_any(line, CORE_TEMPLATES, labels) for line in message.splitlines()]
    return "\n".join(lines) if lines and all(lines) else ""


def _match_any(text: str, templates: tuple[str, ...],
               labels: Mapping[str, str] | None = None) -> str:
    """``text`` translated when it is one of ``templates`` filled in; else ""."""
    for template in templates:
        params = _parse(template, text)
        if params is not None:
            # The parameters are already text: the translation's format specs do not apply.
            plain = _PLACEHOLDER.sub(lambda m: "{" + m[1] + "}", template)
            translated = _PLACEHOLDER.sub(lambda m: "{" + m[1] + "}", _translate(template))
            shown = _plain_numbers(_shown_params(params, labels), _general_digits(template))
            try:
                return translated.format(**shown)
            except (KeyError, IndexError, ValueError):
                return plain.format(**shown)
    return ""


def _parse(template: str, text: str) -> dict[str, str] | None:
    """The parameters that turn ``template`` into ``text``, or None when it does not."""
    pattern, seen, at = "", set(), 0
    for m in _PLACEHOLDER.finditer(template):
        pattern += re.escape(template[at:m.start()])
        pattern += f"(?P={m[1]})" if m[1] in seen else f"(?P<{m[1]}>.+?)"
        seen.add(m[1])
        at = m.end()
    pattern += re.escape(template[at:])
    found = re.fullmatch(pattern, text, re.DOTALL)
    return found.groupdict() if found else None
