"""What the window shows of the model while it trains: decision boundary and dropout masks.

Everything here runs in the training thread, on the training device, under ``torch.no_grad``,
and leaves the run exactly as it found it: no optimizer step, no running-statistics update, no
draw from torch's global random generator (dropout masks come from a generator of our own), and
every module's train/eval flag restored. A run with the live view on therefore ends with the
same weights, bit for bit, as a run with it off.

The engine asks :meth:`LiveView.due` only where it already reads the clock to hand out loss
blocks, so a live view that is switched off costs nothing per iteration; one that is on costs one
grid forward pass and one probe pass at most every :attr:`LiveView.interval` seconds, and
never more than :attr:`LiveView.max_share` of the training thread's time.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from workbench.core.cnn_inside import (
    feature_maps,
    first_filters,
    has_convolution,
    normalised_sample,
)
from workbench.core.events import LiveViewUpdated
from workbench.core.models import evaluation_mode

GRID_SIZE = 96
GRID_MARGIN = 0.1  # the plane reaches this fraction of the data's span beyond the points
MAX_POINTS = 2000  # points per split sent to the window (a random subset beyond that)
SPREAD_REPEATS = 10
# Two pictures a second still show the boundary move; each one costs the training thread its
# grid pass (~4 ms for the default MLP on one CPU core) and the window a repaint of both views.
# At 4 a second the views took ~8 % of the training speed on 2 cores; going from 2.5 to 2 a
# second moved spiral at batch 32 from the window from 0.93x to 0.96x of the plain loop.
DEFAULT_INTERVAL_S = 0.5
# Pictures may take at most this share of the training thread's time: a large model's grid pass
# (20 ms for 256x256 hidden units on one CPU core) is then made less often than every 0.5 s.
DEFAULT_MAX_SHARE = 0.02


# -- the network's shape -----------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of units in the network diagram: a layer's inputs or outputs."""

    width: int
    dropout: float  # probability of dropping each unit of this column; 0 when no Dropout acts on it


def _dropout_columns(module: nn.Module) -> list[tuple[int, float]]:
    """``(column, p)`` for each Dropout layer in order: the column whose units it drops (the
    inputs of the next Linear layer)."""
    out = []
    column = 0
    for m in module.modules():
        if isinstance(m, nn.Linear):
            column += 1
        elif isinstance(m, nn.Dropout):
            out.append((column, float(m.p)))
    return out


def network_columns(module: nn.Module) -> list[Column]:
    """The fully connected part of a model as columns: each Linear layer's inputs, then outputs.

    A Dropout layer acts on the units of the column before the next Linear layer. A CNN's
    convolutions are not drawn; its first column is the flattened feature maps.
    """
    linears = [m for m in module.modules() if isinstance(m, nn.Linear)]
    if not linears:
        return []
    widths = [linears[0].in_features] + [lin.out_features for lin in linears]
    drops = [0.0] * len(widths)
    for column, p in _dropout_columns(module):
        if column < len(widths):
            drops[column] = p
    return [Column(w, p) for w, p in zip(widths, drops, strict=True)]


def masks_by_column(module: nn.Module, masks: list[np.ndarray], n_columns: int
                    ) -> tuple[np.ndarray, ...]:
    """The probe's masks (one per Dropout layer with p > 0) placed at their columns; columns
    without Dropout get an empty array."""
    placed = [np.zeros(0, dtype=bool) for _ in range(n_columns)]
    active = [column for column, p in _dropout_columns(module) if p > 0]
    for column, mask in zip(active, masks, strict=False):
        if column < n_columns:
            placed[column] = mask
    return tuple(placed)


# -- forward passes that change nothing ------------------------------------------------------

def _dropout_kept(x: torch.Tensor, p: float, generator: torch.Generator) -> torch.Tensor:
    """A keep-mask for one Dropout layer: each unit kept with probability ``1 - p``."""
    return torch.rand(x.shape, generator=generator, device=x.device) >= p


