"""The Lessons dock: pick a lesson, read it in English or Chinese, open its code."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from autograd_playground.core.i18n.catalog import translate
from autograd_playground.core.i18n.languages import LANGUAGES, language_name, normalize_language
from autograd_playground.core.teach.lessons import Lesson, LessonCatalog, load_catalog
from autograd_playground.gui.appearance.themes import set_text_role
from autograd_playground.gui.panes.editor import CodeEditor
from autograd_playground.gui.side_docks import SideDocks
from autograd_playground.gui.ui_text import SETTINGS_KEY, saved_language, tr, ui_language
from autograd_playground.gui.window_services import CodeRuns

_INLINE_CODE = re.compile(r"`([^`]+)`")
_CODE_STYLE = "font-family: monospace; background-color: rgba(127, 127, 127, 40);"


def loaded_message() -> str:
    """Return the status-bar text after a lesson is put in the editor."""
    return tr("Lesson loaded: press Ctrl+Enter to run it")


def cleared_message() -> str:
    """Return the status-bar text once the namespace is cleared for the lesson just opened."""
    return tr(
        "Lesson loaded and every variable cleared: press Ctrl+Enter "
        "to run it. Ctrl+Z brings back your code (run it again for "
        "its variables)."
    )


def still_running_message() -> str:
    """Return why a lesson does not open while code runs."""
    return tr("Still running: press Stop (Ctrl+.) before opening a lesson.")


def _try_this_heading(language: str) -> str:
    return translate("Try this", language)


def _inline_html(text: str) -> str:
    """Escape ``text`` and show its `backticked` parts as code."""
    escaped = html.escape(" ".join(text.split()))
    return _INLINE_CODE.sub(lambda m: f"<code style='{_CODE_STYLE}'>{m.group(1)}</code>", escaped)


def lesson_html(lesson: Lesson, language: str) -> str:
    """Return the lesson's title, explanation and prompts in ``language`` as rich text."""
    paragraphs = [part for part in re.split(r"\n\s*\n", lesson.text(language)) if part.strip()]
    parts = [f"<h3>{lesson.number}. {html.escape(lesson.title(language))}</h3>"]
    parts += [f"<p>{_inline_html(paragraph)}</p>" for paragraph in paragraphs]
    parts.append(f"<h4>{_try_this_heading(language)}</h4><ul>")
    parts += [f"<li>{_inline_html(prompt)}</li>" for prompt in lesson.prompts_in(language)]
    parts.append("</ul>")
    # Relative to the app's font, so a larger font (a projector setting) scales it too.
    return f"<div style='font-size: large'>{''.join(parts)}</div>"


