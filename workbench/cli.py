"""Command line: ``workbench`` opens the window; sub-commands work without a display.

    workbench [FILE]                  open the window (FILE: a .wbm model or .toml config)
    workbench train [flags]           train headless (progress bar, or --json lines)
    workbench predict MODEL IN        write predictions (a CSV file; pictures for image models)
    workbench info MODEL              what a model file holds
    workbench export MODEL --format F ONNX, PyTorch program (.pt2) or training script
    workbench evaluate MODEL          confusion matrix and per-class figures
    workbench lr-find [flags]         learning-rate range test (same flags as train)
    workbench bench                   training speed: plain loop vs engine vs window

Exit status: 0 the command did its work (``train``: the model trained; a run that finished
with a warning, such as a classifier stuck at chance level, prints it and still exits 0);
1 training failed (the loss diverged or became NaN, the GPU ran out of memory, an error in
Workbench), and ``--out`` is not written; 2 the input was refused (a bad flag or setting, a
missing or unreadable file, data that cannot be trained on); 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from workbench import __version__, desktop
from workbench.config import (
    BUILTIN_DATASETS,
    Activation,
    ConfigError,
    Optimizer,
    TrainConfig,
    load_toml,
)
from workbench.errors import WorkbenchError

EXIT_USER_ERROR = 2  # the user's input was refused
EXIT_RUN_FAILED = 1  # training failed: nothing is saved as if trained


class UserError(WorkbenchError):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a user's mistake in one line, no usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USER_ERROR, f"workbench: {message} (see 'workbench {self._cmd()} --help')\n")

    def _cmd(self) -> str:
        parts = self.prog.split()
        return " ".join(parts[1:]) if len(parts) > 1 else ""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if math.isnan(value) or math.isinf(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _hidden(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in text.replace(" ", "").split(",") if v)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of layer sizes such as 64,64") from None


def _names(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """The flags that describe a run's data, model and training (``train``, ``lr-find``)."""
    parser.add_argument("--config", help="TOML configuration file (same schema the window "
                        "saves)")
    src = parser.add_mutually_exclusive_group()
    src.add_argument("--dataset", choices=BUILTIN_DATASETS, help="built-in data set")
    src.add_argument("--csv", help="CSV file with a header row")
    src.add_argument("--images", help="folder with one sub-folder of images per class")
    parser.add_argument("--target", help="CSV target column (default: the last column)")
    parser.add_argument("--sheet", help="Excel workbooks: the sheet to read (default: the "
                        "first)")
    parser.add_argument("--task", choices=("auto", "classification", "regression"),
                        help="what to predict: classes or a number (default: auto, from the "
                        "target column)")
    parser.add_argument("--categorical", type=_names, metavar="COLUMNS",
                        help="columns to use as categories (comma-separated names)")
    parser.add_argument("--numeric", type=_names, metavar="COLUMNS",
                        help="columns to use as numbers")
    parser.add_argument("--dates", type=_names, metavar="COLUMNS",
                        help="columns to use as dates")
    parser.add_argument("--ignore", type=_names, metavar="COLUMNS",
                        help="columns to leave out")
    parser.add_argument("--na-values", type=_names, metavar="TEXTS",
                        help="cell texts that mean 'missing' (default: empty, NA, N/A, NaN, "
                        "null, None, ?, -, #N/A and the like)")
    parser.add_argument("--samples", type=_positive_int, help="points in a synthetic data set")
    parser.add_argument("--noise", type=_number, help="noise of a synthetic data set")
    parser.add_argument("--epochs", type=_positive_int)
    parser.add_argument("--batch-size", type=_positive_int)
    parser.add_argument("--dropout", type=_number, help="hidden-layer dropout rate")
    parser.add_argument("--input-dropout", type=_number, help="input dropout rate")
    parser.add_argument("--optimizer", choices=[o.value for o in Optimizer])
    parser.add_argument("--lr", type=_number, help="learning rate")
    parser.add_argument("--momentum", type=_number)
    parser.add_argument("--weight-decay", type=_number)
    parser.add_argument("--hidden", type=_hidden, help="hidden layer sizes, e.g. 64,64")
    parser.add_argument("--activation", choices=[a.value for a in Activation])
    parser.add_argument("--model", choices=["mlp", "cnn"], help="network kind")
    parser.add_argument("--val-split", type=_number, help="validation fraction (0 = none)")
    parser.add_argument("--drop-last", action="store_true", default=None,
                        help="drop the last partial batch of each epoch")
    parser.add_argument("--patience", type=_positive_int,
                        help="early-stopping patience in epochs")
    parser.add_argument("--device", help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument("--seed", type=_positive_int)
    parser.add_argument("--threads", type=_positive_int, help="CPU threads (0 = automatic)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workbench", description="Train neural networks by clicking, "
                     "or from the command line.")
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    t = sub.add_parser("train", help="train headless", description="Train a model without a "
                       "window. Flags override the --config file, which overrides the defaults.")
    add_config_options(t)
    t.add_argument("--out", help="write the trained model to this .wbm file")
    t.add_argument("--checkpoint", help="write a resumable checkpoint here after every epoch")
    t.add_argument("--resume", help="continue from this checkpoint")
    t.add_argument("--save-config", help="also write the effective configuration (TOML)")
    t.add_argument("--log-dir", help="write a run log here: config.toml, metrics.csv, "
                   "iterations.csv (and TensorBoard files when tensorboardX is installed)")
    t.add_argument("--json", action="store_true", help="one JSON object per line on stdout")

    f = sub.add_parser("lr-find", help="find a learning rate (range test)",
                       description="Train fresh weights for one short pass while the learning "
                       "rate rises exponentially; print the loss per rate and a suggested rate. "
                       "Takes the same data and model flags as 'workbench train'.")
    add_config_options(f)
    f.add_argument("--start-lr", type=_number, default=1e-6, help="first rate (default 1e-6)")
    f.add_argument("--end-lr", type=_number, default=1.0, help="last rate (default 1)")
    f.add_argument("--iterations", type=_positive_int, default=100,
                   help="updates in the pass (default 100)")
    f.add_argument("--json", action="store_true", help="print the result as one JSON object")

    v = sub.add_parser("evaluate", help="how good a model is: per class, or R², MAE and RMSE",
                       description="Evaluate a model. Classification: confusion matrix, "
                       "precision, recall, F1 and support per class; regression: R², MAE and "
                       "RMSE in the target's units beside always predicting the training "
                       "mean. Without --csv or "
                       "--dataset, on the validation split of the data the model was trained "
                       "on; with one of them, on every sample of that data.")
    v.add_argument("model", help=".wbm model file")
    data_src = v.add_mutually_exclusive_group()
    data_src.add_argument("--csv", help="CSV file with a header row (every row is evaluated)")
    data_src.add_argument("--dataset", choices=BUILTIN_DATASETS,
                          help="built-in data set (every sample is evaluated)")
    v.add_argument("--target", help="CSV target column (default: the model's, else the last)")
    v.add_argument("--json", action="store_true", help="print the result as one JSON object")

    p = sub.add_parser("predict", help="predict a CSV file, or pictures, with a model")
    p.add_argument("model", help=".wbm model file")
    p.add_argument("input", help="CSV file of inputs (header row); for an image model, a "
                   "picture file or a folder of pictures")
    p.add_argument("--out", help="predictions CSV (default: print to stdout)")
    p.add_argument("--sheet", help="Excel workbooks: the sheet to read (default: the first)")
    p.add_argument("--on-error", choices=("stop", "skip"), default="stop",
                   help="a row with an unusable value: stop with a message naming it "
                   "(default), or skip it and list the skipped rows")

    i = sub.add_parser("info", help="show what a model file holds")
    i.add_argument("model", help=".wbm model file")
    i.add_argument("--json", action="store_true")

    e = sub.add_parser("export", help="export a model: ONNX, PyTorch program or training script",
                       description="Export a model. onnx and pt2 take raw features (the "
                       "normalisation is inside); script writes train.py and the train.toml it "
                       "reads, which repeat the run with plain PyTorch, also under torchrun. "
                       "Every export is checked before it is saved.")
    e.add_argument("model", help=".wbm model file")
    # Spelled out rather than read from workbench.core.export, which imports torch: building
    # the parser stays quick for every command.
    e.add_argument("--format", choices=("onnx", "pt2", "script"),
                   help="onnx, pt2 or script (default: from the --out file name)")
    e.add_argument("--out", help="file (or folder) to write; default: next to the model")
    e.add_argument("--json", action="store_true", help="print the result as one JSON object")

    from workbench.bench import add_parser as add_bench

    add_bench(sub)
    desktop.add_subcommands(sub)
    return parser


# -- train --------------------------------------------------------------------------------

_FLAG_FIELDS: dict[str, tuple[str, str]] = {
    "samples": ("data", "samples"), "noise": ("data", "noise"), "target": ("data", "target"),
    "val_split": ("data", "val_split"),
    "epochs": ("run", "epochs"), "batch_size": ("run", "batch_size"),
    "drop_last": ("run", "drop_last"), "patience": ("run", "patience"),
    "device": ("run", "device"), "seed": ("run", "seed"), "threads": ("run", "threads"),
    "dropout": ("model", "dropout"), "input_dropout": ("model", "input_dropout"),
    "hidden": ("model", "hidden"), "activation": ("model", "activation"),
    "model": ("model", "kind"),
    "optimizer": ("optim", "optimizer"), "lr": ("optim", "lr"), "momentum": ("optim", "momentum"),
    "weight_decay": ("optim", "weight_decay"),
    "sheet": ("data", "sheet"), "task": ("data", "task"),
    "categorical": ("data", "categorical"), "numeric": ("data", "numeric"),
    "dates": ("data", "dates"), "ignore": ("data", "ignore"), "na_values": ("data", "na_values"),
}


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    cfg = load_toml(args.config) if args.config else TrainConfig()
    data = cfg.to_dict()
    if args.dataset:
        data["data"]["dataset"] = args.dataset
    if args.csv:
        data["data"].update(dataset="csv", csv_path=str(Path(args.csv).resolve()))
    if args.images:
        data["data"].update(dataset="images", image_dir=str(Path(args.images).resolve()))
    for flag, (section, name) in _FLAG_FIELDS.items():
        value = getattr(args, flag)
        if value is not None:
            data[section][name] = list(value) if isinstance(value, tuple) else value
    # Range checks happen in the engine, once the training-set size is known.
    return TrainConfig.from_dict(data)


class _Printer:
    """Subscriber that prints progress: a bar on a terminal, or JSON lines."""

    def __init__(self, as_json: bool, stream: Any = None) -> None:
        self.as_json = as_json
        self.out = stream or sys.stdout
        self.err = sys.stderr
        self.tty = self.err.isatty() and not as_json
        self.total = 0
        self.epochs = 0
        self.t0 = time.perf_counter()
        self.last_draw = 0.0
        self.done = 0
        self.epoch = 0

    def _emit(self, obj: dict[str, Any]) -> None:
        self.out.write(json.dumps(obj) + "\n")

    def __call__(self, event: Any) -> None:
        from workbench.core.events import (
            EpochEnded,
            IterationsDone,
            RunFailed,
            RunFinished,
            RunStarted,
        )

        if isinstance(event, RunStarted):
            self.total, self.epochs = event.total_iterations, event.epochs
            self.done = event.start_iteration
            if self.as_json:
                self._emit({"event": "start", "train_samples": event.train_samples,
                            "val_samples": event.val_samples,
                            "iterations_per_epoch": event.iterations_per_epoch,
                            "last_batch_size": event.last_batch_size,
                            "total_iterations": event.total_iterations,
                            "epochs": event.epochs, "batch_size": event.batch_size,
                            "device": event.device, "device_name": event.device_name,
                            "parameters": event.parameters, "task": event.task})
            else:
                print(f"Training on {event.device_name}: {event.train_samples} training / "
                      f"{event.val_samples} validation samples, batch {event.batch_size} -> "
                      f"{event.iterations_per_epoch} iterations per epoch (last batch "
                      f"{event.last_batch_size}), {event.total_iterations} in all; "
                      f"{event.parameters:,} parameters.", file=self.err)
        elif isinstance(event, IterationsDone):
            self.done = event.last_iteration
            self.epoch = event.epoch
            if self.as_json:
                write = self.out.write
                for k, loss in enumerate(event.losses.tolist()):
                    write(f'{{"event": "iteration", "epoch": {event.epoch}, '
                          f'"iteration": {event.first_iteration + k}, "loss": {_js(loss)}}}\n')
            elif self.tty:
                self._bar()
        elif isinstance(event, EpochEnded):
            if self.as_json:
                self._emit({"event": "epoch", "epoch": event.epoch,
                            "train_loss": event.train_loss, "val_loss": event.val_loss,
                            "val_accuracy": event.val_accuracy, "lr": event.lr,
                            "seconds": round(event.seconds, 4), "iteration": event.iteration,
                            "best_epoch": event.best_epoch,
                            "patience_left": event.patience_left})
            else:
                if self.tty:
                    self.err.write("\r\033[K")
                msg = f"epoch {event.epoch:>4}/{self.epochs}  train loss {event.train_loss:.4f}"
                if event.val_loss is not None:
                    msg += f"  val loss {event.val_loss:.4f}"
                if event.val_accuracy is not None:
                    msg += f"  val acc {event.val_accuracy:.2%}"
                msg += f"  ({event.seconds:.2f} s)"
                print(msg, file=self.err)
        elif isinstance(event, RunFinished):
            if self.as_json:
                self._emit({"event": "end", "reason": event.reason,
                            "outcome": "at_chance" if event.warning_kind == "chance"
                            else "trained",
                            "warning": event.warning,
                            "best_epoch": event.best_epoch,
                            "weights_epoch": event.weights_epoch,
                            "epochs_completed": event.epochs_completed,
                            "iterations": event.iterations_completed,
                            "seconds": round(event.seconds, 3),
                            "restored_best": event.restored_best,
                            "chance_accuracy": event.chance_accuracy,
                            "val_r2": event.val_r2})
            else:
                extra = f", best epoch {event.best_epoch}" if event.best_epoch else ""
                print(f"Finished ({event.reason.replace('_', ' ')}) after "
                      f"{event.epochs_completed} epochs, {event.iterations_completed} iterations "
                      f"in {event.seconds:.1f} s{extra}.", file=self.err)
        elif isinstance(event, RunFailed) and self.as_json:
            self._emit({"event": "failed", "outcome": _failed_outcome(event.kind),
                        "message": event.message, "kind": event.kind,
                        "epoch": event.epoch, "iteration": event.iteration})
        self.out.flush()

    def _bar(self) -> None:
        now = time.perf_counter()
        if now - self.last_draw < 0.1:
            return
        self.last_draw = now
        frac = self.done / self.total if self.total else 0
        width = 30
        fill = int(frac * width)
        rate = self.done / max(now - self.t0, 1e-9)
        self.err.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {frac:6.1%}  epoch {self.epoch}"
                       f"/{self.epochs}  it {self.done}/{self.total}  {rate:,.0f} it/s")
        self.err.flush()


