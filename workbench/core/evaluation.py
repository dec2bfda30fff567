"""How a model does on data it did not train on.

Classifiers: confusion matrix and per-class figures. Rows of the confusion matrix are true
classes, columns predicted classes. Per-class recall is "the accuracy on that class"; macro
averages weigh every class alike, weighted averages by support, so a rare class the model
ignores shows up in the first and hides in the second (and in plain accuracy).

Regression: R², MAE and RMSE in the target's own units, beside the same figures for always
predicting the training split's mean (the baseline an R² of 0 stands for).

The window's Evaluation tab and ``workbench evaluate`` share these numbers.

Nothing here words a message for people in the window: problems come back as
``EvaluationUnavailable`` with a ``reason`` code that the window turns into translated text.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.core.data import Dataset, PreparedData
    from workbench.core.modelfile import TrainedModel

# A class is "rare" when it has fewer than this fraction of an even share of the samples.
RARE_SHARE = 0.5
# ...and the imbalance trap is pointed out when such a class has recall below this
RARE_RECALL = 0.5
# ...while the overall accuracy looks good (at least this).
HIGH_ACCURACY = 0.8
# The engine validates in chunks of this many samples; the same size keeps the arithmetic equal.
_CHUNK = 4096

# Reasons an evaluation cannot be made (the window translates them; the CLI prints the message).
# REGRESSION: a classifier's views were asked of a regression model.
REGRESSION = "regression"
NO_VALIDATION = "no_validation"
MISMATCH = "mismatch"
UNKNOWN_CLASSES = "unknown_classes"


class EvaluationUnavailable(WorkbenchError):
    """The evaluation views cannot be made; ``reason`` says why (one of the codes above)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class RareClassWarning:
    """A rare class the model mostly misses while the overall accuracy looks high."""

    class_index: int
    class_name: str
    support: int
    recall: float
    accuracy: float


