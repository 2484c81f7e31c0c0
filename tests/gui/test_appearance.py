"""Themes applied live to every pane, presentation mode and full screen, restored exactly."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication

from autograd_playground.core.playground import Playground
from autograd_playground.gui.appearance.graph_palette import DARK, HIGH_CONTRAST, LIGHT
from autograd_playground.gui.appearance.presentation import PRESENTATION_SCALE
from autograd_playground.gui.main_window import MainWindow
from autograd_playground.gui.panes.editor import ERROR_TINT_ALPHA
from autograd_playground.gui.panes.output import _fragments
from tests.gui.conftest import run_in
from tests.gui.contrast_check import image_pixels

CODE = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
for i in range(2):
    y = (x * 3).sum()
"""


@pytest.fixture
def themed(window):
    """The window; afterwards the app gets its own style, palette and font back."""
    yield window
    window.presentation.set_active(False)
    window.themes.set_theme("system")


def keyword_color(editor) -> str:
    """The colour the highlighter gives the first word of line 2 (`for`)."""
    block = editor.document().findBlockByNumber(1)
    ranges = [r for r in block.layout().formats() if r.start == 0]
    return ranges[0].format.foreground().color().name()


def output_color(output, text: str) -> str:
    """The colour of the output pane's text piece that contains ``text``."""
    block = output.document().begin()
    while block.isValid():
        for fragment in _fragments(block):
            if text in fragment.text():
                return fragment.charFormat().foreground().color().name()
        block = block.next()
    raise AssertionError(f"{text!r} is not in the output")


def test_dark_theme_recolours_every_pane_live(themed, qtbot):
    window = themed
    run_in(window, qtbot, CODE + "print(1/0)\n")
    assert window.themes.choice == "system"
    assert keyword_color(window.editor) == "#0033b3"

    window.themes.actions["dark"].trigger()
    app = QApplication.instance()
    app.processEvents()  # widgets take the new palette from a posted event
    assert app.style().name() == "fusion"
    assert app.palette().color(QPalette.ColorRole.Window) == QColor("#2b2d31")
    assert window.editor.palette().color(QPalette.ColorRole.Base) == QColor("#1e1f22")
    assert window.graph_view.backgroundBrush().color() == DARK.background
    assert window.graph_view.node_items["leaf:x"].theme is DARK
    assert keyword_color(window.editor) == "#cf8e6d"
    assert output_color(window.output, "ZeroDivisionError") == "#ff6b6b"  # recoloured in place
    assert ".muted { color: #a0a0a0; }" in window.inspector.document().defaultStyleSheet()
    plots = window.findChildren(pg.PlotWidget)
    assert plots
    assert {plot.backgroundBrush().color().name() for plot in plots} == {"#1e1f22"}
    assert window.settings.value("theme") == "dark"
    assert window.themes.actions["dark"].isChecked()

    window.themes.actions["light"].trigger()
    assert app.palette().color(QPalette.ColorRole.Window) == QColor("#efefef")
    assert window.graph_view.backgroundBrush().color() == LIGHT.background
    assert keyword_color(window.editor) == "#0033b3"
    assert output_color(window.output, "ZeroDivisionError") == "#d62728"
    assert {plot.backgroundBrush().color().name() for plot in plots} == {"#ffffff"}


def test_plot_legends_take_the_theme_and_veil_the_lines_beneath(themed):
    window = themed
    legends = [
        plot.getPlotItem().legend
        for plot in window.findChildren(pg.PlotWidget)
        if plot.getPlotItem().legend is not None
    ]
    # Loss, parameters, gradient norms and a classifier's accuracy: all made with their plot.
    assert len(legends) == 4
    loss_legend = window.training_panel.plots.loss_plot.getPlotItem().legend
    assert [label.text for _sample, label in loss_legend.items] == ["per step", "smoothed"]

    window.themes.set_theme("dark")
    for legend in legends:
        assert legend.opts["brush"].color().name() == "#1e1f22"
        assert 0 < legend.opts["brush"].color().alpha() < 255
        # Labels listed before the switch are drawn in the new colour too.
        for _sample, label in legend.items:
            assert "e6e6e6" in label.item.toHtml().lower()

    window.themes.set_theme("light")
    for _sample, label in loss_legend.items:
        assert "222222" in label.item.toHtml().lower()
    assert loss_legend.opts["brush"].color().name() == "#ffffff"


