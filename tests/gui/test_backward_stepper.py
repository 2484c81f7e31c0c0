"""The "Backward steps" dock: stepping marks the right node and shows the gradients."""

from __future__ import annotations

import numpy as np
import pytest

from tests.gui.conftest import run_in
from tests.gui.contrast_check import image_pixels

XTX = "x = torch.tensor([1., 2., 3.], requires_grad=True)\ny = 2 * torch.dot(x, x)\ny.backward()\n"
WXB = (
    "w = torch.tensor([2., -1.], requires_grad=True)\n"
    "x = torch.tensor([3., 4.])\n"
    "b = torch.tensor(0.5, requires_grad=True)\n"
    "z = torch.dot(w, x) + b\n"
)


def op_id(window, op):
    (node,) = [node for node in window.graph_view.graph.ops() if node.op == op]
    return node.id


def open_stepper(window, qtbot, root=None):
    stepper = window.backward_stepper
    stepper.action.trigger()
    if root is not None:
        qtbot.waitUntil(lambda: stepper.panel.current_root() is not None, timeout=10_000)
        index = stepper.panel.root_combo.findData(root)
        stepper.panel.root_combo.setCurrentIndex(index)
        stepper.panel.root_combo.activated.emit(index)
    qtbot.waitUntil(lambda: stepper.panel.counter.text().startswith("Step 1 of"), timeout=10_000)
    return stepper


def test_stepping_marks_each_node_and_shows_its_gradients(window, qtbot):
    run_in(window, qtbot, XTX)
    stepper = open_stepper(window, qtbot)
    panel, view = stepper.panel, window.graph_view
    assert stepper.dock.isVisible()
    assert stepper.dock in window.tabifiedDockWidgets(window.inspector_dock)
    assert stepper.action in window.teach_menu.actions()
    assert stepper.action.shortcut().toString() == "Ctrl+B"
    assert panel.current_root() == "y"
    mul, dot = op_id(window, "MulBackward0"), op_id(window, "DotBackward0")

    assert panel.counter.text() == "Step 1 of 3"
    assert view.step_marks() == {mul: "current"}
    assert view.step_node_id == mul
    text = panel.body.toPlainText()
    assert "MulBackward0" in text
    assert "grad × other to self" in text
    assert "tensor(1.)" in text
    assert "tensor(2.)" in text
    assert "recorded from your y.backward() on line 3" in text
    assert not panel.back_button.isEnabled()

    panel.step_button.click()
    assert panel.counter.text() == "Step 2 of 3"
    assert view.step_marks() == {mul: "done", dot: "current"}
    text = panel.body.toPlainText()
    assert "DotBackward0" in text
    assert "self = [1, 2, 3], tensor = [1, 2, 3]" in text
    assert text.count("tensor([2., 4., 6.])") == 2

    panel.step_button.click()
    assert panel.counter.text() == "Step 3 of 3"
    assert view.step_marks() == {mul: "done", dot: "done", "leaf:x": "current"}
    text = panel.body.toPlainText()
    assert "AccumulateGrad into x.grad" in text
    assert "it was None, so it becomes grad" in text
    assert "tensor([ 4.,  8., 12.])" in text
    assert not panel.step_button.isEnabled()
    assert panel.step_forward() is False  # the last step stays
    assert panel.counter.text() == "Step 3 of 3"

    for _ in range(2):
        panel.back_button.click()
    assert panel.counter.text() == "Step 1 of 3"
    assert panel.step_back() is False
    assert view.step_marks() == {mul: "current"}


def test_play_advances_on_a_timer_and_stops_at_the_end(window, qtbot):
    run_in(window, qtbot, XTX)
    panel = open_stepper(window, qtbot).panel
    panel.speed.setValue(10)
    assert panel.speed_label.text() == "10 steps/s"
    panel.play_button.click()
    assert panel.is_playing()
    assert panel.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: panel.counter.text() == "Step 3 of 3", timeout=5_000)
    qtbot.waitUntil(lambda: not panel.is_playing(), timeout=5_000)
    assert panel.play_button.text() == "Play"
    assert window.graph_view.step_node_id == "leaf:x"