def output_path(text: str, flag: str) -> Path:
    """``text`` as a file Workbench may write: its folder exists and it is not a folder."""
    out = Path(text)
    if out.is_dir():
        raise UserError(f"{_plain(str(out))} is a folder: give a file name for {flag}.")
    if not out.parent.exists():
        raise UserError(f"Folder {_plain(str(out.parent))} does not exist: create it or "
                        f"choose another {flag}.")
    if not out.parent.is_dir():
        raise UserError(f"{_plain(str(out.parent))} is a file, not a folder: choose another "
                        f"{flag}.")
    return out


def _not_the_input(out: Path, source: str, what: str, flag: str) -> None:
    """Refuse an output path that is the input file itself (it would be replaced)."""
    try:
        same = out.exists() and Path(source).exists() and out.samefile(source)
    except OSError:
        same = False
    if same:
        raise UserError(f"{flag} {_plain(str(out))} is the {what} itself: writing there would "
                        f"replace it. Choose another {flag}.")


def _failed_outcome(kind: str) -> str:
    """"diverged" (the loss exploded or became NaN), "refused" (settings or data) or
    "failed" (out of memory, an error)."""
    if kind in ("nan", "diverged"):
        return "diverged"
    return "refused" if kind in ("config", "data") else "failed"


_NOT_SAVED = {"diverged": "training diverged", "failed": "training failed",
              "refused": "training did not start"}


