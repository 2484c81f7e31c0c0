"""The app's texts in any language: English is the message id, other languages are catalogs.

Each language other than English has a gettext catalog,
``assets/locale/<language>/LC_MESSAGES/autograd_playground.mo``, compiled from the ``.po``
file beside it; adding a language means adding a catalog, not changing code. Texts with
values in them use named placeholders (``"{name} has no grad_fn"``) so a translation can
put the values where its grammar needs them.

Core builds some messages on the engine thread that are shown later, in whichever
language the interface has by then: those are ``Message`` values (the id and its
values), turned into text only when shown.
"""

from __future__ import annotations

import gettext
from functools import cache
from typing import Any

from autograd_playground.assets import asset_path

# English is every message's id: it needs no catalog.
DEFAULT_LANGUAGE = "en"
DOMAIN = "autograd_playground"
LOCALE_DIR = asset_path("locale")

# The calls that carry a message id, for Babel's extractor: most take it first; the
# "_in_context" ones first take a context telling apart two uses of one English word.
EXTRACT_KEYWORDS: dict[str, tuple | None] = {
    "tr": None,
    "translate": None,
    "N_": None,
    "Message": None,
    "tr_in_context": ((1, "c"), 2),
    "translate_in_context": ((1, "c"), 2),
}

_current = [DEFAULT_LANGUAGE]


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def translate(msgid: str, language: str, /, **params: Any) -> str:
    """Return ``msgid`` in ``language`` with ``params`` filled into its placeholders.

    Without ``params`` the text is returned as it is, so a text with literal braces needs
    no escaping; English, and any text a catalog lacks, is the message id itself.
    """
    text = _catalog(language).gettext(msgid) if msgid else msgid
    return text.format(**params) if params else text


def translate_in_context(context: str, msgid: str, language: str, /, **params: Any) -> str:
    """Return ``msgid`` as used in ``context`` (where one English word needs two
    translations), in ``language``, with ``params`` filled in."""
    text = _catalog(language).pgettext(context, msgid)
    return text.format(**params) if params else text


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction and return it untranslated, to translate later."""
    return msgid


def set_current_language(language: str) -> None:
    """Make ``language`` the one ``str(message)`` answers in (the interface's language)."""
    _current[0] = language


def current_language() -> str:
    """Return the language ``str(message)`` answers in."""
    return _current[0]


class Message:
    """A text to show later in whichever language is asked for then: an id and its values.

    Values that are themselves ``Message``s are translated into the same language.
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params: Any) -> None:
        self.msgid = msgid
        self.params = params

    def in_language(self, language: str) -> str:
        """Return the text in ``language``."""
        values = {
            key: value.in_language(language) if isinstance(value, Message) else value
            for key, value in self.params.items()
        }
        return translate(self.msgid, language, **values)

    def __str__(self) -> str:
        return self.in_language(current_language())

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.msgid, self.params) == (other.msgid, other.params)

    def __hash__(self) -> int:
        return hash((self.msgid, tuple(sorted(self.params))))


def text_in(value: str | Message | None, language: str) -> str | None:
    """Return ``value`` in ``language``: a ``Message`` translated, a plain text as it is."""
    return value.in_language(language) if isinstance(value, Message) else value
