"""What goes wrong when the user's code is re-run for a check: plain messages, no torch."""

from __future__ import annotations

from dataclasses import dataclass

from autograd_playground.core.i18n.catalog import Message


def _as_message(message: str | Message, message_zh: str) -> Message:
    if isinstance(message, Message):
        return message
    return Message(message, message_zh or message)


@dataclass(frozen=True)
class ScratchFailure:
    """Why a scratch computation could not be done, as plain data for the GUI."""

    message: Message
    line: int | None = None
    details: str = ""
    message_zh: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", _as_message(self.message, self.message_zh))

    def message_in(self, language: str) -> str:
        """Return the message in ``language``."""
        return self.message.in_language(language)


class ScratchError(Exception):
    """The code cannot be re-run as asked; the message says why, in the user's terms."""

    def __init__(
        self,
        message: str | Message,
        line: int | None = None,
        details: str = "",
        message_zh: str = "",
    ) -> None:
        self.message = _as_message(message, message_zh)
        super().__init__(self.message.in_language("en"))
        self.line = line
        self.details = details

    def failure(self) -> ScratchFailure:
        """Return this error as plain data."""
        return ScratchFailure(self.message, self.line, self.details)


class ScratchStopped(ScratchError):
    """The time budget ran out, or Stop was pressed."""
