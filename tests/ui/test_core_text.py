"""Texts from the Qt-free core shown in the window: every template listed, translated, used.

The core's messages (validation problems, data and model-file errors, device names) carry a
template and its parameters; workbench/ui/core_text.py lists every template for lupdate and
fills in the translation. These tests prove the list is whole (by a scan of the core's source
and by the templates bad settings and bad files really produce), that the Chinese translation
covers it with the same placeholders, and that a Chinese window shows those texts in Chinese.
"""

from __future__ import annotations

import ast
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QPushButton, QSpinBox

from workbench.config import ConfigError, Problem, TrainConfig, load_toml
from workbench.core.events import RunFailed
from workbench.errors import WorkbenchError
from workbench.ui import core_text
from workbench.ui.app import application, install_translations
from workbench.ui.core_text import (
    CLASS_NAME,
    CORE_TEMPLATES,
    FAILURE_TEXTS,
    PARAM_WORDS,
    device_name_text,
    error_text,
    failure_text,
    problem_text,
)

ROOT = Path(__file__).resolve().parents[2]
PENDING = ROOT / "resources" / "translations" / "pending"
TS_FILE = ROOT / "resources" / "translations" / "workbench_zh_CN.ts"
FIXTURES = ROOT / "tests" / "fixtures"
CORE_SOURCES = [ROOT / "workbench" / "config.py",
                *sorted((ROOT / "workbench" / "core").rglob("*.py"))]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")
# The helpers through which the core turns a template into a message.
TEMPLATE_CALLS = {"from_template", "from_files", "_problem", "add", "_file_problem", "_device",
                  "_invalid"}


def _all_texts() -> tuple[str, ...]:
    return (*CORE_TEMPLATES, *FAILURE_TEXTS, CLASS_NAME,
            *(word for words in PARAM_WORDS.values() for word in words))


# -- the list is whole ------------------------------------------------------------------------

