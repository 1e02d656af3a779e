"""Errors for bad input: one clear message naming file, line, column and what was expected."""

from __future__ import annotations

from pathlib import Path


class WijkmonitorError(Exception):
    """Base class of all errors the workbench raises on purpose (CLI exits non-zero).

    In a notebook (IPython/Jupyter, papermill) such an error is shown as its Dutch message
    only, without a Python traceback (IPython calls :meth:`_render_traceback_`).
    """

    def _render_traceback_(self) -> list[str]:
        return [f"Fout: {self}"]


def _located(file: str | None, message: str, line: int | None, column: str | int | None,
             expected: str | None) -> str:
    parts = []
    if file:
        parts.append(f"bestand '{file}'")
    if line is not None:
        parts.append(f"regel {line}")
    if isinstance(column, int):
        parts.append(f"kolom {column}")
    elif column is not None:
        parts.append(f"kolom '{column}'")
    where = ", ".join(parts)
    text = f"{where}: {message}" if where else message
    if expected:
        text += f" (verwacht: {expected})"
    return text


class InputError(WijkmonitorError):
    """Bad raw input.

    The message names the file, the line (1-based as a text editor shows it, header = line 1)
    and the column where known, and says what was expected. Attributes keep the parts for tests.
    ``column`` is a column name (a header cell, as the file spells it) or, for text formats
    without named columns (YAML), the 1-based character position.
    """

    def __init__(
        self,
        file: str | Path | None,
        message: str,
        *,
        line: int | None = None,
        column: str | int | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.expected = expected
        self.detail = message
        super().__init__(_located(self.file, message, line, column, expected))


class RegistryError(WijkmonitorError):
    """A registry in ``params/`` is invalid or does not match the data in use."""


class YamlSyntaxError(InputError, RegistryError):
    """A YAML file in ``params/`` is not valid YAML (file, 1-based line and column)."""


class PublicationGuardError(WijkmonitorError):
    """Content that must not be published (small n, unreleased story, unescaped text...)."""
