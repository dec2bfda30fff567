"""The app's own error types. Their messages are for people: what happened, what to do."""

from __future__ import annotations


class WorkbenchError(Exception):
    """A problem a user can fix (bad input, bad file); shown without a traceback."""


class DataError(WorkbenchError):
    """The data cannot be loaded or used for training."""


class ModelFileError(WorkbenchError):
    """A model file cannot be read, or is not a Workbench model."""


class TrainingError(WorkbenchError):
    """Training cannot start or continue (e.g. incompatible model to continue from)."""