def _templates_in_source(path: Path) -> set[str]:
    """String literals handed to the core's template helpers (last positional or template=)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        last = node.args[-1] if node.args else None
        if name in TEMPLATE_CALLS and isinstance(last, ast.Constant) and isinstance(last.value,
                                                                                   str):
            found.add(last.value)
        found.update(kw.value.value for kw in node.keywords
                     if kw.arg == "template" and isinstance(kw.value, ast.Constant))
    return found


def test_the_core_source_uses_only_listed_templates() -> None:
    used = set().union(*(_templates_in_source(path) for path in CORE_SOURCES))
    assert len(used) > 100
    assert used - set(CORE_TEMPLATES) == set(), "list these in workbench/ui/core_text.py"
    assert set(CORE_TEMPLATES) - used == set(), "no longer used by the core"
    assert len(CORE_TEMPLATES) == len(set(CORE_TEMPLATES))


def test_no_error_is_raised_without_a_template() -> None:
    """A message written out in full cannot be translated: these modules raise from templates."""
    error_names = {"DataError", "ModelFileError", "TrainingError", "WorkbenchError",
                   "BadImagesError", "ExportError", "HistoryError", "DamagedHistoryError"}
    written_out = []
    for name in ("config.py", "core/data/__init__.py", "core/data/types.py",
                 "core/data/synthetic.py", "core/data/bundled.py", "core/data/tables.py",
                 "core/data/table_set.py", "core/data/images.py", "core/data/split.py",
                 "core/preprocess.py", "core/devices.py", "core/modelfile.py",
                 "core/predicting.py", "core/export.py", "core/models.py", "core/history.py",
                 "core/lrfind.py", "core/engine.py"):
        path = ROOT / "workbench" / name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node.exc if isinstance(node, ast.Raise) else None
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") in error_names:
                written_out.append(f"{name}:{node.lineno}")
    assert written_out == []


def _bad_configs() -> list[TrainConfig]:
    base = TrainConfig()
    return [
        base.with_changes(run={"batch_size": 0, "epochs": 0, "patience": -1, "seed": -1,
                               "threads": -1, "device": "tpu", "min_delta": float("nan")}),
        base.with_changes(data={"dataset": "nope", "val_split": 0.95, "samples": 1,
                                "noise": 9.0, "classes": 1, "image_size": 1}),
        base.with_changes(data={"dataset": "csv", "val_split": 0.0}, run={"patience": 3},
                          optim={"schedule": "plateau"}),
        base.with_changes(data={"dataset": "images"}),
        base.with_changes(model={"hidden": (0,), "dropout": 1.0, "input_dropout": -0.1,
                                 "dropout_per_layer": (0.5, 1.5), "leaky_slope": 0.0}),
        base.with_changes(model={"kind": "cnn", "channels": (), "kernel_size": 4}),
        base.with_changes(model={"kind": "cnn", "channels": (0,)}),
        base.with_changes(optim={"lr": 0.0, "momentum": 1.0, "weight_decay": 2.0,
                                 "step_size": 0, "gamma": 0.0, "plateau_patience": -1,
                                 "nesterov": True}),
        base.with_changes(data={"val_split": float("nan")}),
    ]


def _bad_dicts() -> list[dict[str, Any]]:
    return [{"run": {"epochz": 1, "epochs": "many", "drop_last": "perhaps"},
             "model": {"hidden": "a,b", "activation": "swish", "dropout": "x"},
             "data": {"csv_path": {"a": 1}}}, {"optim": 3}]


def _problems_from_bad_settings() -> list[Problem]:
    problems = [p for cfg in _bad_configs() for p in cfg.validate(n_train=100)]
    problems += TrainConfig().with_changes(run={"batch_size": 0}).validate()
    problems += TrainConfig().with_changes(run={"batch_size": 500}).validate(n_train=100)
    for data in _bad_dicts():
        with pytest.raises(ConfigError) as info:
            TrainConfig.from_dict(data)
        problems += info.value.problems
    return problems


def test_bad_settings_produce_listed_templates(tmp_path: Path) -> None:
    problems = _problems_from_bad_settings()
    for path in (tmp_path / "missing.toml", _write(tmp_path / "bad.toml", b"= = =")):
        with pytest.raises(ConfigError) as info:
            load_toml(path)
        problems += info.value.problems
    assert len({p.template for p in problems}) > 35
    for problem in problems:
        assert problem.template in CORE_TEMPLATES, problem.template
        assert problem.template.format(**problem.params) == problem.message


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zipped(*names: str) -> bytes:
    import io
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        for name in names:
            zf.writestr(name, "a,y\n1,0\n2,1\n")
    return data.getvalue()


_BAD_CSVS = {
    "empty.csv": b"",
    "ragged.csv": b"a,b,y\n1,2,0\n3,4,1,5\n5,6,1\n",
    "ragged_semicolon.csv": b"a;b;y\n1;2;0\n3;4;1;5\n5;6;1\n",
    "quote.csv": b'a,b,y\n1,"2,0\n1,2,1\n',
    "numbers.csv": b"4,5,6\n1,2,3\n7,8,9\n",
    "header_only.csv": b"a,b,y\n",
    "one_row.csv": b"a,b,y\n1,2,0\n",
    "one_column.csv": b"y\n1\n2\n",
    "huge.csv": b"a,b,y\n1,1e300,0\n3,4,1\n",
    "one_class.csv": b"a,b,y\n1,2,0\n3,4,0\n",
    "binary.csv": b"\x00\x01\x02PK\x03\x04",
    "workbook.csv": b"PK\x03\x04" + bytes(40),
    "ids.csv": b"a,y\n" + b"".join(b"%d,n%d\n" % (i, i) for i in range(30)),
    "nothing_left.csv": b"a,y\n1,0\n1,1\n1,0\n1,1\n",
    "text_target.csv": b"a,y\n1,x\n2,y\n3,x\n",
    "text_number.csv": b"a,b,y\n1,x,0\n2,3,1\n3,4,0\n",
    "not_dates.csv": b"a,b,y\n1,x,0\n2,z,1\n3,x,0\n",
    "unknown_role.csv": b"a,b,y\n1,2,0\n3,4,1\n",
    "sheet.csv": b"a,b,y\n1,2,0\n3,4,1\n",
    "two.zip": _zipped("a.csv", "b.csv"),
    "damaged.gz": b"not gzip at all",
    "damaged.xlsx": b"PK\x03\x04junk",
}
# The settings (DataConfig fields) some of them are read with.
_BAD_CSV_SETTINGS: dict[str, dict[str, Any]] = {
    "text_target.csv": {"task": "regression"},
    "text_number.csv": {"numeric": ("b",)},
    "not_dates.csv": {"dates": ("b",)},
    "unknown_role.csv": {"ignore": ("c",)},
    "sheet.csv": {"sheet": "Sheet2"},
}


def _errors_from_bad_files(tmp_path: Path) -> list[WorkbenchError]:
    from workbench.core.data import load_csv, load_image_folder
    from workbench.core.modelfile import load_model

    errors: list[WorkbenchError] = []

    def catch(call: Any, *args: Any, **kwargs: Any) -> None:
        with pytest.raises(WorkbenchError) as info:
            call(*args, **kwargs)
        errors.append(info.value)

    for name, data in _BAD_CSVS.items():
        catch(load_csv, _write(tmp_path / name, data), **_BAD_CSV_SETTINGS.get(name, {}))
    catch(load_csv, tmp_path / "absent.csv")
    catch(load_csv, tmp_path)
    catch(load_csv, _write(tmp_path / "good.csv", b"a,b,y\n1,2,0\n3,4,1\n"), "label")
    images = tmp_path / "images"
    (images / "cats").mkdir(parents=True)
    catch(load_image_folder, images)
    (images / "dogs").mkdir()
    catch(load_image_folder, images)
    for i in range(7):
        _write(images / "cats" / f"note{i}.png", b"not an image")
    _write(images / "dogs" / "note.png", b"not an image")
    catch(load_image_folder, images)
    catch(load_image_folder, tmp_path / "no_folder")
    catch(load_model, tmp_path / "absent.wbm")
    catch(load_model, _write(tmp_path / "pickle.wbm", b"\x80\x04junk."))
    catch(load_model, _write(tmp_path / "short.wbm", b"abc"))
    return errors


def _errors_from_bad_histories(tmp_path: Path) -> list[WorkbenchError]:
    import sqlite3

    from workbench.core.history import SCHEMA_VERSION, DataIdentity, HistoryStore

    errors: list[WorkbenchError] = []

    def catch(call: Any, *args: Any) -> None:
        with pytest.raises(WorkbenchError) as info:
            call(*args)
        errors.append(info.value)

    catch(HistoryStore, _write(tmp_path / "a file", b"x") / "history.sqlite3")
    catch(HistoryStore, _write(tmp_path / "damaged.sqlite3", b"not SQLite at all " * 100))
    newer = sqlite3.connect(tmp_path / "newer.sqlite3")
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    catch(HistoryStore, tmp_path / "newer.sqlite3")
    store = HistoryStore(tmp_path / "history.sqlite3")
    catch(store.config, 99)
    run_id = store.add_run(TrainConfig(), None, DataIdentity("spiral"))
    store._write("UPDATE runs SET config = 'run = [' WHERE id = ?", (run_id,))
    store.commit()
    catch(store.config, run_id)
    store.close()
    return errors


def test_bad_histories_produce_listed_templates(tmp_path: Path) -> None:
    errors = _errors_from_bad_histories(tmp_path)
    assert len({e.template for e in errors}) == len(errors) == 5
    for error in errors:
        assert error.template in CORE_TEMPLATES, error.template
        assert error.template.format(**error.params) == str(error)


def test_bad_files_produce_listed_templates(tmp_path: Path) -> None:
    errors = _errors_from_bad_files(tmp_path)
    assert len({e.template for e in errors}) > 20
    for error in errors:
        assert error.template in CORE_TEMPLATES, error.template
        assert error.template.format(**error.params) == str(error)


def _errors_from_bad_exports(tmp_path: Path) -> list[WorkbenchError]:
    """Real export failures: bad places and requests, and outputs that do not match PyTorch."""
    from workbench.config import ModelConfig
    from workbench.core import export
    from workbench.core.modelfile import load_model
    from workbench.core.models import build_model

    model = load_model(FIXTURES / "mlp_spiral_v1.wbm")
    a_file = _write(tmp_path / "a_file", b"")
    out = tmp_path / "m.onnx"
    right, wrong = [np.zeros((2, 3))], [np.ones((2, 3))]
    onnx_model = export.ExportError.from_template("ONNX model")
    calls: list[Callable[[], object]] = [
        lambda: export.export_onnx(model, " "),
        lambda: export.export_script(model, tmp_path / "train.txt"),
        lambda: export.export_onnx(model, tmp_path / "absent" / "m.onnx"),
        lambda: export.export_onnx(model, a_file / "m.onnx"),
        lambda: export.export_model(model, out, "tflite"),
        lambda: export.export_onnx(42, out),  # type: ignore[arg-type]
        lambda: export.export_onnx(model, out, sample=np.zeros((3, 5))),
        lambda: export._write(tmp_path / "absent" / "m.onnx", b""),
        lambda: export._write(tmp_path, b""),  # a folder has that name
        lambda: export._largest_difference(right, [*right, *right], onnx_model),
        lambda: export._largest_difference(right, [np.zeros((2, 4))], onnx_model),
        lambda: export._largest_difference([np.full((2, 3), np.nan)], right, onnx_model),
        lambda: export._largest_difference(right, wrong, export.ExportError.from_template(
            "exported program with one row")),
        lambda: build_model(ModelConfig(kind="cnn"), (2,), 2),
    ]
    errors: list[WorkbenchError] = []
    for call in calls:
        with pytest.raises(WorkbenchError) as info:
            call()
        errors.append(info.value)
    return errors


def test_bad_exports_produce_listed_templates(tmp_path: Path) -> None:
    errors = _errors_from_bad_exports(tmp_path)
    assert len({e.template for e in errors}) == len(errors)
    for error in errors:
        assert error.template in CORE_TEMPLATES, error.template
        assert error.template.format(**error.params) == str(error)
    # What the CLI prints stays as it was.
    assert str(errors[-2]) == ("The exported program with one row does not match PyTorch: "
                               "outputs differ by up to 1 (allowed 1e-05). The export was not "
                               "saved.")
    assert str(errors[-1]) == ("A CNN needs image data (digits or an image folder); choose the "
                               "MLP for tabular or 2-D data.")


# -- the translation covers the list ------------------------------------------------------------

def _core_translations() -> dict[str, str]:
    """The Chinese of context "core": the .ts file, with pending translations not merged yet."""
    root = ET.parse(TS_FILE).getroot()
    table = {m.findtext("source", ""): m.findtext("translation", "")
             for c in root.iter("context") if c.findtext("name") == "core"
             for m in c.iter("message")}
    for pending in sorted(PENDING.glob("*.json")):
        entries = json.loads(pending.read_text(encoding="utf-8"))
        table.update({e["source"]: e["translation"] for e in entries if e["context"] == "core"})
    return table


def test_every_core_text_has_a_chinese_translation() -> None:
    translations = _core_translations()
    missing = [t for t in _all_texts() if not translations.get(t)]
    assert not missing, "\n".join(missing)
    for source in _all_texts():
        translated = translations[source]
        # Device names: only the brackets change.
        assert CJK.search(translated) or source in ("Apple GPU (MPS)", "{gpu} ({gib:.0f} GB)")
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translated))


class _TableTranslator(QTranslator):
    """A translator over a dict: the core's Chinese without compiling a .qm file."""

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__()
        self._table = table

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        # None (a null string) passes the lookup on to the translators installed before.
        return self._table.get(source) if context == core_text.CONTEXT else None

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The window in Chinese, the core's texts included, for one test."""
    monkeypatch.setenv("WORKBENCH_LANG", "zh_CN")
    app = application()
    install_translations(app, "zh_CN")
    translator = _TableTranslator(_core_translations())
    app.installTranslator(translator)
    yield
    app.removeTranslator(translator)
    install_translations(app, "en")


