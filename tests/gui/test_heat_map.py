"""The inspector paints a tensor's value and grad as heat maps; hovering a cell names it."""

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from autograd_playground.assets import asset_path
from autograd_playground.core.graph.tensor_probe import probe_tensor
from autograd_playground.gui.panes.heat_map_hover import cell_center
from autograd_playground.gui.panes.heat_map_image import (
    DIVERGING,
    NAN_COLOR,
    NEUTRAL,
    color_of,
)
from autograd_playground.gui.panes.inspector import InspectorPanel
from tests.gui.conftest import run_in

WARM_END, COLD_END = QColor(DIVERGING[-1]), QColor(DIVERGING[0])


@pytest.fixture
def wide(window, qtbot):
    """The window at a laptop's size, so that the inspector has its usual width."""
    window.resize(1400, 860)
    window.arrange_columns()
    qtbot.waitUntil(lambda: window.inspector.viewport().width() > 250)
    return window


def two_layer_lesson(steps: int, *, last_backward: bool) -> str:
    """Lesson 21 with fewer steps; with one more backward after the loop, whose zero_()
    calls leave w1.grad all zeros, so that w1.grad holds the gradient at the trained weights."""
    code = asset_path("lessons/21_two_layer_autograd.py").read_text(encoding="utf-8")
    code = code.replace("range(500)", f"range({steps})").replace("i == 499", f"i == {steps - 1}")
    if last_backward:
        code += "loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()\nloss.backward()\n"
    return code


def painted(window) -> QImage:
    inspector = window.inspector
    inspector.repaint()
    return inspector.viewport().grab().toImage()