# eq=False: numpy array fields cannot be compared into one bool.
@dataclass(frozen=True, eq=False)
class Evaluation:
    """Predictions on one set of samples and every figure derived from them."""

    class_names: tuple[str, ...]
    y_true: np.ndarray  # int64 class indices, (N,)
    y_pred: np.ndarray  # int64, (N,)
    confidence: np.ndarray  # float32 probability of the predicted class, (N,)
    inputs: np.ndarray  # the samples as people know them (not normalised): (N, F) or (N, C, H, W)
    feature_names: tuple[str, ...] = ()
    seconds: float = 0.0  # time taken to predict and count

    @property
    def n(self) -> int:
        return int(self.y_true.shape[0])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def is_image(self) -> bool:
        return self.inputs.ndim == 4

    @cached_property
    def matrix(self) -> np.ndarray:
        """Confusion counts (K, K) int64: row = true class, column = predicted class."""
        k = self.n_classes
        flat = np.bincount(self.y_true * k + self.y_pred, minlength=k * k)
        return flat.reshape(k, k).astype(np.int64)

    @property
    def row_fractions(self) -> np.ndarray:
        """Each row divided by its total (0 for a class with no samples)."""
        m = self.matrix.astype(np.float64)
        totals = m.sum(axis=1, keepdims=True)
        return np.divide(m, totals, out=np.zeros_like(m), where=totals > 0)

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.matrix)) / self.n if self.n else 0.0

    @property
    def support(self) -> np.ndarray:
        return self.matrix.sum(axis=1)

    @property
    def recall(self) -> np.ndarray:
        """Per class: the share of its samples predicted correctly (the class's accuracy)."""
        m = self.matrix
        return _ratio(np.diag(m), m.sum(axis=1))

    @property
    def precision(self) -> np.ndarray:
        """Per class: the share of predictions of this class that are right."""
        m = self.matrix
        return _ratio(np.diag(m), m.sum(axis=0))

    @property
    def f1(self) -> np.ndarray:
        p, r = self.precision, self.recall
        return _ratio(2 * p * r, p + r)

    def averages(self) -> dict[str, dict[str, float]]:
        """``{"macro": {...}, "weighted": {...}}`` of precision, recall and F1, plus support.

        Classes with no samples in this set count in the macro average with recall 0, as in
        scikit-learn's ``classification_report``.
        """
        support = self.support.astype(np.float64)
        total = float(support.sum())
        figures = {"precision": self.precision, "recall": self.recall, "f1": self.f1}
        macro = {name: float(v.mean()) for name, v in figures.items()}
        weighted = {name: float(np.dot(v, support) / total) if total else 0.0
                    for name, v in figures.items()}
        macro["support"] = weighted["support"] = total
        return {"macro": macro, "weighted": weighted}

    def misclassified(self) -> np.ndarray:
        """Indices (into this evaluation's samples) predicted wrongly, most confident first."""
        wrong = np.flatnonzero(self.y_true != self.y_pred)
        return wrong[np.argsort(-self.confidence[wrong], kind="stable")]

    def cell(self, true_class: int, predicted_class: int) -> np.ndarray:
        """Indices of the samples in one cell of the matrix, most confident first."""
        hits = np.flatnonzero((self.y_true == true_class) & (self.y_pred == predicted_class))
        return hits[np.argsort(-self.confidence[hits], kind="stable")]

    def rare_class_warnings(self) -> list[RareClassWarning]:
        """Rare classes with low recall while overall accuracy is high: the imbalance trap."""
        if self.n == 0 or self.accuracy < HIGH_ACCURACY:
            return []
        support, recall = self.support, self.recall
        even_share = self.n / self.n_classes
        return [RareClassWarning(k, self.class_names[k], int(support[k]), float(recall[k]),
                                 self.accuracy)
                for k in range(self.n_classes)
                if 0 < support[k] < RARE_SHARE * even_share and recall[k] < RARE_RECALL]

    def to_dict(self) -> dict[str, Any]:
        """Plain numbers for JSON: the matrix, per-class figures, averages, warnings."""
        precision, recall, f1, support = self.precision, self.recall, self.f1, self.support
        return {
            "samples": self.n,
            "accuracy": self.accuracy,
            "classes": list(self.class_names),
            "confusion_matrix": self.matrix.tolist(),
            "per_class": [
                {"class": name, "precision": float(precision[k]), "recall": float(recall[k]),
                 "f1": float(f1[k]), "support": int(support[k])}
                for k, name in enumerate(self.class_names)],
            **self.averages(),
            "misclassified": len(self.misclassified()),
            "rare_class_warnings": [
                {"class": w.class_name, "support": w.support, "recall": w.recall}
                for w in self.rare_class_warnings()],
            "seconds": round(self.seconds, 4),
        }


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where den is 0 (scikit-learn's zero_division=0)."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def from_probabilities(y_true: np.ndarray, proba: np.ndarray, class_names: tuple[str, ...],
                       inputs: np.ndarray, feature_names: tuple[str, ...] = (),
                       seconds: float = 0.0) -> Evaluation:
    """An evaluation from class probabilities (N, K) and the true classes."""
    proba = np.asarray(proba)
    y_pred = proba.argmax(axis=1).astype(np.int64) if len(proba) else np.zeros(0, np.int64)
    confidence = (proba[np.arange(len(proba)), y_pred] if len(proba)
                  else np.zeros(0)).astype(np.float32)
    return Evaluation(tuple(class_names), np.asarray(y_true, dtype=np.int64), y_pred,
                      confidence, np.asarray(inputs), tuple(feature_names), seconds)


@contextlib.contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run the block with ``n`` intra-op threads, then put the old count back.

    Torch's default thread count in a worker thread runs small models about three times slower
    on two cores than one thread does (the engine found the same), so background work sets it.
    """
    import torch

    old = torch.get_num_threads()
    if old != n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if torch.get_num_threads() != old:
            torch.set_num_threads(old)


def _check_classifier(model: TrainedModel) -> None:
    if model.task != "classification":
        raise EvaluationUnavailable(
            REGRESSION, "Evaluation views are for classification models; this model predicts "
            "a number (regression).")


def _probabilities(model: TrainedModel, x_normalised: np.ndarray) -> np.ndarray:
    """Softmax outputs for inputs already normalised with the model's own statistics."""
    import torch

    module = model.module.eval()
    outs = []
    with torch.no_grad():
        for start in range(0, len(x_normalised), _CHUNK):
            xb = torch.from_numpy(np.ascontiguousarray(x_normalised[start:start + _CHUNK]))
            outs.append(module(xb))
    if not outs:
        return np.zeros((0, model.n_outputs), dtype=np.float32)
    return torch.softmax(torch.cat(outs), dim=1).numpy()


