"""The Jacobian panel: J from torch.autograd.functional, J row by row, and backward(v) = vᵀJ."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from autograd_playground.core.checks.jacobian_report import JacobianReport
from autograd_playground.core.checks.scratch_errors import ScratchFailure
from autograd_playground.core.graph.tensor_text import shape_text
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

SHOWN_IN_FULL = 12  # rows or columns; a bigger J is summarised and scrolled
ROWS_CODE = (
    "for i in range(y.numel()):\n"
    "    x.grad = None\n"
    "    y.backward(onehot(i), retain_graph=True)\n"
    "    J[i] = x.grad"
)
VJP_COLUMNS = ["Σᵢ vᵢ·J[i]", "backward(v): x.grad", "|Δ|"]


def intro_text() -> str:
    """Return what the panel says before J is first computed."""
    return tr(
        "Choose a root y and a leaf x and press Compute. Your code "
        "runs again in a scratch namespace (your variables stay as "
        "they are) to build J = ∂y/∂x two ways."
    )


def _small(value: float) -> str:
    return "0" if value == 0 else f"{value:.1e}"


def _shape(shape: tuple[int, ...]) -> str:
    return shape_text(shape, tr("a scalar"))


class JacobianPanel(QWidget):
    """Choosers, a v field, Compute, the verdicts, and J and vᵀJ as tables."""

    compute_requested = Signal(str, str, str)  # root, leaf, v as typed
    stop_requested = Signal()

    def __init__(self, theme: AppTheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jacobian_panel")
        self.report: JacobianReport | None = None
        self.failure: ScratchFailure | None = None
        self.busy = False
        self.colors = dict(theme.text)
        self.chooser = RootLeafChooser()
        self.v_edit = QLineEdit()
        self.v_edit.setPlaceholderText(tr("ones, or numbers such as 1, 0, 2"))
        self.v_edit.setToolTip(tr("The vector v of y.backward(v): one number per element of y."))
        self.v_edit.returnPressed.connect(self._on_button)
        self.compute_button = QPushButton(tr("Compute"))
        self.compute_button.setToolTip(tr("Build J both ways and compare backward(v) with vᵀJ."))
        self.compute_button.clicked.connect(self._on_button)
        self.busy_bar = busy_bar()
        self.summary = summary_browser(intro_text())
        self.functional_table = NumberTable()
        self.rows_table = NumberTable()
        self.vjp_table = NumberTable()
        self._color_tables()
        rows_page = QWidget()
        rows_layout = QVBoxLayout(rows_page)
        rows_layout.setContentsMargins(0, 4, 0, 0)
        rows_code = QLabel(f"<pre>{html.escape(ROWS_CODE)}</pre>")
        rows_code.setToolTip(tr("How seed 001 builds J: one backward pass per element of y."))
        rows_layout.addWidget(rows_code)
        rows_layout.addWidget(self.rows_table, 1)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.functional_table, "J: functional.jacobian")
        self.tabs.addTab(rows_page, tr("J: row by row"))
        self.tabs.addTab(self.vjp_table, "backward(v)")

        v_row = QHBoxLayout()
        v_row.addWidget(QLabel("v ="))
        v_row.addWidget(self.v_edit, 1)
        v_row.addWidget(self.compute_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser)
        layout.addLayout(v_row)
        layout.addWidget(self.busy_bar)
        self.splitter = summary_over(self.summary, self.tabs)
        layout.addWidget(self.splitter, 1)

    # -- what the controller calls ---------------------------------------------
    def set_theme(self, theme: AppTheme) -> None:
        """Colour the verdicts and the rows that differ with ``theme``'s text colours."""
        self.colors = dict(theme.text)
        self._color_tables()
        if self.report is not None:
            self.summary.setHtml(summary_html(self.report, self.colors))
        elif self.failure is not None:
            self.show_failure(self.failure)

    def _color_tables(self) -> None:
        for table in (self.functional_table, self.rows_table, self.vjp_table):
            table.numbers.set_mismatch_color(self.colors["error"])

    def set_busy(self, busy: bool) -> None:
        """Show that J is being built: the button stops it, the inputs wait."""
        self.busy = busy
        show_busy(
            busy,
            self.compute_button,
            tr("Compute"),
            tr("Stop"),
            self.busy_bar,
            [self.chooser, self.v_edit],
            self.summary,
            tr("Computing… (running your code again)"),
            self.colors["muted"],
        )

    def show_failure(self, failure: ScratchFailure) -> None:
        """Say in red why J could not be built."""
        self.report, self.failure = None, failure
        red = self.colors["error"]
        for table in (self.functional_table, self.rows_table, self.vjp_table):
            table.set_numbers(np.zeros((0, 0)), [], [])
        message = html.escape(failure.message_in(ui_language()))
        cannot = tr("Cannot compute:")
        text = f"<p style='color:{red}'><b>{cannot}</b> {message}</p>"
        if failure.details and failure.details != failure.message_in("en"):
            text += f"<pre style='color:{red}'>{html.escape(failure.details[-600:])}</pre>"
        self.summary.setHtml(text)

    def show_report(self, report: JacobianReport) -> None:
        """Show both Jacobians, whether they agree, and backward(v) beside vᵀJ."""
        self.report, self.failure = report, None
        rows, columns = report.row_labels, report.column_labels
        differs = ~np.all(np.isclose(report.functional, report.rows, rtol=1e-5, atol=1e-6), axis=1)
        self.functional_table.set_numbers(report.functional, rows, columns, differs)
        self.rows_table.set_numbers(report.rows, rows, columns, differs)
        vjp = np.column_stack(
            [report.vjp_from_rows, report.vjp, np.abs(report.vjp - report.vjp_from_rows)]
        )
        vjp_bad = ~np.isclose(report.vjp, report.vjp_from_rows, rtol=1e-5, atol=1e-6)
        self.vjp_table.set_numbers(vjp, columns, VJP_COLUMNS, vjp_bad, [8, 8, 2])
        self.summary.setHtml(summary_html(report, self.colors))

    # -- inside ----------------------------------------------------------------
    def _on_button(self) -> None:
        if self.busy:
            self.stop_requested.emit()
            return
        root, leaf = self.chooser.root(), self.chooser.leaf()
        if root is None or leaf is None:
            self.show_failure(
                ScratchFailure(
                    Message("Run code that computes a tensor from one that requires grad first.")
                )
            )
            return
        self.compute_requested.emit(root, leaf, self.v_edit.text())


