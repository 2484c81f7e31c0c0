"""The inspector: everything known about the node the user clicked."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent, QTextDocument, QTextOption
from PySide6.QtWidgets import QTextBrowser, QToolTip, QWidget

from autograd_playground.core.graph.graph_model import GraphNode, TensorSummary
from autograd_playground.core.graph.tensor_probe import VARIABLE_ID_PREFIX
from autograd_playground.core.teach.grad_none import GradNoneReason, explain_grad_none
from autograd_playground.gui.appearance.pane_palettes import LIGHT_INSPECTOR
from autograd_playground.gui.panes.heat_map_hover import HeatSpot, cell_at, spot_at
from autograd_playground.gui.panes.heat_map_section import HeatSection, heat_section
from autograd_playground.gui.panes.heat_map_window import HeatMapWindow
from autograd_playground.gui.ui_text import tr, ui_language


def prompt() -> str:
    """Return the text shown while no node is selected."""
    return tr("Click a node in the graph to inspect it.")


def kind_name(kind: str) -> str:
    """Return how the inspector names a node ``kind``."""
    names = {
        "leaf": tr("leaf tensor"),
        "op": tr("operation (grad_fn)"),
        "tensor": tr("tensor"),
        "saved": tr("saved tensor"),
        "module": tr("module call"),
    }
    return names.get(kind, kind)


FIX_LINK = "fix:apply"


def _row(label: str, value: object) -> str:
    return (
        "<tr><td class='muted' style='padding-right:10px; white-space:nowrap'>"
        f"{html.escape(label)}</td>"
        f"<td>{html.escape(str(value))}</td></tr>"
    )


def _summary_html(
    title: str, summary: TensorSummary, heat: HeatSection | None = None, anchor: str = ""
) -> str:
    parts = [
        f"<a name='{anchor}'></a>" if anchor else "",
        f"<h4 style='margin-bottom:2px'>{html.escape(title)}</h4>",
        f"<pre style='margin-top:0'>{html.escape(summary.text)}</pre>",
    ]
    if summary.stats:
        stats = ", ".join(f"{key} {value:.4g}" for key, value in summary.stats.items())
        parts.append(f"<p class='stats'>{html.escape(stats)}</p>")
    if summary.has_nonfinite:
        parts.append(f"<p class='bad'><b>{summary.nan_count} NaN, {summary.inf_count} inf</b></p>")
    if heat is not None:
        parts.append(heat.html)
    return "".join(parts)


def _code_html(text: str) -> str:
    """Escape ``text`` and show its `backticked` spans as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def grad_none_html(reason: GradNoneReason) -> str:
    """Return the inspector's .grad section for a None grad: why, and the fix link."""
    parts = [
        "<h4 style='margin-bottom:2px'>.grad</h4>",
        f"<p><code>None</code> — {_code_html(reason.text)}</p>",
    ]
    if reason.fix is not None:
        label = _code_html(reason.fix.describe(ui_language()))
        fix = tr("Fix: ")
        parts.append(f"<p><a href='{FIX_LINK}'>{fix}{label}</a></p>")
    return "".join(parts)


