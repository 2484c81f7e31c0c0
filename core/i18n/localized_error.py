"""Bad input explained to the reader, in whichever language they read the app in."""

from __future__ import annotations

from autograd_playground.core.i18n.catalog import Message


class LocalizedError(ValueError):
    """Bad input whose message is a ``Message``, shown in the reader's language.

    ``str(error)`` is the English message, for logs and tracebacks.
    """

    def __init__(self, message: Message) -> None:
        super().__init__(message.in_language("en"))
        self.message = message

    def message_in(self, language: str) -> str:
        """Return the message in ``language``."""
        return self.message.in_language(language)
