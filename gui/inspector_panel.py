"""The inspector: everything known about the node the user clicked."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from core.graph_model import GraphNode, TensorSummary

PROMPT = "Click a node in the graph to inspect it."
KIND_NAMES = {
    "leaf": "leaf tensor",
    "op": "operation (grad_fn)",
    "tensor": "tensor",
    "saved": "saved tensor",
}


def _row(label: str, value: object) -> str:
    return (
        f"<tr><td style='color:#666; padding-right:10px'>{html.escape(label)}</td>"
        f"<td>{html.escape(str(value))}</td></tr>"
    )


def _summary_html(title: str, summary: TensorSummary) -> str:
    parts = [
        f"<h4 style='margin-bottom:2px'>{html.escape(title)}</h4>",
        f"<pre style='margin-top:0'>{html.escape(summary.text)}</pre>",
    ]
    if summary.stats:
        stats = ", ".join(f"{key} {value:.4g}" for key, value in summary.stats.items())
        parts.append(f"<p style='color:#444'>{html.escape(stats)}</p>")
    if summary.has_nonfinite:
        parts.append(
            f"<p style='color:#d62728'><b>{summary.nan_count} NaN, {summary.inf_count} inf</b></p>"
        )
    return "".join(parts)


def grad_explanation(node: GraphNode) -> str | None:
    """Return why ``node`` shows no .grad, or None when it has one or cannot have one."""
    if node.kind == "op" or node.grad is not None:
        return None
    if node.requires_grad is False:
        return "requires_grad is False, so autograd never computes a grad for it."
    if node.is_leaf is False and not node.retains_grad:
        return (
            "It is not a leaf: its grad is passed on during backward but not kept. "
            "Call .retain_grad() on it before backward() to keep it."
        )
    if node.is_leaf:
        return "None yet: call backward() on a result that depends on it."
    return None


class InspectorPanel(QTextBrowser):
    """Name, kind, shape, dtype, device, flags, grad_fn, value and grad of one node."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.show_node(None)

    def show_node(self, node: GraphNode | None) -> None:
        """Describe ``node``; None shows a prompt."""
        if node is None:
            self.setHtml(f"<p style='color:#777'>{PROMPT}</p>")
            return
        title = node.name or (node.op if node.kind == "op" else node.label)
        rows = [_row("kind", KIND_NAMES[node.kind])]
        if node.kind == "op":
            rows += [_row("grad_fn", node.op), _row("op", node.label)]
            for key, value in node.attributes.items():
                rows.append(_row(f"saved {key}", value))
            if node.saved_freed:
                rows.append(_row("saved tensors", "freed by backward() (no retain_graph)"))
        else:
            rows += [
                _row("shape", node.shape_text),
                _row("dtype", node.dtype),
                _row("device", node.device),
                _row("requires_grad", node.requires_grad),
                _row("is_leaf", node.is_leaf),
                _row("grad_fn", node.grad_fn or "None"),
            ]
            if node.retains_grad:
                rows.append(_row("retains_grad", True))
            if node.version:
                rows.append(_row("version", f"{node.version} (modified in place)"))
        if node.line is not None:
            rows.append(_row("created at", f"line {node.line}"))
        parts = [
            f"<h3 style='margin-bottom:4px'>{html.escape(title)}</h3>",
            f"<table>{''.join(rows)}</table>",
        ]
        if node.value is not None:
            parts.append(_summary_html("value", node.value))
        if node.grad is not None:
            parts.append(_summary_html(".grad", node.grad))
        elif (reason := grad_explanation(node)) is not None:
            parts.append(
                "<h4 style='margin-bottom:2px'>.grad</h4>"
                f"<p><code>None</code> — {html.escape(reason)}</p>"
            )
        self.setHtml("".join(parts))