def test_a_root_without_recording_is_run_live_and_a_rerun_refreshes(window, qtbot):
    run_in(window, qtbot, WXB)
    stepper = open_stepper(window, qtbot, "z")
    panel = stepper.panel
    assert [panel.root_combo.itemData(i) for i in range(panel.root_combo.count())] == ["z"]
    assert panel.counter.text() == "Step 1 of 4"
    assert "computed now with torch.autograd.grad" in panel.body.toPlainText()
    add = op_id(window, "AddBackward0")
    assert window.graph_view.step_marks() == {add: "current"}
    panel.step_forward()
    assert window.graph_view.step_node_id == "leaf:b"
    assert "would be added into b.grad" in panel.body.toPlainText()
    assert window.graph_view.graph.nodes["leaf:w"].grad is None  # no .grad was touched

    # Running new code drops the old marks and loads the new graph's pass.
    run_in(window, qtbot, WXB.replace("+ b", "* b"))
    qtbot.waitUntil(lambda: "MulBackward0" in panel.body.toPlainText(), timeout=10_000)
    mul = op_id(window, "MulBackward0")
    assert window.graph_view.step_marks() == {mul: "current"}
    assert "where other = 0.5" in panel.body.toPlainText()


def test_freed_graph_says_how_to_keep_it_and_closing_clears_the_mark(window, qtbot):
    run_in(window, qtbot, XTX)
    stepper = open_stepper(window, qtbot)
    assert window.graph_view.step_node_id is not None
    stepper.dock.close()
    qtbot.waitUntil(lambda: window.graph_view.step_marks() == {}, timeout=5_000)

    # A y differentiated outside the user's code: nothing recorded, saved tensors freed.
    run_in(window, qtbot, "y = 2 * torch.dot(x, x)\n")
    finished = []
    window.engine.submit(
        lambda playground: playground.evaluator.user_names()["y"].backward(),
        lambda _result, error: finished.append(error),
    )
    qtbot.waitUntil(lambda: finished == [None], timeout=10_000)
    stepper.open()
    qtbot.waitUntil(lambda: "retain_graph=True" in stepper.panel.body.toPlainText(), timeout=10_000)
    assert stepper.panel.counter.text() == ""
    assert not stepper.panel.step_button.isEnabled()
    assert window.graph_view.step_marks() == {}


def test_the_marks_go_when_another_tab_covers_the_steps_and_come_back_with_it(window, qtbot):
    run_in(window, qtbot, XTX)
    stepper = open_stepper(window, qtbot)
    mul = op_id(window, "MulBackward0")
    assert window.graph_view.step_marks() == {mul: "current"}
    window.inspector_dock.raise_()
    qtbot.waitUntil(lambda: window.graph_view.step_marks() == {}, timeout=5_000)
    stepper.dock.raise_()
    qtbot.waitUntil(lambda: window.graph_view.step_marks() == {mul: "current"}, timeout=5_000)


def test_the_marks_go_when_another_teaching_pane_opens_over_the_steps(window, qtbot):
    run_in(window, qtbot, XTX)
    open_stepper(window, qtbot)
    mul = op_id(window, "MulBackward0")
    assert window.graph_view.step_marks() == {mul: "current"}
    window.gradient_tools.check_action.trigger()
    qtbot.waitUntil(lambda: window.graph_view.step_marks() == {}, timeout=5_000)


TWO_PATHS = (
    "x = torch.tensor([1., 2.], requires_grad=True)\n"
    "y = (x * x).sum() + 3 * x.sum()\n"
    "y.backward()\n"
)