def _js(x: float) -> str:
    return json.dumps(x) if math.isfinite(x) else json.dumps(str(x))


def cmd_train(args: argparse.Namespace) -> int:
    from workbench.config import save_toml
    from workbench.core.engine import Engine
    from workbench.core.events import RunFailed
    from workbench.core.modelfile import save_model

    cfg = config_from_args(args)
    # Both output paths are checked before any training: a typo costs nothing.
    if args.out:
        output_path(args.out, "--out")
    if args.checkpoint:
        output_path(args.checkpoint, "--checkpoint")
    if args.save_config:
        config_out = output_path(args.save_config, "--save-config")
        try:
            save_toml(cfg, config_out)
        except OSError as exc:
            raise UserError(f"Cannot write {config_out}: {exc.strerror or exc}. "
                            "A file saved there before is unchanged.") from None
    if args.resume:
        from workbench.core.modelfile import load_checkpoint

        load_checkpoint(args.resume)  # a file that is no checkpoint is refused here: exit 2
    engine = Engine(cfg, resume=args.resume, checkpoint_path=args.checkpoint)
    printer = _Printer(args.json)
    run_log = None
    if args.log_dir:
        from workbench.core.runlog import RunLog

        run_log = RunLog(args.log_dir, cfg, checkpoint=args.checkpoint, resume=args.resume)  # a folder it cannot write stops us here

    def on_event(event: Any) -> None:
        printer(event)
        if run_log is not None:
            run_log(event)

    if cfg.data.dataset == "csv" and not args.resume:
        data = engine.prepare()  # a DataError here is the person's to fix: exit 2
        if data.table_info is not None:
            _print_table_info(data.table_info, args.json, printer)
    try:
        result = engine.run(on_event)
    finally:
        if run_log is not None:
            run_log.close()
    if run_log is not None and run_log.error and not args.json:
        print(f"workbench: {run_log.error}", file=sys.stderr)
    if isinstance(result, RunFailed):
        # A failed run's weights are not a trained model: nothing goes to --out.
        outcome = _failed_outcome(result.kind)
        if not args.json:
            print(f"workbench: {result.message}", file=sys.stderr)
            if args.out:
                print(f"Not saved: {_NOT_SAVED[outcome]}; {args.out} was not written.",
                      file=sys.stderr)
        if result.details:
            logging.getLogger("workbench").debug(result.details)
        return EXIT_USER_ERROR if outcome == "refused" else EXIT_RUN_FAILED
    if result.warning and not args.json:
        print(f"Warning: {result.warning}", file=sys.stderr)
    model = engine.trained_model()
    if model is not None and not args.json:
        line = weights_line(model.summary)
        if line:
            print(line, file=sys.stderr)
    if args.out and model is not None:
        save_model(model, args.out)
        if not args.json:
            print(f"Saved model to {args.out}", file=sys.stderr)
    return 0


