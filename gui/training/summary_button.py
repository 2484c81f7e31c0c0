"""The lab's folded settings: one flat button that says them and opens them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QPushButton

SUMMARY_GAP = " · "  # between two settings on the summary line


class SummaryButton(QPushButton):
    """A flat button that says the settings, a line each as many as fit its width,
    broken between settings, never inside one."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[str] = []
        self._room = 0  # the width its lines may take, the button's frame included
        self.setFlat(True)
        # Its lines start where the fields' labels do, as a paragraph's would.
        self.setStyleSheet("text-align: left; padding: 2px 6px;")
        # Reached by Tab like the fields it stands for; Space or Enter opens it.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_parts(self, parts: list[str]) -> None:
        self._parts = parts
        self.setAccessibleName(SUMMARY_GAP.join(parts))
        self._pack()

    def set_room(self, width: int) -> None:
        if width != self._room:
            self._room = width
            self._pack()

    def _pack(self) -> None:
        """Break the lines where the button, its frame with them, fits its room."""
        self._set_lines(self._room)
        # The frame is the style's to say: what the size hint adds around the text.
        frame = self.sizeHint().width() - self._width_of(self.text())
        self._set_lines(self._room - frame)

    def _width_of(self, text: str) -> int:
        """The text's width as the button's size hint measures it."""
        return self.fontMetrics().size(0, text).width()

    def _set_lines(self, width: int) -> None:
        lines: list[str] = []
        for part in self._parts:
            if lines and self._width_of(lines[-1] + SUMMARY_GAP + part) <= width:
                lines[-1] += SUMMARY_GAP + part
            else:
                lines.append(part)
        text = "\n".join(lines)
        if text != self.text():
            self.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._pack()
