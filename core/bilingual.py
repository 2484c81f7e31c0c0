"""Teaching texts carried in both languages, so the panel showing them picks one."""

from __future__ import annotations


def pick(english: str, chinese: str, language: str) -> str:
    """Return ``chinese`` when ``language`` is "zh" and there is one, else ``english``."""
    return chinese if language == "zh" and chinese else english
