"""The languages lessons are written in, and the default one for a locale."""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("en", "zh")
DEFAULT_LANGUAGE = "en"
# Each language as its own speakers name it, so a reader finds theirs in any setting.
_LANGUAGE_NAMES: tuple[tuple[str, str], ...] = (("en", "English"), ("zh", "简体中文"))


def language_name(language: str) -> str:
    """Return the name of ``language`` as shown in menus (its own name for itself)."""
    for code, name in _LANGUAGE_NAMES:
        if code == language:
            return name
    raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")


def language_for_locale(locale_name: str | None) -> str:
    """Return "zh" for a Chinese locale name (zh, zh_CN, zh-Hans-CN…), else "en"."""
    if not locale_name:
        return DEFAULT_LANGUAGE
    primary = locale_name.replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()
    return "zh" if primary == "zh" else DEFAULT_LANGUAGE


def normalize_language(value: object, fallback: str = DEFAULT_LANGUAGE) -> str:
    """Return ``value`` if it is a known language code, else ``fallback``.

    Used on values read back from settings, which may hold anything.
    """
    if isinstance(value, str) and value in LANGUAGES:
        return value
    return fallback
