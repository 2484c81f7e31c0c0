"""The "Why it failed" pane: the failed operation's operands lined up, the rule, the cure."""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from autograd_playground.core.run.error_explanation import ErrorExplanation
from autograd_playground.core.teach.code_fixes import CodeFix
from autograd_playground.gui.appearance.pane_palettes import LIGHT_INSPECTOR
from autograd_playground.gui.ui_text import tr, ui_language

FIX_LINK_PREFIX = "fix:"


def idle_text() -> str:
    """Return what the pane says while the last run had no error it can explain."""
    return tr("When a run fails on shapes or autograd, this pane explains why.")


def _rows_html(explanation: ErrorExplanation) -> str:
    rows = []
    for parts in explanation.aligned_parts():
        row = "".join(
            f"<span class='bad'><b>{html.escape(text)}</b></span>" if marked else html.escape(text)
            for text, marked in parts
        )
        rows.append(row.rstrip())
    return f"<pre style='font-size:large'>{'<br>'.join(rows)}</pre>" if rows else ""


def _code_html(text: str) -> str:
    return html.escape(text).replace("`", "")


class ErrorPanel(QTextBrowser):
    """Shows one ErrorExplanation; a click on a fix link emits ``fix_requested``."""

    fix_requested = Signal(object)  # CodeFix

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.explanation: ErrorExplanation | None = None
        self.fixes: list[CodeFix] = []
        self.anchorClicked.connect(self._on_link)
        self.set_colors(LIGHT_INSPECTOR)

    def set_colors(self, colors: dict[str, str]) -> None:
        """Restyle the page with ``colors`` (keys as in pane_palettes.LIGHT_INSPECTOR)."""
        rules = [f".{name} {{ color: {color}; }}" for name, color in colors.items()]
        rules.append(f"a {{ color: {colors['link']}; }}")
        self.document().setDefaultStyleSheet("".join(rules))
        self.show_explanation(self.explanation)

    def show_explanation(self, explanation: ErrorExplanation | None) -> None:
        """Show ``explanation``; None shows what the pane is for."""
        self.explanation = explanation
        self.fixes = []
        if explanation is None:
            self.setHtml(f"<p class='muted'>{html.escape(idle_text())}</p>")
            return
        language = ui_language()
        # The dock's title already asks "Why it failed": the page starts with where.
        where = tr("line {line}", line=explanation.line) if explanation.line is not None else ""
        title = f"{where}: " if where and explanation.expression else where
        parts = [
            f"<p style='margin-bottom:0'><b>{html.escape(title)}"
            f"<code>{html.escape(explanation.expression)}</code></b></p>",
            _rows_html(explanation),
            f"<p>{html.escape(explanation.rule.in_language(language))}</p>",
        ]
        if explanation.cure is not None:
            cure = tr("Cure: {cure}", cure=explanation.cure.in_language(language))
            parts.append(f"<p><b>{html.escape(cure)}</b></p>")
        parts += self._fix_links(explanation, language)
        self.setHtml("".join(parts))

    def _fix_links(self, explanation: ErrorExplanation, language: str) -> list[str]:
        if explanation.subject is None or explanation.line is None:
            return []
        links = []
        for kind in explanation.fixes:
            fix = CodeFix(kind, explanation.subject, explanation.line)  # type: ignore[arg-type]
            self.fixes.append(fix)
            label = tr("Fix: ") + _code_html(fix.describe(language))
            links.append(f"<p><a href='{FIX_LINK_PREFIX}{len(self.fixes) - 1}'>{label}</a></p>")
        return links

    def _on_link(self, url: QUrl) -> None:
        link = url.toString()
        if link.startswith(FIX_LINK_PREFIX):
            index = int(link.removeprefix(FIX_LINK_PREFIX))
            if 0 <= index < len(self.fixes):
                self.fix_requested.emit(self.fixes[index])
