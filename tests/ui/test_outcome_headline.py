"""The Training tab says what a run achieved, or what went wrong and what to try.

Real tiny runs in the real window: a diverging spiral shows the engine's message as a warning,
a good run its validation accuracy beside chance and the epoch whose weights are kept; in
Chinese too. The headline's words for other endings (flagged at chance, regression, no
validation split, overfitting) are checked on events made here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from workbench.config import Optimizer
from workbench.core import engine as engine_mod
from workbench.core.events import EpochEnded, RunFailed, RunFinished
from workbench.ui import outcome
from workbench.ui.app import application, install_translations
from workbench.ui.core_text import FAILURE_TEXTS, failure_text, warning_text
from workbench.ui.settings import LANGUAGE_ENV

RUN_TIMEOUT = 60_000  # ms; the first run in a process also imports torch
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(LANGUAGE_ENV, "zh_CN")
    app = application()
    assert install_translations(app, "zh_CN")
    yield
    install_translations(app, "en")


def _diverging(tiny_config):
    return tiny_config(epochs=5).with_changes(optim={"optimizer": Optimizer.MOMENTUM,
                                                     "lr": 10.0})


def _fail(qtbot, window) -> RunFailed:
    with qtbot.waitSignal(window.controller.run_failed, timeout=RUN_TIMEOUT) as blocker:
        assert window.start_training()
    return blocker.args[0]


def _finish(qtbot, window) -> RunFinished:
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        assert window.start_training()
    return blocker.args[0]


def test_a_diverged_run_shows_its_message_as_a_warning(qtbot, make_window, tiny_config,
                                                       close_message_boxes) -> None:
    window = make_window(_diverging(tiny_config))
    view = outcome.install(window)
    assert outcome.install(window) is view  # once per window
    assert not view.isVisible()
    failed = _fail(qtbot, window)
    close_message_boxes(window)
    assert failed.kind == "diverged"
    window.tabs.setCurrentWidget(window.training_tab)
    assert view.isVisible() and view.headline_label.isVisible() and view.warning
    # The engine's message as the window words it: numbers in plain form ("880,000").
    assert view.headline == failure_text(failed)
    assert view.headline.startswith("The loss diverged from 0.75 to ")
    assert "e+" not in view.headline
    assert "lower the learning rate (now 10; try 1)" in view.headline
    assert "#fff0d9" in view.headline_label.styleSheet()  # the warning colours
    # A new run clears it; a good one states its result instead.
    window.form.set_config(tiny_config(epochs=3))
    finished = _finish(qtbot, window)
    assert not view.warning and "#fff0d9" not in view.headline_label.styleSheet()
    kept = finished.weights_epoch
    accuracy = window.controller.last_engine.history[kept - 1].val_accuracy
    assert view.headline.startswith(
        f"Validation accuracy {100 * accuracy:.1f} % at epoch {kept} of 3 (chance 50.0 %).")
    assert f"The model keeps the weights of epoch {kept}" in view.headline
    status = outcome.status_line(finished, window.controller)
    assert status and view.headline.startswith(status)
    assert status.endswith("(chance 50.0 %).")


def test_the_headline_in_chinese(chinese: None, qtbot, make_window, tiny_config,
                                 close_message_boxes) -> None:
    window = make_window(_diverging(tiny_config))
    view = outcome.install(window)
    _fail(qtbot, window)
    close_message_boxes(window)
    assert view.headline.startswith("损失在第 1 轮从 0.75 发散到"), view.headline
    assert "（当前为 10，可试 1）" in view.headline
    window.form.set_config(tiny_config(epochs=3))
    finished = _finish(qtbot, window)
    assert CJK.search(view.headline) and "随机水平 50.0 %" in view.headline, view.headline
    assert f"模型保留第 {finished.weights_epoch} 轮" in view.headline
    flagged = RunFinished("completed", 15, 375, 1.0, 8, True, engine_mod.AT_CHANCE.format(
        epochs=5, accuracy=0.525, chance=0.5, lr=0.01, lower=0.001, higher=0.1), "chance", 0.5)
    assert warning_text(flagged) == (
        "最近 5 轮的验证准确率一直停留在随机水平（52.5%；总是回答最常见的类别也能得到 50.0%），"
        "而损失没有下降：网络什么也没有学到。请检查标签是否与输入对应，或换一个学习率（当前为 "
        "0.01，可试 0.001 或 0.1）。")
    assert outcome.status_line(flagged, window.controller) == "模型并不比随机猜测更好：请查看“训练”标签页。"


# -- the words for each ending ------------------------------------------------------------------

def _epoch(epoch: int, train: float, val: float | None, acc: float | None = None,
           best: int | None = None) -> EpochEnded:
    return EpochEnded(epoch=epoch, train_loss=train, val_loss=val, val_accuracy=acc,
                      train_accuracy=None, lr=0.01, seconds=0.1, iteration=epoch * 10,
                      best_epoch=best)


def test_the_engines_messages_are_listed_for_translation() -> None:
    for template in (engine_mod.DIVERGED_KEPT, engine_mod.DIVERGED_START, engine_mod.AT_CHANCE):
        assert template in FAILURE_TEXTS


def test_a_run_flagged_at_chance_shows_the_warning(qapp) -> None:
    warning = engine_mod.AT_CHANCE.format(epochs=5, accuracy=0.525, chance=0.5, lr=0.01,
                                          lower=0.001, higher=0.1)
    finished = RunFinished("completed", 15, 375, 1.0, 8, True, warning, "chance", 0.5)
    view = outcome.RunOutcomeView()
    view._on_controller_epochs_ended([_epoch(i, 0.69, 0.69, 0.5, 1) for i in range(1, 16)])
    view._on_controller_run_finished(finished)
    assert view.warning and view.headline == warning == warning_text(finished)
    assert "stayed at chance level for the last 5 epochs (52.5%" in view.headline
    view.deleteLater()


def test_regression_and_no_validation_split(qapp) -> None:
    history = [_epoch(i, 1.0 / i, 0.5 + 0.01 * i, best=1) for i in range(1, 5)]
    finished = RunFinished("completed", 30, 300, 1.0, 4, True, val_r2=0.5432)
    assert outcome.result_text(finished, history, 30, "regression") == (
        "Validation R² 0.54 at epoch 4 of 30 (1 is perfect, 0 no better than always "
        "predicting the mean). The model keeps the weights of epoch 4, the best validation "
        "loss.")
    plain = [_epoch(i, 1.0 / i, None) for i in range(1, 4)]
    finished = RunFinished("stopped", 3, 30, 1.0)
    assert outcome.result_text(finished, plain, 10, "classification") == (
        "Stopped after 3 of 10 epochs. Training loss 0.3333 at epoch 3 of 10 (no validation "
        "split to judge the model by). The model keeps the weights of epoch 3, the last one.")
    assert outcome.result_text(RunFinished("stopped", 0, 2, 0.1), [], 10, "regression") == (
        "Stopped before the first epoch ended: the model keeps its starting weights.")


def test_early_stopping_names_the_best_epoch(qapp) -> None:
    history = [_epoch(i, 0.5 / i, 0.3 if i == 3 else 0.4, 0.9 if i == 3 else 0.8, best=3)
               for i in range(1, 7)]
    finished = RunFinished("early_stopped", 6, 60, 1.0, 3, True, chance_accuracy=0.34)
    assert outcome.result_text(finished, history, 50, "classification") == (
        "Early stopping after 6 epochs: the validation loss stopped improving. Validation "
        "accuracy 90.0 % at epoch 3 of 50 (chance 34.0 %). The model keeps the weights of "
        "epoch 3, the best validation loss.")


def test_overfitting_is_said_in_words(qapp) -> None:
    # Validation loss best at epoch 4, then rising while the training loss keeps falling.
    val = [0.6, 0.4, 0.3, 0.25, 0.27, 0.3, 0.33, 0.36, 0.4, 0.45]
    history = [_epoch(i, 0.5 / i, v, best=4) for i, v in enumerate(val, start=1)]
    assert outcome.overfitting_text(history[:8]) == ""  # 4 epochs since the best: not yet
    assert outcome.overfitting_text(history[:9]) == (
        "Overfitting: the validation loss has risen for 5 epochs since epoch 4 (0.25 → 0.4) "
        "while the training loss kept falling.")
    view = outcome.RunOutcomeView()
    view._on_controller_epochs_ended(history)
    assert view.overfitting.startswith("Overfitting: the validation loss has risen for 6 ")
    # A flat validation loss is not overfitting; nor is one whose training loss rises too.
    flat = [_epoch(i, 0.5 / i, 0.25 + 0.001 * (i % 2), best=4) for i in range(1, 11)]
    assert outcome.overfitting_text(flat) == ""
    both = [_epoch(i, 0.1 * i, v, best=4) for i, v in enumerate(val, start=1)]
    assert outcome.overfitting_text(both) == ""
    view._on_controller_run_failed(RunFailed("x", kind="diverged"))
    assert view.overfitting == "" and view.headline == failure_text(
        RunFailed("x", kind="diverged"))
    view.deleteLater()


def test_the_overfitting_line_keeps_its_place_while_the_run_goes_on(qtbot) -> None:
    # The note comes and goes as the validation loss turns; each change of height would move
    # the plots below it. During the run a line once shown stays, blank; at the end it goes.
    from workbench.core.events import RunStarted

    view = outcome.RunOutcomeView()
    qtbot.addWidget(view)
    view.resize(900, 200)
    view.show()
    started = RunStarted(
        train_samples=80, val_samples=20, iterations_per_epoch=10, last_batch_size=8,
        total_iterations=300, epochs=30, batch_size=8, device="cpu", device_name="CPU",
        parameters=10, task="classification", class_names=("a", "b"))
    view._on_controller_run_started(started)
    from workbench.ui.run_position import Phase, RunPosition
    from workbench.ui.training import Progress

    def at(epoch: int) -> Progress:  # the position the window publishes: epoch in progress
        return Progress(position=RunPosition(phase=Phase.RUNNING, epoch=epoch, epochs=30))

    rising = [0.6, 0.4, 0.3, 0.25, 0.27, 0.3, 0.33, 0.36, 0.4, 0.45]
    history = [_epoch(i, 0.5 / i, v, best=4) for i, v in enumerate(rising, start=1)]
    view._on_controller_epochs_ended(history)
    # The events run ahead of the counters in a fast run: the note waits for them.
    view._on_controller_progress_changed(at(8))  # 7 epochs shown: only 3 since the best
    assert view.overfitting == ""
    view._on_controller_progress_changed(at(11))
    assert view.overfitting.startswith("Overfitting: the validation loss has risen for 6 ")
    assert view.isVisible()
    qtbot.waitUntil(lambda: view.overfitting_label.height() > 0)
    shown = view.overfitting_label.height()
    view._on_controller_epochs_ended([_epoch(11, 0.04, 0.2, best=11)])  # a new best
    view._on_controller_progress_changed(at(12))
    assert view.overfitting == ""
    assert view.isVisible() and view.overfitting_label.isVisible()
    assert view.overfitting_label.minimumHeight() == shown
    assert view.overfitting_label.styleSheet() == ""  # blank: no warning colour
    view._on_controller_run_finished(RunFinished("completed", 11, 110, 1.0, 11, False))
    assert not view.overfitting_label.isVisible()
    assert view.overfitting_label.minimumHeight() == 0
    assert view.headline.startswith("Training loss 0.04 at epoch 11")
    # The next run: the last result goes blank at once (no stale result), but keeps its line.
    qtbot.waitUntil(lambda: view.headline_label.height() > 0)
    line = view.headline_label.height()
    view._on_controller_run_started(started)
    assert view.headline == "" and view.headline_label.isVisible()
    assert view.headline_label.minimumHeight() == line
    view._on_controller_run_failed(RunFailed("stopped by a test", kind="internal"))
    assert not view.isVisible()  # nothing to say: the kept lines go
