"""The gradient check panel: autograd's gradient next to finite differences, float32 and float64."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from autograd_playground.core.checks.gradient_report import (
    PRECISIONS,
    GradCheckReport,
    eps_text,
    why_precision,
)
from autograd_playground.core.checks.scratch_errors import ScratchFailure
from autograd_playground.core.i18n.catalog import Message
from autograd_playground.gui.appearance.themes import AppTheme
from autograd_playground.gui.teach.number_table import NumberTable
from autograd_playground.gui.teach.root_leaf_chooser import RootLeafChooser
from autograd_playground.gui.teach.scratch_panel import (
    busy_bar,
    show_busy,
    summary_browser,
    summary_over,
)
from autograd_playground.gui.ui_text import tr, ui_language

DIGITS = [8, 8, 2, 2]


def columns() -> list[str]:
    """Return the table's column titles."""
    return ["autograd", tr("numeric"), "|Δ|", tr("rel. |Δ|")]


def intro_text() -> str:
    """Return what the panel says before the first check."""
    return tr(
        "Choose a scalar root and press Check. Your code runs again "
        "in a scratch namespace (fixed seeds; your variables stay as "
        "they are) to compare autograd's gradient with (f(x+εeᵢ) − "
        "f(x−εeᵢ)) / 2ε, element by element."
    )


class GradientCheckPanel(QWidget):
    """Root and leaf choosers, a Check button, the verdict per precision and the elements."""

    check_requested = Signal(str, object)  # root, list of leaf names or None for all
    stop_requested = Signal()

    def __init__(self, theme: AppTheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradient_check_panel")
        self.report: GradCheckReport | None = None
        self.failure: ScratchFailure | None = None
        self.busy = False
        self.colors = dict(theme.text)
        self.chooser = RootLeafChooser(tr("all leaves"))
        self.check_button = QPushButton(tr("Check"))
        self.check_button.setToolTip(tr("Compare autograd's gradient with finite differences."))
        self.check_button.clicked.connect(self._on_button)
        self.busy_bar = busy_bar()
        self.summary = summary_browser(intro_text())
        self.precision_buttons = QButtonGroup(self)
        precision_row = QHBoxLayout()
        precision_row.addWidget(QLabel(tr("Table:")))
        for index, (dtype, eps) in enumerate(PRECISIONS):
            button = QRadioButton(f"{dtype}, ε = {eps_text(eps)}")
            button.setChecked(index == len(PRECISIONS) - 1)
            self.precision_buttons.addButton(button, index)
            precision_row.addWidget(button)
        precision_row.addStretch(1)
        self.precision_buttons.idClicked.connect(self._show_table)
        self.table = NumberTable()
        self.table.numbers.set_mismatch_color(self.colors["error"])

        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.busy_bar, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser)
        layout.addLayout(buttons)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(precision_row)
        lower_layout.addWidget(self.table, 1)
        self.splitter = summary_over(self.summary, lower)
        layout.addWidget(self.splitter, 1)

    # -- what the controller calls ---------------------------------------------
    def set_theme(self, theme: AppTheme) -> None:
        """Colour the verdicts and the failing rows with ``theme``'s text colours."""
        self.colors = dict(theme.text)
        self.table.numbers.set_mismatch_color(self.colors["error"])
        if self.report is not None:
            self.summary.setHtml(summary_html(self.report, self.colors))
        elif self.failure is not None:
            self.show_failure(self.failure)

    def set_busy(self, busy: bool) -> None:
        """Show that a check runs: the button stops it, the choosers wait."""
        self.busy = busy
        show_busy(
            busy,
            self.check_button,
            tr("Check"),
            tr("Stop"),
            self.busy_bar,
            [self.chooser],
            self.summary,
            tr("Checking… (running your code again)"),
            self.colors["muted"],
        )

    def show_failure(self, failure: ScratchFailure) -> None:
        """Say in red why the check could not be done."""
        self.report, self.failure = None, failure
        red = self.colors["error"]
        titles = columns()
        self.table.set_numbers(np.zeros((0, len(titles))), [], titles)
        message = html.escape(failure.message_in(ui_language()))
        cannot = tr("Cannot check:")
        text = f"<p style='color:{red}'><b>{cannot}</b> {message}</p>"
        if failure.details and failure.details != failure.message_in("en"):
            text += f"<pre style='color:{red}'>{html.escape(failure.details[-600:])}</pre>"
        self.summary.setHtml(text)

    def show_report(self, report: GradCheckReport) -> None:
        """Show the verdicts side by side and the chosen precision's elements."""
        self.report, self.failure = report, None
        self.summary.setHtml(summary_html(report, self.colors))
        self._show_table(self.precision_buttons.checkedId())

    # -- inside ----------------------------------------------------------------
    def _on_button(self) -> None:
        if self.busy:
            self.stop_requested.emit()
            return
        root = self.chooser.root()
        if root is None:
            self.show_failure(
                ScratchFailure(Message("Run code that computes a tensor with a grad_fn first."))
            )
            return
        leaf = self.chooser.leaf()
        self.check_requested.emit(root, [leaf] if leaf else None)

    def _show_table(self, index: int) -> None:
        if self.report is None or index < 0:
            return
        check = self.report.precisions[index]
        elements = [element for leaf in check.leaves for element in leaf.elements]
        values = np.array(
            [
                [e.analytic, e.numeric, e.abs_error, np.nan if e.rel_error is None else e.rel_error]
                for e in elements
            ]
        ).reshape(len(elements), len(DIGITS))
        bad = np.array([not element.ok for element in elements], dtype=bool)
        self.table.set_numbers(values, [e.label for e in elements], columns(), bad, DIGITS)