# -- the texts without a translation ------------------------------------------------------------

def test_english_texts_use_the_form_labels() -> None:
    problem = TrainConfig().with_changes(run={"batch_size": 500}).validate(n_train=160)[0]
    assert problem.message.startswith("run.batch_size = 500")  # what the CLI prints
    assert problem_text(problem, {"run.batch_size": "Batch size"}) == (
        "Batch size = 500 is larger than the training set (160 samples): use 1 to 160.")
    element = TrainConfig().with_changes(
        model={"dropout_per_layer": (0.5, 1.5)}).validate()[0]
    assert problem_text(element, {"model.dropout_per_layer": "Dropout"}).startswith(
        "Dropout [2] = 1.5")
    assert problem_text(Problem("", "Written out.")) == "Written out."


def test_english_failures_keep_the_engines_message() -> None:
    failed = RunFailed("The loss became infinite at epoch 2, iteration 7: training diverged. "
                       "Try a lower learning rate (now 10; e.g. 1).", epoch=2, iteration=7,
                       kind="nan")
    assert failure_text(failed) == failed.message
    assert device_name_text("CPU (4 cores)") == "CPU (4 cores)"


# -- the window in Chinese ----------------------------------------------------------------------

def test_problem_texts_in_chinese(chinese: None) -> None:
    for problem in _problems_from_bad_settings():
        text = problem_text(problem)
        assert CJK.search(text), text
        for value in problem.params.values():
            if isinstance(value, int) and not isinstance(value, bool):
                assert str(value) in text, (text, value)