def forward_with_dropout(module: nn.Module, x: torch.Tensor, generator: torch.Generator | None
                         ) -> tuple[torch.Tensor, list[np.ndarray]]:
    """One forward pass of an ``nn.Sequential`` with every Dropout in training mode.

    Dropout works as ``nn.Dropout`` does in training (inverted dropout: each unit zeroed with
    probability p, the kept ones scaled by 1 / (1 - p)) but draws its masks from ``generator``,
    so torch's global random state, which training uses, is untouched. All other layers run in
    eval mode (BatchNorm uses its running statistics and updates nothing). With ``generator``
    None it is a plain eval-mode pass. Returns the output and, per Dropout layer, the keep-mask
    of the first sample (bool, one value per unit).
    """
    masks: list[np.ndarray] = []
    with torch.no_grad(), evaluation_mode(module):
        for layer in module.children() if isinstance(module, nn.Sequential) else [module]:
            if isinstance(layer, nn.Dropout) and generator is not None and layer.p > 0:
                kept = _dropout_kept(x, layer.p, generator)
                scale = 0.0 if layer.p >= 1 else 1.0 / (1.0 - layer.p)
                x = x * kept * scale
                masks.append(kept[0].reshape(-1).cpu().numpy())
            else:
                x = layer(x)
    return x, masks


def outputs_for_people(out: torch.Tensor, classification: bool) -> np.ndarray:
    """Class probabilities (softmax) for classification, the raw values for regression."""
    if classification:
        out = torch.softmax(out.float(), dim=1)
    return out.float().cpu().numpy()


def train_eval_spread(module: nn.Module, x: torch.Tensor, classification: bool,
                      generator: torch.Generator, repeats: int = SPREAD_REPEATS
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The same input ``repeats`` times with Dropout in training mode, then in eval mode.

    Returns two arrays of shape (repeats, len(x), outputs): with dropout > 0 the training-mode
    rows differ from each other; the eval-mode rows are identical.
    """
    train = [outputs_for_people(forward_with_dropout(module, x, generator)[0], classification)
             for _ in range(repeats)]
    evals = [outputs_for_people(forward_with_dropout(module, x, None)[0], classification)
             for _ in range(repeats)]
    return np.stack(train), np.stack(evals)


# -- the decision-boundary plane --------------------------------------------------------------

def boundary_supported(task: str, input_shape: tuple[int, ...]) -> bool:
    """The plane is drawn for classification with exactly two input features."""
    return task == "classification" and tuple(input_shape) == (2,)


def grid_extent(points: np.ndarray, margin: float = GRID_MARGIN
                ) -> tuple[float, float, float, float]:
    """``(x0, x1, y0, y1)``: the points' bounding box widened by ``margin`` of its span."""
    lo = np.nanmin(points, axis=0).astype(np.float64)
    hi = np.nanmax(points, axis=0).astype(np.float64)
    span = np.maximum(hi - lo, 1e-6)
    lo, hi = lo - margin * span, hi + margin * span
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def grid_points(extent: tuple[float, float, float, float], size: int = GRID_SIZE) -> np.ndarray:
    """Cell centres, raw feature units, shape (size * size, 2); row r holds y index r (rows run
    from y0 upwards), column c x index c."""
    x0, x1, y0, y1 = extent
    xs = x0 + (np.arange(size) + 0.5) * (x1 - x0) / size
    ys = y0 + (np.arange(size) + 0.5) * (y1 - y0) / size
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)


def grid_probabilities(module: nn.Module, grid: torch.Tensor, size: int = GRID_SIZE
                       ) -> np.ndarray:
    """Class probabilities over the normalised grid, float32 (size, size, classes)."""
    with torch.no_grad(), evaluation_mode(module):
        probs = torch.softmax(module(grid).float(), dim=1)
    return probs.cpu().numpy().reshape(size, size, -1)


def _subset(points: np.ndarray, labels: np.ndarray, limit: int, seed: int
            ) -> tuple[np.ndarray, np.ndarray]:
    if len(points) <= limit:
        return points, labels
    keep = np.sort(np.random.default_rng(seed).choice(len(points), limit, replace=False))
    return points[keep], labels[keep]


