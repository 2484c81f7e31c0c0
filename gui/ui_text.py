"""The language of the app's menus and panels: English or Simplified Chinese.

The language is Qt's default locale, set once when the window is built (from the
saved choice, else the system's language). Widgets ask ``tr`` for each text as they
build themselves; lessons switch language at once, menus and panels at the next start.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

from autograd_playground.core.i18n.languages import language_for_locale, normalize_language

SETTINGS_KEY = "language"
_LOCALES = {
    "en": (QLocale.Language.English, QLocale.Country.UnitedStates),
    "zh": (QLocale.Language.Chinese, QLocale.Country.China),
}


def system_language() -> str:
    """Return the language the system's locale asks for ("zh" or "en")."""
    return language_for_locale(QLocale.system().name())


def saved_language(value: object) -> str:
    """Return the language a saved setting names, or the system's when it names none."""
    return normalize_language(value, system_language())


def apply_ui_language(language: str) -> None:
    """Make ``language`` the one ``tr`` answers in, for every widget built from now on."""
    QLocale.setDefault(QLocale(*_LOCALES[normalize_language(language)]))


def ui_language() -> str:
    """Return the language menus and panels are shown in."""
    return language_for_locale(QLocale().name())


def tr(english: str, chinese: str) -> str:
    """Return the text for the app's language: ``chinese`` in Chinese, else ``english``."""
    return chinese if ui_language() == "zh" else english