def evaluate_split(model: TrainedModel, data: PreparedData) -> Evaluation:
    """The model on the validation split of ``data`` (as prepared for its run)."""
    t0 = time.perf_counter()
    _check_classifier(model)
    if data.task != "classification" or tuple(data.class_names) != tuple(model.class_names):
        raise EvaluationUnavailable(
            MISMATCH, "The data has other classes than the model: evaluate it on the data it "
            "was trained for.")
    if tuple(data.input_shape) != tuple(model.input_shape):
        raise EvaluationUnavailable(
            MISMATCH, "The data's inputs do not have the shape the model takes: evaluate it "
            "on the data it was trained for.")
    if data.n_val == 0:
        raise EvaluationUnavailable(
            NO_VALIDATION, "There is no validation split to evaluate on: set a validation "
            "split above 0 and train again.")
    raw = data.x_val * data.std + data.mean
    if np.array_equal(model.mean, data.mean) and np.array_equal(model.std, data.std):
        x = data.x_val  # exactly what the run validated on, so the accuracy agrees to the bit
    else:
        x = ((raw - model.mean) / model.std).astype(np.float32)
    proba = _probabilities(model, x)
    return from_probabilities(data.y_val, proba, model.class_names, raw.astype(np.float32),
                              model.feature_names, time.perf_counter() - t0)


def evaluate_dataset(model: TrainedModel, dataset: Dataset) -> Evaluation:
    """The model on every sample of ``dataset`` (a CSV file or a built-in set), raw inputs."""
    t0 = time.perf_counter()
    _check_classifier(model)
    if dataset.task != "classification":
        raise EvaluationUnavailable(
            MISMATCH, f"The target of {dataset.name!r} holds numbers, not classes; the model "
            f"predicts the classes {', '.join(model.class_names)}.")
    unknown = sorted(set(dataset.class_names) - set(model.class_names))
    if unknown:
        raise EvaluationUnavailable(
            UNKNOWN_CLASSES, f"{dataset.name} has classes the model does not know: "
            f"{', '.join(unknown[:8])}. The model knows {', '.join(model.class_names)}.")
    x = _columns_for(model, dataset)
    mapping = np.array([model.class_names.index(c) for c in dataset.class_names], dtype=np.int64)
    y = mapping[np.asarray(dataset.y, dtype=np.int64)]
    proba = _probabilities(model, ((x - model.mean) / model.std).astype(np.float32))
    return from_probabilities(y, proba, model.class_names, x, model.feature_names,
                              time.perf_counter() - t0)


def _columns_for(model: TrainedModel, dataset: Dataset) -> np.ndarray:
    """The dataset's inputs in the model's column order (by name when it has them all).

    Columns are picked by name before the shape is checked: a CSV may hold more columns (an
    id, a note) than the model takes, and still have every one it needs.
    """
    x = np.asarray(dataset.x, dtype=np.float32)
    names = list(dataset.feature_names)
    wanted = list(model.feature_names)
    if x.ndim == 2 and wanted and names != wanted and set(wanted) <= set(names):
        x = x[:, [names.index(f) for f in wanted]]
    if x.shape[1:] != tuple(model.input_shape):
        want = "x".join(str(s) for s in model.input_shape)
        got = "x".join(str(s) for s in x.shape[1:])
        raise EvaluationUnavailable(
            MISMATCH, f"{dataset.name} has inputs of shape {got}; the model takes {want}.")
    return x


# -- regression ---------------------------------------------------------------------------

# Where the baseline's one prediction comes from: the mean target of the training split (the
# honest baseline: the model saw those rows too), or, for a model file that does not store it,
# the mean of the samples evaluated (then the baseline's R² is exactly 0).
BASELINE_TRAINING = "training split"
BASELINE_EVALUATED = "evaluated samples"


@dataclass(frozen=True)
class RegressionScores:
    """R², MAE and RMSE of one set of predictions; MAE and RMSE in the target's own units."""

    r2: float
    mae: float
    rmse: float


def regression_scores(actual: np.ndarray, predicted: np.ndarray) -> RegressionScores:
    """The figures scikit-learn's r2_score, mean_absolute_error and mean_squared_error give.

    R² = 1 - SS_res / SS_tot, with SS_tot taken about the evaluated targets' own mean. When
    those targets are all equal, R² is 1 for perfect predictions and 0 otherwise, as
    scikit-learn does (``force_finite``). Non-finite predictions (a diverged model) give NaN.
    """
    a = np.asarray(actual, dtype=np.float64).reshape(-1)
    p = np.asarray(predicted, dtype=np.float64).reshape(-1)
    if len(a) == 0:
        return RegressionScores(math.nan, math.nan, math.nan)
    err = a - p
    ss_res = float(np.dot(err, err))
    centred = a - a.mean()
    ss_tot = float(np.dot(centred, centred))
    if not math.isfinite(ss_res):
        r2 = math.nan
    elif ss_tot > 0:
        r2 = 1.0 - ss_res / ss_tot
    else:
        r2 = 1.0 if ss_res == 0 else 0.0
    return RegressionScores(r2, float(np.mean(np.abs(err))), math.sqrt(ss_res / len(a)))


