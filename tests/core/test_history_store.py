"""The run-history store: round trip, crash safety, damaged files, search, rename, delete."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import numpy as np
import pytest

from workbench.config import TrainConfig
from workbench.core.events import EpochEnded
from workbench.core.history import (
    SCHEMA_VERSION,
    SILENT_AFTER_S,
    DataIdentity,
    HistoryError,
    HistoryStore,
    RunStart,
    data_fingerprint,
    data_identity,
)
from workbench.paths import data_dir, history_path

CONFIG = TrainConfig().with_changes(data={"samples": 200}, run={"epochs": 2, "batch_size": 16})
START = RunStart(train_samples=160, val_samples=40, task="classification", device="cpu",
                 device_name="CPU (2 cores)", parameters=4_500, batch_size=16,
                 iterations_per_epoch=10, epochs=2)


def _epoch(n: int, best: int | None = None) -> EpochEnded:
    return EpochEnded(epoch=n, train_loss=1.0 / n, val_loss=1.1 / n, val_accuracy=0.5 + n / 10,
                      train_accuracy=None, lr=0.01, seconds=0.25 * n, iteration=10 * n,
                      best_epoch=best, patience_left=None)


def _write_run(store: HistoryStore, **kw: object) -> tuple[int, np.ndarray]:
    run_id = store.add_run(CONFIG, START, DataIdentity("spiral"), **kw)
    losses = np.linspace(2.0, 0.1, 20, dtype=np.float32)
    store.append_losses(run_id, 1, losses[:10])
    store.append_epochs(run_id, [_epoch(1)])
    store.commit()
    store.append_losses(run_id, 11, losses[10:])
    store.append_epochs(run_id, [_epoch(2, best=2)])
    store.commit()
    return run_id, losses


def test_paths_follow_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_SETTINGS_DIR", str(tmp_path / "settings"))
    monkeypatch.delenv("WORKBENCH_DATA_DIR", raising=False)
    assert data_dir() == tmp_path / "settings"
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    assert history_path() == tmp_path / "data" / "history.sqlite3"


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    run_id, losses = _write_run(store, comparison="Batch sizes 1", comparison_value="16")
    store.finish(run_id, "completed", seconds=0.75, best_epoch=2)
    store.close()

    store = HistoryStore(path)
    [run] = store.list_runs()
    assert (run.id, run.status, run.dataset, run.optimizer) == (run_id, "completed", "spiral",
                                                                 "adam")
    assert (run.epochs_completed, run.iterations_completed, run.best_epoch) == (2, 20, 2)
    assert (run.train_samples, run.val_samples, run.batch_size) == (160, 40, 16)
    assert run.final_val_loss == pytest.approx(0.55)
    assert (run.comparison, run.comparison_value) == ("Batch sizes 1", "16")
    curves = store.load_curves(run_id)
    np.testing.assert_array_equal(curves.iterations, np.arange(1, 21))
    np.testing.assert_array_equal(curves.losses, losses)
    assert curves.epochs == [_epoch(1), _epoch(2, best=2)]
    assert store.config(run_id) == CONFIG
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_crash_keeps_what_was_committed(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    run_id, losses = _write_run(store)
    store.append_losses(run_id, 21, np.ones(5, np.float32))  # never committed
    store.drop()  # the process dies: no finish, no commit

    store = HistoryStore(path)
    [run] = store.list_runs()
    assert run.status == "running"
    assert run.display_status(now=run.updated_at + SILENT_AFTER_S + 1) == "interrupted"
    curves = store.load_curves(run_id)
    np.testing.assert_array_equal(curves.losses, losses)
    assert len(curves.epochs) == 2
    store.close()


def test_damaged_and_newer_files_are_refused_with_a_message(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(HistoryError, match="damaged"):
        HistoryStore(damaged)
    newer = tmp_path / "newer.sqlite3"
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(HistoryError, match="newer Workbench"):
        HistoryStore(newer)


def test_search_rename_delete(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    first, _ = _write_run(store)
    sgd = CONFIG.with_changes(optim={"optimizer": "sgd"}, data={"dataset": "moons"})
    second = store.add_run(sgd, START, data_identity(sgd))
    store.rename(first, "  my spiral run ")
    assert store.get_run(first).name == "my spiral run"
    assert [r.id for r in store.list_runs("spiral run")] == [first]
    assert [r.id for r in store.list_runs("sgd")] == [second]
    assert [r.id for r in store.list_runs("moons")] == [second]
    assert store.list_runs("dropout") == []  # a setting's name is not a search hit
    store.delete([first])
    assert [r.id for r in store.list_runs()] == [second]
    # Curves and epochs go with their run.
    assert store.load_curves(first).losses.size == 0
    assert store.load_epochs(first) == []
    store.close()


def test_fingerprints(tmp_path: Path) -> None:
    csv = tmp_path / "data.csv"
    csv.write_text("x,y\n1,0\n2,1\n")
    first = data_fingerprint(csv)
    assert first.startswith("sha256:") and first == data_fingerprint(csv)
    csv.write_text("x,y\n1,0\n2,0\n")
    assert data_fingerprint(csv) != first
    folder = tmp_path / "images" / "cat"
    folder.mkdir(parents=True)
    (folder / "a.png").write_bytes(b"png")
    assert data_fingerprint(tmp_path / "images").startswith("listing:")
    assert data_fingerprint(tmp_path / "missing") == ""
    assert data_identity(CONFIG.with_changes(data={"dataset": "csv", "csv_path": str(csv)})
                         ) == DataIdentity("csv", str(csv))


def test_commits_are_cheap(tmp_path: Path) -> None:
    """One block of a second's iterations plus an epoch: far below a frame's 16 ms."""
    store = HistoryStore(tmp_path / "history.sqlite3")
    run_id = store.add_run(CONFIG, START, DataIdentity("spiral"))
    costs = []
    for i in range(20):
        t0 = time.perf_counter()
        store.append_losses(run_id, 1 + 1000 * i, np.ones(1000, np.float32))
        store.append_epochs(run_id, [_epoch(i + 1)])
        store.commit()
        costs.append(time.perf_counter() - t0)
    store.close()
    assert float(np.median(costs)) < 0.016


def test_a_locked_database_is_refused_with_a_message(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.core import history

    path = tmp_path / "history.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("CREATE TABLE busy (x)")
    monkeypatch.setattr(history, "BUSY_TIMEOUT_MS", 50)
    with pytest.raises(HistoryError, match="locked by another program"):
        HistoryStore(path)
    other.execute("ROLLBACK")
    other.close()


def test_a_deleted_parent_is_stored_as_no_parent(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    parent, _ = _write_run(store)
    child = store.add_run(CONFIG, START, DataIdentity("spiral"), parent_id=parent)
    assert store.get_run(child).parent_id == parent
    store.delete([parent, child])
    orphan = store.add_run(CONFIG, START, DataIdentity("spiral"), parent_id=parent)
    assert store.get_run(orphan).parent_id is None
    store.close()


def test_ids_of_deleted_runs_are_not_reused(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    first, _ = _write_run(store)
    newest, _ = _write_run(store)
    store.delete([newest])
    again = store.add_run(CONFIG, START, DataIdentity("spiral"), parent_id=newest)
    assert again > newest
    assert store.get_run(again).parent_id is None
    assert [r.id for r in store.list_runs()] == [again, first]
    store.close()


def _version_1_file(path: Path) -> None:
    """A history as the first schema wrote it, with the trace of a reused id: run 2 was
    deleted and the next run, given id 2 again, names itself as parent."""
    from workbench.core.history import _SCHEMA_V1

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.executescript(_SCHEMA_V1)
    db.execute("PRAGMA user_version = 1")
    insert = ("INSERT INTO runs (name, started_at, updated_at, status, config, dataset,"
              " parent_id) VALUES (?, 1.0, 1.0, 'completed', 'optimizer = \"sgd\"', 'spiral', ?)")
    db.execute(insert, ("first", None))
    db.execute(insert, ("second", 1))
    db.execute("INSERT INTO epochs (run_id, epoch, train_loss, iteration) VALUES (1, 1, 0.5, 10)")
    db.execute("INSERT INTO loss_blocks VALUES (1, 1, ?)",
               (np.ones(10, "<f4").tobytes(),))
    db.execute("DELETE FROM runs WHERE id = 2")
    db.execute(insert, ("third", 2))
    assert db.execute("SELECT id, parent_id FROM runs WHERE name = 'third'").fetchone() == (2, 2)
    db.close()


def test_a_version_1_file_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _version_1_file(path)
    store = HistoryStore(path)
    runs = {r.name: r for r in store.list_runs()}
    assert sorted(runs) == ["first", "third"]
    assert (runs["first"].id, runs["first"].optimizer) == (1, "sgd")
    assert (runs["third"].id, runs["third"].parent_id) == (2, None)
    assert store.load_curves(1).losses.size == 10 and len(store.load_epochs(1)) == 1
    store.delete([2])
    assert store.add_run(CONFIG, START, DataIdentity("spiral"), parent_id=2) == 3
    store.delete([1])  # foreign keys still cascade after the rebuild
    assert store.load_curves(1).losses.size == 0
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'runs'").fetchone()[0]
    assert "AUTOINCREMENT" in sql
    assert db.execute("PRAGMA index_list(runs)").fetchall()
    db.close()


def test_a_failed_upgrade_leaves_the_file_as_it_was(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.core import history

    path = tmp_path / "history.sqlite3"
    _version_1_file(path)
    broken = history._MIGRATIONS[1].replace("DROP TABLE runs;", "DROP TABLE runs; SELECT nope;")
    monkeypatch.setitem(history._MIGRATIONS, 1, broken)
    with pytest.raises(HistoryError, match="cannot be used"):
        HistoryStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM epochs").fetchone()[0] == 1
    db.close()