class LessonBrowserPanel(QWidget):
    """The list of lessons above the selected one's texts, with a language switch."""

    open_requested = Signal(object)  # the Lesson to load into the editor
    language_changed = Signal(str)  # the language the user picked in the panel

    def __init__(
        self, catalog: LessonCatalog, language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.language = language
        self.language_combo = QComboBox()
        self.language_combo.setToolTip(tr("The language of the lesson texts"))
        for code in LANGUAGES:
            self.language_combo.addItem(language_name(code), code)
        self.language_combo.setCurrentIndex(LANGUAGES.index(language))
        self.language_combo.currentIndexChanged.connect(self._on_language_chosen)
        self.list = QListWidget()
        self.list.setObjectName("lesson_list")
        self.list.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setObjectName("lesson_text")
        self.text.setOpenLinks(False)
        self.open_button = QPushButton(tr("Open in editor"))
        self.open_button.setToolTip(
            tr(
                "Put this lesson's code in the editor and clear every "
                "variable, so the lesson starts afresh (Ctrl+Z brings your "
                "code back)"
            )
        )
        self.open_button.clicked.connect(self._on_open_clicked)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        set_text_role(self.problems, "error")
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._lay_out()

        for lesson in catalog.lessons:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, lesson.id)
            item.setToolTip(lesson.path.name)
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._update_text)
        self.list.itemDoubleClicked.connect(self._on_item_double_clicked)
        self._show_problems()
        self._update_titles()
        if catalog.lessons:
            self.list.setCurrentRow(0)
        else:
            self._update_text(-1)

    def _lay_out(self) -> None:
        """The language row, the list over the text, the problems and the open button."""
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Language:")))
        top.addWidget(self.language_combo, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(self.text)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.open_button)

    # -- state ---------------------------------------------------------------
    def current_lesson(self) -> Lesson | None:
        """Return the selected lesson, or None when there is none."""
        row = self.list.currentRow()
        if 0 <= row < len(self.catalog.lessons):
            return self.catalog.lessons[row]
        return None

    def select_lesson(self, lesson_id: str) -> bool:
        """Select the lesson ``lesson_id``; return False if there is no such lesson."""
        for row, lesson in enumerate(self.catalog.lessons):
            if lesson.id == lesson_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def set_language(self, language: str) -> None:
        """Show the titles and texts in ``language`` (no signal: the caller chose it)."""
        self.language = language
        self.language_combo.blockSignals(True)
        self.language_combo.setCurrentIndex(LANGUAGES.index(language))
        self.language_combo.blockSignals(False)
        self._update_titles()
        self._update_text(self.list.currentRow())

    # -- updates -------------------------------------------------------------
    def _update_titles(self) -> None:
        for row, lesson in enumerate(self.catalog.lessons):
            self.list.item(row).setText(f"{lesson.number}. {lesson.title(self.language)}")

    def _update_text(self, row: int) -> None:
        lesson = self.current_lesson() if row >= 0 else None
        self.open_button.setEnabled(lesson is not None)
        if lesson is None:
            empty = tr("No lessons could be loaded.")
            empty = empty if not self.catalog.lessons else ""
            self.text.setHtml(f"<p>{html.escape(empty)}</p>")
            return
        self.text.setHtml(lesson_html(lesson, self.language))

    def _show_problems(self) -> None:
        problems = self.catalog.problems
        self.problems.setVisible(bool(problems))
        if problems:
            self.problems.setText(tr("Lessons left out:") + "\n" + "\n".join(problems))

    # -- slots -----------------------------------------------------------------
    def _on_language_chosen(self, index: int) -> None:
        language = self.language_combo.itemData(index)
        if language and language != self.language:
            self.set_language(language)
            self.language_changed.emit(language)

    def _on_open_clicked(self) -> None:
        lesson = self.current_lesson()
        if lesson is not None:
            self.open_requested.emit(lesson)

    def _on_item_double_clicked(self, item: QListWidgetItem) -> None:
        self.list.setCurrentItem(item)
        self._on_open_clicked()


