"""One count everywhere, and no stale pictures.

The status bar, the concept panel and the live views' captions read one run position: sampled
together from the event loop during a real run they name the same epoch and iteration (a live
picture may lag, never lead), and after Stop they name the same completed epochs. Other data,
an image folder or an opened model clears or replaces every view.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from workbench.config import TrainConfig
from workbench.core.events import (
    EpochEnded,
    IterationsDone,
    RunFailed,
    RunFinished,
    RunStarted,
)
from workbench.core.modelfile import load_model
from workbench.ui import dialogs
from workbench.ui.run_position import Phase, PositionTracker, model_position

RUN_TIMEOUT = 60_000  # ms; the first run in a process also imports torch
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Spiral, 400 samples (320 for training), batch 8: 40 iterations per epoch.
IPE = 40


def _spiral(epochs: int, batch: int = 8) -> TrainConfig:
    return TrainConfig().with_changes(
        data={"dataset": "spiral", "samples": 400},
        model={"hidden": (32,), "dropout": 0.2},
        run={"epochs": epochs, "batch_size": batch, "device": "cpu"})


def _plain(text: str) -> str:
    """Numbers without thousands separators (12,500: 12500), no-break spaces as spaces."""
    return re.sub(r"(?<=\d),(?=\d{3})", "", text).replace("\N{NO-BREAK SPACE}", " ")


def _match(pattern: str, text: str) -> tuple[int, ...] | None:
    found = re.search(pattern, _plain(text))
    if found is None:
        return None
    return tuple(int(g) if g is not None else 0 for g in found.groups())


def _status(window) -> tuple[int, int, int, int]:
    """(epoch, epochs, iteration, total) as the status bar's counters say them."""
    epoch = _match(r"^Epoch (\d+)/(\d+)$", window.status.epoch_label.text())
    iteration = _match(r"^Iteration (\d+)/(\d+)$", window.status.iteration_label.text())
    assert epoch and iteration, (window.status.epoch_label.text(),
                                 window.status.iteration_label.text())
    return epoch + iteration


def _live(window):
    return window.features["live_views"]


def _sample_running(window) -> tuple[int, int] | None:
    """Check that every view agrees now; the boundary picture's (epoch, iteration) if any."""
    epoch, epochs, iteration, total = _status(window)
    concept = _match(r"^Epoch (\d+) of (\d+) · (?:batch (\d+) of (\d+)|no batch done yet) · "
                     r"iteration (\d+) of (\d+)$", window.concept_panel.progress_label.text())
    assert concept is not None, window.concept_panel.progress_label.text()
    c_epoch, c_epochs, batch, _batches, c_iteration, c_total = concept
    assert (c_epoch, c_epochs, c_iteration, c_total) == (epoch, epochs, iteration, total)
    assert batch == iteration - (epoch - 1) * IPE  # the batch of the epoch the counter names
    live = _live(window)
    picture = _match(r"^Epoch (\d+), iteration (\d+)\.", live.boundary.caption.text())
    probe = _match(r"^Probe pass at epoch (\d+), iteration (\d+)\.$",
                   live.network.caption.text())
    if picture is None:
        assert probe is None  # both views show the same picture, or neither shows one
        return None
    assert probe == picture
    p_epoch, p_iteration = picture
    # A picture may be older than the counters, never newer, and its epoch fits its iteration.
    assert p_iteration <= iteration and p_epoch <= epoch
    assert (p_epoch - 1) * IPE < p_iteration <= p_epoch * IPE
    return picture


