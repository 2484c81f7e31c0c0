"""Teaching texts carried in both languages, so the panel showing them picks one."""

from __future__ import annotations

from autograd_playground.core.i18n.catalog import Message


def pick(english: str, chinese: str, language: str) -> str:
    """Return ``chinese`` when ``language`` is "zh" and there is one, else ``english``."""
    return chinese if language == "zh" and chinese else english


class BilingualError(ValueError):
    """Bad input whose message is shown in the reader's language.

    ``str(error)`` is the English message; ``message`` the ``Message`` to show.
    """

    def __init__(self, message: str | Message, chinese: str = "") -> None:
        if not isinstance(message, Message):
            message = Message(message, chinese or message)
        super().__init__(message.in_language("en"))
        self.message = message

    def message_in(self, language: str) -> str:
        """Return the message in ``language``."""
        return self.message.in_language(language)
