"""Fixtures for the window tests: a shown main window, message-box helpers, tiny configs, and
the Save / Discard / Cancel question answered without a modal box."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.config import TrainConfig
from workbench.ui import dialogs

# Offscreen Qt says this about every top-level window; it is not a problem of ours.
_HARMLESS = ("propagateSizeHints",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui" in str(item.path).replace("\\", "/"):
            # Any Qt warning fails the test ("QThread: Destroyed while thread is still running",
            # a connection to a deleted object...), except known offscreen noise.
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*_HARMLESS))


@dataclass
class SavePrompt:
    """Stands in for ``dialogs.ask_save_changes`` (a modal box would wait for a click forever):
    answers from ``answers`` in turn, then Discard, and keeps what each question said."""

    answers: list[QMessageBox.StandardButton] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)  # (text, informative text)

    def __call__(self, parent: QWidget | None, title: str, text: str,
                 informative: str) -> QMessageBox.StandardButton:
        self.asked.append((text, informative))
        return self.answers.pop(0) if self.answers else QMessageBox.StandardButton.Discard


@pytest.fixture(autouse=True)
def save_prompt(monkeypatch: pytest.MonkeyPatch) -> SavePrompt:
    """Every window test: closing or opening over an unsaved model is answered Discard unless
    the test queues other answers (``save_prompt.answers.append(...)``)."""
    prompt = SavePrompt()
    monkeypatch.setattr(dialogs, "ask_save_changes", prompt)
    return prompt


def _tiny_config(**run: object) -> TrainConfig:
    """Spiral, 200 samples (160 for training), batch 32: 5 iterations per epoch."""
    changes = {"epochs": 3, "batch_size": 32, "device": "cpu"}
    changes.update(run)
    return TrainConfig().with_changes(data={"samples": 200}, run=changes)


@pytest.fixture
def make_window(qtbot) -> Callable[..., QWidget]:
    """A factory for shown main windows (closed, with their threads joined, after the test)."""
    from workbench.ui.app import create_window

    def make(config: TrainConfig | None = None, wait_devices: bool = True):
        window = create_window(config=config)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        if wait_devices:
            qtbot.waitUntil(lambda: window.form.device_panel.detected, timeout=30_000)
        return window

    return make


@pytest.fixture
def tiny_config() -> Callable[..., TrainConfig]:
    """``tiny_config(epochs=...)``: spiral, 200 samples, batch 32 (5 iterations per epoch)."""
    return _tiny_config


@pytest.fixture
def window(make_window):
    return make_window(_tiny_config())


def _message_boxes(widget: QWidget) -> list[QMessageBox]:
    return [box for box in widget.findChildren(QMessageBox) if box.isVisible()]


def _close_message_boxes(widget: QWidget) -> list[str]:
    texts = []
    for box in _message_boxes(widget):
        texts.append(f"{box.text()}\n{box.informativeText()}")
        box.close()
    return texts


@pytest.fixture
def message_boxes() -> Callable[[QWidget], list[QMessageBox]]:
    """``message_boxes(window)``: the message boxes open on the window (opened, not exec'd)."""
    return _message_boxes


@pytest.fixture
def close_message_boxes() -> Callable[[QWidget], list[str]]:
    """``close_message_boxes(window)``: close them all; returns text + informative text."""
    return _close_message_boxes
