"""Every text and plot line is readable in every theme, measured on the pixels drawn."""

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionButton, QToolBar

from autograd_playground.core.appearance.contrast import (
    NON_TEXT_MIN_CONTRAST,
    TEXT_MIN_CONTRAST,
    contrast_ratio,
    hex_rgb,
)
from autograd_playground.gui.appearance.themes import THEMES as THEMES_BY_NAME
from autograd_playground.gui.screenshot import show_view, window_picture
from tests.gui.conftest import _started_window, run_in
from tests.gui.contrast_check import image_pixels, low_contrast_lines, low_contrast_texts
from tests.gui.test_backward_stepper import open_stepper
from tests.gui.test_gradient_tools import BUGGY_RELU, SEED_001
from tests.gui.test_gradient_tools import _open as open_tool

THEMES = ("light", "dark", "high-contrast")
LESSON_15 = Path(__file__).resolve().parents[2] / "assets" / "lessons" / "15_wx_plus_b.py"
LAB_TASK = "quadratic"
CODE = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 3).sum()
y.backward()
print(1 / 0)
"""


def train_to_the_end(window, qtbot, task: str = LAB_TASK) -> None:
    """Show the lab, train ``task`` to its end and wait for the frame that shows it."""
    panel = window.training_panel
    show_view(window, tab="lab", task=task)
    with qtbot.waitSignal(panel.state_changed, timeout=60_000, check_params_cb=_ended):
        panel.start()
    with qtbot.waitSignal(panel.frame_drawn, timeout=10_000):
        panel.request_frame()


def _ended(state: str) -> bool:
    return state in ("finished", "halted", "stopped")


def panes(window) -> list:
    """The window's panes, each drawn on its own: docks, the tabs, the bars."""
    docks = [window.editor_dock, window.output_dock, window.inspector_dock, window.variables_dock]
    bars = [window.menuBar(), window.statusBar(), *window.findChildren(QToolBar)]
    return [pane for pane in (*docks, window.tabs, *bars) if pane.isVisible()]


def unreadable_panes(window) -> list[str]:
    return [
        f"{type(pane).__name__} {pane.objectName()}: {problem}"
        for pane in panes(window)
        for problem in low_contrast_texts(pane, pane.grab().toImage())
    ]


@pytest.fixture
def themed(window):
    yield window
    window.presentation.set_active(False)
    window.themes.set_theme("system")


@pytest.mark.parametrize("theme", THEMES)
def test_every_pane_reads_at_wcag_contrast_in_each_theme(themed, qtbot, theme):
    window = themed
    window.themes.set_theme(theme)
    run_in(window, qtbot, CODE)
    window.graph_view.select_name("x")
    problems = [f"graph tab: {line}" for line in unreadable_panes(window)]

    train_to_the_end(window, qtbot)
    assert window.training_panel.estimate.text().startswith("w = ")  # the readout is filled
    assert window.training_panel.description.text()
    problems += [f"lab: {line}" for line in unreadable_panes(window)]
    problems += low_contrast_lines(window)
    assert problems == [], "\n".join(problems)


@pytest.fixture
def launched_high_contrast(qtbot, settings):
    """A window that starts with High contrast saved, as the next launch after choosing it."""
    settings.setValue("theme", "high-contrast")
    window = _started_window(qtbot, settings)
    yield window
    window.presentation.set_active(False)
    window.themes.set_theme("system")
    window.close()


def test_window_pictures_of_each_theme_tab_and_presentation_read_at_wcag_contrast(
    launched_high_contrast, qtbot
):
    window = launched_high_contrast
    window.resize(1280, 720)
    run_in(window, qtbot, CODE)
    train_to_the_end(window, qtbot)
    problems = []
    for theme in ("high-contrast", "dark", "light"):
        window.themes.set_theme(theme)
        for presentation in (False, True):
            for tab in ("graph", "lab"):
                show_view(window, presentation=presentation, tab=tab)
                picture = window_picture(window)
                view = f"{theme}, {tab}, presentation {'on' if presentation else 'off'}"
                problems += [f"{view}: {line}" for line in low_contrast_texts(window, picture)]
        problems += [f"{theme}: {line}" for line in low_contrast_lines(window)]
    assert problems == [], "\n".join(problems)


def test_check_boxes_show_their_box_in_high_contrast(themed):
    window = themed
    window.themes.set_theme("high-contrast")
    show_view(window, tab="lab")
    for box in (window.training_panel.follow_check, window.training_panel.plots.log_y):
        style, option = box.style(), QStyleOptionButton()
        box.initStyleOption(option)
        indicator = style.subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        pixels = image_pixels(box.grab().toImage())
        background = Counter(map(tuple, pixels.reshape(-1, 3).tolist())).most_common(1)[0][0]
        inside = pixels[
            indicator.top() : indicator.bottom() + 1, indicator.left() : indicator.right() + 1
        ]
        # The box's outline, or its fill where ticked, against what is around the box.
        drawn = [
            color
            for color, count in Counter(map(tuple, inside.reshape(-1, 3).tolist())).items()
            if count >= 8
        ]
        contrast = max(contrast_ratio(color, background) for color in drawn)
        assert contrast >= NON_TEXT_MIN_CONTRAST, f"{box.text()!r}: its box does not show"