def summary_html(report: GradCheckReport, colors: dict[str, str]) -> str:
    """Return the verdict of each precision side by side, the reason, and the notes, in
    the theme's text ``colors`` (AppTheme.text)."""
    good, bad, muted = colors["good"], colors["error"], colors["muted"]
    table = _precisions_table(report, good, bad)
    precise = report.precisions[-1]
    leaves = ", ".join(f"<tt>{html.escape(name)}</tt>" for name in report.leaves)
    root = f"<tt>{html.escape(report.root)}</tt>"
    dtype = precise.dtype
    if precise.ok:
        verdict = f"<p style='color:{good}'>" + tr(
            "<b>Autograd's gradient of {root} for {leaves} is right:</b> "
            "it matches finite differences in {dtype}.",
            root=root,
            leaves=leaves,
            dtype=dtype,
        )
    else:
        failures = precise.failures
        verdict = f"<p style='color:{bad}'>" + tr(
            "<b>Autograd's gradient of {root} disagrees with finite "
            "differences in {dtype}</b> ({failures} elements, in red): a "
            "backward computes the wrong gradient (a custom Function's, "
            "say), or f has a kink there.",
            root=root,
            dtype=dtype,
            failures=failures,
        )
    verdict += "</p>"
    bound = f"{report.atol:g} + {report.rtol:g}·|numeric|"
    rule = f"<p style='color:{muted}'>" + tr(
        "An element passes when |autograd − numeric| ≤ {bound} (gradcheck's atol and rtol). ",
        bound=bound,
    )
    rule += f"{html.escape(why_precision(ui_language()))}</p>"
    language = ui_language()
    notes = [note for leaf in precise.leaves for note in leaf.notes_in(language)]
    notes += [
        note
        for leaf in report.precisions[0].leaves
        for note in leaf.notes_in(language)
        if note not in notes
    ]
    if report.stopped:
        notes.insert(0, report.stopped_in(language))
    warning = colors["warning"]
    extra = "".join(f"<p style='color:{warning}'>{html.escape(note)}</p>" for note in notes)
    return verdict + table + extra + rule


def _precisions_table(report: GradCheckReport, good: str, bad: str) -> str:
    """Each precision side by side: its largest error and gradcheck's verdict."""
    cells = ["<th></th>"] + [
        f"<th align='right'>&nbsp;{check.dtype}<br>ε = {eps_text(check.eps)}</th>"
        for check in report.precisions
    ]
    largest = tr("largest |Δ|")
    errors = [f"<td>{largest}</td>"] + [
        f"<td align='right'><tt>{check.max_abs_error:.1e}</tt></td>" for check in report.precisions
    ]
    test = tr("gradcheck's test")
    verdicts = [f"<td>{test}</td>"]
    for check in report.precisions:
        total = sum(len(leaf.elements) for leaf in check.leaves)
        if check.ok:
            passed = tr("✓ all {total} pass", total=total)
            verdicts.append(f"<td align='right' style='color:{good}'><b>{passed}</b></td>")
        else:
            failures = check.failures
            failed = tr("✗ {failures} of {total} fail", failures=failures, total=total)
            verdicts.append(f"<td align='right' style='color:{bad}'><b>{failed}</b></td>")
    return (
        "<table cellspacing='0' cellpadding='2'>"
        f"<tr>{''.join(cells)}</tr><tr>{''.join(errors)}</tr><tr>{''.join(verdicts)}</tr></table>"
    )
