"""The languages the app speaks: English, and one more for each message catalog shipped.

A language is added by adding its catalog, ``assets/locale/<code>/LC_MESSAGES/
autograd_playground.mo`` (and the lessons' ``[<code>]`` tables); no code names it.
"""

from __future__ import annotations

from pathlib import Path

from autograd_playground.core.i18n.catalog import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LOCALE_DIR,
    translate_in_context,
)


def available_languages(locale_dir: Path) -> tuple[str, ...]:
    """Return English, then the code of each language with a compiled catalog in
    ``locale_dir``, in alphabetical order."""
    found = sorted(
        folder.name
        for folder in locale_dir.iterdir()
        if (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    )
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


LANGUAGES: tuple[str, ...] = available_languages(LOCALE_DIR)


def language_name(language: str) -> str:
    """Return the name of ``language`` as shown in menus (its own name for itself), so a
    reader finds theirs in any setting."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    # Each catalog translates "English", in the context "language name", as its own
    # language's name for itself (简体中文), not as its word for English.
    return translate_in_context("language name", "English", language)


def language_for_locale(locale_name: str | None) -> str:
    """Return the language a locale name asks for ("zh" for zh, zh_CN, zh-Hans-CN…),
    English for one the app does not speak."""
    if not locale_name:
        return DEFAULT_LANGUAGE
    primary = locale_name.replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def normalize_language(value: object, fallback: str = DEFAULT_LANGUAGE) -> str:
    """Return ``value`` if it is a known language code, else ``fallback``.

    Used on values read back from settings, which may hold anything.
    """
    if isinstance(value, str) and value in LANGUAGES:
        return value
    return fallback
