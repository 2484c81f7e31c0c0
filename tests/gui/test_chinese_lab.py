"""The training lab and the File menu in Simplified Chinese."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QMessageBox

from autograd_playground.core.run.devices import out_of_memory_advice
from autograd_playground.core.session.session import Session, write_session
from autograd_playground.core.training.catalog import TrainingConfig
from autograd_playground.core.training.tasks import TASKS
from autograd_playground.core.training.user_task import UserTaskError, build_user_task
from autograd_playground.gui.session.dialogs import python_filter, unsaved_changes_box
from autograd_playground.gui.training.panel import TrainingPanel
from autograd_playground.gui.ui_text import apply_ui_language

code = [""]


@pytest.fixture
def panel(qtbot):
    apply_ui_language("zh")
    widget = TrainingPanel(code_source=lambda: code[0])
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    assert widget.shutdown()


class RecordingDialogs:
    """Records what the File menu would have said in a message box."""

    def __init__(self) -> None:
        self.warnings: list[tuple[str, str]] = []

    def warning(self, parent, title, text):
        self.warnings.append((title, text))


def choose(panel, task):
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(task))


def test_the_labs_controls_speak_chinese(panel):
    titles = [panel.task_combo.itemText(i) for i in range(panel.task_combo.count())]
    assert titles[0] == "线性回归（从零实现）"
    assert titles[-1] == "你自己的模型（来自编辑器）"
    assert panel.description.text().startswith("d2l 3.2：y = Xw + b")
    assert panel.length_label.text() == "训练轮数"
    assert panel.batch_spin.specialValueText() == "全部数据"
    assert panel.optimizer_combo.itemText(0) == "教程自带的更新"
    assert panel.optimizer_combo.itemText(2) == "SGD，动量 0.9"
    buttons = [
        panel.start_button,
        panel.pause_button,
        panel.step_button,
        panel.epoch_button,
        panel.stop_button,
        panel.reset_button,
    ]
    assert [b.text() for b in buttons] == ["开始", "暂停", "单步", "一轮", "停止", "重置"]
    assert panel.progress.text() == "尚未开始。"
    assert panel.lr_edit.toolTip() == "学习率；训练时也可以修改。"
    assert panel.follow_check.text() == "计算图标签页跟随训练"
    choose(panel, "quadratic")
    assert panel.task_combo.currentText() == "二次函数拟合 y = 3x² + 2"
    assert panel.length_label.text() == "迭代次数"
    assert panel.description.text().startswith("教程 001：")


def test_the_plots_are_titled_in_chinese(panel):
    plots = panel.plots
    assert plots.loss_plot.getPlotItem().titleLabel.text == "损失"
    assert plots.fit_plot.getPlotItem().titleLabel.text == "拟合"
    # No run yet: no truth drawn, and which lines are norms is not known.
    assert plots.param_plot.getPlotItem().titleLabel.text == "参数"
    assert plots.grad_plot.getPlotItem().titleLabel.text == "梯度范数"
    assert plots.loss_plot.getPlotItem().getAxis("bottom").labelText == "步数"
    legend = [label.text for _sample, label in plots.loss_plot.getPlotItem().legend.items]
    assert legend == ["每步", "平滑"]  # and 每轮损失 once a run has epochs
    assert (plots.log_y.text(), plots.smooth.text()) == ("对数坐标", "平滑")


def test_a_finished_run_reports_in_chinese(qtbot, panel):
    choose(panel, "quadratic")
    panel.length_spin.setValue(5)
    panel.start()
    qtbot.waitUntil(lambda: panel.state == "finished", timeout=60_000)
    progress = panel.progress.text()
    assert progress.startswith("第 5/5 步 · cpu · 损失 ")
    assert progress.endswith(" · 完成")
    assert "真值 [3.]" in panel.estimate.text()
    assert "真值 [2.1] = 2 + 噪声均值 0.1" in panel.estimate.text()
    assert panel.plots.param_plot.getPlotItem().titleLabel.text == "参数（虚线：真值）"
    assert "误差 " in panel.estimate.text()
    assert panel.pause_button.text() == "暂停"


def test_the_learners_protocol_mistake_is_explained_in_chinese(qtbot, panel):
    code[0] = "X = torch.ones(3, 1)\ny = torch.ones(3, 1)\n"
    choose(panel, "user")
    panel.start()
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=60_000)
    assert panel.message.text() == "请定义 model：一个 nn.Module，或一个函数 model(X)。"


def test_an_unknown_device_is_refused_in_chinese_with_torchs_reason(qtbot, panel):
    panel.device = "cuda:7"
    choose(panel, "quadratic")
    panel.start()
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=60_000)
    assert panel.message.text().startswith("无法在 cuda:7 上训练：")


def test_an_unsupported_device_is_refused_with_a_chinese_reason(qtbot, panel):
    panel.device = "xla"
    choose(panel, "quadratic")
    panel.start()
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=60_000)
    assert panel.message.text() == "无法在 xla 上训练：本应用不支持设备类型 'xla'。"


def test_too_high_a_rate_halts_with_a_chinese_message(qtbot, panel):
    choose(panel, "quadratic")
    panel.lr_edit.setText("10")
    panel.start()
    qtbot.waitUntil(lambda: panel.state == "halted", timeout=60_000)
    message = panel.message.text()
    assert message.startswith("损失在第 ")
    assert "学习率 10 可能太高了。训练已回到第 " in message
    assert message.endswith("步，即最后一组有限的参数：请调低学习率后继续。")
    # The progress line names the very loss, at the very step, that the message does.
    step, loss = re.match(r"损失在第 (\d+) 步变成了 (\S+)；", message).groups()
    qtbot.waitUntil(lambda: f" · 第 {step} 步损失 {loss}" in panel.progress.text())
    assert panel.pause_button.text() == "继续"


def test_an_unreadable_autosave_is_reported_in_chinese_at_startup(zh_window, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "autosave-bad.json").write_text("{}", encoding="utf-8")
    zh_window.sessions.start(autosave_dir=data)
    kept = data / "autosave-bad.unreadable"
    assert (
        f"自动保存文件 autosave-bad.json 不是本应用写的。该文件已改名为 {kept} 保留。"
        in zh_window.output.toPlainText()
    )


def test_core_keeps_english_by_default_and_chinese_on_request():
    info = TASKS["two_layer_autograd"][0]
    assert info.title_in("en") == "Two-layer net: autograd"
    assert info.title_in("zh") == "两层网络：autograd"
    assert "loss.backward()" in info.description_in("zh")
    with pytest.raises(UserTaskError) as caught:
        build_user_task({"model": lambda X: X}, TrainingConfig(task="user"))
    assert str(caught.value) == "model is a function: also define params, the tensors it learns."
    assert caught.value.message_in("zh") == "model 是一个函数：还需定义 params，即它要学习的张量。"
    error = RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
    assert out_of_memory_advice(error, "cuda:0").startswith("Out of memory on cuda:0: CUDA out")
    advice = out_of_memory_advice(error, "cuda:0", "zh")
    assert advice.startswith("cuda:0 内存不足：CUDA out of memory.")
    assert "按“继续”" in advice


def test_the_file_menu_and_title_speak_chinese(zh_window):
    sessions = zh_window.sessions
    texts = [action.text() for action in zh_window.file_menu.actions() if action.text()]
    for expected in ("新建(&N)", "打开(&O)…", "最近打开(&R)", "保存(&S)", "另存为(&A)…"):
        assert expected in texts
    assert sessions.export_action.text() == "导出为 Python 脚本(&E)…"
    assert sessions.quit_action.statusTip() == "关闭应用"
    assert sessions.save_action.shortcut().toString() == "Ctrl+S"
    recent = [action.text() for action in sessions.recent_menu.actions() if action.text()]
    assert recent == ["没有最近的文件", "清除列表"]
    assert zh_window.windowTitle().startswith("未命名")
    assert python_filter() == "Python 文件 (*.py);;所有文件 (*)"


def test_opening_a_session_reports_in_chinese(zh_window, tmp_path):
    path = tmp_path / "lab.py"
    write_session(path, Session(code="a = 1\n", training={"lr": -1.0, "colour": "red"}))
    dialogs = RecordingDialogs()
    zh_window.sessions.dialogs = dialogs
    assert zh_window.sessions.open_path(path, confirm=False)
    assert zh_window.status.text() == f"已打开 {path}"
    assert "── 已打开 lab.py；尚未运行（按 Ctrl+Enter 运行）。" in zh_window.output.toPlainText()
    [(title, text)] = dialogs.warnings
    assert title == "已打开 lab.py，但有问题"
    assert text == "lab.py 中的部分训练设置未被采用：学习率 -1.0 不是正数；未知的设置 'colour'。"


def test_the_unsaved_changes_question_is_in_chinese(qtbot):
    apply_ui_language("zh")
    box = unsaved_changes_box(None, "lab.py")
    qtbot.addWidget(box)
    assert box.windowTitle() == "未保存的更改"
    assert box.text() == "要保存对 lab.py 的更改吗？"
    buttons = QMessageBox.StandardButton
    names = [box.button(b).text() for b in (buttons.Save, buttons.Discard, buttons.Cancel)]
    assert names == ["保存", "不保存", "取消"]


def test_an_epochs_loss_is_listed_in_chinese(qtbot, panel):
    choose(panel, "linreg_scratch")
    panel.length_spin.setValue(1)
    panel.start()
    qtbot.waitUntil(lambda: panel.state == "finished", timeout=60_000)
    panel.plots.redraw()
    legend = [label.text for _sample, label in panel.plots.loss_plot.getPlotItem().legend.items]
    assert legend == ["每步", "平滑", "每轮损失"]


def test_the_folded_settings_summary_reads_in_chinese(panel):
    panel.set_presentation(True)
    text = " ".join(panel.settings_summary.text().split())
    assert text.startswith("▸ 设置：学习率 ")
    assert "次迭代" in text or "轮" in text
    assert panel.speed_combo.currentText() in text
    assert not re.search(r"Settings|iterations|epochs|batch", text)
    panel.set_presentation(False)
    assert panel.lr_edit.isVisible()
