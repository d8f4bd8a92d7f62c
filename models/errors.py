"""The one exception root. Each subclass carries the CLI exit code and a message that tells
the user the fix. A file that cannot be read is not a run failure: ``FileReadError`` is
caught per file and becomes a FILE_UNREADABLE finding."""

from __future__ import annotations


class IntakeError(Exception):
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(IntakeError):
    """A round config or an option that cannot be used."""

    exit_code = 2


class DependencyMissing(IntakeError):
    """A system program the run needs is absent (LibreOffice, Tesseract)."""

    exit_code = 3


class InputFolderError(IntakeError):
    """The received folder does not exist or cannot be listed."""

    exit_code = 4


class FileReadError(IntakeError):
    """One file cannot be opened or parsed. ``message`` is Chinese, for the reviewer."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail  # English technical detail for the log


class ValueParseError(IntakeError, ValueError):
    """A value (amount, date, percent, code) that cannot be parsed."""