def weights_line(summary: dict[str, Any]) -> str:
    """"Kept the weights of epoch 7 of 30 (the best validation loss)." or ""."""
    kept, epochs, best = (summary.get("weights_epoch"), summary.get("epochs"),
                          summary.get("best_epoch"))
    if not kept or not epochs:
        return ""
    if kept == best:
        return f"Kept the weights of epoch {kept} of {epochs} (the best validation loss)."
    return f"Kept the weights of epoch {kept} of {epochs} (the last one)."


_ROLE_WORDS = {"numeric": "number", "categorical": "category", "date": "date",
               "text": "free text, left out", "identifier": "identifier, left out",
               "constant": "constant, left out", "ignored": "left out", "target": "target"}


def _print_table_info(info: Any, as_json: bool, printer: _Printer) -> None:
    """What was read and inferred from a table, before training starts."""
    if as_json:
        printer._emit({"event": "table", "file": info.file, "rows": info.rows,
                       "rows_without_target": info.dropped_rows, "task": info.task,
                       "task_reason": info.task_reason, "encoding": info.encoding,
                       "separator": info.separator, "decimal": info.decimal,
                       "columns": [{"name": c.name, "role": c.role.value,
                                    "inferred": c.inferred.value, "reason": c.reason,
                                    "missing": c.missing, "distinct": c.distinct}
                                   for c in info.columns],
                       "warnings": list(info.warnings)})
        return
    sep = {"\t": "tab", r"\s+": "spaces", "": "-"}.get(info.separator, info.separator)
    err = sys.stderr
    print(f"{_plain(info.file)}: {info.rows} rows, encoding {info.encoding}, separator {sep}"
          + (", decimal comma" if info.decimal == "," else "") + ".", file=err)
    width = min(28, max(len(_plain(c.name)) for c in info.columns))
    for c in info.columns:
        note = f"  ({c.reason})" if c.role != c.inferred or not c.role.used else ""
        missing = f", {c.missing} missing" if c.missing else ""
        print(f"  {_plain(c.name)[:width]:<{width}}  {_ROLE_WORDS[c.role.value]:<22} "
              f"{c.distinct} distinct{missing}{note}", file=err)
    print(f"Task: {info.task} ({info.task_reason}); change it with --task.", file=err)
    if info.dropped_rows:
        print(f"Left out {info.dropped_rows} rows without a target value.", file=err)
    for warning in info.warnings:
        print(f"Warning: {_plain(warning)}", file=err)