def test_high_contrast_graph_theme(themed, qtbot):
    window = themed
    run_in(window, qtbot, CODE)
    window.themes.set_theme("dark")
    window.presentation.high_contrast_action.trigger()
    view = window.graph_view
    assert window.themes.choice == "high-contrast"
    assert view.theme is HIGH_CONTRAST
    assert view.backgroundBrush().color() == QColor("#000000")
    leaf = view.node_items["leaf:x"]
    assert leaf.fill_color() == QColor("#0050d0")
    assert leaf.border_pen().widthF() == 2.5
    assert HIGH_CONTRAST.node_text == QColor("#ffffff")
    op = next(item for item in view.node_items.values() if item.node.kind == "op")
    assert op.fill_color() == QColor("#4a4a4a")
    assert len({QColor(c).name() for c in HIGH_CONTRAST.fills.values()}) == len(HIGH_CONTRAST.fills)
    assert view.legend.theme is HIGH_CONTRAST
    assert QApplication.instance().palette().color(QPalette.ColorRole.Text) == QColor("#ffffff")
    assert window.themes.actions["high-contrast"].isChecked()

    window.presentation.high_contrast_action.trigger()  # unticked: back to the theme before
    assert window.themes.choice == "dark"
    assert view.theme is DARK


def test_theme_choice_comes_back_at_the_next_launch(themed, qtbot, settings):
    themed.themes.set_theme("high-contrast")
    second = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(second)
    assert second.themes.choice == "high-contrast"
    assert second.presentation.high_contrast_action.isChecked()
    assert second.graph_view.theme is HIGH_CONTRAST


def test_presentation_mode_enlarges_text_and_restores_it_exactly(themed, qtbot):
    window = themed
    run_in(window, qtbot, CODE)
    view = window.graph_view
    app = QApplication.instance()
    before = {
        "app": app.font(),
        "editor": window.editor.font(),
        "output": window.output.font(),
        "inspector": window.inspector.font(),
        "legend": view.legend.font(),
    }
    transform = view.transform()
    item = view.node_items["leaf:x"]
    label_height = view.mapFromScene(item.sceneBoundingRect()).boundingRect().height()

    assert window.presentation.action.shortcut() == QKeySequence("F9")
    window.presentation.action.trigger()
    app.processEvents()  # widgets take the new app font from a posted event
    assert window.presentation.active
    scale = PRESENTATION_SCALE
    assert app.font().pointSizeF() == pytest.approx(before["app"].pointSizeF() * scale)
    assert window.editor.font().pointSizeF() == pytest.approx(before["editor"].pointSizeF() * scale)
    assert window.output.font().pointSizeF() == pytest.approx(before["output"].pointSizeF() * scale)
    assert window.inspector.font().pointSizeF() == pytest.approx(
        before["inspector"].pointSizeF() * scale
    )
    # A graph shown whole grows as far as it stays whole (tests/gui/test_presentation.py):
    # never smaller than before, and never more than the scale.
    assert transform.m11() <= view.zoom() <= transform.m11() * scale + 1e-9
    bigger = view.mapFromScene(item.sceneBoundingRect()).boundingRect().height()
    assert label_height - 1 <= bigger <= label_height * scale + 2
    assert view.legend.font().pixelSize() > before["legend"].pixelSize()
    assert "Presentation mode" in window.status.text()

    window.presentation.action.trigger()
    app.processEvents()
    assert not window.presentation.active
    assert app.font() == before["app"]
    assert window.editor.font() == before["editor"]
    assert window.output.font() == before["output"]
    assert window.inspector.font() == before["inspector"]
    assert view.legend.font() == before["legend"]
    assert view.transform() == transform


def test_f11_toggles_full_screen_and_f9_f11_are_taken_by_nothing_else(themed):
    window = themed
    shortcuts = [
        sequence.toString()
        for action in window.findChildren(type(window.presentation.action))
        for sequence in action.shortcuts()
    ]
    assert shortcuts.count("F9") == 1
    assert shortcuts.count("F11") == 1
    action = window.presentation.full_screen_action
    assert action.shortcut() == QKeySequence("F11")
    action.trigger()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    action.trigger()
    assert not window.windowState() & Qt.WindowState.WindowFullScreen
    assert not action.isChecked()


@pytest.mark.parametrize("theme", ["dark", "high-contrast"])
def test_presentation_enlarges_labels_under_a_style_sheet(themed, theme):
    """High contrast's style sheet, and the readout's own, must not keep the small font."""
    window = themed
    window.themes.set_theme(theme)
    panel = window.training_panel
    labels = {
        "description": panel.description,
        "readout": panel.estimate,
        "box": panel.follow_check,
        "editor": window.editor,  # a font of its own, enlarged by presentation mode itself
    }
    before = {name: label.font().pointSizeF() for name, label in labels.items()}
    window.presentation.set_active(True)
    QApplication.instance().processEvents()
    for name, label in labels.items():
        assert label.font().pointSizeF() == pytest.approx(before[name] * PRESENTATION_SCALE), name
    window.presentation.set_active(False)
    QApplication.instance().processEvents()
    assert {name: label.font().pointSizeF() for name, label in labels.items()} == before