class LessonsController(QObject):
    """Adds the Lessons dock, the Teach ▸ Lessons… action and View ▸ Lesson language."""

    def __init__(
        self,
        parent: QObject,
        *,
        settings: QSettings,
        docks: SideDocks,
        menus: tuple[QMenu, QMenu],
        editor: CodeEditor,
        editor_dock: QDockWidget,
        status: QLabel,
        runs: CodeRuns,
        leave_file: Callable[[], bool],
        catalog: LessonCatalog | None = None,
    ) -> None:
        """``menus``: the Teach menu and the View menu; ``leave_file`` lets the current
        session's file go (False if the user keeps it) before a lesson replaces the code."""
        super().__init__(parent)
        self.settings, self.docks, self.status, self.runs = settings, docks, status, runs
        self.editor, self.editor_dock, self.leave_file = editor, editor_dock, leave_file
        self.language = saved_language(self.settings.value(SETTINGS_KEY))
        self.panel = LessonBrowserPanel(catalog or load_catalog(), self.language)
        self.panel.open_requested.connect(self.open_lesson)
        self.panel.language_changed.connect(self.set_language)

        # Hidden until asked for; the inspector stays the tab in front.
        self.dock = docks.add("lessons", tr("Lessons"), self.panel)
        docks.raise_anchor()
        teach_menu, view_menu = menus
        self.show_action = QAction(tr("Lessons…"), parent)
        self.show_action.setShortcut(QKeySequence("Ctrl+L"))
        self.show_action.setToolTip(tr("Show the lessons (Ctrl+L)"))
        self.show_action.triggered.connect(self.show_lessons)
        teach_menu.addAction(self.show_action)
        self._build_language_menu(view_menu)

    def _build_language_menu(self, view_menu: QMenu) -> None:
        self.language_menu = view_menu.addMenu(tr("Language"))
        self.language_actions = QActionGroup(self)
        self.language_actions.setExclusive(True)
        for code in LANGUAGES:
            action = QAction(language_name(code), self.language_menu)
            action.setCheckable(True)
            action.setData(code)
            action.setChecked(code == self.language)
            self.language_actions.addAction(action)
            self.language_menu.addAction(action)
        self.language_actions.triggered.connect(lambda action: self.set_language(action.data()))

    def show_lessons(self) -> None:
        """Show the Lessons dock and bring it to the front of its tabs."""
        was_visible = self.dock.isVisible()
        self.dock.show()
        self.dock.raise_()
        if not was_visible:
            self._make_room()
        self.panel.list.setFocus()

    def _make_room(self) -> None:
        """Give the lessons most of their column, and width enough to read at 1280×720."""
        docks, variables = self.docks, self.docks.companion
        if variables.isVisible():
            column = self.dock.height() + variables.height()
            docks.resize(
                [self.dock, variables], [column * 3 // 4, column // 4], Qt.Orientation.Vertical
            )
        wanted = min(380, docks.window_size().width() // 3)
        if self.dock.width() < wanted:
            docks.resize([self.dock], [wanted], Qt.Orientation.Horizontal)

    def set_language(self, language: str) -> None:
        """Show the lessons in ``language`` everywhere and remember the choice."""
        language = normalize_language(language, self.language)
        self.language = language
        self.settings.setValue(SETTINGS_KEY, language)
        self.panel.set_language(language)
        for action in self.language_actions.actions():
            action.setChecked(action.data() == language)
        if language != ui_language():
            self.status.setText(
                translate(
                    "Lessons are in English now; menus and panels will be too from the next start.",
                    language,
                )
            )

    def open_lesson(self, lesson: Lesson) -> None:
        """Put ``lesson``'s code in the editor without running it and clear the namespace."""
        self.open_code(lesson.code)

    def open_code(self, code: str, message: str | None = None) -> None:
        """Put ``code`` (a lesson's, the lab's task's) in the editor without running it,
        say ``message`` (by default, that a lesson loaded) and clear the namespace.

        Ctrl+Z brings back the code, not its variables: running it makes them again.
        A session saved to a file goes on untitled, so Save never puts the code
        over that file.
        """
        if self.runs.is_running:
            # Its variables would land in the new code's namespace after the reset.
            self.status.setText(still_running_message())
            return
        if not self.leave_file():
            return
        editor = self.editor
        # One edit through a cursor, unlike setPlainText, keeps the undo history.
        cursor = QTextCursor(editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(code)
        cursor.endEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        editor.setTextCursor(cursor)
        editor.mark_error_line(None)
        self.editor_dock.show()
        editor.setFocus()
        self.status.setText(message or loaded_message())
        self._clear_namespace()

    def _clear_namespace(self) -> None:
        """Start the lesson from no variables, as Reset does, and so from an empty graph.

        Another lesson's variables would otherwise stay in Variables and in the
        graph, and the lesson's graph would open at the old one's zoom and scroll.
        """
        runs = self.runs
        if not runs.is_ready:
            return  # torch is still loading: no code has run, nothing to clear
        runs.reset_completed.connect(
            self._on_namespace_cleared, Qt.ConnectionType.SingleShotConnection
        )
        runs.reset_namespace()

    def _on_namespace_cleared(self) -> None:
        self.status.setText(cleared_message())
