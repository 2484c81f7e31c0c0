"""Backward steps, gradient check, Jacobian and the lessons' chrome in Simplified Chinese."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import run_in

XTX = "x = torch.tensor([1., 2., 3.], requires_grad=True)\ny = 2 * torch.dot(x, x)\ny.backward()\n"
QUADRATIC = "x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\n"
SEED_001 = """\
x = torch.tensor([[2, 3]], dtype=torch.float, requires_grad=True)
y = torch.zeros(1, 2)
y[0, 0] = x[0, 0] ** 2 + 3 * x[0, 1]
y[0, 1] = x[0, 1] ** 2 + 2 * x[0, 0]
"""


def test_teach_actions_and_dock_titles_are_chinese(zh_window):
    w = zh_window
    texts = [action.text() for action in w.teach_menu.actions()]
    for text in ("逐步查看反向传播…", "梯度检验…", "雅可比矩阵…", "课程…"):
        assert text in texts
    tools = w.gradient_tools
    assert w.backward_stepper.dock.windowTitle() == "反向传播步骤"
    assert tools.check_dock.windowTitle() == "梯度检验"
    assert tools.jacobian_dock.windowTitle() == "雅可比矩阵"
    assert w.lessons.dock.windowTitle() == "课程"
    # Saved layouts find the docks by their object names, which stay as they were.
    assert tools.check_dock.objectName() == "gradient_check_dock"
    assert tools.jacobian_dock.objectName() == "jacobian_dock"
    assert w.backward_stepper.action.shortcut().toString() == "Ctrl+B"
    assert w.lessons.panel.open_button.text() == "在编辑器中打开"
    assert tools.check_panel.check_button.text() == "检验"
    assert tools.jacobian_panel.compute_button.text() == "计算"
    assert tools.jacobian_panel.tabs.tabText(1) == "J：逐行构造"
    assert "逐个元素地比较 autograd 算出的梯度" in tools.check_panel.summary.toPlainText()


def test_backward_steps_speak_chinese(zh_window, qtbot):
    w = zh_window
    run_in(w, qtbot, XTX)
    stepper = w.backward_stepper
    panel = stepper.panel
    stepper.action.trigger()
    qtbot.waitUntil(lambda: panel.counter.text().startswith("第 1 步"), timeout=10_000)
    assert panel.counter.text() == "第 1 步，共 3 步"
    assert panel.root_combo.currentText() == "y   （你的 backward()，第 3 行）"
    assert [panel.back_button.text(), panel.step_button.text(), panel.play_button.text()] == [
        "◀ 上一步",
        "▶ 下一步",
        "播放",
    ]
    assert panel.speed_label.text() == "1 步/秒"
    text = panel.body.toPlainText()
    assert "规则： grad × other 传给 self；grad × self 传给 other" in text
    assert "grad_outputs：传入的梯度" in text
    assert "这次反向传播记录自你第 3 行的 y.backward()。" in text
    panel.step_button.click()
    panel.step_button.click()
    text = panel.body.toPlainText()
    assert "AccumulateGrad 累加到 x.grad" in text
    assert "累加到 x.grad：它原来是 None，所以直接变为 grad" in text
    assert "x.grad 现在为" in text


def test_gradient_check_verdicts_are_chinese(zh_window, qtbot):
    w = zh_window
    run_in(w, qtbot, QUADRATIC)
    tools = w.gradient_tools
    panel = tools.check_panel
    with qtbot.waitSignal(tools.choices_changed, timeout=10_000):
        tools.check_action.trigger()
    assert panel.chooser.root_combo.currentText() == "y   (标量)"
    with qtbot.waitSignal(tools.check_finished, timeout=60_000):
        panel.check_button.click()
    text = panel.summary.toPlainText()
    assert "y 对 x 的 autograd 梯度是对的：在 float64 下与有限差分一致。" in text
    assert "✓ 全部 4 个通过" in text
    assert "所以 gradcheck 要求输入是 float64" in text
    model = panel.table.numbers
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["autograd", "数值", "|Δ|", "相对 |Δ|"]


def test_gradient_check_notes_and_refusals_are_chinese(zh_window, qtbot):
    w = zh_window
    code = (
        "w = torch.ones(3, requires_grad=True)\ny = (w * 3).sum()\n"
        "with torch.no_grad():\n    w.add_(1.0)\n"
    )
    run_in(w, qtbot, code)
    tools = w.gradient_tools
    panel = tools.check_panel
    with qtbot.waitSignal(tools.choices_changed, timeout=10_000):
        tools.check_action.trigger()
    with qtbot.waitSignal(tools.check_finished, timeout=60_000):
        panel.check_button.click()
    text = panel.summary.toPlainText()
    assert "`w` 在第 1 行之后被原地修改：有限差分改变的是它的初始值" in text
    code = (
        "w = torch.ones(3, requires_grad=True)\ny = (w * np.random.default_rng().random()).sum()\n"
    )
    run_in(w, qtbot, code)
    with qtbot.waitSignal(tools.choices_changed, timeout=10_000):
        tools.check_action.trigger()
    with qtbot.waitSignal(tools.check_finished, timeout=60_000):
        panel.check_button.click()
    assert "`y` 在两次完全相同的运行中结果不同" in panel.summary.toPlainText()


def test_jacobian_summary_and_bad_v_are_chinese(zh_window, qtbot):
    w = zh_window
    run_in(w, qtbot, SEED_001)
    tools = w.gradient_tools
    panel = tools.jacobian_panel
    with qtbot.waitSignal(tools.choices_changed, timeout=10_000):
        tools.jacobian_action.trigger()
    panel.v_edit.setText("1, 2")
    with qtbot.waitSignal(tools.jacobian_finished, timeout=60_000):
        panel.compute_button.click()
    text = panel.summary.toPlainText()
    assert "J = ∂y/∂x 是 2 × 2 的" in text
    assert "✓ 两个雅可比矩阵一致" in text
    assert "✓ 等于以 v 为权重对 J 各行求和的结果" in text
    panel.v_edit.setText("1, 2, 3")
    with qtbot.waitSignal(tools.jacobian_finished, timeout=60_000):
        panel.compute_button.click()
    text = panel.summary.toPlainText()
    assert "无法计算： v 需要 2 个数字，y 的每个元素一个（形状 (1, 2)）；收到 3 个。" in text
