"""Concept panel: what the form's numbers mean in epochs, batches and iterations, and where a run is.

The arithmetic sentence ("1050 training samples ÷ batch size 100 = 11 iterations per epoch ...")
is the one a teacher points at; the row of batch cells below it is one epoch, filling up as the
run goes. The counting itself lives in ``workbench.config.iterations_per_epoch`` so the panel can
never disagree with the engine, and the position shown is the run position the status bar shows
(``run_position.py``): the same epoch and iteration, published at the same moment.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QGroupBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from workbench.config import iterations_per_epoch
from workbench.ui import numbers
from workbench.ui.run_position import Phase, RunPosition
from workbench.ui.widgets import release_steady_size, set_steady_text

# Above this many batches per epoch one cell stands for several batches: 60 cells still read as
# separate boxes at ~300 px, and a row of thousands of hairlines would tell nobody anything.
MAX_CELLS = 60

_num = numbers.count  # 1,050 as the form's spin boxes write it


class BatchStrip(QWidget):
    """One epoch as a row of cells, one per batch (or per group of batches), filling up.

    Full batches are equal cells; the last partial batch is drawn narrower (in proportion to its
    size) and hatched; with drop-last the skipped samples are a dashed, empty ghost after the row.
    Painting is cheap (a few dozen rectangles) and only happens when the numbers change.
    """

    CELL_HEIGHT = 22
    GAP = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchStrip")
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setMinimumWidth(160)
        self._batches = 0  # iterations per epoch
        self._batch_size = 1
        self._last = 0  # samples in the last batch that is trained on
        self._skipped = 0  # samples left out each epoch by drop-last
        self._per_cell = 1  # batches per cell
        self._done = 0  # iterations finished in the current epoch
        self._active = False  # a run is under way: highlight the current batch

    # -- state ------------------------------------------------------------------------------
    def set_plan(self, batches: int, batch_size: int, last: int, skipped: int) -> bool:
        """The epoch's shape; True when it changed (and a repaint is scheduled)."""
        per_cell = max(1, math.ceil(batches / MAX_CELLS)) if batches else 1
        new = (batches, max(1, batch_size), last, skipped, per_cell)
        old = (self._batches, self._batch_size, self._last, self._skipped, self._per_cell)
        if new == old:
            return False
        self._batches, self._batch_size, self._last, self._skipped, self._per_cell = new
        self._done = min(self._done, batches)
        self.update()
        return True

    def set_done(self, done: int, active: bool) -> bool:
        done = max(0, min(done, self._batches))
        if (done, active) == (self._done, self._active):
            return False
        self._done, self._active = done, active
        self.update()
        return True

    @property
    def per_cell(self) -> int:
        return self._per_cell

    @property
    def cell_count(self) -> int:
        return math.ceil(self._batches / self._per_cell) if self._batches else 0

    @property
    def filled_count(self) -> int:
        """Cells whose batches have all been trained on in the current epoch."""
        if self._done >= self._batches:
            return self.cell_count
        return self._done // self._per_cell

    @property
    def current_index(self) -> int | None:
        """The cell holding the batch trained most recently (None before the first)."""
        if not self._active or self._done == 0:
            return None
        return (self._done - 1) // self._per_cell

    def _cell_weights(self) -> list[float]:
        """Each cell's width in full-cell units: its samples / the samples of a full cell."""
        cells, per = self.cell_count, self._per_cell
        full_cell = per * self._batch_size
        weights = []
        for i in range(cells):
            first = i * per
            batches = min(per, self._batches - first)
            samples = batches * self._batch_size
            if first + batches == self._batches:  # this cell holds the epoch's last batch
                samples += self._last - self._batch_size
            weights.append(samples / full_cell)
        return weights

    # -- painting ---------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(320, self.CELL_HEIGHT + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self.CELL_HEIGHT + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        weights = self._cell_weights()
        if not weights:
            return
        ghost = self._skipped / (self._per_cell * self._batch_size) if self._skipped else 0.0
        palette = self.palette()
        fill = palette.color(QPalette.Highlight)
        empty = palette.color(QPalette.Base)
        edge = palette.color(QPalette.Mid)
        accent = palette.color(QPalette.Text)
        partial_fill = QColor(fill)
        partial_fill.setAlpha(150)

        # Fewer, thinner gaps when cells get narrow so the row never turns into a grey smear.
        gap = self.GAP if len(weights) <= 40 else 1
        total_gaps = gap * (len(weights) - 1 + (1 if ghost else 0))
        width = self.width() - 2 - total_gaps
        unit = width / (sum(weights) + ghost)
        top, height = 2.0, float(self.CELL_HEIGHT)
        filled, current = self.filled_count, self.current_index
        done_in_current = self._done - filled * self._per_cell

        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing, True)
        x = 1.0
        last_index = len(weights) - 1
        for i, weight in enumerate(weights):
            rect = QRectF(x, top, max(2.0, weight * unit), height)
            partial = i == last_index and self._last < self._batch_size and self._per_cell == 1
            painter.setPen(QPen(edge, 1))
            painter.setBrush(empty)
            painter.drawRoundedRect(rect, 2, 2)
            if i < filled:
                painter.setPen(Qt.NoPen)
                painter.setBrush(partial_fill if partial else fill)
                painter.drawRoundedRect(rect, 2, 2)
            elif i == filled and done_in_current > 0:
                # A grouped cell part-way through: fill the share of its batches already done.
                share = done_in_current / min(self._per_cell, self._batches - i * self._per_cell)
                painter.setPen(Qt.NoPen)
                painter.setBrush(fill)
                painter.drawRoundedRect(QRectF(rect.x(), rect.y(), rect.width() * share,
                                               rect.height()), 2, 2)
            if partial:
                # Hatching marks the smaller last batch whether it is done yet or not.
                painter.setPen(Qt.NoPen)
                painter.setBrush(QBrush(edge, Qt.BDiagPattern))
                painter.drawRoundedRect(rect, 2, 2)
            if i == current:
                painter.setPen(QPen(accent, 2))
                painter.setBrush(Qt.NoBrush)
                painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
            x += rect.width() + gap
        if ghost:
            pen = QPen(edge, 1, Qt.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.NoBrush)
            painter.drawRoundedRect(QRectF(x, top, max(3.0, ghost * unit), height), 2, 2)
        painter.end()


