"""Errors for bad input: one clear message naming file, line, column and what was expected."""

from __future__ import annotations

from pathlib import Path


class WijkmonitorError(Exception):
    """Base class of all errors the workbench raises on purpose (CLI exits non-zero)."""


class InputError(WijkmonitorError):
    """Bad raw input.

    The message names the file, the line (1-based as a text editor shows it, header = line 1)
    and the column where known, and says what was expected. Attributes keep the parts for tests.
    """

    def __init__(
        self,
        file: str | Path | None,
        message: str,
        *,
        line: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.expected = expected
        self.detail = message
        parts = []
        if self.file:
            parts.append(f"bestand '{self.file}'")
        if line is not None:
            parts.append(f"regel {line}")
        if column is not None:
            parts.append(f"kolom '{column}'")
        where = ", ".join(parts)
        text = f"{where}: {message}" if where else message
        if expected:
            text += f" (verwacht: {expected})"
        super().__init__(text)


class RegistryError(WijkmonitorError):
    """A registry in ``params/`` is invalid or does not match the data in use."""


class PublicationGuardError(WijkmonitorError):
    """Content that must not be published (small n, unreleased story, unescaped text...)."""
