"""The "Backward steps" panel: one node of a backward pass at a time, with its gradients."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from autograd_playground.gui.appearance.presentation import scaled_font
from autograd_playground.gui.appearance.themes import AppTheme
from autograd_playground.gui.teach.step_player import SteppingPanel
from autograd_playground.gui.ui_text import tr, ui_language

if TYPE_CHECKING:  # they import torch, which loads on the engine thread (see gui/app.py)
    from autograd_playground.core.teach.backward.trace import BackwardStep, BackwardTrace, GradFlow
    from autograd_playground.core.teach.backward.trace_choice import TraceChoice

DEFAULT_SPEED = 1  # steps per second
# The step counter above the buttons, this much larger than the panel's text.
COUNTER_SCALE = 1.25
MONO = "font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace;"


def page_style(colors: dict[str, str]) -> str:
    """Return the step page's style sheet with the theme's text ``colors`` (AppTheme.text).

    No sizes: the page's text is the panel's font, and its heading a step up from
    it, so presentation mode's larger app font enlarges all of it.
    """
    return f"""
h2 {{ margin: 0 0 2px 0; }}
td {{ padding: 2px 10px 2px 0; vertical-align: top; }}
pre, .mono {{ {MONO} margin: 0; }}
.muted {{ color: {colors["muted"]}; }}
.rule {{ color: {colors["step"]}; }}
"""


def _value_html(flow: GradFlow) -> str:
    if flow.value is None:
        none = tr("None: this input needs no gradient")
        return f"<span class='muted'>{html.escape(none)}</span>"
    text = flow.value.text
    if flow.value.stats:
        text += "\n" + ", ".join(f"{key} {value:.4g}" for key, value in flow.value.stats.items())
    return f"<pre>{html.escape(text)}</pre>"


def _flows_html(title: str, flows: tuple[GradFlow, ...], empty: str, language: str) -> str:
    rows = "".join(
        f"<tr><td class='label'>{html.escape(flow.label_in(language))}</td>"
        f"<td>{_value_html(flow)}</td></tr>"
        for flow in flows
    )
    body = f"<table>{rows}</table>" if rows else f"<p class='muted'>{html.escape(empty)}</p>"
    return f"<h4 style='margin-bottom:2px'>{html.escape(title)}</h4>{body}"


def step_html(step: BackwardStep, trace: BackwardTrace) -> str:
    """Return the panel's page for one step: op, rule, gradients in and out."""
    language = ui_language()
    parts = [f"<h2>{html.escape(step.title_in(language))}</h2>"]
    if step.line:
        made = tr("made on line {line}", line=step.line)
        parts.append(f"<p class='muted' style='margin-top:0'>{made}</p>")
    rule = html.escape(step.rule_in(language))
    rule_label = tr("Rule:")
    parts.append(f"<p><b>{rule_label}</b> <span class='rule'>{rule}</span></p>")
    if step.operands:
        operands = html.escape(step.operands_in(language))
        where = tr("where")
        parts.append(f"<p>{where} <span class='mono'>{operands}</span></p>")
    parts.append(
        _flows_html(
            tr("grad_outputs: the gradient arriving"),
            step.grad_outputs,
            tr("nothing arrives"),
            language,
        )
    )
    parts.append(
        _flows_html(
            tr("grad_inputs: handed on to its inputs"),
            step.grad_inputs,
            tr("nothing: this is the end of this path"),
            language,
        )
    )
    so_far = tr("In the graph, each small tensor's box shows the grad that has reached it so far.")
    parts.append(f"<p class='muted'>{html.escape(so_far)}</p>")
    if trace.note:
        note = html.escape(trace.note_in(language))
        this_pass = tr("This pass was {note}.", note=note)
        parts.append(f"<p class='muted'>{this_pass}</p>")
    return "".join(parts)


def _shape_of(trace: BackwardTrace) -> tuple:
    return (trace.root, tuple(step.op for step in trace.steps))


