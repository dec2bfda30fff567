"""The app's own error types. Their messages are for people: what happened, what to do.

An error made from a template (``from_template``) also keeps the template and its parameters,
so the window can show the same sentence translated while the CLI prints the English one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self


class WorkbenchError(Exception):
    """A problem a user can fix (bad input, bad file); shown without a traceback.

    ``template``: the English message with ``{name}`` placeholders ("" when the message was
    written out in full); ``params``: the values that fill them in. A parameter may itself be a
    ``WorkbenchError`` (one message inside another); it is formatted as its message.
    """

    def __init__(self, *args: object, template: str = "",
                 params: Mapping[str, Any] | None = None) -> None:
        super().__init__(*args)
        self.template = template
        self.params: dict[str, Any] = dict(params or {})

    @classmethod
    def from_template(cls, template: str, /, **params: Any) -> Self:
        """The error whose message is ``template`` filled in with ``params``."""
        return cls(template.format(**params), template=template, params=params)


class DataError(WorkbenchError):
    """The data cannot be loaded or used for training."""


class ModelFileError(WorkbenchError):
    """A model file cannot be read, or is not a Workbench model."""


class TrainingError(WorkbenchError):
    """Training cannot start or continue (e.g. incompatible model to continue from)."""
