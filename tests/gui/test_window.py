"""The window's panes, driven as a user would."""

import time

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QTextCursor

from autograd_playground.core.playground import Playground
from autograd_playground.gui.engine_worker import NEXT_ENGINE_DELAY_MS
from autograd_playground.gui.main_window import MainWindow, default_code
from tests.gui.conftest import double_click, run_in


def test_errors_are_red_name_the_line_and_mark_the_editor(window, qtbot):
    outcome = run_in(window, qtbot, "a = torch.ones(2, 3)\nb = torch.ones(2)\nc = a + b\n")
    assert outcome.result.error.line == 3
    text = window.output.toPlainText()
    assert "line 3, in <module>" in text
    assert "RuntimeError: The size of tensor a (3) must match" in text
    assert window.status.text().startswith("line 3: RuntimeError")
    block = window.output.document().findBlock(text.index("RuntimeError: The size"))
    colors = {fragment.charFormat().foreground().color().name() for fragment in _fragments(block)}
    assert QColor("#d62728").name() in colors
    assert window.editor._error_line == 3
    # Assignments before the failing line are kept.
    assert window.variables.names() == ["a", "b"]


def _fragments(block):
    iterator = block.begin()
    while not iterator.atEnd():
        yield iterator.fragment()
        iterator += 1


def test_output_shows_prints_and_last_value(window, qtbot):
    run_in(window, qtbot, "print('hello')\nt = torch.ones(2)\nt * 3")
    text = window.output.toPlainText()
    assert "hello\ntensor([3., 3.])" in text


def test_the_status_counts_the_graphs_ops_in_good_english(window, qtbot):
    run_in(window, qtbot, "x = torch.ones(2, requires_grad=True)\ny = x.sum()")
    assert window.status.text().endswith(" · 1 op in the graph")
    run_in(window, qtbot, "y = (x * 2).sum()")
    assert window.status.text().endswith(" · 2 ops in the graph")


def test_output_and_variables_show_while_the_graph_is_still_being_laid_out(
    window, qtbot, monkeypatch
):
    import threading

    import autograd_playground.core.render.layout

    release = threading.Event()
    original = autograd_playground.core.render.layout.LayoutJob.result

    def held_result(job):
        release.wait(30)  # a big graph's layout, held until the output has been seen
        return original(job)

    monkeypatch.setattr(autograd_playground.core.render.layout.LayoutJob, "result", held_result)
    window.graph_view.clear_graph()
    window.editor.setPlainText("w = torch.ones(3, requires_grad=True)\nprint('ran')\n")
    with qtbot.waitSignal(window.run_completed, timeout=30_000):
        window.run_all()
        qtbot.waitUntil(lambda: window.variables.names() == ["w"], timeout=30_000)
        assert window.output.toPlainText().rstrip().endswith("ran")
        assert window.is_running  # the graph is still to come
        assert not window.graph_view.node_items
        release.set()
    assert window.output.toPlainText().count("ran\n") == 1  # not shown again with the graph
    assert window.variables.names() == ["w"]
    assert window.graph_view.node_items
    assert window.status.text().startswith("Ran in ")


def test_shift_enter_runs_the_current_line_only(window, qtbot):
    window.editor.setPlainText("a = torch.ones(1)\nb = torch.zeros(1)\n")
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.Down)
    window.editor.setTextCursor(cursor)
    with qtbot.waitSignal(window.run_completed, timeout=30_000):
        qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.variables.names() == ["b"]
    assert window.editor.toPlainText() == "a = torch.ones(1)\nb = torch.zeros(1)\n"


def test_ctrl_enter_runs_everything(window, qtbot):
    window.editor.setPlainText("a = torch.ones(1)\nb = torch.zeros(1)\n")
    window.editor.setFocus()
    with qtbot.waitSignal(window.run_completed, timeout=30_000):
        qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.variables.names() == ["a", "b"]


def test_stop_ends_a_runaway_loop_and_keeps_the_text(window, qtbot):
    code = "n = 0\nwhile True:\n    n += 1\n"
    window.editor.setPlainText(code)
    window.run_all()
    qtbot.waitUntil(lambda: window.playground.evaluator.is_running, timeout=10_000)
    # A run shows as busy (Stop on, Run off) once it has lasted a moment.
    qtbot.waitUntil(window.stop_action.isEnabled, timeout=2_000)
    assert not window.run_action.isEnabled()
    assert window.status.text() == "Running…"
    with qtbot.waitSignal(window.run_completed, timeout=3_000) as blocker:
        window.stop_action.trigger()
    assert blocker.args[0].result.error.interrupted
    assert "Interrupted at line" in window.output.toPlainText()
    assert window.editor.toPlainText() == code
    assert window.run_action.isEnabled()
    assert window.playground.evaluator.namespace["n"] > 0


def test_a_quick_run_leaves_the_toolbar_alone(window, qtbot):
    """Run and Stop change only for a run long enough to see: no flicker."""
    window._busy_timer.setInterval(60_000)  # however slow this machine, no busy state
    changes = []
    for action in (window.run_action, window.stop_action, window.reset_action):
        action.changed.connect(lambda action=action: changes.append(action.text()))
    run_in(window, qtbot, "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()")
    assert changes == []
    assert window.run_action.isEnabled()
    assert not window.stop_action.isEnabled()
    assert window.status.text().startswith("Ran in ")