class ConceptPanel(QGroupBox):
    """Epoch, batch and iteration for the current form, and during a run where it is.

    ``set_plan`` follows the form (training-set size, batch size, epochs, drop-last);
    ``set_position`` follows the run (and, after it, says how far it got, while the plan still
    describes that run); ``reset`` goes back to the plan alone. Labels and the strip are only
    touched when what they show changes, so feeding it often costs nothing.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Epoch, batch, iteration"), parent)
        self.setObjectName("conceptPanel")
        self._plan: tuple[int | None, int, int, bool] | None = None
        self._position = RunPosition()
        self._ipe = 0  # iterations per epoch of the plan (0 when unknown)

        self.math_label = QLabel()
        self.math_label.setObjectName("iterationMathLabel")
        self.math_label.setWordWrap(True)
        self.math_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.strip = BatchStrip()
        self.caption_label = QLabel()
        self.caption_label.setObjectName("batchStripCaption")
        self.caption_label.setWordWrap(True)
        self.caption_label.setStyleSheet("color: palette(placeholder-text);")
        self.progress_label = QLabel()
        self.progress_label.setObjectName("conceptProgressLabel")
        self.progress_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(self.math_label)
        layout.addSpacing(2)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.strip)
        layout.addWidget(self.caption_label)
        self.set_plan(None, 32, 30, False)

    # -- public API ---------------------------------------------------------------------------
    @property
    def iterations_per_epoch(self) -> int:
        return self._ipe

    def set_plan(self, n_train: int | None, batch_size: int, epochs: int,
                 drop_last: bool) -> None:
        """What the form means: ``n_train`` None while the training-set size is not known."""
        plan = (n_train, batch_size, epochs, drop_last)
        if plan == self._plan:
            return
        self._plan = plan
        if n_train is None or n_train < 1 or batch_size < 1:
            self._ipe = 0
            self.strip.set_plan(0, max(1, batch_size), 0, 0)
        else:
            self._ipe, last = iterations_per_epoch(n_train, batch_size, drop_last)
            skipped = n_train - self._ipe * batch_size if drop_last else 0
            self.strip.set_plan(self._ipe, batch_size, last, skipped)
        self._set_text(self.math_label, self._math_text())
        self._set_text(self.caption_label, self._caption_text())
        self.caption_label.setVisible(bool(self.caption_label.text()))
        self._show_progress()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        release_steady_size(self.progress_label)  # the position follows the new width

    @property
    def position(self) -> RunPosition:
        return self._position

    def set_position(self, position: RunPosition) -> None:
        """The run position (the one the status bar shows). Shown while the plan describes
        it (same iterations per epoch and epochs); a plan changed since shows alone."""
        if position == self._position:
            return
        self._position = position
        self._show_progress()

    def set_progress(self, epoch: int, iteration_in_epoch: int) -> None:
        """A run under way on the current plan: ``epoch`` in progress (from 1), iterations
        done in it (0 to all)."""
        assert self._plan is not None
        epoch, done = max(1, epoch), max(0, min(iteration_in_epoch, self._ipe))
        self.set_position(RunPosition(
            Phase.RUNNING, epoch=epoch, epochs=self._plan[2],
            iteration=(epoch - 1) * self._ipe + done, total_iterations=self._plan[2] * self._ipe,
            iterations_per_epoch=self._ipe, iteration_in_epoch=done))

    def reset(self) -> None:
        """No run: show the plan alone."""
        self.set_position(RunPosition())

    @property
    def showing_position(self) -> bool:
        """True when the position line describes a run (or a model), not the plan alone."""
        pos = self._position
        return (bool(self._ipe) and pos.shows_counts and pos.epochs == self._plan[2]
                and pos.iterations_per_epoch in (0, self._ipe))

    # -- text ---------------------------------------------------------------------------------
    @staticmethod
    def _set_text(label: QLabel, text: str) -> None:
        if label.text() != text:  # an unchanged label costs no relayout
            label.setText(text)

    def _math_text(self) -> str:
        assert self._plan is not None
        n, batch, epochs, drop_last = self._plan
        epochs_text = (self.tr("1 epoch = {total} iterations.") if epochs == 1
                       else self.tr("{epochs} epochs = {total} iterations."))
        if n is None or n < 1:
            return self.tr(
                "Training samples: not known yet (the data is still being read). With batch "
                "size {batch}, iterations per epoch = training samples ÷ {batch}, rounded "
                "{direction}; {epochs} epochs = {epochs} times that.").format(
                batch=_num(batch), epochs=_num(epochs),
                direction=self.tr("down") if drop_last else self.tr("up"))
        if batch > n:
            return self.tr(
                "{n} training samples ÷ batch size {batch}: the batch is larger than the whole "
                "training set. Use a batch size of {n} or less ({n} means one iteration per "
                "epoch, full-batch training).").format(n=_num(n), batch=_num(batch))
        full, rest = divmod(n, batch)
        total = self._ipe * epochs
        head = self.tr("{n} training samples ÷ batch size {batch} = {ipe} iterations per epoch"
                       ).format(n=_num(n), batch=_num(batch), ipe=_num(self._ipe))
        if self._ipe == 1:
            head = self.tr("{n} training samples ÷ batch size {batch} = 1 iteration per epoch"
                           ).format(n=_num(n), batch=_num(batch))
        if rest == 0:
            detail = (self.tr("(1 full batch)") if full == 1
                      else self.tr("({full} full batches)").format(full=_num(full)))
        elif drop_last:
            detail = (self.tr("(1 full batch; the last {rest} samples are skipped each epoch)")
                      if full == 1 else
                      self.tr("({full} full batches; the last {rest} samples are skipped each "
                              "epoch)")).format(full=_num(full), rest=_num(rest))
        else:
            detail = (self.tr("(1 full batch + 1 of {rest})") if full == 1 else
                      self.tr("({full} full batches + 1 of {rest})")
                      ).format(full=_num(full), rest=_num(rest))
        return self.tr("{head} {detail}. {epochs_text}").format(
            head=head, detail=detail,
            epochs_text=epochs_text.format(epochs=_num(epochs), total=_num(total)))

    def _caption_text(self) -> str:
        assert self._plan is not None
        n, batch, _epochs, drop_last = self._plan
        if not self._ipe:
            return ""  # nothing drawn, nothing to explain
        per = self.strip.per_cell
        if per > 1:
            return self.tr("One epoch: each box is {per} batches of {batch} samples.").format(
                per=_num(per), batch=_num(batch))
        if n is not None and n % batch and not drop_last:
            return self.tr("One epoch: each box is a batch of {batch} samples; the narrow "
                           "hatched one is the last batch of {last}.").format(
                batch=_num(batch), last=_num(n % batch))
        if n is not None and n % batch:
            return self.tr("One epoch: each box is a batch of {batch} samples; the dashed gap "
                           "is the {rest} samples left out.").format(
                batch=_num(batch), rest=_num(n % batch))
        return self.tr("One epoch: each box is a batch of {batch} samples.").format(
            batch=_num(batch))

    def _show_progress(self) -> None:
        assert self._plan is not None
        shown = self.showing_position
        running = shown and self._position.running
        self.strip.setVisible(bool(self._ipe))  # no empty row while the size is unknown
        if self.progress_label.font().bold() != running:
            release_steady_size(self.progress_label)  # another font, another size
            font = self.progress_label.font()
            font.setBold(running)  # the live position stands out; the idle definition does not
            self.progress_label.setFont(font)
        if not shown:
            self.strip.set_done(0, active=False)
            text = (self.tr("One iteration = one batch forward and backward, then one weight "
                            "update.") if self._ipe else "")
            release_steady_size(self.progress_label)
            self._set_text(self.progress_label, text)
            self.progress_label.setVisible(bool(text))
            return
        self.progress_label.setVisible(True)
        pos = self._position
        parts = self._running_parts(pos) if running else self._ended_parts(pos)
        # Each part kept on one line (no-break spaces), so a narrow panel wraps only between
        # "epoch", "batch" and "iteration", never inside "iteration 29 of 220". Several times a
        # second during a run: held in size, so no re-layout of the tab.
        set_steady_text(self.progress_label, self.tr(" · ").join(
            part.replace(" ", "\N{NO-BREAK SPACE}") for part in parts))

    def _iteration_part(self, pos: RunPosition) -> str:
        total = pos.total_iterations or self._plan[2] * self._ipe
        return self.tr("iteration {iteration} of {total}").format(
            iteration=_num(pos.iteration), total=_num(total))

    def _running_parts(self, pos: RunPosition) -> tuple[str, ...]:
        done = min(pos.iteration_in_epoch, self._ipe)
        self.strip.set_done(done, active=True)
        # The batch named is the one just trained on, the iteration the count of those done;
        # before an epoch's first there is none yet.
        batch = (self.tr("batch {batch} of {batches}").format(batch=_num(done),
                                                              batches=_num(self._ipe))
                 if done else self.tr("no batch done yet"))
        return (self.tr("Epoch {epoch} of {epochs}").format(epoch=_num(pos.epoch),
                                                            epochs=_num(pos.epochs)),
                batch, self._iteration_part(pos))

    def _ended_parts(self, pos: RunPosition) -> tuple[str, ...]:
        """After a run (or for an opened model): the epochs completed, as the status bar
        counts them, and how far into the next one a stop part-way got."""
        extra = min(pos.iteration_in_epoch, self._ipe)
        # The row shows the last epoch worked on: the unfinished one's batches, else a full row.
        self.strip.set_done(extra if extra else (self._ipe if pos.epoch else 0), active=False)
        parts = [self.tr("{done} of {epochs} epochs complete").format(
            done=_num(pos.epoch), epochs=_num(pos.epochs))]
        if pos.unfinished_epoch:
            parts.append(self.tr("{batches} of {all} batches of epoch {epoch}").format(
                batches=_num(extra), all=_num(self._ipe), epoch=_num(pos.unfinished_epoch)))
        parts.append(self._iteration_part(pos))
        return tuple(parts)