@pytest.mark.parametrize("presentation_first", [False, True])
def test_editor_is_enlarged_in_high_contrast_whichever_comes_first(themed, presentation_first):
    """The style sheet's polish gives a widget the font it first had: not the editor's."""
    window = themed
    app = QApplication.instance()
    normal = window.editor.font().pointSizeF()
    steps = [lambda: window.presentation.set_active(True), lambda: window.themes.set_theme("dark")]
    steps.insert(0 if presentation_first else 1, lambda: window.themes.set_theme("high-contrast"))
    for step in steps:
        step()
        app.processEvents()
    window.themes.set_theme("high-contrast")  # polishes every widget again
    app.processEvents()
    assert window.editor.font().pointSizeF() == pytest.approx(normal * PRESENTATION_SCALE)
    window.presentation.set_active(False)
    window.themes.set_theme("light")
    window.themes.set_theme("high-contrast")
    app.processEvents()
    assert window.editor.font().pointSizeF() == pytest.approx(normal)


def test_editor_is_enlarged_when_presentation_comes_before_the_window_shows(qtbot, settings):
    """The --screenshot path: High contrast and presentation mode set, then shown."""
    settings.setValue("theme", "high-contrast")
    window = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(window)
    normal = window.editor.font().pointSizeF()
    window.presentation.set_active(True)
    window.show()
    QApplication.instance().processEvents()
    try:
        assert window.editor.font().pointSizeF() == pytest.approx(normal * PRESENTATION_SCALE)
    finally:
        window.presentation.set_active(False)
        window.themes.set_theme("system")
        window.close()


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_the_error_line_is_marked_in_the_themes_error_colour(themed, qtbot, theme):
    window = themed
    window.themes.set_theme(theme)
    run_in(window, qtbot, "a = 1\nb = 1 / 0\n")
    editor, error = window.editor, window.themes.theme.text["error"]
    tints = [s.format.background().color() for s in editor.extraSelections()]
    assert [c.name() for c in tints if c.alpha() == ERROR_TINT_ALPHA] == [error]
    numbers = image_pixels(editor._numbers.grab().toImage()).reshape(-1, 3)
    inked = np.all(numbers == QColor(error).getRgb()[:3], axis=1)
    assert inked.sum() >= 10, f"the number of line 2 is not drawn in {error}"


@pytest.mark.parametrize("presentation_first", [False, True])
def test_output_placeholder_is_enlarged_in_high_contrast_presentation(themed, presentation_first):
    """The output pane draws its placeholder in its viewport's font, which a style
    sheet keeps as it first polished it: it must grow with the pane's text."""
    window = themed
    app = QApplication.instance()
    output = window.output
    normal = output.font().pointSizeF()
    steps = [
        lambda: window.themes.set_theme("high-contrast"),
        lambda: window.presentation.set_active(True),
    ]
    for step in reversed(steps) if presentation_first else steps:
        step()
        app.processEvents()
    window.themes.set_theme("high-contrast")  # polishes every widget again
    app.processEvents()
    panes = {"output": output, "variables": window.variables, "inspector": window.inspector}
    for name, pane in panes.items():
        assert pane.viewport().font().pointSizeF() == pytest.approx(pane.font().pointSizeF()), name
    assert output.viewport().font().pointSizeF() == pytest.approx(normal * PRESENTATION_SCALE)
    window.presentation.set_active(False)
    app.processEvents()
    assert output.viewport().font().pointSizeF() == pytest.approx(normal)
    assert output.font().pointSizeF() == pytest.approx(normal)


def test_every_pane_follows_the_enlarged_font_in_high_contrast_presentation(qtbot, settings):
    """Polished under the style sheet, a widget takes its parent's font as it is then:
    none may be left at the normal size (the lab's tab bar was, at times)."""
    from PySide6.QtWidgets import QWidget

    settings.setValue("theme", "high-contrast")
    window = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(window)
    normal = QApplication.instance().font().pointSizeF()
    window.presentation.set_active(True)
    window.show()
    QApplication.instance().processEvents()
    try:
        stuck = [
            widget
            for widget in [window, *window.findChildren(QWidget)]
            if widget.isVisible()
            and not widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)
            and widget.font().pointSizeF() == pytest.approx(normal)
        ]
        assert stuck == []
        assert window.tabs.tabBar().font().pointSizeF() == pytest.approx(
            normal * PRESENTATION_SCALE
        )
    finally:
        window.presentation.set_active(False)
        window.themes.set_theme("system")
        window.close()