def scroll_to(inspector, spot, number: int, row: int) -> QPoint:
    """Scroll the page so that the cell row is in view; return that cell's point."""
    inspector.verticalScrollBar().setValue(0)
    point = cell_center(inspector, spot, number, row, 0)
    inspector.verticalScrollBar().setValue(max(0, point.y() - inspector.viewport().height() // 2))
    return cell_center(inspector, spot, number, row, 0)


def at_cell(window, qtbot, spot, row: int, col: int) -> tuple[QColor, str]:
    """The colour painted at a cell's middle, and what hovering it says."""
    inspector = window.inspector
    scroll_to(inspector, spot, 0, row)
    point = cell_center(inspector, spot, 0, row, col)
    image = painted(window)
    return QColor(image.pixel(point)), inspector.hover_text_at(point)


def grad_spot(window):
    return next(spot for spot in window.inspector.heat_spots if "grad/" in spot.image)


def test_w1_grad_after_the_two_layer_lesson_is_all_neutral(wide, qtbot):
    window = wide
    # The lesson zeroes the grads after each step: the heat map says so at a glance.
    outcome = run_in(window, qtbot, two_layer_lesson(5, last_backward=False))
    assert outcome.result.error is None
    assert window.graph_view.select_name("w1")
    spot = grad_spot(window)
    assert spot.heat.scale == 0.0
    for row, col in ((0, 0), (30, 20), (62, 49)):
        color, text = at_cell(window, qtbot, spot, row, col)
        assert color == QColor(NEUTRAL)
        assert text.endswith(": mean 0")
    assert "+0" in window.inspector.toPlainText() or "mean 0" in window.inspector.toPlainText()


def test_w1_grad_heat_map_is_warmest_at_its_largest_block(wide, qtbot):
    window = wide
    outcome = run_in(window, qtbot, two_layer_lesson(5, last_backward=True))
    assert outcome.result.error is None
    assert window.graph_view.select_name("w1")
    spot = grad_spot(window)
    heat = spot.heat
    panel = heat.panels[0]
    assert (heat.row_block, heat.col_block) == (16, 2)  # 1000 x 100 in 63 x 50 cells
    cells = np.frombuffer(panel.cells, dtype=np.float64).reshape(panel.rows, panel.cols)
    hot_row, hot_col = np.unravel_index(np.argmax(cells), cells.shape)
    cold_row, cold_col = np.unravel_index(np.argmin(cells), cells.shape)
    assert heat.scale == pytest.approx(max(cells.max(), -cells.min()))

    color, text = at_cell(window, qtbot, spot, hot_row, hot_col)
    if cells.max() >= -cells.min():
        assert color == WARM_END
    assert color.red() > color.blue()
    first_row, first_col = 16 * hot_row, 2 * hot_col
    assert text == (
        f"rows {first_row}–{min(first_row + 16, 1000) - 1}, "
        f"columns {first_col}–{first_col + 1}: mean {cells[hot_row, hot_col]:.4g}"
    )
    color, _ = at_cell(window, qtbot, spot, cold_row, cold_col)
    assert color.blue() > color.red()
    page = window.inspector.toPlainText()
    assert "Each cell is the mean of a block of 16 × 2 elements" in page


def test_small_tensor_cells_are_exact_and_zero_is_neutral(wide, qtbot):
    window = wide
    code = (
        "w = torch.tensor([[0.0, 2.0, -1.0], [4.0, 0.0, float('nan')]], requires_grad=True)\n"
        "(w * torch.tensor([[1.0, 1.0, 1.0], [1.0, -3.0, 1.0]])).nansum().backward()\n"
    )
    outcome = run_in(window, qtbot, code)
    assert outcome.result.error is None
    assert window.graph_view.select_name("w")
    value = next(spot for spot in window.inspector.heat_spots if "value/" in spot.image)
    assert value.heat.exact
    assert value.heat.scale == 4.0
    expectations = {
        (0, 0): (QColor(NEUTRAL), "row 0, column 0: 0"),
        (1, 0): (WARM_END, "row 1, column 0: 4"),
        (1, 2): (QColor(NAN_COLOR), "row 1, column 2: nan — holds NaN"),
    }
    for (row, col), (expected, words) in expectations.items():
        color, text = at_cell(window, qtbot, value, row, col)
        assert color == expected, (row, col)
        assert text == words
    grad = grad_spot(window)
    color, text = at_cell(window, qtbot, grad, 1, 1)
    assert color == COLD_END  # the grad -3 is the largest magnitude, and negative
    assert text == "row 1, column 1: -3"
    assert "Black cells hold NaN" in window.inspector.toPlainText()


def inspector_showing(qtbot, name: str, **tensors):
    """A bare inspector showing ``name`` of ``tensors`` as the variables pane's click does."""
    inspector = InspectorPanel()
    qtbot.addWidget(inspector)
    inspector.resize(420, 900)
    inspector.show()
    inspector.show_node(probe_tensor(tensors, name))
    return inspector


def test_three_d_tensors_show_slices_labelled_by_their_index(qtbot):
    tensor = torch.arange(24.0).reshape(2, 3, 4) - 12
    inspector = inspector_showing(qtbot, "t", t=tensor)
    (spot,) = inspector.heat_spots
    assert [panel.index for panel in spot.heat.panels] == [(0,), (1,)]
    point = cell_center(inspector, spot, 1, 2, 3)
    assert inspector.hover_text_at(point) == "[1] row 2, column 3: 11"
    image = inspector.viewport().grab().toImage()
    assert QColor(image.pixel(point)) == color_of(11.0, 12.0)
    assert QColor(image.pixel(cell_center(inspector, spot, 0, 0, 0))) == COLD_END


def test_bool_tensors_are_heat_maps_and_complex_ones_say_why_not(qtbot):
    inspector = inspector_showing(qtbot, "m", m=torch.tensor([True, False, True]))
    (spot,) = inspector.heat_spots
    assert inspector.hover_text_at(cell_center(inspector, spot, 0, 0, 2)) == "index 2: 1"
    inspector.show_node(probe_tensor({"z": torch.ones(3, dtype=torch.cfloat)}, "z"))
    assert inspector.heat_spots == []
    assert "No heat map for a complex tensor" in inspector.toPlainText()


def test_heat_maps_grow_with_the_presentation_font(qtbot):
    inspector = inspector_showing(qtbot, "v", v=torch.linspace(-1, 1, 5))
    before = inspector.heat_spots[0].layout.cell_height
    font = inspector.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    inspector.setFont(font)
    qtbot.waitUntil(lambda: inspector.heat_spots[0].layout.cell_height > before)


def test_a_click_on_the_map_opens_it_large_with_the_same_colours(qtbot):
    tensor = torch.tensor([[1.0, -2.0, 0.0], [4.0, 0.5, -1.0]])
    inspector = inspector_showing(qtbot, "w", w=tensor)
    (spot,) = inspector.heat_spots
    qtbot.mouseClick(
        inspector.viewport(), Qt.MouseButton.LeftButton, pos=cell_center(inspector, spot, 0, 0, 0)
    )
    window = inspector.heat_window
    assert window is not None
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Heat map of w"
    canvas = window.canvas
    image = canvas.grab().toImage()
    hot = canvas.cell_rect(0, 1, 0)
    assert hot.width() > 2 * spot.layout.cell_width or hot.width() >= 40  # larger than in the pane
    assert QColor(image.pixel(hot.center())) == WARM_END
    assert QColor(image.pixel(canvas.cell_rect(0, 0, 2).center())) == QColor(NEUTRAL)
    assert canvas.cell_at(canvas.cell_rect(0, 0, 1).center()) == "row 0, column 1: -2"
    assert "One cell per element" in window.legend.text()


def test_four_d_slices_are_laid_out_by_their_first_index(qtbot):
    inspector = inspector_showing(qtbot, "k", k=torch.randn(2, 3, 4, 4))
    (spot,) = inspector.heat_spots
    rects = spot.layout.panel_rects
    assert [panel.index for panel in spot.heat.panels][3] == (1, 0)
    assert rects[3].left() == rects[0].left()  # [1, 0] under [0, 0]
    assert rects[3].top() > rects[2].bottom()
    assert rects[1].top() == rects[0].top()
    point = cell_center(inspector, spot, 4, 3, 1)
    assert inspector.hover_text_at(point).startswith("[1, 1] row 3, column 1: ")