# eq=False: numpy array fields cannot be compared into one bool.
@dataclass(frozen=True, eq=False)
class RegressionEvaluation:
    """A regression model's predictions on one set of samples, beside always predicting the mean.

    Everything is in the target's own units (the network's standardised outputs are turned
    back). ``residuals`` are actual minus predicted: positive where the model predicts too low.
    """

    actual: np.ndarray  # float64 targets, (N,)
    predicted: np.ndarray  # float64 predictions, (N,)
    baseline_value: float  # the one value the baseline predicts for every sample
    baseline_from: str = BASELINE_TRAINING
    target_name: str = ""  # the target column's name; "" when the data names none
    dataset: str = ""  # the data set's name (a built-in set's short name, or a file's)
    seconds: float = 0.0  # time taken to predict and count

    @property
    def n(self) -> int:
        return int(self.actual.shape[0])

    @cached_property
    def residuals(self) -> np.ndarray:
        return self.actual - self.predicted

    @cached_property
    def scores(self) -> RegressionScores:
        return regression_scores(self.actual, self.predicted)

    @cached_property
    def baseline(self) -> RegressionScores:
        """The same figures for predicting ``baseline_value`` every time."""
        return regression_scores(self.actual, np.full(self.n, self.baseline_value))

    @property
    def r2(self) -> float:
        return self.scores.r2

    @property
    def mae(self) -> float:
        return self.scores.mae

    @property
    def rmse(self) -> float:
        return self.scores.rmse

    def to_dict(self) -> dict[str, Any]:
        """Plain numbers for JSON (a NaN of a diverged model becomes null)."""
        res = self.residuals
        finite = res[np.isfinite(res)]
        return {
            "task": "regression",
            "samples": self.n,
            "target": self.target_name or None,
            "r2": _number(self.r2),
            "mae": _number(self.mae),
            "rmse": _number(self.rmse),
            "baseline": {
                "prediction": _number(self.baseline_value),
                "from": self.baseline_from,
                "r2": _number(self.baseline.r2),
                "mae": _number(self.baseline.mae),
                "rmse": _number(self.baseline.rmse),
            },
            "mean_residual": _number(float(finite.mean())) if len(finite) else None,
            "largest_miss": _number(float(np.abs(finite).max())) if len(finite) else None,
            "seconds": round(self.seconds, 4),
        }

    def lines(self, where: str = "") -> list[str]:
        """The figures as plain text for a terminal, ``where`` naming the samples."""
        target = self.target_name or "the target"
        head = f"{self.n} samples" + (f" ({where})" if where else "")
        model, base = self.scores, self.baseline
        rows = [("R²", format_r2(model.r2), format_r2(base.r2)),
                ("MAE", format_value(model.mae), format_value(base.mae)),
                ("RMSE", format_value(model.rmse), format_value(base.rmse))]
        width = max(len(r[1]) for r in rows) + 2
        label = "always the mean"
        lines = [f"{head}; predicting {target}.", "",
                 f"{'':6}{'model':>{width}}  {label:>{len(label)}}"]
        lines += [f"{name:<6}{ours:>{width}}  {theirs:>{len(label)}}" for name, ours, theirs in rows]
        source = ("the training split's mean" if self.baseline_from == BASELINE_TRAINING
                  else "the mean of these samples")
        lines += ["", (f"MAE and RMSE are in the units of {target}. The baseline predicts "
                       f"{format_value(self.baseline_value)} ({source}) for every sample; "
                       f"R² is 1 for perfect predictions, 0 for no better than that baseline, "
                       f"below 0 for worse.")]
        return lines


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_value(value: float) -> str:
    """A figure in the target's units with about four significant digits, written as people
    write it: plain decimals and thousands separators (123.4, 0.04321, 0.00001234, 12,345,678).
    Only figures too small or too large to read that way (below a trillionth, a thousand
    trillion and above) are written as a power of ten ("1.234 × 10⁻¹³"), never as "e-13"."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    size = abs(value)
    if size == 0:
        return "0"
    if size >= 1e15 or size < 1e-12:
        mantissa, exponent = f"{value:.3e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        power = "10" + str(int(exponent)).translate(_SUPERSCRIPT)
        return power if mantissa == "1" else f"{mantissa} × {power}"
    decimals = max(3 - math.floor(math.log10(size)), 0)
    return f"{value:,.{decimals}f}"


def format_r2(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else "nan"


def _check_regressor(model: TrainedModel) -> None:
    if model.task != "regression":
        raise EvaluationUnavailable(
            MISMATCH, "This model predicts classes, not a number: its evaluation is the "
            "confusion matrix and the figures per class.")


def _values(model: TrainedModel, x_normalised: np.ndarray) -> np.ndarray:
    """Predictions in the target's own units (float64) for inputs already normalised."""
    import torch

    module = model.module.eval()
    outs = []
    with torch.no_grad():
        for start in range(0, len(x_normalised), _CHUNK):
            xb = torch.from_numpy(np.ascontiguousarray(x_normalised[start:start + _CHUNK]))
            outs.append(module(xb)[:, 0])
    if not outs:
        return np.zeros(0, dtype=np.float64)
    # As TrainedModel.predict turns them back, in float64 and without its final float32.
    return torch.cat(outs).double().numpy() * model.target_std + model.target_mean


