"""The main window, graph pane, inspector and variables in Simplified Chinese."""

from PySide6.QtCore import QUrl

from autograd_playground.core.playground import Playground
from autograd_playground.gui.main_window import MainWindow, default_code
from autograd_playground.gui.panes.inspector import FIX_LINK, InspectorPanel
from autograd_playground.gui.ui_text import apply_ui_language
from tests.gui.conftest import run_in

NON_LEAF = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
y = (h ** 2).sum()
y.backward()
"""


def test_menus_toolbar_docks_and_tabs_are_chinese(zh_window):
    w = zh_window
    assert [w.file_menu.title(), w.view_menu.title(), w.teach_menu.title()] == [
        "文件(&F)",
        "视图(&V)",
        "教学(&T)",
    ]
    assert [a.text() for a in (w.run_action, w.stop_action, w.reset_action)] == [
        "运行",
        "停止",
        "重置",
    ]
    assert w.run_action.toolTip().startswith("运行编辑器中的全部代码（Ctrl+Enter）。")
    docks = (w.editor_dock, w.output_dock, w.inspector_dock, w.variables_dock)
    assert [d.windowTitle() for d in docks] == ["编辑器", "输出", "检查器", "变量"]
    # The saved layout is keyed by object names, which stay the same in every language.
    assert [d.objectName() for d in docks] == [
        "editor_dock",
        "output_dock",
        "inspector_dock",
        "variables_dock",
    ]
    assert [w.tabs.tabText(0), w.tabs.tabText(1)] == ["计算图", "训练实验室"]
    assert w.status.text().startswith("就绪。")
    theme_texts = [a.text() for a in w.themes.menu.actions()]
    assert w.themes.menu.title() == "主题(&T)"
    assert theme_texts == ["跟随系统", "浅色", "深色", "高对比度"]
    assert w.presentation.action.text() == "演示模式(&P)"
    assert w.editor.placeholderText().startswith("在这里输入 PyTorch 代码")
    assert w.output.placeholderText() == "运行代码后，输出显示在这里。"


def test_graph_pane_and_legend_are_chinese(zh_window):
    pane = zh_window.graph_pane
    assert "还没有计算图" in zh_window.graph_view.message_text()
    assert "requires_grad=True" in zh_window.graph_view.message_text()
    assert pane.search.placeholderText() == "查找名称或运算（Ctrl+F）"
    assert [pane.fit_button.text(), pane.layout_button.text(), pane.export_button.text()] == [
        "适应",
        "布局",
        "导出",
    ]
    assert pane.direction_actions["TB"].text() == "从上到下"
    assert pane.modules_label.text() == "此计算图中没有 nn.Module 调用"
    legend = [entry[1] for entry in zh_window.graph_view.legend._entries]
    assert "叶子节点（requires_grad）" in legend
    assert "requires_grad=False" in legend  # a PyTorch flag stays as written


def test_a_run_reports_and_explains_in_chinese(zh_window, qtbot):
    w = zh_window
    run_in(w, qtbot, NON_LEAF)
    assert w.status.text().startswith("运行用时 ")
    assert "个运算" in w.status.text()
    headers = [w.variables.horizontalHeaderItem(i).text() for i in range(6)]
    assert headers == ["名称", "形状", "dtype", "设备", "requires_grad", "grad"]
    row = w.variables.names().index("y")
    assert w.variables.item(row, 1).text() == "标量"
    assert w.variables.item(row, 4).text() == "是"
    assert "── 运行 " in w.output.toPlainText()

    assert w.graph_view.select_name("h")
    text = w.inspector.toPlainText()
    assert text.startswith("h\n类型\n张量\n形状\n(2)\ndtype\nfloat32\n设备\ncpu\n")
    assert "创建于\n第 2 行" in text
    assert "None — h 不是叶子节点：它由需要梯度的张量计算而来（grad_fn MulBackward0）" in text
    assert "修复：在第 2 行后添加 h.retain_grad() 并重新运行" in text
    with qtbot.waitSignal(w.run_completed, timeout=30_000):
        w.inspector.anchorClicked.emit(QUrl(FIX_LINK))
    assert "h.retain_grad()\n" in w.editor.toPlainText()
    assert "tensor([ 6., 12.])" in w.inspector.toPlainText()

    # The 0-d root's box and inspector say "标量", as the variables table does.
    root = next(item for item in w.graph_view.node_items.values() if item.node.name == "y")
    assert root.label_lines()[:2] == ["y", "标量"]
    assert w.graph_view.select_name("y")
    assert "形状\n标量\n" in w.inspector.toPlainText()


def test_bare_inspector_prompt_follows_the_language(qtbot):
    apply_ui_language("zh")
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    assert panel.toPlainText() == "点击计算图中的节点以查看详情。"


def test_a_first_launch_in_chinese_starts_with_chinese_comments(qtbot, settings):
    settings.setValue("language", "zh")
    win = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(win)
    code = win.editor.toPlainText()
    assert code.startswith("# Autograd Playground：输入 PyTorch 代码")
    assert "x = torch.arange(4.0, requires_grad=True)" in code
    assert not win.sessions.is_modified()
    apply_ui_language("en")  # the English starter, saved by an earlier launch
    win.editor.setPlainText(default_code())
    assert not win.sessions.is_modified()
    win.editor.setPlainText(default_code() + "z = x * 2\n")
    assert win.sessions.is_modified()


def test_a_file_that_cannot_be_opened_is_explained_in_chinese(zh_window, tmp_path):
    assert not zh_window.sessions.open_path(tmp_path / "gone.py", confirm=False, interactive=False)
    assert "无法打开 gone.py：文件不存在。" in zh_window.output.toPlainText()
    assert "Could not open" not in zh_window.output.toPlainText()
