"""The one place that turns failures into messages, plus the file dialogs.

A message says what happened and what to do next; a traceback, when there is one, sits behind
"Show Details..." and goes to the log, never in front. Message boxes are opened window-modal
with ``open()`` rather than ``exec()``: no nested event loop runs while training events arrive.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from workbench.config import Problem
from workbench.core.events import RunFailed
from workbench.errors import WorkbenchError
from workbench.ui.core_text import error_text, failure_text, problem_text

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    """A string marked elsewhere (QT_TRANSLATE_NOOP), translated when shown."""
    return QCoreApplication.translate("dialogs", text)


def field_labels(parent: QWidget | None) -> dict[str, str]:
    """The settings form's labels by setting name, when ``parent`` holds the form; else none.

    Messages name settings as the form does ("Batch size"), not by their keys.
    """
    form = parent.findChild(QWidget, "configForm") if parent is not None else None
    labels = getattr(form, "field_labels", None)
    return labels() if callable(labels) else {}


def show_message(parent: QWidget | None, title: str, text: str, informative: str = "",
                 details: str = "", icon: QMessageBox.Icon = QMessageBox.Warning) -> QMessageBox:
    """Open a message box without blocking; returns it (tests read and close it)."""
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    box.setObjectName("messageBox")
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.setTextFormat(Qt.PlainText)
    if informative:
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    box.setWindowModality(Qt.WindowModal)
    box.open()
    return box


def show_exception(parent: QWidget | None, exc: BaseException, doing: str) -> QMessageBox:
    """A failure while ``doing`` something ("saving the model"): message for people, details hidden.

    ``WorkbenchError`` messages are written for people already (shown translated, the English
    original behind "Show Details..."); anything else is a bug, shown as such with its traceback
    behind "Show Details...".
    """
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if isinstance(exc, WorkbenchError):
        log.info("%s failed: %s", doing, exc)
        text = error_text(exc, field_labels(parent))
        informative = ""
        details = str(exc) if text != str(exc) else ""
    elif isinstance(exc, OSError):
        log.warning("%s failed: %s", doing, exc)
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        text = QCoreApplication.translate("dialogs", "{what} failed: {reason}{where}.").format(
            what=doing[:1].upper() + doing[1:], reason=exc.strerror or str(exc), where=where)
        informative = QCoreApplication.translate("dialogs", "Check that the folder exists, that you may write there and that "
                          "the disk is not full, then try again.")
    else:
        log.error("%s failed", doing, exc_info=exc)
        text = QCoreApplication.translate("dialogs", "Something went wrong while {what}: {error}").format(
            what=doing, error=f"{type(exc).__name__}: {exc}")
        informative = QCoreApplication.translate("dialogs", "This is a bug in Workbench. The details below (also in the log) "
                          "help to fix it; the window keeps working.")
    return show_message(parent, QCoreApplication.translate("dialogs", "Workbench"), text, informative, details)


_FAILED_TITLES = {
    "nan": QT_TRANSLATE_NOOP("dialogs", "Training diverged"),
    "diverged": QT_TRANSLATE_NOOP("dialogs", "Training diverged"),
    "oom": QT_TRANSLATE_NOOP("dialogs", "Out of memory"),
    "data": QT_TRANSLATE_NOOP("dialogs", "The data cannot be used"),
    "config": QT_TRANSLATE_NOOP("dialogs", "The settings need a change"),
    "error": QT_TRANSLATE_NOOP("dialogs", "Training failed"),
}


def show_run_failed(parent: QWidget | None, failed: RunFailed,
                    retry: Callable[[int], object] | None = None) -> QMessageBox:
    """A run that ended in failure: what happened and what to try, translated; the engine's own
    (English) message goes with the details.

    When the engine suggests a smaller batch size (out of memory) and ``retry`` is given, the
    box offers "Retry with batch size N", which calls ``retry(N)``.
    """
    if failed.details:
        log.warning("run failed (%s): %s\n%s", failed.kind, failed.message, failed.details)
    else:
        log.warning("run failed (%s): %s", failed.kind, failed.message)
    title = _tr(_FAILED_TITLES.get(failed.kind, _FAILED_TITLES["error"]))
    informative = QCoreApplication.translate("dialogs", "Change the settings and press Start to try again.")
    text = failure_text(failed, field_labels(parent))
    details = failed.details
    if text != failed.message:
        details = f"{failed.message}\n\n{failed.details}".strip()
    box = show_message(parent, title, text, informative, details)
    size = failed.retry_batch_size
    if size is not None and retry is not None:
        button = box.addButton(QCoreApplication.translate("dialogs", "Retry with batch size {n}").format(n=size),
                               QMessageBox.AcceptRole)
        button.setObjectName("retryButton")
        box.setDefaultButton(button)
        # Called after the box has closed (``open()`` closes it on any button), so the new run
        # does not start under a window-modal box.
        button.clicked.connect(lambda: QTimer.singleShot(0, lambda: retry(size)))
    return box


def offer_recovery(parent: QWidget | None, last_saved: str, recover: Callable[[], object],
                   discard: Callable[[], object]) -> QMessageBox:
    """A run was cut off (crash, power cut, killed): offer its last autosaved epoch.

    "Recover" calls ``recover``, "Discard" calls ``discard``; "Later" (or Escape) keeps the
    checkpoint and asks again on the next start.
    """
    box = show_message(
        parent, QCoreApplication.translate("dialogs", "Recover the interrupted run?"),
        QCoreApplication.translate("dialogs", "Workbench closed while a run was in progress. Its model was saved at the end of "
            "its last completed epoch ({when}).").format(when=last_saved),
        QCoreApplication.translate("dialogs", "Recover it to try it out, save it or continue training; or discard it."),
        icon=QMessageBox.Question)
    box.setObjectName("recoverBox")
    box.setStandardButtons(QMessageBox.NoButton)
    for text, role, name, action in (
            (QCoreApplication.translate("dialogs", "Recover"), QMessageBox.AcceptRole, "recoverButton", recover),
            (QCoreApplication.translate("dialogs", "Discard"), QMessageBox.DestructiveRole, "discardButton", discard),
            (QCoreApplication.translate("dialogs", "Later"), QMessageBox.RejectRole, "laterButton", None)):
        button = box.addButton(text, role)
        button.setObjectName(name)
        if action is not None:
            # After the box has closed: recovering may show a message box of its own.
            button.clicked.connect(lambda _checked=False, a=action: QTimer.singleShot(0, a))
        if name == "recoverButton":
            box.setDefaultButton(button)
        elif name == "laterButton":
            box.setEscapeButton(button)
    return box


def ask_save_changes(parent: QWidget | None, title: str, text: str,
                     informative: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel (Qt's standard buttons, translated by Qt's own translation).

    The one question answered with ``exec()``: the caller cannot go on (close the window, open
    a file, start a run) until it knows the answer. Closing the box otherwise is Cancel.
    """
    buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, buttons, parent)
    box.setObjectName("saveChangesBox")
    box.setTextFormat(Qt.PlainText)
    box.setInformativeText(informative)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    box.setWindowModality(Qt.WindowModal)
    box.exec()
    clicked = box.clickedButton()
    answer = (box.standardButton(clicked) if clicked is not None
              else QMessageBox.StandardButton.Cancel)
    box.deleteLater()
    if answer not in (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard):
        return QMessageBox.StandardButton.Cancel
    return answer


