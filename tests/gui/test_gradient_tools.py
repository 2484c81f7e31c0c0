"""The gradient check and Jacobian docks: choosers from the namespace, results from the engine."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo, QFontMetrics

from tests.gui.conftest import run_in

QUADRATIC = "x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\ny.backward()\n"
BUGGY_RELU = """\
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 1
        return grad_input

x = torch.tensor([-1.5, 0.5, -0.5, 2.0], requires_grad=True)
y = MyReLU.apply(x).sum()
"""
SEED_001 = """\
x = torch.tensor([[2, 3]], dtype=torch.float, requires_grad=True)
y = torch.zeros(1, 2)
y[0, 0] = x[0, 0] ** 2 + 3 * x[0, 1]
y[0, 1] = x[0, 1] ** 2 + 2 * x[0, 0]
"""


def _open(window, qtbot, action, chooser):
    tools = window.gradient_tools
    with qtbot.waitSignal(tools.choices_changed, timeout=10_000):
        action.trigger()
    assert chooser.root() is not None
    return tools


def _check(window, qtbot, code):
    run_in(window, qtbot, code)
    tools = window.gradient_tools
    panel = tools.check_panel
    _open(window, qtbot, tools.check_action, panel.chooser)
    with qtbot.waitSignal(tools.check_finished, timeout=60_000) as blocker:
        panel.check_button.click()
    assert panel.check_button.text() == "Check"
    return panel, blocker.args[0]


def test_docks_are_hidden_tabs_beside_the_inspector(window):
    tools = window.gradient_tools
    for dock in (tools.check_dock, tools.jacobian_dock):
        assert dock.isHidden()
        tools.open(dock)
        assert dock.isVisible()
        assert dock in window.tabifiedDockWidgets(window.inspector_dock)
    texts = [action.text() for action in window.teach_menu.actions()]
    assert "Gradient check…" in texts
    assert "Jacobian…" in texts


def test_check_shows_autograd_and_finite_differences(window, qtbot):
    panel, report = _check(window, qtbot, QUADRATIC)
    assert panel.chooser.root() == "y"
    assert panel.chooser.leaf() == "x"
    assert report.precision("float64").ok
    model = panel.table.numbers
    assert panel.precision_buttons.checkedButton().text().startswith("float64")
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(4)] == [
        "x[0]",
        "x[1]",
        "x[2]",
        "x[3]",
    ]
    assert [model.value(r, 0) for r in range(4)] == [0.0, 4.0, 8.0, 12.0]  # autograd: 4x
    assert [model.value(r, 1) for r in range(4)] == pytest.approx([0, 4, 8, 12], abs=1e-6)
    assert model.data(model.index(1, 0)) == "4"
    assert not any(model.is_bad(r) for r in range(4))
    text = panel.summary.toPlainText()
    assert "Autograd's gradient of y for x is right" in text
    assert "float32" in text
    assert "float64" in text
    assert "all 4 pass" in text
    panel.precision_buttons.button(0).click()  # float32
    assert model.value(3, 1) != 12.0  # float32 finite differences carry rounding error
    assert model.value(3, 1) == pytest.approx(12.0, abs=1e-2)


def test_mismatched_rows_are_red(window, qtbot):
    panel, report = _check(window, qtbot, BUGGY_RELU)
    assert not report.precision("float64").ok
    model = panel.table.numbers
    bad = [model.is_bad(r) for r in range(model.rowCount())]
    assert bad == [True, False, True, False]  # the negative inputs
    brush = model.data(model.index(0, 2), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == window.themes.theme.text["error"]
    assert model.data(model.index(1, 2), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(0, 2), Qt.ItemDataRole.FontRole).bold()
    assert not model.data(model.index(1, 2), Qt.ItemDataRole.FontRole).bold()
    window.themes.set_theme("high-contrast")  # the rows take the new theme's red
    brush = model.data(model.index(0, 2), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == window.themes.theme.text["error"] == "#ff6e6e"
    assert "#ff6e6e" in panel.summary.toHtml()
    window.themes.set_theme("system")
    assert "disagrees with finite differences" in panel.summary.toPlainText()


def test_non_scalar_root_shows_a_plain_message(window, qtbot):
    panel, result = _check(window, qtbot, "x = torch.ones(3, requires_grad=True)\ny = x * 2\n")
    assert "scalar root" in result.message_in("en")
    assert "Cannot check" in panel.summary.toPlainText()
    assert "needs a scalar root" in panel.summary.toPlainText()
    assert panel.table.numbers.rowCount() == 0


def test_selected_root_node_becomes_the_default(window, qtbot):
    run_in(window, qtbot, "x = torch.ones(2, requires_grad=True)\na = x.sum()\nb = (x * 3).sum()\n")
    assert window.graph_view.select_name("b")
    tools = window.gradient_tools
    _open(window, qtbot, tools.check_action, tools.check_panel.chooser)
    assert tools.check_panel.chooser.root() == "b"


def test_jacobian_panel_shows_both_jacobians_and_backward_v(window, qtbot):
    run_in(window, qtbot, SEED_001)
    tools = window.gradient_tools
    panel = tools.jacobian_panel
    _open(window, qtbot, tools.jacobian_action, panel.chooser)
    assert panel.chooser.root() == "y"
    assert panel.chooser.leaf() == "x"
    panel.v_edit.setText("1, 2")
    with qtbot.waitSignal(tools.jacobian_finished, timeout=60_000):
        panel.compute_button.click()
    for table in (panel.functional_table, panel.rows_table):
        model = table.numbers
        values = [[model.value(r, c) for c in range(2)] for r in range(2)]
        assert values == [[4.0, 3.0], [2.0, 6.0]]
        assert model.headerData(0, Qt.Orientation.Vertical) == "y[0, 0]"
        assert model.headerData(1, Qt.Orientation.Horizontal) == "x[0, 1]"
    vjp = panel.vjp_table.numbers
    assert [vjp.value(r, 0) for r in range(2)] == [8.0, 15.0]  # Σ vᵢ·J[i]
    assert [vjp.value(r, 1) for r in range(2)] == [8.0, 15.0]  # x.grad after y.backward(v)
    text = panel.summary.toPlainText()
    assert "2 × 2" in text
    assert "The two Jacobians agree" in text
    assert "equals the rows of J summed with weights v" in text


def test_jacobian_bad_v_is_a_plain_message(window, qtbot):
    run_in(window, qtbot, SEED_001)
    tools = window.gradient_tools
    panel = tools.jacobian_panel
    _open(window, qtbot, tools.jacobian_action, panel.chooser)
    panel.v_edit.setText("1, 2, 3")
    with qtbot.waitSignal(tools.jacobian_finished, timeout=60_000):
        panel.compute_button.click()
    assert "v needs 2 numbers" in panel.summary.toPlainText()


def _start_a_stuck_check(window, qtbot):
    run_in(window, qtbot, "x = torch.ones(2, requires_grad=True)\ny = (x * 3).sum()\n")
    tools = window.gradient_tools
    panel = tools.check_panel
    _open(window, qtbot, tools.check_action, panel.chooser)
    # Edited, not run: the check runs the editor's text, which now never ends.
    window.editor.setPlainText(window.editor.toPlainText() + "while True:\n    pass\n")
    panel.check_button.click()
    assert window.stop_action.isEnabled()
    # Stuck: the check's re-run of the code has reached the loop's body, line 4. Each
    # statement it reaches is noted last in its evaluator's line table, which the
    # evaluator makes on the engine thread as the check starts.
    evaluator = tools._jobs["check"].runner._evaluator

    def in_the_loop() -> bool:
        table = evaluator.line_table
        return table is not None and bool(table._lines) and table._lines[-1] == 4

    qtbot.waitUntil(in_the_loop, timeout=15_000)
    return tools, panel


def test_closing_the_window_ends_a_check_stuck_in_an_endless_loop(window, qtbot, monkeypatch):
    warnings = []
    monkeypatch.setattr(
        "autograd_playground.gui.main_window.QMessageBox.warning",
        lambda *args: warnings.append(args),
    )
    _start_a_stuck_check(window, qtbot)
    window.close()
    assert not window.engine.thread.isRunning()
    assert warnings == []


def test_the_toolbar_stop_ends_a_check_stuck_in_an_endless_loop(window, qtbot):
    tools, panel = _start_a_stuck_check(window, qtbot)
    with qtbot.waitSignal(tools.check_finished, timeout=15_000) as blocker:
        window.stop_action.trigger()
    assert blocker.args[0].message_in("en").startswith("Stopped")
    assert not window.stop_action.isEnabled()
    assert panel.check_button.text() == "Check"


def cut_texts(table) -> list[str]:
    """The cells and row labels of ``table`` drawn narrower than their text."""
    model, cut = table.numbers, []
    header = table.horizontalHeader()
    for column in range(model.columnCount()):
        title = model.headerData(column, Qt.Orientation.Horizontal)
        if QFontMetrics(header.font()).horizontalAdvance(title) > table.columnWidth(column):
            cut.append(title)
    for row in range(model.rowCount()):
        label = model.headerData(row, Qt.Orientation.Vertical)
        font = model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.FontRole)
        font = font.resolve(table.verticalHeader().font())
        if QFontMetrics(font).horizontalAdvance(label) > table.verticalHeader().width():
            cut.append(label)
        for column in range(model.columnCount()):
            text = model.data(model.index(row, column))
            font = model.data(model.index(row, column), Qt.ItemDataRole.FontRole)
            font = font.resolve(table.font())
            if QFontMetrics(font).horizontalAdvance(text) > table.columnWidth(column):
                cut.append(text)
    return cut


@pytest.mark.parametrize("theme", ["light", "high-contrast"])
def test_presentation_mode_enlarges_the_table_and_cuts_no_number(window, qtbot, theme):
    window.themes.set_theme(theme)  # High contrast's style sheet fonts its headers late
    panel, _report = _check(window, qtbot, BUGGY_RELU)
    normal = QFontInfo(panel.table.font()).pixelSize()
    assert cut_texts(panel.table) == []
    window.presentation.set_active(True)
    try:
        qtbot.waitUntil(lambda: QFontInfo(panel.table.font()).pixelSize() > normal, timeout=5_000)
        font = panel.table.numbers.data(panel.table.numbers.index(0, 0), Qt.ItemDataRole.FontRole)
        assert QFontInfo(font.resolve(panel.table.font())).pixelSize() > normal
        qtbot.waitUntil(lambda: cut_texts(panel.table) == [], timeout=5_000)
    finally:
        window.presentation.set_active(False)
        window.themes.set_theme("system")
