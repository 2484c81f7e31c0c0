"""The Jacobian panel: J from torch.autograd.functional, J row by row, and backward(v) = vᵀJ."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.jacobian_report import JacobianReport
from core.scratch_errors import ScratchFailure
from gui.number_table import MISMATCH, NumberTable
from gui.root_leaf_chooser import RootLeafChooser

GOOD = "#2ca02c"
MUTED = "#808080"
SHOWN_IN_FULL = 12  # rows or columns; a bigger J is summarised and scrolled
INTRO = (
    "Choose a root y and a leaf x and press Compute. Your code runs again in a scratch "
    "namespace (your variables stay as they are) to build J = ∂y/∂x two ways."
)
ROWS_CODE = (
    "for i in range(y.numel()):\n"
    "    x.grad = None\n"
    "    y.backward(onehot(i), retain_graph=True)\n"
    "    J[i] = x.grad"
)
VJP_COLUMNS = ["Σᵢ vᵢ·J[i]", "backward(v): x.grad", "|Δ|"]


def _small(value: float) -> str:
    return "0" if value == 0 else f"{value:.1e}"


def _shape(shape: tuple[int, ...]) -> str:
    return "a scalar" if not shape else "(" + ", ".join(map(str, shape)) + ")"


class JacobianPanel(QWidget):
    """Choosers, a v field, Compute, the verdicts, and J and vᵀJ as tables."""

    compute_requested = Signal(str, str, str)  # root, leaf, v as typed
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jacobian_panel")
        self.report: JacobianReport | None = None
        self.busy = False
        self.chooser = RootLeafChooser()
        self.v_edit = QLineEdit()
        self.v_edit.setPlaceholderText("ones, or numbers such as 1, 0, 2")
        self.v_edit.setToolTip("The vector v of y.backward(v): one number per element of y.")
        self.v_edit.returnPressed.connect(self._on_button)
        self.compute_button = QPushButton("Compute")
        self.compute_button.setToolTip("Build J both ways and compare backward(v) with vᵀJ.")
        self.compute_button.clicked.connect(self._on_button)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        self.summary.setHtml(html.escape(INTRO))
        self.functional_table = NumberTable()
        self.rows_table = NumberTable()
        self.vjp_table = NumberTable()
        rows_page = QWidget()
        rows_layout = QVBoxLayout(rows_page)
        rows_layout.setContentsMargins(0, 4, 0, 0)
        rows_code = QLabel(f"<pre>{html.escape(ROWS_CODE)}</pre>")
        rows_code.setToolTip("How seed 001 builds J: one backward pass per element of y.")
        rows_layout.addWidget(rows_code)
        rows_layout.addWidget(self.rows_table, 1)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.functional_table, "J: functional.jacobian")
        self.tabs.addTab(rows_page, "J: row by row")
        self.tabs.addTab(self.vjp_table, "backward(v)")

        v_row = QHBoxLayout()
        v_row.addWidget(QLabel("v ="))
        v_row.addWidget(self.v_edit, 1)
        v_row.addWidget(self.compute_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser)
        layout.addLayout(v_row)
        layout.addWidget(self.busy_bar)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.summary)
        self.splitter.addWidget(self.tabs)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)

    # -- what the controller calls ---------------------------------------------
    def set_busy(self, busy: bool) -> None:
        """Show that J is being built: the button stops it, the inputs wait."""
        self.busy = busy
        self.compute_button.setText("Stop" if busy else "Compute")
        self.busy_bar.setVisible(busy)
        self.chooser.setEnabled(not busy)
        self.v_edit.setEnabled(not busy)
        if busy:
            self.summary.setHtml(
                f"<span style='color:{MUTED}'>Computing… (running your code again)</span>"
            )

    def show_failure(self, failure: ScratchFailure) -> None:
        """Say in red why J could not be built."""
        self.report = None
        for table in (self.functional_table, self.rows_table, self.vjp_table):
            table.set_numbers(np.zeros((0, 0)), [], [])
        text = (
            f"<p style='color:{MISMATCH}'><b>Cannot compute:</b> {html.escape(failure.message)}</p>"
        )
        if failure.details and failure.details != failure.message:
            text += f"<pre style='color:{MISMATCH}'>{html.escape(failure.details[-600:])}</pre>"
        self.summary.setHtml(text)

    def show_report(self, report: JacobianReport) -> None:
        """Show both Jacobians, whether they agree, and backward(v) beside vᵀJ."""
        self.report = report
        rows, columns = report.row_labels, report.column_labels
        differs = ~np.all(np.isclose(report.functional, report.rows, rtol=1e-5, atol=1e-6), axis=1)
        self.functional_table.set_numbers(report.functional, rows, columns, differs)
        self.rows_table.set_numbers(report.rows, rows, columns, differs)
        vjp = np.column_stack(
            [report.vjp_from_rows, report.vjp, np.abs(report.vjp - report.vjp_from_rows)]
        )
        vjp_bad = ~np.isclose(report.vjp, report.vjp_from_rows, rtol=1e-5, atol=1e-6)
        self.vjp_table.set_numbers(vjp, columns, VJP_COLUMNS, vjp_bad, [8, 8, 2])
        self.summary.setHtml(summary_html(report))

    # -- inside ----------------------------------------------------------------
    def _on_button(self) -> None:
        if self.busy:
            self.stop_requested.emit()
            return
        root, leaf = self.chooser.root(), self.chooser.leaf()
        if root is None or leaf is None:
            self.show_failure(
                ScratchFailure("Run code that computes a tensor from one that requires grad first.")
            )
            return
        self.compute_requested.emit(root, leaf, self.v_edit.text())


def summary_html(report: JacobianReport) -> str:
    """Return J's shape, whether the two Jacobians agree, and what backward(v) computed."""
    y, x = f"<tt>{html.escape(report.root)}</tt>", f"<tt>{html.escape(report.leaf)}</tt>"
    m, n = report.functional.shape
    parts = [
        f"<p>J = ∂{y}/∂{x} is <b>{m} × {n}</b>: {y} is {_shape(report.root_shape)}, "
        f"{x} is {_shape(report.leaf_shape)} ({report.dtype}). Row i is the gradient of "
        f"{y}[i].</p>"
    ]
    if m > SHOWN_IN_FULL or n > SHOWN_IN_FULL:
        parts.append(
            f"<p style='color:{MUTED}'>Too big to read at a glance: scroll the tables "
            f"(largest |J| entry {np.max(np.abs(report.functional), initial=0.0):.4g}).</p>"
        )
    if report.agree:
        parts.append(
            f"<p style='color:{GOOD}'><b>✓ The two Jacobians agree</b> (largest difference "
            f"{_small(report.max_difference)}): functional.jacobian and one backward(onehot) per "
            "row build the same J.</p>"
        )
    else:
        parts.append(
            f"<p style='color:{MISMATCH}'><b>✗ The two Jacobians differ</b> (largest difference "
            f"{report.max_difference:.3g}, rows in red): the re-run code does not reach the "
            f"same {x}, so swapping in the functional API's input changes less than it "
            "should.</p>"
        )
    v = ", ".join(f"{value:g}" for value in report.v[:8]) + (", …" if len(report.v) > 8 else "")
    colour, mark = (GOOD, "✓ equals") if report.vjp_agrees else (MISMATCH, "✗ differs from")
    parts.append(
        f"<p>{y}.backward(v) with v = [{html.escape(v)}] never builds J: it leaves vᵀJ in "
        f"{x}.grad. <span style='color:{colour}'><b>{mark}</b></span> the rows of J summed "
        f"with weights v (largest difference {_small(report.vjp_difference)}).</p>"
    )
    parts.extend(f"<p style='color:{MUTED}'>{html.escape(note)}</p>" for note in report.notes)
    return "".join(parts)
