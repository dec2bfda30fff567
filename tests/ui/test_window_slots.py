"""The window's slot interface: a feature adds a tab, a side view beside the plots, a header view
above them and menu actions, and hears run and model events through the window's signals — on
a real window with real training."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu

from workbench.core.events import RunFinished, RunStarted
from workbench.ui.training import RunState


def test_a_tab_a_side_view_a_header_and_menu_actions_land_where_asked(window, qtbot) -> None:
    tab = QLabel("tab")
    index = window.add_tab(tab, "Extra")
    assert window.tabs.widget(index) is tab and window.tabs.tabText(index) == "Extra"
    first = QLabel("first")
    assert window.add_tab(first, "First", index=0) == 0
    assert window.tabs.widget(0) is first

    side = QLabel("side")
    window.add_side_view(side, "Side")
    window.tabs.setCurrentWidget(window.training_tab)
    qtbot.waitUntil(side.isVisible)
    # Beside the plots: same row, to their right, on the Training tab.
    plots = window.plots
    top_left = plots.mapTo(window.training_tab, plots.rect().topLeft())
    side_left = side.mapTo(window.training_tab, side.rect().topLeft())
    assert side_left.x() >= top_left.x() + plots.width()
    assert side.accessibleName() == "Side"
    # Hidden, it gives its room back to the plots.
    width = plots.width()
    side.hide()
    qtbot.waitUntil(lambda: plots.width() > width)

    header = QLabel("header")
    window.add_header_view(header)
    qtbot.waitUntil(header.isVisible)
    header_bottom = header.mapTo(window.training_tab, header.rect().bottomLeft()).y()
    concept_bottom = window.concept_panel.mapTo(
        window.training_tab, window.concept_panel.rect().bottomLeft()).y()
    assert concept_bottom < header_bottom <= plots.mapTo(window.training_tab,
                                                         plots.rect().topLeft()).y()

    fired: list[bool] = []
    action = QAction("Do it", window)
    action.setObjectName("doItAction")
    action.triggered.connect(lambda: fired.append(True))
    submenu = QMenu("More", window)
    window.add_menu_actions("run", [action, submenu])
    entries = window.run_menu.actions()
    assert entries[-2] is action and entries[-1].menu() is submenu
    assert entries[-3].isSeparator()
    entries[-2].trigger()
    assert fired == [True]


def test_run_and_model_events_reach_a_listener_after_the_window(window, qtbot) -> None:
    seen: list[tuple[str, object]] = []
    window.run_started.connect(lambda e: seen.append(("started", e)))
    window.run_state_changed.connect(lambda s: seen.append(("state", s)))
    window.model_changed.connect(lambda: seen.append(("model", window.model)))
    # Heard after the window handled it: the status bar already says where the run trains,
    # and at the end the window already holds the run's model.
    window.run_started.connect(
        lambda _e: seen.append(("status", window.statusBar().currentMessage())))
    window.run_finished.connect(lambda e: seen.append(("finished", window.model)))
    with qtbot.waitSignal(window.run_finished, timeout=30_000) as finished:
        assert window.start_training()
    assert isinstance(finished.args[0], RunFinished)
    kinds = [kind for kind, _ in seen]
    assert kinds.index("started") < kinds.index("finished")
    started = dict(seen)["started"]
    assert isinstance(started, RunStarted) and started.epochs == 3
    assert dict(seen)["status"].startswith("Training on")
    assert dict(seen)["finished"] is window.model is not None
    assert ("model", window.model) in seen
    qtbot.waitUntil(lambda: ("state", RunState.IDLE.value) in seen)
    assert ("state", RunState.RUNNING.value) in seen


def test_data_changes_are_announced(window, qtbot) -> None:
    combo = window.form.data_panel.dataset_combo
    assert combo.currentData() == "spiral"
    with qtbot.waitSignal(window.data_changed, timeout=5_000):
        combo.setCurrentIndex(combo.findData("moons"))
