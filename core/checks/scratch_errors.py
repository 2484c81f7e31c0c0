"""What goes wrong when the user's code is re-run for a check: plain messages, no torch."""

from __future__ import annotations

from dataclasses import dataclass

from autograd_playground.core.i18n.catalog import Message


@dataclass(frozen=True)
class ScratchFailure:
    """Why a scratch computation could not be done, as plain data for the GUI."""

    message: Message
    line: int | None = None
    details: str = ""

    def message_in(self, language: str) -> str:
        """Return the message in ``language``."""
        return self.message.in_language(language)


class ScratchError(Exception):
    """The code cannot be re-run as asked; the message says why, in the user's terms."""

    def __init__(self, message: Message, line: int | None = None, details: str = "") -> None:
        super().__init__(message.in_language("en"))
        self.message = message
        self.line = line
        self.details = details

    def failure(self) -> ScratchFailure:
        """Return this error as plain data."""
        return ScratchFailure(self.message, self.line, self.details)


class ScratchStopped(ScratchError):
    """The time budget ran out, or Stop was pressed."""