def test_error_texts_in_chinese(chinese: None, tmp_path: Path) -> None:
    errors = _errors_from_bad_files(tmp_path)
    for error in errors:
        assert CJK.search(error_text(error)), error_text(error)
    text = error_text(errors[-5])  # seven unreadable cats and a dog
    assert "cats/note0.png" in text and "另有 7 个文件" in text and "其他 2 个" in text
    short = error_text(errors[-1])  # the reason inside the message is translated too
    assert short.startswith("short.wbm 不是有效的 Workbench 模型文件：文件太短。"), short


def test_separator_names_in_chinese(chinese: None, tmp_path: Path) -> None:
    """The separator a ragged row lacks is named in Chinese, not quoted in English."""
    from workbench.core.data import load_csv

    for name, separator, word in (("semi.csv", ";", "分号"), ("tabs.csv", "\t", "制表符"),
                                  ("bars.csv", "|", "竖线")):
        rows = ("a", "b", "y"), ("1", "2", "0"), ("3", "4", "1", "7"), ("5", "6", "1")
        data = "".join(separator.join(row) + "\n" for row in rows).encode()
        with pytest.raises(WorkbenchError) as info:
            load_csv(_write(tmp_path / name, data))
        assert info.value.params.get("separator") in PARAM_WORDS["separator"], str(info.value)
        text = error_text(info.value)
        assert word in text and "第 3 行" in text, text
        assert not re.search(r"[A-Za-z]{3,}", text.replace(name, "")), text


