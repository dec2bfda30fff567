"""The Simplified Chinese translation: complete, placeholders intact, and used by the window."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QWidget

from workbench.ui.app import TRANSLATIONS_DIR, application, install_translations
from workbench.ui.settings import LANGUAGE_ENV, Settings, resolve_language

TS_FILE = Path(__file__).resolve().parents[2] / "resources" / "translations" / "workbench_zh_CN.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS_FILE).getroot()
    return [(context.findtext("name", ""), message.findtext("source", ""), message)
            for context in root.iter("context") for message in context.iter("message")]


def test_qm_loads() -> None:
    translator = QTranslator()
    assert translator.load("workbench_zh_CN", str(TRANSLATIONS_DIR))
    assert translator.translate("MainWindow", "&File") == "文件(&F)"


def test_every_message_translated() -> None:
    messages = _messages()
    assert len(messages) > 250
    untranslated = [f"{context}: {source!r}" for context, source, message in messages
                    if not (message.findtext("translation") or "").strip()
                    or message.find("translation").get("type") in ("unfinished", "obsolete")]
    assert not untranslated, "\n".join(untranslated)


def test_placeholders_kept() -> None:
    broken = []
    for context, source, message in _messages():
        translation = message.findtext("translation") or ""
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
            broken.append(f"{context}: {source!r} -> {translation!r}")
    assert not broken, "\n".join(broken)


def test_language_choice(monkeypatch: pytest.MonkeyPatch, qapp) -> None:
    settings = Settings()
    monkeypatch.setenv(LANGUAGE_ENV, "zh_CN")
    assert resolve_language(settings) == "zh_CN"
    monkeypatch.setenv(LANGUAGE_ENV, "en_US.UTF-8")
    assert resolve_language(settings) == "en"
    monkeypatch.delenv(LANGUAGE_ENV)
    settings.set_language("zh_CN")
    try:
        assert Settings().language() == "zh_CN"
        assert resolve_language(Settings()) == "zh_CN"
    finally:
        settings.store.remove("ui/language")


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The interface in Chinese for one test; English again afterwards for the others."""
    monkeypatch.setenv(LANGUAGE_ENV, "zh_CN")
    app = application()
    assert install_translations(app, resolve_language())
    yield
    install_translations(app, "en")


def test_window_in_chinese(chinese: None, make_window, tiny_config) -> None:
    window = make_window(tiny_config())
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles[0] == "文件(&F)"
    assert all(CJK.search(title) for title in titles), titles
    assert window.start_action.text() == "开始(&S)"
    assert CJK.search(window.run_controls.start_button.text())
    assert window.language_actions["zh_CN"].isChecked()
    # Qt's own strings (standard buttons) are translated too.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_every_string_in_the_code_is_in_the_translation(tmp_path) -> None:
    """lupdate over the window's code finds nothing the shipped .ts lacks."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    ts = tmp_path / "check.ts"
    shutil.copy(root / "resources" / "translations" / "workbench_zh_CN.ts", ts)
    tool = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in (root / "workbench" / "ui").rglob("*.py"))
    subprocess.run([str(tool if tool.exists() else "pyside6-lupdate"), *sources, "-ts", str(ts),
                    "-no-obsolete", "-locations", "none"], check=True, capture_output=True)
    text = ts.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text, "run packaging/update_translations.py and translate"


# Names that stay as they are in Chinese text: optimizers, layers, formats, the app's name.
_KEPT_WORDS = {"Adam", "AdamW", "ReLU", "LeakyReLU", "GELU", "SiLU", "ELU", "Tanh", "Sigmoid",
               "MLP", "CNN", "CSV", "PNG", "ONNX", "Dropout", "CPU", "SGD", "RMSprop",
               "Workbench", "PyTorch"}
_WORD = re.compile(r"[A-Za-z]{3,}")


def _english_left(window) -> list[str]:
    """Visible texts of the window with an English word and no Chinese at all."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel

    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        elif isinstance(widget, QComboBox):
            text = widget.currentText()
        else:
            continue
        words = [w for w in _WORD.findall(re.sub(r"<[^>]+>", "", text)) if w not in _KEPT_WORDS]
        if words and not CJK.search(text):
            found.append(f"{type(widget).__name__} {widget.objectName()!r}: {text[:80]!r}")
    return found


def test_no_visible_string_is_left_in_english(chinese: None, make_window, tiny_config,
                                              qtbot) -> None:
    window = make_window(tiny_config(epochs=2))
    with qtbot.waitSignal(window.controller.run_finished, timeout=60_000):
        window.start_training()
    assert CJK.search(window.concept_panel.math_label.text())
    left = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        assert CJK.search(window.tabs.tabText(index))
        left += _english_left(window)
    menus = [action.text() for menu in window.menuBar().actions()
             for action in menu.menu().actions()
             if not action.isSeparator() and _WORD.search(action.text())]
    left += [f"menu: {text!r}" for text in menus if not CJK.search(text)]
    assert not left, "\n".join(sorted(set(left)))
