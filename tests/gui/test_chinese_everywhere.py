"""No English word is left in the Chinese interface: every widget, menu and tooltip."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

# Words a Chinese interface keeps in Latin letters: code the learner types (PyTorch's
# names, Python's), formulas, the names of products and of languages in their own words.
_CODE_AND_NAMES = """
    PyTorch torch nn Python NumPy numpy Autograd autograd Playground Adam SGD lr grad
    backward Tensor tensor dtype float32 float64 ReLU MSELoss Linear Module params model
    X y x w b Xw d2l True False None JSON CPU CUDA MPS cpu cuda mps J v onehot gradcheck
    functional jacobian PNG SVG CSV English MLP tanh relu sigmoid
"""
CODE_AND_NAMES = frozenset(_CODE_AND_NAMES.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# What is not prose: markup, code blocks and `code`, mnemonics and keys such as "(&F)"
# or "（Z）", key sequences such as "Ctrl+Shift+R", and numbers such as 1e-3.
_NOT_PROSE = re.compile(
    r"<pre>.*?</pre>|<[^>]+>|&[a-z]+;|`[^`]*`|[(（]&?[A-Z0-9][)）]|&(?=\w)"
    r"|\b(?:Ctrl|Shift|Alt|Meta)\+(?:\w+\+)*\S+|\d+(?:\.\d+)?e[-+]?\d+",
    re.DOTALL,
)


def _menu_texts(menu: QMenu) -> list[str]:
    texts = [menu.title(), menu.toolTip()]
    for action in menu.actions():
        texts += [action.text(), action.toolTip(), action.statusTip()]
        if action.menu() is not None:
            texts += _menu_texts(action.menu())
    return texts


def _widget_texts(widget: QWidget) -> list[str]:
    texts = [widget.toolTip(), widget.windowTitle(), widget.statusTip()]
    if isinstance(widget, (QLabel, QAbstractButton)):
        texts.append(widget.text())
    if isinstance(widget, QLineEdit):
        texts.append(widget.placeholderText())
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        texts.append(widget.placeholderText())
    if isinstance(widget, QComboBox):
        texts += [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QTabWidget):
        texts += [widget.tabText(i) for i in range(widget.count())]
        texts += [widget.tabToolTip(i) for i in range(widget.count())]
    if isinstance(widget, QDockWidget):
        texts.append(widget.windowTitle())
    for action in widget.actions():
        texts += [action.text(), action.toolTip()]
        if action.menu() is not None:
            texts += _menu_texts(action.menu())
    return texts


def interface_texts(window: QWidget) -> list[str]:
    """Return every text the window and its children show as they stand."""
    texts = _widget_texts(window)
    for child in window.findChildren(QWidget):
        texts += _widget_texts(child)
    for menu in window.menuBar().findChildren(QMenu):
        texts += _menu_texts(menu)
    return [text for text in texts if text]


def english_words(texts: list[str]) -> dict[str, str]:
    """Return each word of Latin letters that is not code or a name, with a text using it."""
    found: dict[str, str] = {}
    for text in texts:
        # Identifiers with an underscore or a dot (grad_fn, x.grad) are code as typed.
        plain = re.sub(r"\w*(?:_|\.\w)[\w.]*", " ", _NOT_PROSE.sub(" ", text))
        for word in _WORD.findall(plain):
            if word not in CODE_AND_NAMES:
                found.setdefault(word, text)
    return found


def test_the_chinese_main_window_and_lab_show_no_english_word(zh_window):
    texts = interface_texts(zh_window)
    zh_window.tabs.setCurrentIndex(1)  # the lab builds its controls' texts when shown
    texts += interface_texts(zh_window)
    assert len(texts) > 100
    assert english_words(texts) == {}


def test_the_english_window_is_caught_by_the_same_check(window):
    found = english_words(interface_texts(window))
    assert {"File", "Run"} <= set(found)
