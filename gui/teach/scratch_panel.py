"""What the gradient check and Jacobian panels share: a summary above results, a busy state.

Their verdicts are HTML with the theme's colours written in (AppTheme.text: "good",
"error", "muted", "warning"), so each panel writes its summary again when the theme
changes.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QPushButton, QSplitter, QTextBrowser, QWidget


def busy_bar() -> QProgressBar:
    """Return a hidden, endless progress bar: a job whose length nobody knows."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.hide()
    return bar


def summary_browser(intro: str) -> QTextBrowser:
    """Return the text pane a panel's verdicts go to, saying ``intro`` until the first one."""
    summary = QTextBrowser()
    summary.setOpenLinks(False)
    summary.setHtml(html.escape(intro))
    return summary


def summary_over(summary: QTextBrowser, results: QWidget) -> QSplitter:
    """Return a splitter with ``summary`` above ``results``, half each, neither collapsible."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(summary)
    splitter.addWidget(results)
    splitter.setChildrenCollapsible(False)
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 1)
    return splitter


def show_busy(
    busy: bool,
    button: QPushButton,
    idle_text: str,
    stop_text: str,
    busy_bar: QProgressBar,
    waiting: list[QWidget],
    summary: QTextBrowser,
    busy_message: str,
    muted: str,
) -> None:
    """While a job runs its button stops it, the inputs wait and the summary says so."""
    button.setText(stop_text if busy else idle_text)
    busy_bar.setVisible(busy)
    for widget in waiting:
        widget.setEnabled(not busy)
    if busy:
        summary.setHtml(f"<span style='color:{muted}'>{busy_message}</span>")