def test_every_view_reads_the_same_count_during_a_run_and_after_stop(make_window,
                                                                     qtbot) -> None:
    window = make_window(_spiral(epochs=500))
    qtbot.waitUntil(lambda: window.form.preview is not None)
    status_at_picture: list[tuple[int, int]] = []
    window.controller.live_view_received.connect(
        lambda e: status_at_picture.append((e.iteration, _status(window)[2])))
    iterations: set[int] = set()
    pictures: set[tuple[int, int]] = set()

    def sampled_enough() -> bool:
        if window.controller.position.shows_counts:
            picture = _sample_running(window)
            iterations.add(_status(window)[2])
            if picture is not None:
                pictures.add(picture)
        return len(iterations) >= 5 and len(pictures) >= 3

    with qtbot.waitSignal(window.controller.run_started, timeout=RUN_TIMEOUT):
        assert window.start_training()
    qtbot.waitUntil(sampled_enough, timeout=RUN_TIMEOUT)
    assert status_at_picture and all(p <= s for p, s in status_at_picture)

    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        window.stop_training()
    finished: RunFinished = blocker.args[0]
    assert finished.reason == "stopped"
    for _ in range(2):  # right after the end, and once the event loop has run a while
        epoch, epochs, iteration, total = _status(window)
        assert (epoch, iteration) == (finished.epochs_completed, finished.iterations_completed)
        assert (epochs, total) == (500, 500 * IPE)
        extra = iteration - epoch * IPE
        ended = _match(r"^(\d+) of (\d+) epochs complete(?: · (\d+) of (\d+) batches of epoch "
                       r"(\d+))? · iteration (\d+) of (\d+)$",
                       window.concept_panel.progress_label.text())
        assert ended is not None, window.concept_panel.progress_label.text()
        assert ended == (epoch, epochs, extra, IPE if extra else 0, epoch + 1 if extra else 0,
                         iteration, total)
        message = _plain(window.statusBar().currentMessage())
        if extra:
            assert f"Stopped during epoch {epoch + 1}, after {epoch} complete epochs" in message
        else:
            assert f"Stopped after {epoch} epochs" in message
        where = rf"\({epoch} of {epochs} epochs complete, iteration {iteration}\)"
        live = _live(window)
        assert re.search(rf"^The trained model.* {where}\. Colour", _plain(
            live.boundary.caption.text())), live.boundary.caption.text()
        assert re.search(rf"^The trained model.* {where}\.$", _plain(
            live.network.caption.text())), live.network.caption.text()
        qtbot.wait(300)


def test_other_data_clears_every_view_and_a_new_run_shows_none_of_the_old_points(
        make_window, qtbot) -> None:
    window = make_window(_spiral(epochs=2, batch=32))
    qtbot.waitUntil(lambda: window.form.preview is not None)
    live, evaluation = _live(window), window.features["evaluation"]
    with qtbot.waitSignal(window.model_changed, timeout=RUN_TIMEOUT):
        assert window.start_training()
    assert live.boundary.has_points and live.boundary.showing_plane
    qtbot.waitUntil(lambda: evaluation.panel.evaluation is not None, timeout=RUN_TIMEOUT)

    combo = window.form.data_panel.dataset_combo
    with qtbot.waitSignal(window.data_changed):
        combo.setCurrentIndex(combo.findData("digits"))
    assert len(window.iteration_plot) == 0 and len(window.epoch_plot) == 0
    assert not live.boundary.has_points and not live.boundary.showing_plane
    assert live.network.mode == "none" and live.network.diagram.widths == ()
    assert window.status.epoch_label.text() == "Epoch –"
    assert window.status.iteration_label.text() == "Iteration –"
    assert evaluation.panel.evaluation is None

    seen: list[tuple[bool, bool, tuple[int, int]]] = []

    def look(*_args: object) -> None:
        boundary = live.boundary
        seen.append((boundary.has_points, boundary.showing_plane,
                     boundary.visible_point_counts()))

    window.controller.run_started.connect(look)
    window.controller.live_view_received.connect(look)
    pictures: list[object] = []
    window.controller.live_view_received.connect(pictures.append)
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=RUN_TIMEOUT)
    digits = window.form.config().with_changes(run={"epochs": 200, "batch_size": 16})
    assert window.start_training(digits)
    qtbot.waitUntil(lambda: look() or len(pictures) >= 2, timeout=RUN_TIMEOUT)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        window.stop_training()
    look()
    assert seen and all(s == (False, False, (0, 0)) for s in seen), seen
    assert "needs 2 input features" in live.boundary.message.text()


def _image_folder(root: Path) -> Path:
    rng = np.random.default_rng(0)
    for name in ("circles", "squares"):
        (root / name).mkdir(parents=True)
        for i in range(6):
            pixels = rng.integers(0, 255, (12, 12), dtype=np.uint8)
            Image.fromarray(pixels, mode="L").save(root / name / f"{i}.png")
    return root