@dataclass(frozen=True)
class Plane:
    """The fixed part of the boundary view for one data set: extent, grid and raw points."""

    extent: tuple[float, float, float, float]
    grid_raw: np.ndarray  # (GRID_SIZE ** 2, 2) raw feature units
    train_points: np.ndarray  # (n, 2) raw
    train_labels: np.ndarray
    val_points: np.ndarray
    val_labels: np.ndarray


def make_plane(x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray, y_val: np.ndarray,
               size: int = GRID_SIZE) -> Plane:
    """The plane over raw (unnormalised) 2-feature points of both splits."""
    train, train_y = _subset(np.asarray(x_train, np.float32), np.asarray(y_train), MAX_POINTS, 0)
    val, val_y = _subset(np.asarray(x_val, np.float32), np.asarray(y_val), MAX_POINTS, 1)
    extent = grid_extent(np.concatenate([train, val]) if len(val) else train)
    return Plane(extent, grid_points(extent, size), train, train_y.astype(np.int64),
                 val, val_y.astype(np.int64))


def plane_from_data(data: object) -> Plane | None:
    """The plane of a PreparedData (its inputs are normalised: mapped back to raw units).

    One plane per data object, made once: runs on the same data hand the window the same
    arrays, so it keeps the points it drew instead of drawing them again at every run's start.
    """
    if not boundary_supported(data.task, tuple(data.input_shape)):
        return None
    with _planes_lock:
        plane = _planes.get(data)
    if plane is None:
        mean, std = np.asarray(data.mean, np.float32), np.asarray(data.std, np.float32)
        plane = make_plane(data.x_train * std + mean, data.y_train, data.x_val * std + mean,
                           data.y_val)
        with _planes_lock:
            plane = _planes.setdefault(data, plane)
    return plane


_planes: weakref.WeakKeyDictionary[object, Plane] = weakref.WeakKeyDictionary()
_planes_lock = threading.Lock()