@pytest.mark.parametrize("name", THEMES)
def test_every_theme_colour_reads_at_wcag_contrast_on_its_background(name):
    """The colours of code, output, inspector and labels, which the pixel checks do not
    single out: a comment among brighter code is still text to read."""
    theme = THEMES_BY_NAME[name]
    base, window = theme.palette[QPalette.ColorRole.Base], theme.palette[QPalette.ColorRole.Window]
    texts = [
        *((f"syntax {key}", color, base) for key, color in theme.syntax.items()),
        *((f"output {key}", color, base) for key, color in theme.output.items() if color),
        *((f"inspector {key}", color, base) for key, color in theme.inspector.items()),
        *((f"label {key}", color, window) for key, color in theme.text.items()),
        # The teaching panes write them in rich text and tables, on the base colour.
        *((f"rich text {key}", color, base) for key, color in theme.text.items()),
        ("plot text", theme.plot_foreground, theme.plot_background),
    ]
    graph = theme.graph
    for key in ("message", "message_error", "legend_text"):
        texts.append((f"graph {key}", getattr(graph, key).name(), graph.background.name()))
    low = [
        f"{what}: {color} on {background}"
        for what, color, background in texts
        if contrast_ratio(hex_rgb(color), hex_rgb(background)) < TEXT_MIN_CONTRAST
    ]
    # The backward stepper's marks: seen on the graph, and the tag's text and the tick
    # on their fills.
    marks = [
        ("step outline", graph.step_current, graph.background, NON_TEXT_MIN_CONTRAST),
        ("step tick", graph.step_done, graph.background, NON_TEXT_MIN_CONTRAST),
        ("step tag text", graph.step_ink, graph.step_current, TEXT_MIN_CONTRAST),
        ("tick mark", graph.step_ink, graph.step_done, NON_TEXT_MIN_CONTRAST),
    ]
    low += [
        f"{what}: {color.name()} on {background.name()}"
        for what, color, background, least in marks
        if contrast_ratio(hex_rgb(color.name()), hex_rgb(background.name())) < least
    ]
    low += [
        f"plot line {color} on {theme.plot_background}"
        for color in theme.plot_colors
        if contrast_ratio(hex_rgb(color), hex_rgb(theme.plot_background)) < NON_TEXT_MIN_CONTRAST
    ]
    assert low == []


def open_teaching_panes(window, qtbot) -> list:
    """Open every teaching pane with content; return their docks.

    A gradient check that fails (a custom Function with a wrong backward), a
    Jacobian, lesson 15's backward pass stepped twice, and the lessons.
    """
    tools = window.gradient_tools
    run_in(window, qtbot, BUGGY_RELU)
    open_tool(window, qtbot, tools.check_action, tools.check_panel.chooser)
    with qtbot.waitSignal(tools.check_finished, timeout=60_000):
        tools.check_panel.check_button.click()
    run_in(window, qtbot, SEED_001)
    open_tool(window, qtbot, tools.jacobian_action, tools.jacobian_panel.chooser)
    with qtbot.waitSignal(tools.jacobian_finished, timeout=60_000):
        tools.jacobian_panel.compute_button.click()
    run_in(window, qtbot, LESSON_15.read_text(encoding="utf-8"))
    panel = open_stepper(window, qtbot).panel
    for _ in range(2):
        panel.step_forward()
    window.lessons.show_lessons()
    window.lessons.panel.list.setCurrentRow(14)
    assert "✗" in tools.check_panel.summary.toPlainText()  # a failing check is on show
    assert tools.check_panel.table.numbers.is_bad(0)
    assert panel.counter.text() == "Step 3 of 4"
    stepper_dock = window.backward_stepper.dock
    return [window.lessons.dock, tools.check_dock, tools.jacobian_dock, stepper_dock]


@pytest.mark.parametrize("theme", THEMES)
def test_teaching_panes_with_content_read_at_wcag_contrast(themed, qtbot, theme):
    window = themed
    window.resize(1280, 720)
    window.themes.set_theme(theme)
    docks = open_teaching_panes(window, qtbot)
    problems = []
    for presentation in (False, True):
        show_view(window, presentation=presentation)
        for dock in docks:
            dock.raise_()
            picture = window_picture(window).copy(dock.geometry())
            view = f"{dock.windowTitle()}, presentation {'on' if presentation else 'off'}"
            problems += [f"{view}: {line}" for line in low_contrast_texts(dock, picture)]
    assert problems == [], "\n".join(problems)