def _plain(text: str) -> str:
    """Text from a file, safe to print: control characters (escape codes, newlines) shown."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(text))


# -- predict and info ---------------------------------------------------------------------

def cmd_predict(args: argparse.Namespace) -> int:
    from workbench.core.modelfile import load_model
    from workbench.core.predicting import (
        predict_image_files,
        predict_table,
        predictions_csv,
        read_table_for,
        takes_images,
    )

    model = load_model(args.model)
    if takes_images(model):  # a picture file, or a folder of pictures
        result = predict_image_files(model, args.input)
    else:
        table = read_table_for(model, args.input, args.sheet or "")
        result = predict_table(model, table, skip_bad=args.on_error == "skip")
    text = predictions_csv(model, result)
    if args.out:
        from workbench.atomic import atomic_write_bytes

        out = output_path(args.out, "--out")
        _not_the_input(out, args.input, "input file", "--out")
        _not_the_input(out, args.model, "model file", "--out")
        try:
            atomic_write_bytes(out, text.encode("utf-8"))
        except OSError as exc:
            raise UserError(f"Cannot write {out}: {exc.strerror or exc}.") from None
        print(f"Wrote {len(result.rows)} predictions to {args.out}", file=sys.stderr)
    else:
        # Labels come from the model file: escape codes would act on the terminal. Rows keep
        # their line breaks; --out writes the cells as they are (formulas neutralised).
        sys.stdout.write("\n".join(_plain(line) for line in text.split("\n")))
    if result.skipped:
        shown = ", ".join(str(r + 2) for r in result.skipped[:20])
        more = f" and {len(result.skipped) - 20} more" if len(result.skipped) > 20 else ""
        print(f"Skipped {len(result.skipped)} rows that cannot be used (rows {shown}{more}; "
              "the header is row 1).", file=sys.stderr)
    for column, count in result.unseen.items():
        print(f"Column {_plain(column)!r}: {count} values the model never saw in training, "
              "taken as (other).", file=sys.stderr)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from workbench.core.modelfile import describe, load_model

    model = load_model(args.model)
    if args.json:
        print(json.dumps({"task": model.task, "classes": list(model.class_names),
                          "features": list(model.feature_names),
                          "input_shape": list(model.input_shape),
                          "parameters": model.parameters, "config": model.config.to_dict(),
                          "summary": model.summary}, ensure_ascii=False))
    else:
        print(f"{_plain(args.model)}: Workbench model")
        print("\n".join(_plain(line) for line in describe(model)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from workbench.core.export import default_export_path, export_model

    fmt = args.format
    if fmt is None:
        suffixes = {".onnx": "onnx", ".pt2": "pt2", ".py": "script"}
        fmt = suffixes.get(Path(args.out).suffix.lower()) if args.out else None
        if fmt is None:
            raise UserError("Name the export format with --format onnx, pt2 or script.")
    out = args.out or default_export_path(args.model, fmt)
    _not_the_input(Path(out), args.model, "model file", "--out")
    result = export_model(args.model, out, fmt)
    if args.json:
        print(json.dumps({"format": result.format, "path": str(result.path),
                          "files": [str(f) for f in result.files],
                          "seconds": round(result.seconds, 3),
                          "rows_checked": result.rows_checked,
                          "max_abs_diff": result.max_abs_diff, "tolerance": result.tolerance,
                          "inputs": list(result.inputs), "outputs": list(result.outputs),
                          "checks": list(result.checks)}, ensure_ascii=False))
    else:
        print(result.message())
    return 0


# -- evaluate and lr-find ------------------------------------------------------------------

def cmd_evaluate(args: argparse.Namespace) -> int:
    from workbench.core import evaluation as ev
    from workbench.core.modelfile import load_model

    if args.target and not args.csv:
        raise UserError("--target names a column of the --csv file: give --csv too.")
    model = load_model(args.model)
    data, every_row, where = _evaluation_data(args, model)
    if model.task == "classification":
        evaluation = (ev.evaluate_dataset if every_row else ev.evaluate_split)(model, data)
        lines = _evaluation_lines(evaluation, where)
    else:  # R², MAE and RMSE in the target's units, beside always predicting the training mean
        evaluation = (ev.regression_report_dataset if every_row else ev.regression_report)(
            model, data)
        lines = [_plain(line) for line in evaluation.lines(where)]
    if args.json:
        print(json.dumps({"model": str(args.model), "data": where, **evaluation.to_dict()},
                         ensure_ascii=False))
    else:
        print("\n".join(lines))
    return 0


def _evaluation_data(args: argparse.Namespace, model: Any) -> tuple[Any, bool, str]:
    """What ``evaluate`` measures on: (a data set or a prepared split, whether it is every row
    of a data set, the words that say which)."""
    from workbench.core.data import load_dataset, prepare

    cfg = model.config
    if model.preprocess is not None and (args.csv or not args.dataset):
        from workbench.core.data.table_set import dataset_for_model
        from workbench.core.predicting import read_table_for

        path = args.csv or cfg.data.csv_path
        dataset = dataset_for_model(model, read_table_for(model, path, cfg.data.sheet),
                                    args.target or cfg.data.target)
        if args.csv:
            return dataset, True, f"every row of {_plain(Path(args.csv).name)}"
        return (prepare(cfg.data, cfg.run.seed, dataset), False,
                f"the validation split of {_plain(Path(path).name)}")
    if args.csv:
        target = args.target if args.target is not None else cfg.data.target
        source = replace(cfg.data, dataset="csv", csv_path=str(Path(args.csv).resolve()),
                         target=target)
        return (load_dataset(source, cfg.run.seed), True,
                f"every row of {_plain(Path(args.csv).name)}")
    if args.dataset:
        return (load_dataset(replace(cfg.data, dataset=args.dataset), cfg.run.seed), True,
                f"every sample of {args.dataset}")
    return prepare(cfg.data, cfg.run.seed), False, f"the validation split of {cfg.data.dataset}"


def _evaluation_lines(ev: Any, where: str) -> list[str]:
    names = list(ev.class_names)
    width = max(len("weighted avg"), *(len(n) for n in names))
    matrix = ev.matrix
    lines = [(f"{ev.n} samples ({where}); accuracy {ev.accuracy:.2%}, "
              f"{len(ev.misclassified())} misclassified."), "",
             "Confusion matrix (rows: true class, columns: predicted class):",
             " " * width + " " + " ".join(f"{n[:8]:>8}" for n in names)]
    for k, name in enumerate(names):
        lines.append(f"{name:>{width}} " + " ".join(f"{c:>8}" for c in matrix[k]))
    lines += ["", f"{'class':>{width}} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}"]
    precision, recall, f1, support = ev.precision, ev.recall, ev.f1, ev.support
    for k, name in enumerate(names):
        lines.append(f"{name:>{width}} {precision[k]:>9.3f} {recall[k]:>9.3f} {f1[k]:>9.3f} "
                     f"{support[k]:>8}")
    for label, avg in ev.averages().items():
        lines.append(f"{label + ' avg':>{width}} {avg['precision']:>9.3f} "
                     f"{avg['recall']:>9.3f} {avg['f1']:>9.3f} {int(avg['support']):>8}")
    for w in ev.rare_class_warnings():
        lines += ["", (f"Warning: class {w.class_name!r} has only {w.support} samples and "
                       f"the model finds {w.recall:.0%} of them; the overall accuracy of "
                       f"{w.accuracy:.0%} hides this.")]
    return lines


def cmd_lr_find(args: argparse.Namespace) -> int:
    from workbench.core.lrfind import DIVERGED, STOPPED, find_lr

    if not 0 < args.start_lr < args.end_lr:
        raise UserError(f"--start-lr ({args.start_lr:g}) must be above 0 and below --end-lr "
                        f"({args.end_lr:g}).")
    if args.iterations < 5:
        raise UserError(f"--iterations {args.iterations} is too few: use 5 or more.")
    cfg = config_from_args(args)
    result = find_lr(cfg, start_lr=args.start_lr, end_lr=args.end_lr,
                     iterations=args.iterations)
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0
    print(f"{'learning rate':>14} {'loss':>10} {'smoothed':>10}")
    for lr, loss, smooth in zip(result.lrs, result.losses, result.smoothed):
        print(f"{lr:>14.3g} {loss:>10.4f} {smooth:>10.4f}")
    ended = {DIVERGED: "stopped early: the loss diverged",
             STOPPED: "stopped"}.get(result.ended, "completed")
    print(f"{result.iterations} iterations in {result.seconds:.2f} s ({ended}).")
    if result.suggestion is None:
        print(_no_suggestion_line(result))
    else:
        print(f"Suggested learning rate: {result.suggestion:.3g} (steepest descent of the "
              f"smoothed loss; lowest loss at {result.min_loss_lr:.3g}).")
    return 0


def _no_suggestion_line(result: Any) -> str:
    """Why ``workbench lr-find`` suggests nothing, and what to try."""
    from workbench.core import lrfind

    reason = result.no_suggestion_reason
    if reason == lrfind.STOPPED_TOO_EARLY:
        return (f"No suggestion: the pass was stopped after {result.iterations} iterations, "
                "too few to judge. Run it again and let it finish.")
    if reason == lrfind.DIVERGED_AT_ONCE:
        return (f"No suggestion: the loss diverged at once (after {result.iterations} "
                f"iterations, at {result.start_lr:g}). Lower --start-lr, or check the data "
                "(very large or unscaled values, the wrong --target).")
    if reason == lrfind.TOO_SHORT:
        return (f"No suggestion: {result.iterations} iterations are too few to judge. Use "
                "more --iterations.")
    return (f"No suggestion: the loss did not fall (by at least {100 * lrfind.MIN_DROP:g} %) "
            "during the pass. Try a larger --end-lr or more --iterations.")


def cmd_bench(args: argparse.Namespace) -> int:
    from workbench.bench import main as bench_main

    return bench_main(args)


# -- entry points -------------------------------------------------------------------------

SUBCOMMANDS = ("train", "predict", "info", "export", "evaluate", "lr-find", "bench",
               *desktop.SUBCOMMANDS)


def _open_window(argv: list[str]) -> int:
    try:
        from workbench.ui.app import main as ui_main
    except ImportError as exc:
        raise UserError(f"The window cannot start: {exc}. Reinstall Workbench "
                        "(pip install -e .) to get PySide6 and pyqtgraph.") from None
    return ui_main(argv)


class _OneLine(logging.Formatter):
    """A record as one line on the terminal: its traceback, if any, only in the log file."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            return _plain(super().format(record))
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The terminal shows warnings (or WORKBENCH_LOG's level); the log file gets the details.
    console = logging.StreamHandler()
    console.setLevel(os.environ.get("WORKBENCH_LOG", "WARNING").upper())
    console.setFormatter(_OneLine("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(console)
    from workbench.logging_setup import configure_logging

    configure_logging()  # details (tracebacks) go to the log file, never to the terminal
    # A log file that cannot be written (disk full, file-size limit) must not print
    # "--- Logging error ---" and a traceback in front of the person.
    logging.raiseExceptions = False
    handlers = {"train": cmd_train, "predict": cmd_predict, "info": cmd_info,
                "export": cmd_export, "evaluate": cmd_evaluate, "lr-find": cmd_lr_find,
                "bench": cmd_bench,
                **dict.fromkeys(desktop.SUBCOMMANDS, desktop.run_subcommand)}
    try:
        if not argv or (argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help",
                                                                        "--version")):
            # The window takes its own arguments: a model or TOML file to open.
            return _open_window(argv)
        args = build_parser().parse_args(argv)
        return handlers[args.command](args)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"workbench: {_plain(str(problem))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except WorkbenchError as exc:
        # File and folder names inside the message may hold escape codes or line breaks.
        print(f"workbench: {_plain(str(exc))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except MemoryError:
        # An input too large for this machine (a table that unpacks to gigabytes...): a
        # sentence, not a traceback; the details go to the log file.
        logging.getLogger("workbench").info("out of memory", exc_info=True)
        print("workbench: not enough memory to read or build this: use a smaller file "
              "(a sample of the rows) or a smaller model.", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130


def gui_main() -> int:
    """Entry point for desktops without a console."""
    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