def test_history_errors_in_chinese(chinese: None, tmp_path: Path) -> None:
    for error in _errors_from_bad_histories(tmp_path):
        text = error_text(error)
        assert CJK.search(text) and str(error.params["path" if "path" in error.params else "id"]
                                        ) in text, text


def test_history_banner_in_chinese(chinese: None, make_window, tiny_config) -> None:
    from workbench.paths import history_path

    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"garbage, not SQLite " * 100)
    window = make_window(tiny_config())
    panel = window.features["history"].history_panel
    assert panel.problem.startswith(f"训练历史 {path} 已损坏"), panel.problem
    assert not panel.reset_button.isHidden()  # known as damaged in any language
    assert "已损坏" in window.statusBar().currentMessage()


def test_export_errors_in_chinese(chinese: None, tmp_path: Path) -> None:
    # Files, paths, shapes and exception texts are quoted as they are; besides them only the
    # names of tools and file types are left in English.
    names = {"CNN", "MLP", "ONNX", "PyTorch", "Python", "Workbench", "onnx", "onnxscript", "py",
             "toml", "wbm", "pip", "install", "e"}
    errors = _errors_from_bad_exports(tmp_path)
    for error in errors:
        text = error_text(error)
        assert CJK.search(text), text
        for value in error.params.values():
            if not isinstance(value, WorkbenchError):
                text = text.replace(str(value), "").replace(repr(value), "")
        english = set(re.findall(r"[A-Za-z]+", text)) - names
        assert not english, (text, english)
    mismatch = error_text(errors[-2])
    assert mismatch == ("只输入一行时导出的程序与 PyTorch 的结果不一致：输出最多相差 1"
                        "（允许 0.00001）。导出未保存。")


