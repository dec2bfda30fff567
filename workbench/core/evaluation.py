"""How a classifier does on data it did not train on: confusion matrix and per-class figures.

The window's Evaluation tab and ``workbench evaluate`` share these numbers. Rows of the
confusion matrix are true classes, columns predicted classes. Per-class recall is "the accuracy
on that class"; macro averages weigh every class alike, weighted averages by support, so a rare
class the model ignores shows up in the first and hides in the second (and in plain accuracy).

Nothing here words a message for people in the window: problems come back as
``EvaluationUnavailable`` with a ``reason`` code that the window turns into translated text.
"""

from __future__ import annotations

import contextlib
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