def target_name_of(model: TrainedModel, data: PreparedData | None = None) -> str:
    """The target column's name where a table names it; "" otherwise (built-in sets)."""
    from workbench.core.data.tables import Role

    info = data.table_info if data is not None else None
    if info is not None:
        for column in info.columns:
            if column.role == Role.TARGET:
                return column.name
    return model.config.data.target if model.preprocess is not None else ""


def regression_report(model: TrainedModel, data: PreparedData) -> RegressionEvaluation:
    """A regression model on the validation split of ``data`` (as prepared for its run).

    The baseline predicts the mean target of the training split for every sample.
    """
    t0 = time.perf_counter()
    _check_regressor(model)
    if data.task != "regression":
        raise EvaluationUnavailable(
            MISMATCH, "The data's target holds classes, but the model predicts a number: "
            "evaluate it on the data it was trained for.")
    if tuple(data.input_shape) != tuple(model.input_shape):
        raise EvaluationUnavailable(
            MISMATCH, "The data's inputs do not have the shape the model takes: evaluate it "
            "on the data it was trained for.")
    if data.n_val == 0:
        raise EvaluationUnavailable(
            NO_VALIDATION, "There is no validation split to evaluate on: set a validation "
            "split above 0 and train again.")
    if np.array_equal(model.mean, data.mean) and np.array_equal(model.std, data.std):
        x = data.x_val  # exactly what the run validated on
    else:
        raw = data.x_val * data.std + data.mean
        x = ((raw - model.mean) / model.std).astype(np.float32)
    predicted = _values(model, x)
    if data.n_train:
        baseline, source = float(np.mean(data.y_train, dtype=np.float64)), BASELINE_TRAINING
    else:
        baseline, source = _stored_mean(model, data.y_val)
    return RegressionEvaluation(np.asarray(data.y_val, dtype=np.float64), predicted, baseline,
                                source, target_name_of(model, data), data.name,
                                time.perf_counter() - t0)


def regression_report_dataset(model: TrainedModel, dataset: Dataset,
                              target_name: str = "") -> RegressionEvaluation:
    """A regression model on every sample of ``dataset`` (for a table file, one made with
    the model's own preprocessing: ``dataset_for_model``).

    The baseline predicts the training split's mean the model file stores; a file without
    it (format 1) gets the mean of these samples instead, and says so.
    """
    t0 = time.perf_counter()
    _check_regressor(model)
    if dataset.task != "regression":
        raise EvaluationUnavailable(
            MISMATCH, f"The target of {dataset.name!r} holds classes, not numbers; the model "
            f"predicts a number.")
    x = _columns_for(model, dataset)
    if len(x) == 0:
        raise EvaluationUnavailable(NO_VALIDATION, f"{dataset.name} holds no samples.")
    actual = np.asarray(dataset.y, dtype=np.float64).reshape(-1)
    predicted = _values(model, ((x - model.mean) / model.std).astype(np.float32))
    baseline, source = _stored_mean(model, actual)
    return RegressionEvaluation(actual, predicted, baseline, source,
                                target_name or target_name_of(model), dataset.name,
                                time.perf_counter() - t0)


def _stored_mean(model: TrainedModel, actual: np.ndarray) -> tuple[float, str]:
    """The training split's mean target from the model file; else these samples' mean."""
    if (model.target_mean, model.target_std) != (0.0, 1.0):
        return float(model.target_mean), BASELINE_TRAINING
    return float(np.mean(actual, dtype=np.float64)), BASELINE_EVALUATED