class InspectorPanel(QTextBrowser):
    """Name, kind, shape, dtype, device, flags, grad_fn, value and grad of one node.

    ``explain`` says why a node's .grad is None; the window replaces it with one
    that also reads the graph and the code. A click on the fix link emits
    ``fix_requested`` with the CodeFix.
    """

    fix_requested = Signal(object)  # CodeFix

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        # A text browser breaks a word that does not fit anywhere ("MulBackwa rd0");
        # an op name broken in two reads as two names. It wraps between words only,
        # and a name wider than the pane scrolls.
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.explain: Callable[[GraphNode], GradNoneReason | None] = lambda node: explain_grad_none(
            node, language=ui_language()
        )
        self.node: GraphNode | None = None
        self.reason: GradNoneReason | None = None
        self._html: str | None = None
        # The heat maps' images by the names the page gives them, and where their cells are.
        self._images: dict[str, object] = {}
        self.heat_spots: list[HeatSpot] = []
        self._laid_out_size = QSize()
        self.heat_window: HeatMapWindow | None = None
        self.setMouseTracking(True)
        self.anchorClicked.connect(self._on_link)
        self.set_colors(LIGHT_INSPECTOR)

    def set_colors(self, colors: dict[str, str]) -> None:
        """Restyle the page with ``colors`` (keys as in pane_palettes.LIGHT_INSPECTOR) and show
        it again: the page's colours go by class, so that a theme restyles it."""
        rules = [f".{name} {{ color: {color}; }}" for name, color in colors.items()]
        rules.append(f"a {{ color: {colors['link']}; }}")
        self.colors = dict(colors)
        self.document().setDefaultStyleSheet("".join(rules))
        self._html = None  # the same page must be laid out again in the new colours
        self.show_node(self.node)

    def _on_link(self, url: QUrl) -> None:
        if url.toString() == FIX_LINK and self.reason is not None and self.reason.fix:
            self.fix_requested.emit(self.reason.fix)

    def show_node(self, node: GraphNode | None) -> None:
        """Describe ``node``; None shows a prompt."""
        self.node, self.reason = node, None
        if node is None:
            self._images, self.heat_spots = {}, []
            self._show_html(f"<p class='muted'>{prompt()}</p>")
            return
        title = node.name or (node.op if node.kind == "op" else node.label)
        rows = [_row(tr("kind"), kind_name(node.kind))]
        if node.kind == "op":
            rows += _op_rows(node)
        elif node.kind == "module":
            rows += _fold_rows(node)
        else:
            rows += _tensor_rows(node)
        if node.line is not None:
            line = tr("line {line}", line=node.line)
            rows.append(_row(tr("created at"), line))
        if node.id.startswith(VARIABLE_ID_PREFIX):
            rows.append(
                _row(
                    tr("graph"),
                    tr("not drawn: it is not part of the autograd graph"),
                )
            )
        parts = [
            f"<h3 style='margin-bottom:4px'>{html.escape(title)}</h3>",
            f"<table>{''.join(rows)}</table>",
        ]
        sections = self._heat_sections(node)
        if node.value is not None:
            parts.append(_summary_html(tr("value"), node.value, sections["value"], "value"))
        if node.grad is not None:
            parts.append(_summary_html(".grad", node.grad, sections["grad"], "grad"))
        elif (reason := self.explain(node)) is not None:
            self.reason = reason
            parts.append(grad_none_html(reason))
        self._show_html("".join(parts))

    def _heat_sections(self, node: GraphNode) -> dict[str, HeatSection]:
        """The heat maps of ``node``'s value and grad; their images and cells kept for the page."""
        size, font = self._heat_size(), self.font()
        sections = {
            key: heat_section(key, summary, size, font, self.colors)
            for key, summary in (("value", node.value), ("grad", node.grad))
            if summary is not None
        }
        self._images = {
            name: image for part in sections.values() for name, image in part.images.items()
        }
        self.heat_spots = [
            HeatSpot(part.cells_image, part.heat, part.layout, key)
            for key, part in sections.items()
            if part.cells_image is not None
        ]
        return sections

    def _heat_size(self) -> tuple[int, int]:
        """The room a heat map may take: the page's, less its margins."""
        self._laid_out_size = self.viewport().size()
        margins = 2 * round(self.document().documentMargin()) + 4
        return self._laid_out_size.width() - margins, self._laid_out_size.height() - margins

    def loadResource(self, kind: int, name: QUrl) -> object:
        image = self._images.get(name.toString())
        if image is not None and kind == QTextDocument.ResourceType.ImageResource.value:
            return image
        return super().loadResource(kind, name)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            # A heat map's cell says where it is in the tensor and what it holds.
            text = self.hover_text_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        over_map = spot_at(self, self.heat_spots, event.position().toPoint()) is not None
        if over_map:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        elif self.anchorAt(event.position().toPoint()) == "":
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            spot = spot_at(self, self.heat_spots, event.position().toPoint())
            if spot is not None:
                self.open_heat_map(spot)
                event.accept()

    def open_heat_map(self, spot: HeatSpot) -> HeatMapWindow:
        """Show ``spot``'s heat map in a window of its own, as large as the window."""
        name = self.node.name or self.node.label if self.node is not None else ""
        part = ".grad" if spot.part == "grad" else ""
        if self.heat_window is not None:
            self.heat_window.close()
        title = tr("Heat map of {name}", name=f"{name}{part}")
        self.heat_window = HeatMapWindow(title, spot.heat, self)
        self.heat_window.show()
        return self.heat_window

    def hover_text_at(self, point) -> str | None:
        """What hovering ``point`` of the viewport says: a heat map cell's place and value."""
        return cell_at(self, self.heat_spots, point)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Heat maps are drawn for the width they have.
        if self.heat_spots and self.viewport().size() != self._laid_out_size:
            self._show_again()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.heat_spots:
            self._show_again()  # labels and cells grow with the text

    def _show_again(self) -> None:
        """Draw the same node again, scrolled where it was."""
        scrolled = self.verticalScrollBar().value()
        self.show_node(self.node)
        self.verticalScrollBar().setValue(scrolled)

    def show_part(self, part: str) -> None:
        """Scroll to the node's "value" or "grad", at the top of the pane."""
        self.scrollToAnchor(part)

    def _show_html(self, html: str) -> None:
        # Every run re-announces the selection, mostly as it was: parsing and laying
        # out the same page again would repaint the pane while the graph is drawn.
        if html != self._html:
            self._html = html
            self.setHtml(html)


