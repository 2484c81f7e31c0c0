"""The gradient check panel: autograd's gradient next to finite differences, float32 and float64."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.gradient_report import PRECISIONS, WHY_PRECISION, GradCheckReport, eps_text
from core.scratch_errors import ScratchFailure
from gui.number_table import MISMATCH, NumberTable
from gui.root_leaf_chooser import RootLeafChooser

ALL_LEAVES = "all leaves"
GOOD = "#2ca02c"
MUTED = "#808080"
WARN = "#b35900"
COLUMNS = ["autograd", "numeric", "|Δ|", "rel. |Δ|"]
DIGITS = [8, 8, 2, 2]
INTRO = (
    "Choose a scalar root and press Check. Your code runs again in a scratch namespace "
    "(fixed seeds; your variables stay as they are) to compare autograd's gradient with "
    "(f(x+εeᵢ) − f(x−εeᵢ)) / 2ε, element by element."
)


class GradientCheckPanel(QWidget):
    """Root and leaf choosers, a Check button, the verdict per precision and the elements."""

    check_requested = Signal(str, object)  # root, list of leaf names or None for all
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradient_check_panel")
        self.report: GradCheckReport | None = None
        self.busy = False
        self.chooser = RootLeafChooser(ALL_LEAVES)
        self.check_button = QPushButton("Check")
        self.check_button.setToolTip("Compare autograd's gradient with finite differences.")
        self.check_button.clicked.connect(self._on_button)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        self.summary.setHtml(html.escape(INTRO))
        self.precision_buttons = QButtonGroup(self)
        precision_row = QHBoxLayout()
        precision_row.addWidget(QLabel("Table:"))
        for index, (dtype, eps) in enumerate(PRECISIONS):
            button = QRadioButton(f"{dtype}, ε = {eps_text(eps)}")
            button.setChecked(index == len(PRECISIONS) - 1)
            self.precision_buttons.addButton(button, index)
            precision_row.addWidget(button)
        precision_row.addStretch(1)
        self.precision_buttons.idClicked.connect(self._show_table)
        self.table = NumberTable()

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
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.summary)
        self.splitter.addWidget(lower)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)

    # -- what the controller calls ---------------------------------------------
    def set_busy(self, busy: bool) -> None:
        """Show that a check runs: the button stops it, the choosers wait."""
        self.busy = busy
        self.check_button.setText("Stop" if busy else "Check")
        self.busy_bar.setVisible(busy)
        self.chooser.setEnabled(not busy)
        if busy:
            self.summary.setHtml(
                f"<span style='color:{MUTED}'>Checking… (running your code again)</span>"
            )

    def show_failure(self, failure: ScratchFailure) -> None:
        """Say in red why the check could not be done."""
        self.report = None
        self.table.set_numbers(np.zeros((0, len(COLUMNS))), [], COLUMNS)
        text = (
            f"<p style='color:{MISMATCH}'><b>Cannot check:</b> {html.escape(failure.message)}</p>"
        )
        if failure.details and failure.details != failure.message:
            text += f"<pre style='color:{MISMATCH}'>{html.escape(failure.details[-600:])}</pre>"
        self.summary.setHtml(text)

    def show_report(self, report: GradCheckReport) -> None:
        """Show the verdicts side by side and the chosen precision's elements."""
        self.report = report
        self.summary.setHtml(summary_html(report))
        self._show_table(self.precision_buttons.checkedId())

    def selected_precision(self) -> str:
        return PRECISIONS[max(self.precision_buttons.checkedId(), 0)][0]

    def set_precision(self, dtype: str) -> None:
        """Show the table of ``dtype`` ('float32' or 'float64')."""
        index = [name for name, _ in PRECISIONS].index(dtype)
        self.precision_buttons.button(index).setChecked(True)
        self._show_table(index)

    # -- inside ----------------------------------------------------------------
    def _on_button(self) -> None:
        if self.busy:
            self.stop_requested.emit()
            return
        root = self.chooser.root()
        if root is None:
            self.show_failure(
                ScratchFailure("Run code that computes a tensor with a grad_fn first.")
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
        ).reshape(len(elements), len(COLUMNS))
        bad = np.array([not element.ok for element in elements], dtype=bool)
        self.table.set_numbers(values, [e.label for e in elements], COLUMNS, bad, DIGITS)


def summary_html(report: GradCheckReport) -> str:
    """Return the verdict of each precision side by side, the reason, and the notes."""
    cells = ["<th></th>"] + [
        f"<th align='right'>&nbsp;{check.dtype}<br>ε = {eps_text(check.eps)}</th>"
        for check in report.precisions
    ]
    errors = ["<td>largest |Δ|</td>"] + [
        f"<td align='right'><tt>{check.max_abs_error:.1e}</tt></td>" for check in report.precisions
    ]
    verdicts = ["<td>gradcheck's test</td>"]
    for check in report.precisions:
        total = sum(len(leaf.elements) for leaf in check.leaves)
        if check.ok:
            verdicts.append(
                f"<td align='right' style='color:{GOOD}'><b>✓ all {total} pass</b></td>"
            )
        else:
            verdicts.append(
                f"<td align='right' style='color:{MISMATCH}'><b>✗ {check.failures} of {total} "
                "fail</b></td>"
            )
    table = (
        "<table cellspacing='0' cellpadding='2'>"
        f"<tr>{''.join(cells)}</tr><tr>{''.join(errors)}</tr><tr>{''.join(verdicts)}</tr></table>"
    )
    precise = report.precisions[-1]
    leaves = ", ".join(f"<tt>{html.escape(name)}</tt>" for name in report.leaves)
    root = f"<tt>{html.escape(report.root)}</tt>"
    if precise.ok:
        verdict = (
            f"<p style='color:{GOOD}'><b>Autograd's gradient of {root} for {leaves} is right:</b> "
            f"it matches finite differences in {precise.dtype}.</p>"
        )
    else:
        verdict = (
            f"<p style='color:{MISMATCH}'><b>Autograd's gradient of {root} disagrees with finite "
            f"differences in {precise.dtype}</b> ({precise.failures} elements, in red): a backward "
            "computes the wrong gradient (a custom Function's, say), or f has a kink there.</p>"
        )
    rule = (
        f"<p style='color:{MUTED}'>An element passes when |autograd − numeric| ≤ "
        f"{report.atol:g} + {report.rtol:g}·|numeric| (gradcheck's atol and rtol). "
        f"{html.escape(WHY_PRECISION)}</p>"
    )
    notes = [note for leaf in precise.leaves for note in leaf.notes]
    notes += [
        note for leaf in report.precisions[0].leaves for note in leaf.notes if note not in notes
    ]
    if report.stopped:
        notes.insert(0, report.stopped)
    extra = "".join(f"<p style='color:{WARN}'>{html.escape(note)}</p>" for note in notes)
    return verdict + table + extra + rule
