"""The Lessons dock: titles, the language switch, and opening a lesson without running it."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QTabBar

from autograd_playground.core.i18n.languages import language_for_locale
from autograd_playground.core.playground import Playground
from autograd_playground.core.teach.lessons import load_catalog
from autograd_playground.gui.main_window import MainWindow
from autograd_playground.gui.teach.lesson_browser import cleared_message, still_running_message
from tests.gui.conftest import double_click

LESSONS = load_catalog().lessons
WX = next(lesson for lesson in LESSONS if lesson.id == "15_wx_plus_b")
DETACH = next(lesson for lesson in LESSONS if lesson.id == "12_detach")
RETAIN_GRAPH = next(lesson for lesson in LESSONS if lesson.id == "14_retain_graph")
MY_RELU = next(lesson for lesson in LESSONS if lesson.id == "17_my_relu")


def _titles(panel) -> list[str]:
    return [panel.list.item(row).text() for row in range(panel.list.count())]


def _language_action(window, name: str):
    return next(a for a in window.lessons.language_actions.actions() if a.text() == name)


def _dock_tabs(window) -> tuple[list[str], str] | None:
    """Return the titles of the tab bar holding the Inspector, and its current one."""
    for bar in window.findChildren(QTabBar):
        titles = [bar.tabText(index) for index in range(bar.count())]
        if "Inspector" in titles and bar.isVisible():
            return titles, bar.tabText(bar.currentIndex())
    return None


def test_dock_starts_hidden_behind_the_inspector_and_ctrl_l_shows_it(window, qtbot):
    dock = window.lessons.dock
    assert not dock.isVisible()
    assert window.inspector_dock.isVisible()
    tabs = _dock_tabs(window)
    assert tabs is None or tabs == (["Inspector"], "Inspector")
    action = window.lessons.show_action
    assert action in window.teach_menu.actions()
    assert action.text() == "Lessons…"
    assert action.shortcut().toString() == "Ctrl+L"
    action.trigger()
    assert dock.isVisible()
    assert dock in window.tabifiedDockWidgets(window.inspector_dock)
    qtbot.waitUntil(lambda: _dock_tabs(window) is not None, timeout=5_000)
    assert _dock_tabs(window) == (["Inspector", "Lessons"], "Lessons")


def test_list_shows_numbered_titles_in_the_locale_language(window):
    panel = window.lessons.panel
    language = language_for_locale(QLocale.system().name())
    assert window.lessons.language == language
    assert _titles(panel) == [f"{lesson.number}. {lesson.title(language)}" for lesson in LESSONS]
    assert panel.list.currentRow() == 0
    assert LESSONS[0].title(language) in panel.text.toPlainText()


def test_switching_language_changes_titles_texts_and_menu(window, settings):
    lessons = window.lessons
    panel = lessons.panel
    lessons.set_language("en")
    assert panel.select_lesson(WX.id)
    assert "15. z = wx + b: forward and backward" in _titles(panel)
    assert "Try this" in panel.text.toPlainText()
    assert "retain_grad()" in panel.text.toPlainText()

    panel.language_combo.setCurrentIndex(panel.language_combo.findData("zh"))
    # The Chinese title has a full-width colon.
    assert "15. z = wx + b\uff1a正向传播与反向传播" in _titles(panel)
    shown = panel.text.toPlainText()
    assert "动手试一试" in shown
    assert "用链式法则求出 dz/dw = x = 5" in shown
    assert "1. 第一个张量" in _titles(panel)
    assert settings.value("language") == "zh"
    assert _language_action(window, "简体中文").isChecked()
    assert panel.current_lesson() is not None
    assert panel.current_lesson().id == WX.id

    _language_action(window, "English").trigger()
    assert panel.language_combo.currentData() == "en"
    assert "chain rule: dz/dw = x = 5" in panel.text.toPlainText()
    assert settings.value("language") == "en"


def test_language_choice_is_remembered(qtbot, settings):
    settings.setValue("language", "zh")
    win = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(win)
    assert win.lessons.language == "zh"
    assert _titles(win.lessons.panel)[0] == "1. 第一个张量"
    assert _language_action(win, "简体中文").isChecked()
    win.close()


def test_unknown_saved_language_falls_back_to_the_locale(qtbot, settings):
    settings.setValue("language", "klingon")
    win = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(win)
    assert win.lessons.language == language_for_locale(QLocale.system().name())
    win.close()


def test_open_in_editor_loads_without_running_and_undo_restores(window, qtbot):
    editor = window.editor
    editor.setPlainText("my_own = torch.ones(2)\n")
    panel = window.lessons.panel
    window.lessons.show_action.trigger()
    assert panel.select_lesson(WX.id)
    with (
        qtbot.assertNotEmitted(window.run_completed),
        qtbot.waitSignal(window.reset_completed, timeout=10_000),
    ):
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert editor.toPlainText() == WX.code
    assert window.status.text() == cleared_message()
    assert not window.is_running
    # Nothing ran: the output only says the variables were cleared.
    (line,) = window.output.toPlainText().strip().splitlines()
    assert "reset" in line
    editor.undo()
    assert editor.toPlainText() == "my_own = torch.ones(2)\n"
    editor.redo()
    assert editor.toPlainText() == WX.code


def test_double_click_opens_the_lesson(window, qtbot):
    window.editor.setPlainText("")
    panel = window.lessons.panel
    window.lessons.show_action.trigger()
    item = panel.list.item(LESSONS.index(WX))
    panel.list.scrollToItem(item)
    center = panel.list.visualItemRect(item).center()
    # A view only takes a double-click on the item its press landed on.
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=center)
    double_click(qtbot, panel.list.viewport(), pos=center)
    assert panel.current_lesson().id == WX.id
    assert window.editor.toPlainText() == WX.code


def test_loaded_lesson_runs_with_ctrl_enter(window, qtbot):
    window.lessons.panel.select_lesson(WX.id)
    window.lessons.panel.open_button.click()
    with qtbot.waitSignal(window.run_completed, timeout=30_000) as blocker:
        window.run_all()
    outcome = blocker.args[0]
    assert outcome.result.error is None
    assert outcome.graph.find("w").grad.values == [5.0]


def test_the_language_choice_sets_the_menus_at_the_next_start(qtbot, settings):
    settings.setValue("language", "zh")
    win = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(win)
    assert win.lessons.language_menu.title() == "语言"
    win.lessons.set_language("en")
    assert "from the next start" in win.status.text()
    assert settings.value("language") == "en"


def _open_and_run(window, qtbot, lesson):
    with qtbot.waitSignal(window.reset_completed, timeout=10_000):
        window.lessons.open_lesson(lesson)
    with qtbot.waitSignal(window.run_completed, timeout=30_000) as blocker:
        window.run_all()
    assert blocker.args[0].result.error is None
    return blocker.args[0]


def test_a_lesson_starts_from_a_clean_namespace_and_a_fitted_graph(window, qtbot):
    view = window.graph_view
    _open_and_run(window, qtbot, DETACH)
    assert {"u", "z"} <= set(window.variables.names())

    _open_and_run(window, qtbot, RETAIN_GRAPH)
    assert "u" not in window.variables.names()  # lesson 12's detached u is gone
    assert view.graph.find("loss") is not None
    view.zoom_by(3.0)
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    zoomed = view.zoom()

    _open_and_run(window, qtbot, MY_RELU)
    assert "loss" not in window.variables.names()
    assert view.graph.find("loss") is None  # no node of lesson 14's loss chain is left
    assert view.graph.find("x").value.values == [-1.0, 2.0, -3.0]  # lesson 17's x
    # The new graph opens as a fresh one does, not at the old lesson's zoom and scroll.
    shown = (view.zoom(), view.horizontalScrollBar().value(), view.verticalScrollBar().value())
    assert shown[0] != zoomed
    view._open_view()
    fresh = (view.zoom(), view.horizontalScrollBar().value(), view.verticalScrollBar().value())
    assert shown == fresh

    qtbot.keyClick(window.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.toPlainText() == RETAIN_GRAPH.code


def test_a_lesson_does_not_open_while_code_runs(window, qtbot):
    window.editor.setPlainText("my_own = 1\n")
    window.is_running = True
    window.lessons.open_lesson(WX)
    window.is_running = False
    assert window.editor.toPlainText() == "my_own = 1\n"
    assert window.status.text() == still_running_message()