def _op_rows(node: GraphNode) -> list[str]:
    """The inspector's rows for an op: its grad_fn, saved values and saved tensors."""
    rows = [_row("grad_fn", node.op), _row("op", node.label)]
    for key, value in node.attributes.items():
        rows.append(_row(tr("saved {key}", key=key), value))
    if node.saved_freed:
        rows.append(
            _row(
                tr("saved tensors"),
                tr("freed by backward() (no retain_graph)"),
            )
        )
    return rows


def _fold_rows(node: GraphNode) -> list[str]:
    """The inspector's rows for a box: what it folds away, and how to open it."""
    rows = []
    if node.label:
        rows.append(_row(tr("module"), node.label))
    repeats = node.attributes.get("repeats")
    if repeats:
        rows.append(_row(tr("repeats"), tr("× {count}", count=f"{int(repeats):,}")))
    ops, parameters = node.attributes.get("ops"), node.attributes.get("parameters")
    if ops:
        rows.append(_row(tr("folds"), tr("{ops} ops", ops=f"{int(ops):,}")))
    if parameters and parameters != "0":
        rows.append(_row(tr("parameters"), parameters))
    if node.shape is not None:
        rows.append(_row(tr("output shape"), node.shape_text_in(ui_language())))
    rows.append(_row(tr("open"), tr("double-click the box; right-click inside to close it")))
    return rows


def _tensor_rows(node: GraphNode) -> list[str]:
    """The inspector's rows for a tensor: shape, dtype, device and its autograd flags."""
    rows = [
        _row(tr("shape"), node.shape_text_in(ui_language())),
        _row("dtype", node.dtype),
        _row(tr("device"), node.device),
        _row("requires_grad", node.requires_grad),
        _row("is_leaf", node.is_leaf),
        _row("grad_fn", node.grad_fn or "None"),
    ]
    if node.retains_grad:
        rows.append(_row("retains_grad", True))
    if node.version:
        rows.append(
            _row(
                tr("version"),
                tr("{version} (modified in place)", version=node.version),
            )
        )
    return rows