def test_failed_export_in_chinese(chinese: None, qtbot, make_window, tiny_config,
                                  message_boxes, tmp_path: Path) -> None:
    window = make_window(tiny_config())
    assert window.open_model_path(FIXTURES / "mlp_spiral_v1.wbm")
    missing = tmp_path / "absent"
    with qtbot.waitSignal(window.export_finished, timeout=30_000) as finished:
        assert window.export_model_to("onnx", missing / "m.onnx")
    assert finished.args == [""]
    box = message_boxes(window)[-1]
    assert box.text() == f"文件夹 {missing} 不存在。请先创建它，或为导出选择其他位置。"
    assert "does not exist" in box.detailedText()  # the English original
    box.close()


def test_bad_batch_size_in_chinese(chinese: None, qtbot, make_window, tiny_config,
                                   message_boxes) -> None:
    window = make_window(tiny_config())
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=30_000)
    batch = window.findChild(QSpinBox, "batchSizeSpin")
    batch.setValue(500)  # 160 training samples
    qtbot.mouseClick(window.run_controls.start_button, Qt.LeftButton)
    boxes = message_boxes(window)
    assert len(boxes) == 1
    text = boxes[0].informativeText()
    label = QCoreApplication.translate("TrainingPanel", "Batch size")
    assert CJK.search(text) and f"{label} = 500" in text and "160" in text, text
    assert "run.batch_size" not in text
    assert CJK.search(batch.toolTip()) and "500" in batch.toolTip() and "160" in batch.toolTip()
    boxes[0].close()


def test_bad_csv_in_chinese(chinese: None, qtbot, make_window, tiny_config, message_boxes,
                            tmp_path: Path) -> None:
    window = make_window(tiny_config())
    window.use_csv(_write(tmp_path / "quote.csv", _BAD_CSVS["quote.csv"]))
    qtbot.waitUntil(lambda: bool(message_boxes(window)), timeout=10_000)
    box = message_boxes(window)[0]
    assert CJK.search(box.text()) and "quote.csv" in box.text() and "第 2 行" in box.text()
    assert "is never closed" in box.detailedText()  # the English original
    box.close()
    ragged = _write(tmp_path / "ragged.csv", _BAD_CSVS["ragged.csv"])
    window.form.set_config(tiny_config().with_changes(data={"dataset": "csv",
                                                            "csv_path": str(ragged)}))
    window.form.refresh_preview()
    summary = window.form.data_panel.summary_label
    qtbot.waitUntil(lambda: "ragged.csv" in summary.text(), timeout=10_000)
    assert CJK.search(summary.text()) and "第 3 行" in summary.text()