def test_rerunning_keeps_unchanged_variables_and_inspector_page(window, qtbot):
    code = "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()"
    run_in(window, qtbot, code)
    first_item = window.variables.item(0, 0)
    page = window.inspector.document()
    revision = page.revision()
    run_in(window, qtbot, code)
    assert window.variables.item(0, 0) is first_item
    assert window.inspector.document().revision() == revision
    run_in(window, qtbot, code + "\nz = y * 3")
    assert window.variables.names() == ["x", "y", "z"]
    assert window.variables.item(2, 1).text() == "scalar"


def test_the_next_layout_engine_starts_after_the_result_is_shown(window, qtbot, monkeypatch):
    """Not while the window draws the run's graph, but well before the next Run."""
    events = []
    pool = window.playground._engines
    refill = pool.refill
    monkeypatch.setattr(
        pool, "refill", lambda: (events.append(("refill", time.monotonic())), refill())
    )
    window.playground.run_finished.connect(lambda _: events.append(("run", time.monotonic())))
    window.playground.close()  # no spare engine now
    run_in(window, qtbot, "x = torch.ones(2, requires_grad=True)\ny = x * 2")
    qtbot.waitUntil(lambda: pool._spare is not None, timeout=5_000)
    (first, finished), (second, started) = events
    assert (first, second) == ("run", "refill")
    assert started - finished >= (NEXT_ENGINE_DELAY_MS - 5) / 1000


def test_reset_clears_variables_and_graph(window, qtbot):
    run_in(window, qtbot, "x = torch.ones(2, requires_grad=True)\ny = x * 2")
    assert window.graph_view.node_items
    with qtbot.waitSignal(window.reset_completed, timeout=10_000):
        window.reset_action.trigger()
    assert window.variables.names() == []
    assert not window.graph_view.node_items
    assert "No autograd graph yet" in window.graph_view.message_text()


def test_variables_row_selects_the_node_and_double_click_jumps_to_its_line(window, qtbot):
    run_in(window, qtbot, "x = torch.ones(2, requires_grad=True)\n\ny = x * 2\n")
    row = window.variables.names().index("y")
    item = window.variables.item(row, 0)
    rect = window.variables.visualItemRect(item)
    qtbot.mouseClick(window.variables.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.graph_view.selected_node_id() == "tensor:y"
    assert window.inspector.toPlainText().startswith("y")
    view = window.graph_view
    pos = view.mapFromScene(view.node_items["tensor:y"].scenePos())
    double_click(qtbot, view.viewport(), pos=pos)
    assert window.editor.textCursor().blockNumber() == 2


def test_same_structure_updates_in_place(window, qtbot):
    run_in(window, qtbot, "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()")
    items = dict(window.graph_view.node_items)
    positions = {key: item.pos() for key, item in items.items()}
    run_in(window, qtbot, "x = torch.full((2,), 5.0, requires_grad=True)\ny = (x * 2).sum()")
    assert window.graph_view.node_items == items
    for key, item in window.graph_view.node_items.items():
        assert item is items[key]
        assert item.pos() == positions[key]
    assert items["leaf:x"].node.value.values == [5.0, 5.0]


def test_missing_layout_engine_is_said_plainly(window, qtbot, monkeypatch):
    monkeypatch.setenv("AUTOGRAD_PLAYGROUND_DOT", "/nonexistent/dot")
    outcome = run_in(window, qtbot, "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny")
    assert outcome.result.error is None
    assert "was not found" in window.graph_view.message_text()
    assert window.variables.names() == ["x", "y"]
    assert "grad_fn=<MulBackward0>" in window.output.toPlainText()


def test_device_selector_lists_cpu(window):
    devices = [window.device_combo.itemData(i) for i in range(window.device_combo.count())]
    assert devices[0] == "cpu"
    assert window.device_combo.isEnabled()


def test_code_and_layout_persist(qtbot, settings):
    first = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(first)
    assert first.editor.toPlainText() == default_code()
    first.editor.setPlainText("z = 1\n")
    first.removeDockWidget(first.variables_dock)
    first.close()
    second = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(second)
    assert second.editor.toPlainText() == "z = 1\n"
    second.close()


def test_run_before_torch_is_ready_waits_for_it(qtbot, settings):
    win = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(win)
    win.show()
    win.editor.setPlainText("early = torch.ones(3)")
    win.run_all()
    assert "Loading PyTorch" in win.status.text()
    with qtbot.waitSignal(win.run_completed, timeout=60_000):
        win.start_engine()
    assert win.variables.names() == ["early"]
    win.close()


def test_closing_during_a_run_stops_the_thread(qtbot, settings):
    win = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.engine_ready, timeout=60_000):
        win.start_engine()
    win.editor.setPlainText("while True:\n    pass\n")
    win.run_all()
    qtbot.waitUntil(lambda: win.playground.evaluator.is_running, timeout=10_000)
    win.close()
    assert not win.engine.thread.isRunning()


def test_lone_leaf_is_drawn_with_its_label(window, qtbot):
    run_in(window, qtbot, "a_long_variable_name = torch.ones(2, requires_grad=True)")
    item = window.graph_view.node_items["leaf:a_long_variable_name"]
    assert item.label_lines() == ["a_long_variable_name", "(2)", "data [1, 1]", "grad None"]
    assert item.fill_color() == QColor("#add8e6")
    assert item.boundingRect().contains(QPointF(0, 0))


def test_tests_draw_offscreen(qapp):
    # Qt reads the platform once, as the application starts: a test configuration that
    # chose it too late would open every test's windows on the desktop.
    assert qapp.platformName() == "offscreen"