def boundary_for_model(module: nn.Module, mean: np.ndarray, std: np.ndarray, plane: Plane
                       ) -> np.ndarray:
    """Class probabilities over ``plane`` from a model on the CPU (a finished or opened one)."""
    grid = (plane.grid_raw - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    device = next(module.parameters()).device
    return grid_probabilities(module, torch.as_tensor(grid, dtype=torch.float32, device=device))


# -- the engine's side --------------------------------------------------------------------------

class LiveView:
    """An opt-in request for live pictures, switched from any thread, serviced by the engine.

    ``enabled``, ``spread_requested``, ``filters_requested`` and ``maps_sample`` are plain
    attributes: one Python assignment each, read by the training thread a few times a second.
    ``filters_requested`` asks a CNN for its first convolution's filters and the feature maps of
    validation sample ``maps_sample`` with each picture (a model without convolutions ignores
    it and costs nothing more).
    """

    def __init__(self, enabled: bool = False, interval: float = DEFAULT_INTERVAL_S,
                 max_share: float | None = DEFAULT_MAX_SHARE) -> None:
        self.enabled = enabled
        self.interval = interval
        self.max_share = max_share  # None: only the interval limits the pictures
        self.spread_requested = False
        self.filters_requested = False
        self.maps_sample = 0
        self._next = -float("inf")
        self._count = 0
        self._module: nn.Module | None = None
        self._plane: Plane | None = None
        self._grid: torch.Tensor | None = None
        self._probe: torch.Tensor | None = None
        self._classification = True
        self._columns: tuple[int, ...] = ()
        self._rates: tuple[float, ...] = ()
        self._generator: torch.Generator | None = None
        self._has_conv = False
        self._maps_source: tuple[object, np.ndarray, np.ndarray, torch.device] | None = None

    def begin(self, module: nn.Module, data: object, mean: np.ndarray, std: np.ndarray,
              device: torch.device, seed: int) -> None:
        """Prepare for a run: the grid on the device, a probe sample, the mask generator."""
        self._module = module
        self._classification = data.task == "classification"
        self._plane = plane_from_data(data)
        self._grid = None
        if self._plane is not None:
            grid = (self._plane.grid_raw - np.asarray(mean, np.float32)) / np.asarray(
                std, np.float32)
            self._grid = torch.as_tensor(grid, dtype=torch.float32, device=device)
        # The spread is shown for one fixed sample: the first validation sample, else training.
        source = data.x_val if len(data.x_val) else data.x_train
        raw = source[:1] * data.std + data.mean
        probe = (raw - mean) / std
        self._probe = torch.as_tensor(np.ascontiguousarray(probe, dtype=np.float32),
                                      device=device)
        columns = network_columns(module)
        self._columns = tuple(c.width for c in columns)
        self._rates = tuple(c.dropout for c in columns)
        # Masks and spreads draw from this generator, never from the one training uses.
        self._generator = torch.Generator(device=device).manual_seed(seed + 7919)
        self._has_conv = has_convolution(module)
        self._maps_source = None
        if self._has_conv and len(data.x_val) and len(tuple(data.input_shape)) == 3:
            self._maps_source = (data, np.asarray(mean, np.float32),
                                 np.asarray(std, np.float32), device)
        self._next = -float("inf")

    @property
    def next_due(self) -> float:
        """The ``time.perf_counter()`` time from which the next picture may be made."""
        return self._next

    @property
    def wanted(self) -> bool:
        """True while any picture is asked for (the plane, the spread, a CNN's insides)."""
        return self.enabled or self.spread_requested or (self.filters_requested
                                                         and self._has_conv)

    def due(self, now: float) -> bool:
        """True when a picture is wanted now; the caller then calls :meth:`capture`."""
        return self.wanted and now >= self._next

    def capture(self, sample: torch.Tensor, epoch: int, iteration: int, now: float
                ) -> LiveViewUpdated:
        """The pictures for the current weights; ``sample`` is one sample of the latest batch
        (shape (1, ...)), used for the dropout probe."""
        event = self._capture(sample, epoch, iteration)
        cost = time.perf_counter() - now
        wait = self.interval if self.max_share is None else max(self.interval,
                                                                  cost / self.max_share)
        self._next = now + wait
        return event

    def _capture(self, sample: torch.Tensor, epoch: int, iteration: int) -> LiveViewUpdated:
        self._count += 1
        module = self._module
        assert module is not None and self._generator is not None
        probabilities = None
        if self._grid is not None and self.enabled:
            probabilities = grid_probabilities(module, self._grid)
        _, masks = forward_with_dropout(module, sample, self._generator)
        spread_train = spread_eval = None
        if self.spread_requested:
            self.spread_requested = False
            assert self._probe is not None
            train, evals = train_eval_spread(module, self._probe, self._classification,
                                             self._generator)
            spread_train, spread_eval = train[:, 0], evals[:, 0]
        filters, maps, maps_sample = self._inside_cnn(module)
        plane = self._plane
        return LiveViewUpdated(
            epoch=epoch, iteration=iteration, sequence=self._count,
            probabilities=probabilities,
            extent=plane.extent if plane is not None else None,
            train_points=plane.train_points if plane is not None else None,
            train_labels=plane.train_labels if plane is not None else None,
            val_points=plane.val_points if plane is not None else None,
            val_labels=plane.val_labels if plane is not None else None,
            columns=self._columns, dropout_rates=self._rates,
            dropout_masks=masks_by_column(module, masks, len(self._columns)),
            spread_train=spread_train, spread_eval=spread_eval,
            filters=filters, feature_maps=maps, maps_sample=maps_sample)

    def _inside_cnn(self, module: nn.Module) -> tuple[np.ndarray | None, tuple, int]:
        """The first filters and one validation sample's feature maps, when asked for."""
        if not (self.filters_requested and self._has_conv):
            return None, (), -1
        filters = first_filters(module)
        source = self._maps_source
        if source is None:
            return filters, (), -1
        data, mean, std, device = source
        index = min(max(int(self.maps_sample), 0), len(data.x_val) - 1)
        x = torch.as_tensor(normalised_sample(data, index, mean, std), device=device)
        return filters, tuple(feature_maps(module, x)), index
