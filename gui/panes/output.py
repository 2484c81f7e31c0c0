"""The output pane: what the code printed, the last expression's value, errors in red."""

from __future__ import annotations

from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextFragment,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from autograd_playground.core.run.evaluator import RunResult
from autograd_playground.gui.appearance.pane_palettes import LIGHT_OUTPUT
from autograd_playground.gui.ui_text import tr

MAX_BLOCKS = 5_000
# Each appended piece remembers its kind, so a new theme can recolour what is shown.
KIND_PROPERTY = QTextFormat.Property.UserProperty + 1


def _fragments(block: QTextBlock) -> list[QTextFragment]:
    found = []
    pieces = block.begin()
    while not pieces.atEnd():
        found.append(pieces.fragment())
        pieces += 1
    return found


class OutputPanel(QPlainTextEdit):
    """Read-only, capped at MAX_BLOCKS lines so a flood of output cannot freeze it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMaximumBlockCount(MAX_BLOCKS)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 10))
        self.setFont(font)
        self.setPlaceholderText(tr("Output appears here when you run code."))
        self.colors: dict[str, str | None] = dict(LIGHT_OUTPUT)

    def set_colors(self, colors: dict[str, str | None]) -> None:
        """Use ``colors`` (kind to colour, None for the text colour) here on, and recolour."""
        self.colors = dict(colors)
        pieces = []
        block = self.document().begin()
        while block.isValid():
            for fragment in _fragments(block):
                kind = fragment.charFormat().property(KIND_PROPERTY)
                if kind:
                    pieces.append((fragment.position(), fragment.length(), kind))
            block = block.next()
        cursor = QTextCursor(self.document())
        for position, length, kind in pieces:
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(self._format(kind))

    def _format(self, kind: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setProperty(KIND_PROPERTY, kind)
        color = self.colors.get(kind)
        if color:
            fmt.setForeground(QColor(color))
        return fmt

    def append_text(self, text: str, kind: str = "stdout") -> None:
        """Append ``text`` in the colour of ``kind`` (stdout, stderr, display, error, info,
        explanation)."""
        if not text:
            return
        fmt = self._format(kind)
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if self.document().lastBlock().text():
            cursor.insertText("\n")
        cursor.insertText(text if text.endswith("\n") else text + "\n", fmt)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def show_result(self, result: RunResult, label: str | None = None) -> None:
        """Append one run: a header, its output, its value and its error."""
        label = label or tr("Run")
        seconds = tr("{seconds:.2f} s", seconds=result.seconds)
        self.append_text(f"── {label} {result.run_id} · {seconds}", "header")
        self.append_text(result.stdout, "stdout")
        self.append_text(result.stderr, "stderr")
        if result.display is not None:
            self.append_text(result.display, "display")
        if result.error is not None:
            kind = "info" if result.error.interrupted else "error"
            self.append_text(result.error.text, kind)
            if result.error.explanation is not None:
                # In the text colour, not red: the explanation is what the learner reads.
                self.append_text(result.error.explanation.text(), "explanation")