def test_opening_an_image_folder_clears_plots_network_and_counters(make_window, qtbot,
                                                                  tmp_path: Path,
                                                                  monkeypatch) -> None:
    window = make_window(_spiral(epochs=3, batch=32))
    live = _live(window)
    with qtbot.waitSignal(window.model_changed, timeout=RUN_TIMEOUT):
        assert window.start_training()
    assert len(window.iteration_plot) and len(window.epoch_plot)
    assert live.network.mode == "eval" and live.boundary.showing_plane
    assert _status(window)[:3] == (3, 3, 30)

    folder = _image_folder(tmp_path / "shapes")
    monkeypatch.setattr(dialogs, "ask_folder", lambda *_a, **_k: str(folder))
    with qtbot.waitSignal(window.data_changed):
        window.form.data_panel.open_images_requested.emit()
    assert window.form.config().data.image_dir == str(folder)
    assert len(window.iteration_plot) == 0 and len(window.epoch_plot) == 0
    assert live.network.mode == "none" and live.network.diagram.widths == ()
    assert live.network.caption.text() == ""  # blank (its line kept), nothing stale
    assert not live.boundary.has_points and not live.boundary.showing_plane
    assert not live.network.spread_button.isEnabled()
    assert window.status.epoch_label.text() == "Epoch –"
    assert window.status.progress_bar.value() == 0
    assert "Epoch" not in window.concept_panel.progress_label.text()
    assert window.features["evaluation"].panel.evaluation is None


def test_an_opened_model_shows_its_own_summary_not_the_last_run(make_window, qtbot) -> None:
    window = make_window(_spiral(epochs=4, batch=32))
    with qtbot.waitSignal(window.model_changed, timeout=RUN_TIMEOUT):
        assert window.start_training()
    assert _status(window) == (4, 4, 40, 40)

    path = FIXTURES / "mlp_spiral_v1.wbm"
    summary = load_model(path).summary  # 3 epochs of 8 iterations
    epochs, iterations = summary["epochs"], summary["iterations"]
    assert window.open_model_path(path)
    assert _status(window) == (epochs, epochs, iterations, iterations)
    assert "opened model" in window.status.epoch_label.toolTip()
    assert window.status.progress_bar.value() == 100
    assert len(window.iteration_plot) == 0 and len(window.epoch_plot) == 0
    # The concept panel names the same counts once the form has read the model's data.
    qtbot.waitUntil(lambda: "epochs complete" in _plain(
        window.concept_panel.progress_label.text()), timeout=RUN_TIMEOUT)
    assert _plain(window.concept_panel.progress_label.text()) == (
        f"{epochs} of {epochs} epochs complete · iteration {iterations} of {iterations}")
    live = _live(window)
    qtbot.waitUntil(lambda: live.boundary.image is not None, timeout=RUN_TIMEOUT)
    where = f"({epochs} of {epochs} epochs complete, iteration {iterations})"
    assert live.boundary.caption.text().startswith(f"The opened model {where}.")
    assert live.network.caption.text() == f"The opened model {where}."


# -- the bookkeeping alone ------------------------------------------------------------------------

def _started(ipe: int = 10, epochs: int = 10) -> RunStarted:
    return RunStarted(train_samples=ipe, val_samples=0, iterations_per_epoch=ipe,
                      last_batch_size=1, total_iterations=ipe * epochs, epochs=epochs,
                      batch_size=1, device="cpu", device_name="CPU", parameters=1,
                      task="classification")


def _block(epoch: int, first: int, n: int) -> IterationsDone:
    return IterationsDone(epoch=epoch, first_iteration=first,
                          losses=np.ones(n, dtype=np.float32))


def _epoch_end(epoch: int, iteration: int) -> EpochEnded:
    return EpochEnded(epoch=epoch, train_loss=1.0, val_loss=None, val_accuracy=None,
                      train_accuracy=None, lr=0.1, seconds=0.1, iteration=iteration)


