"""The window on every screen size: it fits, presentation mode is real full screen and fits,
captions follow the font and the theme, and no label's text is cut.

Each size runs in a child process whose offscreen screen has exactly that size (Qt's offscreen
platform takes the screens from a JSON file); the child trains a tiny model so that every view
holds real text, measures, and prints what it found as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SIZES = [(1024, 700), (1280, 720), (1366, 768), (1920, 1080)]
# Room the desktop takes outside a normal window: title bar, panel.
DESKTOP_W, DESKTOP_H = 0, 60

_CHILD = r'''
import json, os, sys, time
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QWidget
from workbench.config import TrainConfig
from workbench.ui import theme
from workbench.ui.app import application, create_window

width, height, desk_w, desk_h = (int(v) for v in sys.argv[1:5])
app = application([sys.argv[0]])
cfg = TrainConfig().with_changes(data={"samples": 300},
                                 run={"epochs": 4, "batch_size": 32, "device": "cpu"})
window = create_window(config=cfg)
window.autosave = False
# Before anything is shown: the window restored its default size and fitted it to the screen.
initial = window.frameGeometry()
initial = [initial.x(), initial.y(), initial.width(), initial.height()]
window.resize(width - desk_w, height - desk_h)
window.show()

def wait(condition, seconds=120.0):
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.005)

def settle(seconds=0.3):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)

def name(widget):
    return widget.objectName() or type(widget).__name__

def cut_texts():
    """Labels (one line, plain text) and buttons whose text is wider than their room."""
    cut = []
    for label in window.findChildren(QLabel):
        text = label.text()
        if (not label.isVisible() or not text or label.wordWrap()
                or label.textFormat() == Qt.RichText or "<" in text):
            continue
        need = max(label.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
        if need > label.contentsRect().width() + 1:
            cut.append([name(label), text[:60], need, label.contentsRect().width()])
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.text() and (
                button.width() < button.minimumSizeHint().width() - 1):
            cut.append([name(button), button.text()[:60], button.minimumSizeHint().width(),
                        button.width()])
    return cut

def ancestors(widget):
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        yield parent
        parent = parent.parentWidget()

def outside():
    """Visible widgets that reach beyond the window's own rectangle."""
    rect = window.rect()
    found = []
    for widget in window.centralWidget().findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or widget.width() <= 0 or any(
                isinstance(a, QAbstractScrollArea) for a in ancestors(widget)):
            continue  # what a scroll area holds may reach beyond it: it scrolls
        top_left = widget.mapTo(window, widget.rect().topLeft())
        bottom_right = widget.mapTo(window, widget.rect().bottomRight())
        if not (rect.contains(top_left) and rect.contains(bottom_right)):
            found.append(name(widget))
    return found

