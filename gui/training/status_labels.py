"""The lab's status labels: the parameters' readout and the message line."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy

READOUT_GAP = "   "  # between a parameter's value, its truth and its error
READOUT_INDENT = "    "  # a parameter's line continued


class ReadoutLabel(QLabel):
    """The parameters' readout, a line each, continued on the next line where the
    label is too narrow: broken between value, truth and error, never inside one."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[list[str]] = []
        # Its width is what the layout gives it: the lines are broken to fit it.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_parts(self, parts: list[list[str]]) -> None:
        """Show each parameter's ``parts`` (value, truth, error) on as few lines as fit."""
        self._parts = parts
        self._pack()

    def one_line_each(self) -> list[str]:
        """The readout as it reads with room for every parameter on one line."""
        return [READOUT_GAP.join(parts) for parts in self._parts]

    def clear(self) -> None:
        self._parts = []
        super().clear()

    def _pack(self) -> None:
        metrics, width = self.fontMetrics(), self.contentsRect().width()
        lines = []
        for first, *rest in self._parts:
            line = first
            for part in rest:
                joined = line + READOUT_GAP + part
                if metrics.horizontalAdvance(joined) <= width:
                    line = joined
                else:
                    lines.append(line)
                    line = READOUT_INDENT + part
            lines.append(line)
        text = "\n".join(lines)
        if text != self.text():
            self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._pack()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._pack()


class MessageLine(QLabel):
    """The lab's message under the progress: taking no room while there is none, so a
    progress wrapped onto two lines in a narrow window keeps the status row's height."""

    def __init__(self) -> None:
        super().__init__()
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        self.hide()
