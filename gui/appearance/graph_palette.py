"""The graph pane's colours for each theme, as plain data the graph items read."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor


@dataclass(frozen=True)
class GraphTheme:
    """The colours of the graph pane; node fills keep torchviz's legend in both."""

    name: str
    background: QColor
    edge_colors: dict[str, QColor]
    node_border: QColor
    node_text: QColor
    selected: QColor
    match: QColor
    grad_badge: QColor
    message: QColor
    message_error: QColor
    legend_background: QColor
    legend_border: QColor
    legend_text: QColor
    # The backward stepper's marks: the outline and tag of the node it is at, the tick
    # on those done, and what is drawn on their fills (the tag's text, the tick).
    step_current: QColor
    step_done: QColor
    step_ink: QColor
    # Node fills by legend key (None: the legend's own pale colours), and line widths.
    fills: dict[str, str] | None = None
    border_width: float = 1.0
    edge_width: float = 1.2
    step_outline_width: float = 4.0


LIGHT = GraphTheme(
    name="light",
    background=QColor("#ffffff"),
    edge_colors={"flow": QColor("#555555"), "saved": QColor("#cc7a00"), "view": QColor("#888888")},
    node_border=QColor("#333333"),
    node_text=QColor("#111111"),
    selected=QColor("#1f77b4"),
    match=QColor("#e6a100"),
    grad_badge=QColor("#1f3a93"),
    message=QColor("#6a6a6a"),
    message_error=QColor("#c62828"),
    legend_background=QColor(255, 255, 255, 230),
    legend_border=QColor("#bbbbbb"),
    legend_text=QColor("#222222"),
    step_current=QColor("#c4006b"),
    step_done=QColor("#18741c"),
    step_ink=QColor("#ffffff"),
)
DARK = GraphTheme(
    name="dark",
    background=QColor("#1e1f22"),
    edge_colors={"flow": QColor("#b4b4b4"), "saved": QColor("#f0a030"), "view": QColor("#8c8c8c")},
    node_border=QColor("#0b0b0b"),
    node_text=QColor("#111111"),
    selected=QColor("#5aa9ff"),
    match=QColor("#ffc933"),
    grad_badge=QColor("#1f3a93"),
    message=QColor("#a8a8a8"),
    message_error=QColor("#ff8a80"),
    legend_background=QColor(40, 41, 45, 235),
    legend_border=QColor("#55575c"),
    legend_text=QColor("#e6e6e6"),
    step_current=QColor("#ff5cc8"),
    step_done=QColor("#5cc85c"),
    step_ink=QColor("#000000"),
)

# For projectors and low vision: black ground, white text and lines, thick borders,
# and fills saturated enough for white text yet as far apart as the legend's.
HIGH_CONTRAST = GraphTheme(
    name="high contrast",
    background=QColor("#000000"),
    edge_colors={"flow": QColor("#ffffff"), "saved": QColor("#ffa726"), "view": QColor("#bdbdbd")},
    node_border=QColor("#ffffff"),
    node_text=QColor("#ffffff"),
    selected=QColor("#00e5ff"),
    match=QColor("#ffea00"),
    grad_badge=QColor("#ffea00"),
    message=QColor("#ffffff"),
    message_error=QColor("#ff6e6e"),
    legend_background=QColor("#000000"),
    legend_border=QColor("#ffffff"),
    legend_text=QColor("#ffffff"),
    step_current=QColor("#ff40ff"),
    step_done=QColor("#7dff7d"),
    step_ink=QColor("#000000"),
    fills={
        "leaf": "#0050d0",
        "root": "#007a00",
        "tensor": "#00606a",
        "op": "#4a4a4a",
        "saved": "#b34700",
        "module": "#6a1b9a",
        "failed": "#b00020",
    },
    border_width=2.5,
    edge_width=2.0,
    step_outline_width=6.0,
)