def show_problems(parent: QWidget | None, problems: Sequence[Problem],
                  labels: Mapping[str, str] | None = None) -> QMessageBox:
    """Validation problems, all of them, before a run starts.

    ``labels``: setting names as people see them; by default the labels of the settings form
    in ``parent``.
    """
    labels = field_labels(parent) if labels is None else labels
    text = QCoreApplication.translate("dialogs", "Training cannot start until these settings are changed:")
    informative = "\n".join(f"• {problem_text(p, labels)}" for p in problems)
    return show_message(parent, QCoreApplication.translate("dialogs", "Check the settings"), text, informative)


# -- file dialogs ----------------------------------------------------------------------------

MODEL_FILTER = QT_TRANSLATE_NOOP("dialogs", "Workbench models (*.wbm)")
CONFIG_FILTER = QT_TRANSLATE_NOOP("dialogs", "Run configurations (*.toml)")
CSV_FILTER = QT_TRANSLATE_NOOP("dialogs", "CSV files (*.csv *.txt *.tsv)")
PNG_FILTER = QT_TRANSLATE_NOOP("dialogs", "PNG images (*.png)")


def ask_open_file(parent: QWidget | None, title: str, file_filter: str,
                  folder: str = "") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, folder, _tr(file_filter))
    return path or None


def ask_save_file(parent: QWidget | None, title: str, file_filter: str, suggested: str = "",
                  suffix: str = "") -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, _tr(file_filter))
    if not path:
        return None
    if suffix and not Path(path).suffix:
        path += suffix
    return path


def ask_folder(parent: QWidget | None, title: str, folder: str = "") -> str | None:
    path = QFileDialog.getExistingDirectory(parent, title, folder)
    return path or None
