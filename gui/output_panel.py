"""The output pane: what the code printed, the last expression's value, errors in red."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from core.evaluator import RunResult

MAX_BLOCKS = 5_000
COLORS = {
    "header": "#808080",
    "stdout": None,
    "stderr": "#b35900",
    "display": "#1f5fbf",
    "error": "#d62728",
    "info": "#808080",
}


class OutputPanel(QPlainTextEdit):
    """Read-only, capped at MAX_BLOCKS lines so a flood of output cannot freeze it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_BLOCKS)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 10))
        self.setFont(font)
        self.setPlaceholderText("Output appears here when you run code.")

    def append_text(self, text: str, kind: str = "stdout") -> None:
        """Append ``text`` in the colour of ``kind`` (stdout, stderr, display, error, info)."""
        if not text:
            return
        fmt = QTextCharFormat()
        color = COLORS.get(kind)
        if color:
            fmt.setForeground(QColor(color))
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if self.document().lastBlock().text():
            cursor.insertText("\n")
        cursor.insertText(text if text.endswith("\n") else text + "\n", fmt)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def show_result(self, result: RunResult, label: str = "Run") -> None:
        """Append one run: a header, its output, its value and its error."""
        self.append_text(f"── {label} {result.run_id} · {result.seconds:.2f} s", "header")
        self.append_text(result.stdout, "stdout")
        self.append_text(result.stderr, "stderr")
        if result.display is not None:
            self.append_text(result.display, "display")
        if result.error is not None:
            kind = "info" if result.error.interrupted else "error"
            self.append_text(result.error.text, kind)
