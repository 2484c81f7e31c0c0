"""The "Forward steps" panel: a slider over the ops in the order they ran, and what each did."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from autograd_playground.core.teach.forward.explain import ForwardExplanation, explain_step
from autograd_playground.core.teach.forward.steps import ForwardStep, ForwardSteps
from autograd_playground.gui.appearance.presentation import scaled_font
from autograd_playground.gui.appearance.themes import AppTheme, set_text_role
from autograd_playground.gui.teach.backward_step_panel import page_style
from autograd_playground.gui.teach.step_player import SteppingPanel
from autograd_playground.gui.ui_text import tr, ui_language

if TYPE_CHECKING:
    from autograd_playground.core.graph.graph_model import AutogradGraph

DEFAULT_SPEED = 2  # steps per second
# The step counter and the line under it, this much larger than the panel's text: the
# class reads them from the back of the room.
COUNTER_SCALE = 1.25
_CODE = re.compile(r"`([^`]*)`")


def _with_code(text: str) -> str:
    """Escape ``text`` for HTML and show its `quoted` parts as code."""
    return _CODE.sub(r"<b class='mono'>\1</b>", html.escape(text, quote=False))


def explanation_html(explanation: ForwardExplanation) -> str:
    """Return the step's page: inputs, output, why it needs grad, what it saved."""
    inputs = explanation.inputs or [tr("none that need a gradient")]
    items = "".join(f"<li>{_with_code(text)}</li>" for text in inputs)
    inputs_title = html.escape(tr("Inputs:"))
    return (
        f"<h2>{_with_code(explanation.heading)}</h2>"
        f"<p><b>{inputs_title}</b></p><ul style='margin-top:0'>{items}</ul>"
        f"<p>{_with_code(explanation.output)}</p>"
        f"<p>{_with_code(explanation.requires_grad)}</p>"
        f"<p class='muted'>{_with_code(explanation.saved)}</p>"
    )


class ForwardStepsPanel(SteppingPanel):
    """Walks ForwardSteps with a slider, ◀ ▶ and Play; ``step_changed`` tells which step
    is shown (None when there is none) so the graph and the editor can follow."""

    step_changed = Signal(object)  # ForwardStep | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(DEFAULT_SPEED, parent)
        self.steps: ForwardSteps | None = None
        self.counter = QLabel()
        self.where = QLabel()
        set_text_role(self.where, "step")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip(tr("Drag to any step of the forward pass"))
        self.slider.valueChanged.connect(self._show)
        self._lay_out()
        self._size_headings()
        self.show_message(tr("Run some code, then step through its forward pass."))

    def _lay_out(self) -> None:
        buttons, speed_row = self.player.rows()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.counter)
        layout.addWidget(self.where)
        layout.addWidget(self.slider)
        layout.addLayout(buttons)
        layout.addLayout(speed_row)
        layout.addWidget(self.graph_note)
        layout.addWidget(self.body, 1)

    def set_theme(self, theme: AppTheme) -> None:
        """Draw the page's muted texts in ``theme``'s colours."""
        self.body.document().setDefaultStyleSheet(page_style(theme.text))
        if self.steps is not None and len(self.steps):
            self._show_page()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_headings()

    def _size_headings(self) -> None:
        """Set the counter and the line a size up from the panel's font (it follows the app's)."""
        font = scaled_font(self.font(), COUNTER_SCALE)
        font.setBold(True)
        self.counter.setFont(font)
        self.where.setFont(font)

    # -- content ----------------------------------------------------------------
    def show_graph(self, graph: AutogradGraph) -> None:
        """Step through ``graph``'s forward pass; the same pass again keeps its place."""
        steps = ForwardSteps(graph)
        if not len(steps):
            self.show_message(
                tr("No operation of this graph has a place in the forward order: run the code.")
            )
            return
        same = self.steps is not None and [s.node_id for s in self.steps.steps] == [
            s.node_id for s in steps.steps
        ]
        self.steps = steps
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(steps) - 1)
        self.slider.blockSignals(False)
        self._show(self.index if same else 0)

    def show_message(self, text: str) -> None:
        """Show ``text`` instead of a step; the controls wait for a graph."""
        self.pause()
        self.steps = None
        self.index = 0
        self.counter.setText("")
        self.where.setText("")
        self.graph_note.hide()
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        self.body.setHtml(f"<p>{html.escape(text)}</p>")
        self._update_buttons()
        self.step_changed.emit(None)

    def current_step(self) -> ForwardStep | None:
        if self.steps is None or not len(self.steps):
            return None
        return self.steps.steps[self.index]

    def _show(self, index: int) -> None:
        steps = self.steps
        if steps is None or not len(steps):
            return
        self.index = max(0, min(index, len(steps) - 1))
        if self.slider.value() != self.index:
            self.slider.blockSignals(True)
            self.slider.setValue(self.index)
            self.slider.blockSignals(False)
        self._show_page()
        self._update_buttons()
        self.step_changed.emit(steps.steps[self.index])

    def _show_page(self) -> None:
        steps, step = self.steps, self.current_step()
        if steps is None or step is None:
            return
        language = ui_language()
        explanation = explain_step(steps, step, language)
        count = len(steps)
        self.counter.setText(tr("Step {number} of {count}", number=self.index + 1, count=count))
        self.where.setText(explanation.where)
        self.body.setHtml(explanation_html(explanation))

    # -- stepping -----------------------------------------------------------------
    def go_to(self, index: int) -> None:
        """Show step ``index`` (clamped to the steps there are)."""
        self._show(index)

    def _step_count(self) -> int:
        return len(self.steps) if self.steps is not None else 0

    def _update_buttons(self) -> None:
        self.slider.setEnabled(self._step_count() > 1)
        self.player.update()