class BackwardStepsPanel(SteppingPanel):
    """Shows a BackwardTrace step by step; Play advances on a timer.

    ``root_chosen`` asks for the trace of another root; ``step_changed`` tells
    which step is shown (None when there is none) so the graph can mark its node.
    """

    root_chosen = Signal(str)
    step_changed = Signal(object)  # BackwardStep | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(DEFAULT_SPEED, parent)
        self.trace: BackwardTrace | None = None
        self.root_combo = QComboBox()
        self.root_combo.setToolTip(tr("The tensor whose backward pass to step through"))
        self.root_combo.activated.connect(self._on_root_activated)
        self.counter = QLabel()
        self._lay_out()
        self._size_counter()
        self.show_message(tr("Choose a root, then step through its backward pass."))

    def _lay_out(self) -> None:
        root_row = QHBoxLayout()
        root_row.addWidget(QLabel(tr("Root:")))
        root_row.addWidget(self.root_combo, 1)
        buttons, speed_row = self.player.rows()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(root_row)
        layout.addWidget(self.counter)
        layout.addLayout(buttons)
        layout.addLayout(speed_row)
        layout.addWidget(self.graph_note)
        layout.addWidget(self.body, 1)

    def set_theme(self, theme: AppTheme) -> None:
        """Draw the step's muted texts and its rule in ``theme``'s colours."""
        self.body.document().setDefaultStyleSheet(page_style(theme.text))
        step = self.current_step()
        if step is not None:
            scroll = self.body.verticalScrollBar().value()
            self.body.setHtml(step_html(step, self.trace))  # the sheet applies as HTML is read
            self.body.verticalScrollBar().setValue(scroll)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_counter()

    def _size_counter(self) -> None:
        """Set the counter a size up from the panel's font, which follows the app's."""
        font = scaled_font(self.font(), COUNTER_SCALE)
        font.setBold(True)
        self.counter.setFont(font)

    # -- content ----------------------------------------------------------------
    def show_choice(self, choice: TraceChoice) -> None:
        """Fill the root chooser and show ``choice``'s trace (or why there is none)."""
        self.root_combo.blockSignals(True)
        self.root_combo.clear()
        for root in choice.choices:
            self.root_combo.addItem(root.label_in(ui_language()), root.key)
        if choice.key is not None:
            self.root_combo.setCurrentIndex(max(0, self.root_combo.findData(choice.key)))
        self.root_combo.blockSignals(False)
        if choice.trace is None:
            self.show_message(choice.message_in(ui_language()) or tr("Nothing to step through."))
            return
        # The same pass again (the same code rerun) keeps its place; another starts over.
        same_pass = self.trace is not None and _shape_of(self.trace) == _shape_of(choice.trace)
        self.trace = choice.trace
        self._show(self.index if same_pass else 0)

    def show_message(self, text: str) -> None:
        """Show ``text`` instead of a step; the controls wait for a trace."""
        self.pause()
        self.trace = None
        self.index = 0
        self.counter.setText("")
        self.graph_note.hide()
        self.body.setHtml(f"<p>{html.escape(text)}</p>")
        self._update_buttons()
        self.step_changed.emit(None)

    def current_root(self) -> str | None:
        return self.root_combo.currentData()

    def current_step(self) -> BackwardStep | None:
        if self.trace is None or not self.trace.steps:
            return None
        return self.trace.steps[self.index]

    def done_steps(self) -> list[BackwardStep]:
        """Return the steps before the current one."""
        return list(self.trace.steps[: self.index]) if self.trace is not None else []

    def _show(self, index: int) -> None:
        trace = self.trace
        if trace is None or not trace.steps:
            self.show_message(tr("This backward pass ran no node."))
            return
        self.index = max(0, min(index, len(trace.steps) - 1))
        step = trace.steps[self.index]
        number, count = self.index + 1, len(trace.steps)
        self.counter.setText(tr("Step {number} of {count}", number=number, count=count))
        self.body.setHtml(step_html(step, trace))
        self._update_buttons()
        self.step_changed.emit(step)

    # -- stepping -----------------------------------------------------------------
    def _step_count(self) -> int:
        return len(self.trace.steps) if self.trace is not None else 0

    def _on_root_activated(self, index: int) -> None:
        key = self.root_combo.itemData(index)
        if key is not None:
            self.root_chosen.emit(key)

    def _update_buttons(self) -> None:
        self.player.update()