def summary_html(report: JacobianReport, colors: dict[str, str]) -> str:
    """Return J's shape, whether the two Jacobians agree, and what backward(v) computed,
    in the theme's text ``colors`` (AppTheme.text)."""
    good, bad, muted = colors["good"], colors["error"], colors["muted"]
    y, x = f"<tt>{html.escape(report.root)}</tt>", f"<tt>{html.escape(report.leaf)}</tt>"
    m, n = report.functional.shape
    y_shape, x_shape, dtype = _shape(report.root_shape), _shape(report.leaf_shape), report.dtype
    parts = [
        "<p>"
        + tr(
            "J = ∂{y}/∂{x} is <b>{m} × {n}</b>: {y} is {y_shape}, {x} is "
            "{x_shape} ({dtype}). Row i is the gradient of {y}[i].",
            y=y,
            x=x,
            m=m,
            n=n,
            y_shape=y_shape,
            x_shape=x_shape,
            dtype=dtype,
        )
        + "</p>"
    ]
    if m > SHOWN_IN_FULL or n > SHOWN_IN_FULL:
        largest = f"{np.max(np.abs(report.functional), initial=0.0):.4g}"
        parts.append(
            f"<p style='color:{muted}'>"
            + tr(
                "Too big to read at a glance: scroll the tables (largest |J| entry {largest}).",
                largest=largest,
            )
            + "</p>"
        )
    parts.append(_agreement_html(report, x, good, bad))
    parts.append(_vjp_html(report, x, y, good, bad))
    parts.extend(f"<p style='color:{muted}'>{html.escape(note)}</p>" for note in report.notes)
    return "".join(parts)


def _agreement_html(report: JacobianReport, x: str, good: str, bad: str) -> str:
    """Whether functional.jacobian and the row-by-row J agree, in the theme's colours."""
    if report.agree:
        small = _small(report.max_difference)
        return (
            f"<p style='color:{good}'>"
            + tr(
                "<b>✓ The two Jacobians agree</b> (largest difference "
                "{small}): functional.jacobian and one backward(onehot) per "
                "row build the same J.",
                small=small,
            )
            + "</p>"
        )
    big = f"{report.max_difference:.3g}"
    return (
        f"<p style='color:{bad}'>"
        + tr(
            "<b>✗ The two Jacobians differ</b> (largest difference "
            "{big}, rows in red): the re-run code does not reach the "
            "same {x}, so swapping in the functional API's input changes "
            "less than it should.",
            big=big,
            x=x,
        )
        + "</p>"
    )


def _vjp_html(report: JacobianReport, x: str, y: str, good: str, bad: str) -> str:
    """What backward(v) left in x.grad, against the rows of J weighted by v."""
    v = ", ".join(f"{value:g}" for value in report.v[:8]) + (", …" if len(report.v) > 8 else "")
    if report.vjp_agrees:
        colour, mark = good, tr("✓ equals")
    else:
        colour, mark = bad, tr("✗ differs from")
    mark = f"<span style='color:{colour}'><b>{mark}</b></span>"
    small = _small(report.vjp_difference)
    return (
        "<p>"
        + tr(
            "{y}.backward(v) with v = [{html_escape_v}] never builds J: "
            "it leaves vᵀJ in {x}.grad. {mark} the rows of J summed with "
            "weights v (largest difference {small}).",
            y=y,
            html_escape_v=html.escape(v),
            x=x,
            mark=mark,
            small=small,
        )
        + "</p>"
    )
