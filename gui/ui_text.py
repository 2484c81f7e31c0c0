"""The language of the app's menus and panels.

The language is Qt's default locale, set once when the window is built (from the
saved choice, else the system's language). Widgets ask ``tr`` for each text as they
build themselves, which looks it up in that language's message catalog
(``core.i18n.catalog``); lessons switch language at once, menus and panels at the next
start.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale

from autograd_playground.core.i18n.catalog import (
    set_current_language,
    translate,
    translate_in_context,
)
from autograd_playground.core.i18n.languages import language_for_locale, normalize_language

SETTINGS_KEY = "language"


def system_language() -> str:
    """Return the language the system's locale asks for ("zh" or "en")."""
    return language_for_locale(QLocale.system().name())


def saved_language(value: object) -> str:
    """Return the language a saved setting names, or the system's when it names none."""
    return normalize_language(value, system_language())


def apply_ui_language(language: str) -> None:
    """Make ``language`` the one ``tr`` answers in, for every widget built from now on."""
    language = normalize_language(language)
    QLocale.setDefault(QLocale(language))
    set_current_language(language)


def ui_language() -> str:
    """Return the language menus and panels are shown in."""
    return language_for_locale(QLocale().name())


def tr(english: str, /, **params: Any) -> str:
    """Return the English text ``english`` in the app's language, ``params`` filled in."""
    return translate(english, ui_language(), **params)


def tr_in_context(context: str, english: str, /, **params: Any) -> str:
    """Return ``english`` as used in ``context`` in the app's language, like ``tr``.

    For an English word two places translate differently ("Fit" a view, "Fit" a curve).
    """
    return translate_in_context(context, english, ui_language(), **params)