def test_table_columns_in_chinese(chinese: None, qtbot, make_window, tiny_config,
                                  tmp_path: Path) -> None:
    """The roles the core gives a table's columns, and its reasons, are shown in Chinese."""
    rows = ["id,size,colour,day,y"] + [
        f"{i + 1},{i * 1.3 % 7:.2f},{('red', 'green', 'blue')[i % 3]},2024-03-{i % 28 + 1:02d},"
        f"{'big' if i % 3 else 'small'}" for i in range(40)]
    window = make_window(tiny_config())
    window.use_csv(_write(tmp_path / "table.csv", ("\n".join(rows) + "\n").encode()))
    panel = window.form.data_panel
    table = panel.column_table
    qtbot.waitUntil(lambda: table.rowCount() == 5, timeout=20_000)
    shown, tips = set(), []
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            index = table.model().index(row, column)
            widget = table.cellWidget(row, column)
            shown.add(str(index.data() or ""))
            shown.add(getattr(widget, "currentText", lambda: "")())
            if column < 2:  # the name's and the role's: the role and why (examples are data)
                tips.append(str(index.data(Qt.ItemDataRole.ToolTipRole) or ""))
    # The row counter, a number, a category, a date and the target.
    assert {"标识符（不使用）", "数值", "类别", "日期", "目标"} <= shown, shown
    assert all(CJK.search(tip) for tip in tips), tips
    assert "行计数" in "".join(tips), tips
    # The task the core chose, and why, once the preview has read the data.
    qtbot.waitUntil(lambda: panel.task_combo.currentText() != "自动", timeout=30_000)
    assert panel.task_combo.currentText() == "自动：分类（文本标签）"
    assert "80" not in panel.table_label.text() and "40 行" in panel.table_label.text()


def test_device_list_in_chinese(chinese: None, make_window, tiny_config) -> None:
    window = make_window(tiny_config())
    combo = window.form.device_panel.device_combo
    cpu = combo.itemText(combo.findData("cpu"))
    assert cpu.startswith("CPU（") and "核" in cpu
    window.status.set_device("CPU (2 cores)")
    assert window.status.device_label.text() == "CPU（2 核）"


def test_class_names_in_chinese(chinese: None, qtbot, make_window, tiny_config) -> None:
    window = make_window(tiny_config())
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=30_000)
    assert "类别 0" in window.form.data_panel.summary_label.text()


_FAILURES = [
    (RunFailed("loss", epoch=3, iteration=41, kind="nan"), ("3", "41")),
    (RunFailed("loss", kind="nan"), ()),
    (RunFailed("oom", epoch=2, iteration=17, kind="oom", retry_batch_size=64),
     ("2", "17", "64")),
    (RunFailed("oom", kind="oom", retry_batch_size=16), ("16",)),
    (RunFailed("oom", kind="oom"), ()),
    (RunFailed("The data set 'x' is odd.", kind="data"), ()),
    (RunFailed("run.batch_size = 64 with drop-last leaves nothing.", kind="config"), ()),
    (RunFailed("Training failed: ValueError: x.", epoch=4, iteration=9, kind="error"),
     ("4", "9")),
    (RunFailed("Training failed: ValueError: x.", epoch=0, iteration=0, kind="error"), ()),
]


@pytest.mark.parametrize(("failed", "numbers"), _FAILURES)
def test_failure_text_in_chinese(chinese: None, failed: RunFailed,
                                 numbers: tuple[str, ...]) -> None:
    text = failure_text(failed)
    assert CJK.search(text) and text.endswith("。"), text
    assert all(n in text for n in numbers), text
    assert "{" not in text