def every_tab():
    cut, out = {}, {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle()
        title = window.tabs.widget(index).objectName() or window.tabs.tabText(index)
        cut[title], out[title] = cut_texts(), outside()
    window.tabs.setCurrentIndex(0)
    settle()
    return cut, out

def captions():
    """Font size and colour of the grey captions, against the application's."""
    placeholder = app.palette().color(app.palette().ColorRole.PlaceholderText).name()
    seen = []
    for label in window.findChildren(QLabel):
        if "placeholder" in label.styleSheet() and label.isVisible():
            seen.append([name(label), round(label.font().pointSizeF(), 1),
                         label.palette().color(label.foregroundRole()).name()])
    return {"app_font": round(app.font().pointSizeF(), 1), "placeholder": placeholder,
            "captions": seen}

wait(lambda: window.form.device_panel.detected)
window.start_training()
wait(lambda: window.model is not None and not window.controller.is_active)
settle(0.5)
result = {"screen": [app.primaryScreen().geometry().width(),
                     app.primaryScreen().geometry().height()], "initial": initial}
hint = window.minimumSizeHint()
result["normal"] = {"size": [window.width(), window.height()],
                    "minimum": [hint.width(), hint.height()],
                    "parts": [window.splitter.widget(0).minimumWidth(),
                              window.splitter.widget(0).minimumSizeHint().width()]
                    + [window.tabs.widget(i).minimumSizeHint().width()
                       for i in range(window.tabs.count())]}
result["normal"]["cut"], result["normal"]["outside"] = every_tab()
view = window.features["explanations"]
view.presentation_action.trigger()
settle(1.0)
geometry = window.frameGeometry()
hint = window.minimumSizeHint()
result["presenting"] = {"full_screen": window.isFullScreen(),
                        "minimum": [hint.width(), hint.height()],
                        "frame": [geometry.x(), geometry.y(), geometry.width(),
                                  geometry.height()],
                        "captions": captions()}
result["presenting"]["cut"], result["presenting"]["outside"] = every_tab()
view.set_theme("dark")
settle(0.3)
view.presentation_action.trigger()
settle(1.0)
result["after_dark"] = {"full_screen": window.isFullScreen(), "captions": captions()}
view.set_theme("light")
window.shutdown()
print("RESULT " + json.dumps(result))
sys.stdout.flush()
os._exit(0)
'''


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int], dict]:
    """The child's measurements per screen size (each run once for the module)."""
    results: dict[tuple[int, int], dict] = {}
    for width, height in SIZES:
        folder = tmp_path_factory.mktemp(f"screen{width}x{height}")
        screens = folder / "screens.json"
        screens.write_text(json.dumps({"screens": [{
            "name": "screen", "x": 0, "y": 0, "width": width, "height": height,
            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
        env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screens}",
                   WORKBENCH_SETTINGS_DIR=str(folder / "settings"),
                   WORKBENCH_LANG="en")
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(width), str(height), str(DESKTOP_W),
             str(DESKTOP_H)], check=False, capture_output=True, text=True, timeout=240,
            env=env,
            cwd=Path(__file__).resolve().parents[2])
        lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
        assert lines, f"{width}x{height}: no result\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        results[(width, height)] = json.loads(lines[-1][len("RESULT "):])
    return results


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_window_fits_the_screen(measured, size: tuple[int, int]) -> None:
    """After a run, on every tab: the window has the size it was given (the screen less the
    desktop's bars) and nothing reaches beyond it."""
    width, height = size
    found = measured[size]
    assert found["screen"] == [width, height]
    normal = found["normal"]
    assert normal["size"] == [width - DESKTOP_W, height - DESKTOP_H], normal
    assert all(not widgets for widgets in normal["outside"].values()), normal["outside"]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_new_window_opens_within_the_screen(measured, size: tuple[int, int]) -> None:
    """Its default size (1360x860) is larger than most laptops' screens: it is fitted."""
    x, y, width, height = measured[size]["initial"]
    assert x >= 0 and y >= 0 and x + width <= size[0] and y + height <= size[1], (x, y, width,
                                                                                 height)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_window_can_get_narrow_after_a_run(measured, size: tuple[int, int]) -> None:
    """Live captions hold only their height and the form column scrolls sideways: after a run
    at any size the window can still get as narrow as 1,000 pixels."""
    normal = measured[size]["normal"]
    assert normal["minimum"][0] <= 1000, normal["parts"]
    assert normal["minimum"][1] <= min(size[1] - DESKTOP_H, 640), normal


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_presentation_mode_is_full_screen_and_fits(measured, size: tuple[int, int]) -> None:
    width, height = size
    presenting = measured[size]["presenting"]
    assert presenting["full_screen"]
    if width >= 1366:  # a projector's or a laptop's screen; 1024x700 is not for presenting
        assert presenting["frame"] == [0, 0, width, height], presenting["frame"]
        assert all(not w for w in presenting["outside"].values()), presenting["outside"]
    assert not measured[size]["after_dark"]["full_screen"]


@pytest.mark.parametrize("size", SIZES[2:], ids=[f"{w}x{h}" for w, h in SIZES[2:]])
def test_presentation_mode_needs_no_more_than_the_screen(measured, size: tuple[int, int]) -> None:
    """Full screen is only real when the window's least size fits in it."""
    minimum = measured[size]["presenting"]["minimum"]
    assert minimum[0] <= size[0] and minimum[1] <= size[1], minimum


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_captions_follow_the_font_and_the_theme(measured, size: tuple[int, int]) -> None:
    presenting = measured[size]["presenting"]["captions"]
    assert presenting["captions"], "no grey caption on show"
    # Presentation type everywhere, grey captions included.
    assert {c[1] for c in presenting["captions"]} == {presenting["app_font"]}, presenting
    # F11, dark, F11: normal type again, in the dark theme's grey (readable on near-black).
    after = measured[size]["after_dark"]["captions"]
    assert after["app_font"] < presenting["app_font"]
    assert {c[1] for c in after["captions"]} == {after["app_font"]}, after
    assert {c[2] for c in after["captions"]} == {after["placeholder"]}, after


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_text_is_cut(measured, size: tuple[int, int]) -> None:
    """No label or button is cut on any tab at any size, nor presenting on a laptop's 1366x768
    or a projector's 1920x1080 (1024x700 is not for presenting: its least size is larger)."""
    for tab, cut in measured[size]["normal"]["cut"].items():
        assert not cut, (tab, cut)
    if size[0] >= 1366:
        for tab, cut in measured[size]["presenting"]["cut"].items():
            assert not cut, ("presenting", tab, cut)
