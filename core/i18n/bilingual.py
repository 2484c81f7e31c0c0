"""Teaching texts carried in both languages, so the panel showing them picks one."""

from __future__ import annotations


def pick(english: str, chinese: str, language: str) -> str:
    """Return ``chinese`` when ``language`` is "zh" and there is one, else ``english``."""
    return chinese if language == "zh" and chinese else english


class BilingualError(ValueError):
    """Bad input whose message is written in both languages.

    ``str(error)`` is the English message; ``chinese`` the same in Simplified Chinese.
    """

    def __init__(self, english: str, chinese: str = "") -> None:
        super().__init__(english)
        self.chinese = chinese

    def message_in(self, language: str) -> str:
        """Return the message in ``language`` ("zh" or "en"), English when none is written."""
        return pick(str(self), self.chinese, language)