def test_failure_from_a_core_template_in_chinese(chinese: None) -> None:
    """A run that failed on a core error says exactly that error, translated."""
    failed = RunFailed("No CSV file is chosen: pick the CSV file to train on.", kind="data")
    assert failure_text(failed) == "尚未选择 CSV 文件：请选择用于训练的 CSV 文件。"
    problems = TrainConfig().with_changes(run={"batch_size": 500}).validate(n_train=160)
    config = RunFailed(str(ConfigError(problems)), kind="config")
    assert failure_text(config, {"run.batch_size": "批大小"}) == (
        "批大小 = 500 大于训练集（160 个样本）：请使用 1 到 160。")


def test_engine_errors_keep_their_english(tmp_path: Path) -> None:
    """What the CLI prints for the engine's own errors stays as it was; each has a template."""
    from workbench.core.engine import Engine
    from workbench.core.modelfile import load_model

    model = load_model(FIXTURES / "mlp_spiral_v1.wbm")
    base = model.config.with_changes(run={"epochs": 1, "batch_size": 4})
    # Three numeric inputs (no row counter, which would be left out).
    rows = "".join(f"{i * 0.37 % 3:.2f},{i * 0.11:.2f},{i * 1.7 % 5:.2f},{i % 2}\n"
                   for i in range(20))
    three_inputs = _write(tmp_path / "three.csv", f"a,b,c,y\n{rows}".encode())
    cases = [
        (base.with_changes(data={"dataset": "csv", "csv_path": str(three_inputs),
                                 "target": "y"}), model,
         ("Cannot continue training: the model takes inputs of shape 2 but the data has 3. "
          "Start a fresh run instead.")),
        (base.with_changes(data={"classes": 3}), model,
         ("Cannot continue training: the model was trained for other classes or another task. "
          "Start a fresh run instead.")),
        (base.with_changes(model={"hidden": (8,)}), model,
         ("Cannot continue training with a different architecture (layers, activation, dropout "
          "or normalisation changed). Start a fresh run instead.")),
    ]
    for cfg, initial, english in cases:
        with pytest.raises(WorkbenchError) as info:
            Engine(cfg, initial=initial).prepare()
        assert str(info.value) == english
        assert info.value.template in CORE_TEMPLATES


def test_continuing_another_architecture_fails_in_chinese(
        chinese: None, qtbot, make_window, tiny_config, message_boxes) -> None:
    """The engine refuses to continue a model whose layers changed: the window says so in
    Chinese, with the engine's English in the details."""
    window = make_window(tiny_config())
    assert window.open_model_path(FIXTURES / "mlp_spiral_v1.wbm")
    window.run_controls.continue_check.setChecked(True)
    changed = window.model.config.with_changes(model={"hidden": (8,)}, run={"epochs": 1})
    with qtbot.waitSignal(window.controller.run_failed, timeout=30_000) as failed:
        assert window.start_training(changed)
    assert failed.args[0].kind == "error"
    qtbot.waitUntil(lambda: bool(message_boxes(window)), timeout=10_000)
    box = message_boxes(window)[-1]
    assert box.text() == ("架构已改变（层、激活函数、Dropout（丢弃）或归一化有变化），"
                          "无法继续训练。请改为重新开始训练。")
    assert "different architecture" in box.detailedText()  # the English original
    box.close()


def test_run_failed_dialog_in_chinese(chinese: None, make_window, tiny_config) -> None:
    from workbench.ui import dialogs

    window = make_window(tiny_config())
    english = ("The GPU ran out of memory at batch size 128. Try batch size 64 or a smaller "
               "model. The weights from before the failure are kept.")
    box = dialogs.show_run_failed(window, RunFailed(english, "Traceback ...", 2, 17, "oom", 64),
                                  retry=lambda _size: None)
    assert CJK.search(box.text()) and "64" in box.text()
    assert english in box.detailedText() and "Traceback" in box.detailedText()
    assert box.findChild(QPushButton, "retryButton") is not None
    box.close()