def test_boxes_show_the_grads_arrived_so_far_and_the_real_ones_once_closed(window, qtbot):
    run_in(window, qtbot, TWO_PATHS)
    x_box = window.graph_view.node_items["leaf:x"]
    assert "grad [5, 7]" in x_box.label_lines()  # x.grad, before stepping
    stepper = open_stepper(window, qtbot)
    panel = stepper.panel
    qtbot.waitUntil(lambda: "grad None" in x_box.label_lines(), timeout=5_000)
    assert not x_box.has_grad_badge()  # nothing has reached x at step 1
    while panel.step_forward():
        pass
    assert panel.counter.text() == f"Step {len(panel.trace.steps)} of {len(panel.trace.steps)}"
    assert "grad [5, 7]" in x_box.label_lines()
    assert x_box.has_grad_badge()
    panel.step_back()
    panel.step_back()
    assert "grad [3, 3]" in x_box.label_lines()  # one path's gradient, the other still to come

    stepper.dock.close()
    qtbot.waitUntil(lambda: "grad [5, 7]" in x_box.label_lines(), timeout=5_000)
    assert x_box.has_grad_badge()


def test_steps_name_the_tensors_they_hand_gradients_to(window, qtbot):
    run_in(window, qtbot, XTX)
    panel = open_stepper(window, qtbot).panel
    text = panel.body.toPlainText()
    assert "to DotBackward0" in text
    assert "to the constant 2 (needs no grad)" in text
    assert "(no grad)" not in text.replace("(needs no grad)", "")
    panel.step_forward()
    assert panel.body.toPlainText().count("to x") == 2


def test_steps_name_the_tensors_they_hand_gradients_to_in_chinese(zh_window, qtbot):
    run_in(zh_window, qtbot, XTX)
    stepper = zh_window.backward_stepper
    stepper.action.trigger()
    panel = stepper.panel
    qtbot.waitUntil(lambda: panel.counter.text().startswith("第 1 步"), timeout=10_000)
    text = panel.body.toPlainText()
    assert "传给 DotBackward0" in text
    assert "传给常数 2（无需梯度）" in text
    panel.step_forward()
    assert panel.body.toPlainText().count("传给 x") == 2


def page_line_heights(panel) -> list[float]:
    """The height of the first line of each block of the step page, as laid out now."""
    document = panel.body.document()
    document.size()  # lays the page out in its current font
    heights, block = [], document.begin()
    while block.isValid():
        if block.text().strip() and block.layout().lineCount():
            heights.append(block.layout().lineAt(0).height())
        block = block.next()
    return heights


def test_every_text_of_the_steps_grows_one_and_a_half_times_in_presentation_mode(window, qtbot):
    run_in(window, qtbot, WXB)
    panel = open_stepper(window, qtbot, "z").panel
    panel.step_forward()
    normal_lines, normal_counter = page_line_heights(panel), panel.counter.font().pointSizeF()
    assert panel.counter.fontInfo().pixelSize() > panel.body.fontInfo().pixelSize()
    window.presentation.set_active(True)
    try:
        qtbot.waitUntil(lambda: page_line_heights(panel) != normal_lines, timeout=5_000)
        bigger = page_line_heights(panel)
        ratios = [big / small for big, small in zip(bigger, normal_lines, strict=True)]
        # The heading, the rule, the gradients in monospace and the notes alike.
        assert len(ratios) >= 6
        assert ratios == pytest.approx([1.5] * len(ratios), abs=0.12)
        assert panel.counter.font().pointSizeF() == pytest.approx(1.5 * normal_counter)
    finally:
        window.presentation.set_active(False)
    qtbot.waitUntil(lambda: page_line_heights(panel) == normal_lines, timeout=5_000)
    assert panel.counter.font().pointSizeF() == pytest.approx(normal_counter)


def test_the_marks_take_each_themes_colours(window, qtbot):
    run_in(window, qtbot, XTX)
    panel = open_stepper(window, qtbot).panel
    panel.step_forward()
    view = window.graph_view
    for name in ("light", "dark", "high-contrast"):
        window.themes.set_theme(name)
        theme = view.theme
        pixels = image_pixels(view.viewport().grab().toImage()).reshape(-1, 3)
        for color in (theme.step_current, theme.step_done, theme.step_ink):
            drawn = np.all(pixels == (color.red(), color.green(), color.blue()), axis=1)
            assert drawn.sum() >= 20, f"{name}: no {color.name()} in the graph"
    window.themes.set_theme("system")
