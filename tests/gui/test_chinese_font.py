"""Chinese labels are drawn by a font that has their characters, not as boxes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics

import autograd_playground.gui.resources
from autograd_playground.core.i18n.chinese_glyphs import (
    BUNDLED_CJK_FAMILY,
    characters_to_cover,
    cjk_characters,
)
from autograd_playground.core.playground import Playground
from autograd_playground.gui.main_window import MainWindow
from autograd_playground.gui.resources import install_cjk_fallback, load_bundled_cjk_font

ROOT = Path(__file__).resolve().parents[2]


def _undrawable(font: QFont, text: str) -> str:
    """Return the Chinese characters of ``text`` that ``font`` and its fallbacks lack."""
    metrics = QFontMetrics(font)
    return "".join(sorted(c for c in cjk_characters(text) if not metrics.inFontUcs4(ord(c))))


def test_qt_loads_the_bundled_font_with_every_interface_character():
    family = load_bundled_cjk_font()
    font = QFont(family)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)  # this font alone, no fallback

    assert family == BUNDLED_CJK_FAMILY
    assert QFontInfo(font).family() == BUNDLED_CJK_FAMILY
    assert _undrawable(font, "".join(characters_to_cover(ROOT))) == ""


def test_chinese_menus_panels_editor_and_graph_have_their_characters(qtbot, settings):
    install_cjk_fallback()  # as the app does before building its window
    settings.setValue("language", "zh")
    win = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(win)
    win.show()  # the graph's empty-scene message shows only in a shown window
    graph_label_font = QFont()  # graph nodes take the application font, resized
    graph_label_font.setPixelSize(13)
    graph_label_font.setBold(True)
    shown = {
        "menus": (win.menuBar().font(), win.file_menu.title() + win.view_menu.title()),
        "tabs": (win.tabs.font(), win.tabs.tabText(0) + win.tabs.tabText(1)),
        "status": (win.status.font(), win.status.text()),
        "editor": (win.editor.font(), win.editor.toPlainText()),
        "output": (win.output.font(), win.output.placeholderText()),
        "search": (win.graph_pane.search.font(), win.graph_pane.search.placeholderText()),
        "graph message": (win.graph_view.font(), win.graph_view.message_text()),
        "graph labels": (graph_label_font, win.graph_view.message_text()),
    }

    assert [name for name, (_, text) in shown.items() if not cjk_characters(text)] == []
    missing = {name: _undrawable(font, text) for name, (font, text) in shown.items()}
    assert missing == dict.fromkeys(shown, "")
    # The Chinese font only fills in: each widget's own font still draws its Latin text.
    primary = {name: QFontInfo(font).family() for name, (font, _) in shown.items()}
    assert BUNDLED_CJK_FAMILY not in primary.values(), primary


def test_a_system_chinese_font_is_left_to_draw_chinese(monkeypatch):
    monkeypatch.setattr(
        autograd_playground.gui.resources, "system_chinese_families", lambda: ["Some Hei"]
    )
    before = QFontDatabase.families()

    assert install_cjk_fallback() is None
    assert QFontDatabase.families() == before
