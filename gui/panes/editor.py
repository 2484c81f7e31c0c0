"""The code editor: monospace, line numbers, Python colours, run shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QStyle, QTextEdit, QWidget

from autograd_playground.gui.panes.highlighter import PythonHighlighter
from autograd_playground.gui.ui_text import tr

INDENT = "    "
# How strongly the error line is tinted with the theme's error colour (of 255): the
# code on it must stay as readable as on any other line.
ERROR_TINT_ALPHA = 45
# The forward stepper's line, tinted with the theme's step colour a little more strongly:
# it is the line the class is looking for.
STEP_TINT_ALPHA = 60
# The narrowest the editor may be, in characters of its font: enough for a line of
# code. Narrower, a pane opened beside it left it one character per line.
MIN_COLUMNS = 40


class _LineNumberArea(QWidget):
    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.line_number_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_line_numbers(event)


class CodeEditor(QPlainTextEdit):
    """A Python editor. Ctrl+Enter asks to run everything, Shift+Enter the line or selection."""

    run_all_requested = Signal()
    run_snippet_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 11))
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.setPlaceholderText(tr("Type PyTorch code here, then press Ctrl+Enter to run it."))
        self._highlighter = PythonHighlighter(self.document())
        self._numbers = _LineNumberArea(self)
        self._error_line: int | None = None
        self._error_color = QColor()  # the theme's, set with set_error_color
        self._step_line: int | None = None
        self._step_color = QColor()  # the theme's, set with set_step_color
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._update_numbers)
        self.cursorPositionChanged.connect(self._update_highlights)
        self._update_margin()
        self._update_highlights()
        self._update_minimum_width()

    def width_for_columns(self, columns: int) -> int:
        """Return the editor width that shows ``columns`` characters of a line whole."""
        return self._width_around(self.fontMetrics().horizontalAdvance("x" * columns))

    def width_for_code(self, most_columns: int = 80) -> int:
        """Return the editor width that shows every line of its code whole (at least
        MIN_COLUMNS, at most ``most_columns`` characters wide)."""
        metrics = self.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(line) for line in self.toPlainText().splitlines()),
            default=0,
        )
        least, most = (metrics.horizontalAdvance("x" * n) for n in (MIN_COLUMNS, most_columns))
        return self._width_around(min(max(widest, least), most))

    def _width_around(self, text_width: int) -> int:
        """The editor's width for a line ``text_width`` pixels wide: with the line
        numbers, the frame, the document's margins, the scroll bar and the cursor."""
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        margins = 2 * (self.frameWidth() + round(self.document().documentMargin()))
        chrome = self.line_number_width() + margins + scroll_bar + self.cursorWidth()
        return chrome + text_width

    def _update_minimum_width(self) -> None:
        self.setMinimumWidth(self.width_for_columns(MIN_COLUMNS))

    def set_syntax_colors(self, colors: dict[str, str]) -> None:
        """Recolour the Python syntax (keys as in pane_palettes.LIGHT_SYNTAX)."""
        self._highlighter.set_colors(colors)

    def set_error_color(self, color: str) -> None:
        """Mark the error line (its number and tint) in ``color``, the theme's error colour."""
        self._error_color = QColor(color)
        self._update_highlights()
        self._numbers.update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if not hasattr(self, "_numbers"):
            return  # the constructor's own setFont, before the margin exists
        if event.type() == QEvent.Type.FontChange:
            # Tab stops and the line-number margin are measured in the font.
            self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
            self._update_margin()
            self._place_numbers()
            self._update_minimum_width()
        elif event.type() == QEvent.Type.PaletteChange:
            self._update_highlights()

    # -- line numbers -------------------------------------------------------
    def line_number_width(self) -> int:
        digits = max(3, len(str(self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_margin(self) -> None:
        self.setViewportMargins(self.line_number_width(), 0, 0, 0)

    def _update_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self._numbers.scroll(0, dy)
        else:
            self._numbers.update(0, rect.y(), self._numbers.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_numbers()

    def _place_numbers(self) -> None:
        area = self.contentsRect()
        self._numbers.setGeometry(
            QRect(area.left(), area.top(), self.line_number_width(), area.height())
        )

    def paint_line_numbers(self, event: QPaintEvent) -> None:
        painter = QPainter(self._numbers)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.alternateBase())
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        current = self.textCursor().blockNumber()
        width = self._numbers.width() - 6
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                error = number + 1 == self._error_line
                font = painter.font()
                font.setBold(error)  # the error line's number stands out by more than colour
                painter.setFont(font)
                if error:
                    painter.setPen(self._error_color)
                elif number == current:
                    painter.setPen(palette.text().color())
                else:
                    painter.setPen(palette.placeholderText().color())
                painter.drawText(
                    0, top, width, height, Qt.AlignmentFlag.AlignRight, str(number + 1)
                )
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1

    # -- highlights -----------------------------------------------------------
    def mark_error_line(self, line: int | None) -> None:
        """Tint ``line`` (1-based) red until the text changes; None clears it."""
        if line == self._error_line:
            return  # every Run clears the mark: repainting the editor then is waste
        self._error_line = line
        self._update_highlights()
        self._numbers.update()

    def mark_step_line(self, line: int | None) -> None:
        """Tint ``line`` (1-based) in the step colour and scroll to it, keeping the focus
        where it is (the forward stepper's current line); None clears it."""
        if line == self._step_line:
            return
        self._step_line = line
        self._update_highlights()
        block = self.document().findBlockByNumber(line - 1) if line is not None else None
        if block is not None and block.isValid():
            self.setTextCursor(QTextCursor(block))
            self.ensureCursorVisible()

    @property
    def step_line(self) -> int | None:
        """The line mark_step_line tints, None when none is."""
        return self._step_line

    def set_step_color(self, color: str) -> None:
        self._step_color = QColor(color)
        self._update_highlights()

    def _line_tint(self, line: int, color: str, alpha: int) -> QTextEdit.ExtraSelection | None:
        block = self.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return None
        tint = QColor(color)
        tint.setAlpha(alpha)
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(tint)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = QTextCursor(block)
        return selection

    def _update_highlights(self) -> None:
        selections = []
        current = QTextEdit.ExtraSelection()
        current.format.setBackground(self.palette().alternateBase())
        current.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        current.cursor = self.textCursor()
        current.cursor.clearSelection()
        selections.append(current)
        if self._step_line is not None:
            step = self._line_tint(self._step_line, self._step_color, STEP_TINT_ALPHA)
            selections.append(step)
        if self._error_line is not None:
            error = self._line_tint(self._error_line, self._error_color, ERROR_TINT_ALPHA)
            selections.append(error)
        self.setExtraSelections([selection for selection in selections if selection is not None])

    def go_to_line(self, line: int) -> None:
        """Put the cursor at the start of ``line`` (1-based) and show it."""
        block = self.document().findBlockByNumber(max(0, line - 1))
        if block.isValid():
            self.setTextCursor(QTextCursor(block))
            self.centerCursor()
            self.setFocus()

    # -- keys ---------------------------------------------------------------
    def current_snippet(self) -> str:
        """Return the selection, or the current line when nothing is selected."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            return cursor.selection().toPlainText()
        return cursor.block().text()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods & Qt.KeyboardModifier.ControlModifier:
                self.run_all_requested.emit()
                return
            if mods & Qt.KeyboardModifier.ShiftModifier:
                self.run_snippet_requested.emit(self.current_snippet())
                return
            self._newline_with_indent()
            return
        if key == Qt.Key.Key_Tab and not mods:
            self.textCursor().insertText(INDENT)
            return
        if key == Qt.Key.Key_Backtab:
            self._dedent_line()
            return
        super().keyPressEvent(event)
        if self._error_line is not None and event.text():
            self.mark_error_line(None)

    def _newline_with_indent(self) -> None:
        cursor = self.textCursor()
        line = cursor.block().text()[: cursor.positionInBlock()]
        indent = line[: len(line) - len(line.lstrip(" "))]
        if line.rstrip().endswith(":"):
            indent += INDENT
        cursor.insertText("\n" + indent)
        self.ensureCursorVisible()

    def _dedent_line(self) -> None:
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        text = cursor.block().text()
        remove = len(text) - len(text.lstrip(" "))
        remove = min(remove, len(INDENT))
        for _ in range(remove):
            cursor.deleteChar()