def test_the_tracker_counts_within_the_epoch_and_completed_epochs_after_a_stop() -> None:
    tracker = PositionTracker()
    tracker.begin(10)
    assert tracker.position.running and not tracker.position.shows_counts
    tracker.feed(_started())
    assert (tracker.position.epoch, tracker.position.iteration) == (1, 0)
    tracker.feed(_block(1, 1, 7))
    assert tracker.position.iteration_in_epoch == 7
    tracker.feed(_block(1, 8, 3))
    tracker.feed(_epoch_end(1, 10))
    assert (tracker.position.epoch, tracker.position.iteration_in_epoch) == (1, 10)
    tracker.feed(_block(2, 11, 10))
    tracker.feed(_epoch_end(2, 20))
    tracker.feed(_block(3, 21, 3))
    p = tracker.position
    assert (p.epoch, p.iteration, p.iteration_in_epoch, p.fraction) == (3, 23, 3, 0.23)
    tracker.feed(RunFinished(reason="stopped", epochs_completed=2, iterations_completed=23,
                             seconds=1.0))
    p = tracker.position
    assert p.phase == Phase.ENDED and p.reason == "stopped"
    assert (p.epoch, p.iteration, p.iteration_in_epoch, p.unfinished_epoch) == (2, 23, 3, 3)


def test_a_failed_run_counts_what_it_completed_and_a_refused_one_nothing() -> None:
    tracker = PositionTracker()
    tracker.begin(10)
    tracker.feed(_started())
    tracker.feed(_block(1, 1, 10))
    tracker.feed(_epoch_end(1, 10))
    tracker.feed(_block(2, 11, 4))
    tracker.feed(RunFailed(message="the loss diverged", kind="diverged"))
    p = tracker.position
    assert (p.phase, p.reason, p.epoch, p.iteration, p.unfinished_epoch) == (
        Phase.ENDED, "failed", 1, 14, 2)
    tracker.begin(10)
    tracker.feed(RunFailed(message="bad data", kind="data"))
    assert tracker.position.phase == Phase.NONE and not tracker.position.shows_counts


@pytest.mark.parametrize(("name", "expected"), [
    ("mlp_spiral_v1.wbm", (3, 3, 24, 24, 8)),
    ("cnn_digits_v1.wbm", (1, 1, 23, 23, 23)),
])
def test_a_model_position_comes_from_its_file_summary(name: str, expected: tuple) -> None:
    p = model_position(load_model(FIXTURES / name))
    assert p.phase == Phase.MODEL and p.shows_counts
    assert (p.epoch, p.epochs, p.iteration, p.total_iterations,
            p.iterations_per_epoch) == expected
    assert p.unfinished_epoch == 0


def test_the_tracker_follows_training_data_adopted_mid_run() -> None:
    """A drawn set grows during a run: from the epoch it is adopted in, every count uses the
    new number of iterations per epoch, and the total is the engine's."""
    from workbench.core.events import DataChanged

    tracker = PositionTracker()
    tracker.begin(10)
    tracker.feed(_started())  # 10 epochs of 10 iterations
    tracker.feed(_block(1, 1, 10))
    tracker.feed(_block(2, 11, 10))
    tracker.feed(_epoch_end(1, 10))
    tracker.feed(_epoch_end(2, 20))
    # Adopted at epoch 3's start: 14 iterations per epoch from there, 20 + 8 x 14 in all.
    tracker.feed(DataChanged(epoch=3, train_samples=110, iterations_per_epoch=14,
                             last_batch_size=2, total_iterations=132))
    tracker.feed(_block(3, 21, 12))
    p = tracker.position
    assert (p.epoch, p.iteration, p.iteration_in_epoch) == (3, 32, 12)
    assert (p.iterations_per_epoch, p.total_iterations) == (14, 132)
    tracker.feed(_block(3, 33, 2))
    tracker.feed(_epoch_end(3, 34))
    tracker.feed(_block(4, 35, 5))
    p = tracker.position
    assert (p.epoch, p.iteration, p.iteration_in_epoch) == (4, 39, 5)
    tracker.feed(RunFinished(reason="stopped", epochs_completed=3, iterations_completed=39,
                             seconds=1.0))
    assert (tracker.position.epoch, tracker.position.iteration_in_epoch) == (3, 5)
