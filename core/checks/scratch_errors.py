"""What goes wrong when the user's code is re-run for a check: plain messages, no torch."""

from __future__ import annotations

from dataclasses import dataclass

from autograd_playground.core.i18n.bilingual import pick


@dataclass(frozen=True)
class ScratchFailure:
    """Why a scratch computation could not be done, as plain data for the GUI."""

    message: str
    line: int | None = None
    details: str = ""
    message_zh: str = ""

    def message_in(self, language: str) -> str:
        """Return the message in ``language`` ("en" or "zh"; English where none was written)."""
        return pick(self.message, self.message_zh, language)


class ScratchError(Exception):
    """The code cannot be re-run as asked; the message says why, in the user's terms."""

    def __init__(
        self, message: str, line: int | None = None, details: str = "", message_zh: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.details = details
        self.message_zh = message_zh

    def failure(self) -> ScratchFailure:
        """Return this error as plain data."""
        return ScratchFailure(self.message, self.line, self.details, self.message_zh)


class ScratchStopped(ScratchError):
    """The time budget ran out, or Stop was pressed."""
