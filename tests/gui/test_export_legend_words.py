"""An exported drawing's legend says what the window's says, colour for colour."""

from autograd_playground.core.render.legend import BORDER_TEXTS, KIND_TEXTS, NONFINITE_TEXT
from autograd_playground.gui.graph.legend import entries


def test_the_export_words_each_entry_as_the_english_window_does():
    window = [(key, text, marking) for key, text, _style, marking in entries()]
    kinds = [(key, text) for key, text, _marking in window[: len(KIND_TEXTS)]]
    assert kinds == list(KIND_TEXTS.items())
    markings = [text for _key, text, marking in window[len(KIND_TEXTS) :] if marking != "badge"]
    assert markings == [*BORDER_TEXTS.values(), NONFINITE_TEXT]
