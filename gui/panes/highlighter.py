"""Python syntax colours for the editor."""

from __future__ import annotations

import builtins
import keyword
import re

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from autograd_playground.gui.appearance.pane_palettes import LIGHT_SYNTAX


def _format(color: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    return fmt


def _formats(colors: dict[str, str]) -> dict[str, QTextCharFormat]:
    return {
        "keyword": _format(colors["keyword"], bold=True),
        "builtin": _format(colors["builtin"]),
        "torch": _format(colors["torch"], bold=True),
        "number": _format(colors["number"]),
        "string": _format(colors["string"]),
        "comment": _format(colors["comment"], italic=True),
        "decorator": _format(colors["decorator"]),
        "definition": _format(colors["definition"], bold=True),
    }


_TORCH_NAMES = r"\b(torch|nn|F|np|device)\b"
_IN_TRIPLE_SINGLE, _IN_TRIPLE_DOUBLE = 1, 2


class PythonHighlighter(QSyntaxHighlighter):
    """Keywords, builtins, torch names, numbers, strings (triple too) and comments."""

    def __init__(self, document: QTextDocument, palette: dict[str, str] | None = None) -> None:
        super().__init__(document)
        self._formats = _formats(palette or LIGHT_SYNTAX)
        words = "|".join(re.escape(word) for word in keyword.kwlist + keyword.softkwlist)
        names = "|".join(name for name in dir(builtins) if not name.startswith("_"))
        self._rules = [
            (QRegularExpression(rf"\b({words})\b"), "keyword"),
            (QRegularExpression(rf"\b({names})\b"), "builtin"),
            (QRegularExpression(_TORCH_NAMES), "torch"),
            (
                QRegularExpression(r"\b(0[xob][0-9a-fA-F_]+|\d[\d_]*\.?\d*([eE][-+]?\d+)?j?)\b"),
                "number",
            ),
            (QRegularExpression(r"@[\w.]+"), "decorator"),
            (QRegularExpression(r"\b(?:def|class)\s+(\w+)"), "definition"),
        ]
        self._string = QRegularExpression(
            r"""[rbfuRBFU]{0,2}("([^"\\\n]|\\.)*"|'([^'\\\n]|\\.)*')"""
        )
        self._comment = QRegularExpression(r"#[^\n]*")

    def set_colors(self, colors: dict[str, str]) -> None:
        """Recolour the whole document with ``colors`` (keys as in pane_palettes.LIGHT_SYNTAX)."""
        self._formats = _formats(colors)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for pattern, name in self._rules:
            matches = pattern.globalMatch(text)
            while matches.hasNext():
                match = matches.next()
                group = 1 if name == "definition" else 0
                self.setFormat(
                    match.capturedStart(group), match.capturedLength(group), self._formats[name]
                )
        protected = self._highlight_strings_and_comments(text)
        self._highlight_triple_quotes(text, protected)

    def _highlight_strings_and_comments(self, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        position = 0
        while position < len(text):
            string = self._string.match(text, position)
            comment = self._comment.match(text, position)
            candidates = [m for m in (string, comment) if m.hasMatch()]
            if not candidates:
                break
            first = min(candidates, key=lambda m: m.capturedStart())
            start, length = first.capturedStart(), first.capturedLength()
            name = "comment" if first is comment else "string"
            if name == "string" and text[start : start + 3] in ('"""', "'''"):
                break  # left to the triple-quote pass
            self.setFormat(start, length, self._formats[name])
            spans.append((start, start + length))
            if name == "comment":
                break
            position = start + max(length, 1)
        return spans

    def _highlight_triple_quotes(self, text: str, protected: list[tuple[int, int]]) -> None:
        self.setCurrentBlockState(0)
        start, opened_here = 0, False
        state = self.previousBlockState()
        if state not in (_IN_TRIPLE_SINGLE, _IN_TRIPLE_DOUBLE):
            start, state = self._find_opening(text, protected)
            if start < 0:
                return
            opened_here = True
        delimiter = "'''" if state == _IN_TRIPLE_SINGLE else '"""'
        while start >= 0:
            # A string carried over from the line above may close at this line's start;
            # only an opening delimiter found on this line is stepped over.
            end = text.find(delimiter, start + 3 if opened_here else start)
            opened_here = True
            if end < 0:
                self.setCurrentBlockState(state)
                self.setFormat(start, len(text) - start, self._formats["string"])
                return
            self.setFormat(start, end + 3 - start, self._formats["string"])
            start, state = self._find_opening(text, protected, end + 3)
            if start >= 0:
                delimiter = "'''" if state == _IN_TRIPLE_SINGLE else '"""'

    @staticmethod
    def _find_opening(
        text: str, protected: list[tuple[int, int]], offset: int = 0
    ) -> tuple[int, int]:
        candidates = []
        for delimiter, state in (("'''", _IN_TRIPLE_SINGLE), ('"""', _IN_TRIPLE_DOUBLE)):
            index = text.find(delimiter, offset)
            while index >= 0 and any(a <= index < b for a, b in protected):
                index = text.find(delimiter, index + 3)
            if index >= 0:
                candidates.append((index, state))
        return min(candidates) if candidates else (-1, 0)
