"""The legend of an exported drawing: what its fills and borders mean, as DOT text.

It says what the window's legend says, in its order, for the entries the drawing
uses. The text is English, as the rest of an exported drawing is: the engine's
fonts have no Chinese glyphs, so a PNG would show empty boxes for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.render.labels import (
    FILL_COLORS,
    NONFINITE_COLOR,
    border_style,
    fill_key,
    has_nonfinite,
)

KIND_TEXTS = {
    "leaf": "leaf (requires_grad)",
    "root": "output",
    "tensor": "named intermediate",
    "op": "operation (grad_fn)",
    "saved": "saved tensor",
    "module": "module call (collapsed)",
    "failed": "failed operation",
}
# The window's markings but its ".grad" dot: an exported box writes its grad out.
BORDER_TEXTS = {"dashed": "requires_grad=False", "dotted": "saved tensors freed"}
NONFINITE_TEXT = "NaN or inf"
SWATCH_PT = 14


@dataclass(frozen=True)
class LegendEntry:
    """One row: a swatch in ``fill_key``'s colour with a ``border`` style, and its text."""

    fill_key: str
    text: str
    border: str = "solid"  # "solid", "dashed" or "dotted", as the nodes' borders are
    nonfinite: bool = False  # the swatch has the red border of a NaN or inf


def legend_entries(graph: AutogradGraph) -> list[LegendEntry]:
    """Return the entries that the drawing of ``graph`` uses: the kinds, then the markings."""
    nodes = list(graph.nodes.values())
    keys = {fill_key(node) for node in nodes}
    entries = [LegendEntry(key, text) for key, text in KIND_TEXTS.items() if key in keys]
    borders = {border_style(node) for node in nodes}
    swatch_key = {"dashed": "leaf", "dotted": "op"}
    entries += [
        LegendEntry(swatch_key[border], text, border=border)
        for border, text in BORDER_TEXTS.items()
        if border in borders
    ]
    if any(has_nonfinite(node) for node in nodes):
        entries.append(LegendEntry("leaf", NONFINITE_TEXT, nonfinite=True))
    return entries


def _row(entry: LegendEntry) -> str:
    style = "rounded" if entry.border == "solid" else f"rounded,{entry.border}"
    border, color = ("2", NONFINITE_COLOR) if entry.nonfinite else ("1", "black")
    swatch = (
        f'<TD BGCOLOR="{FILL_COLORS[entry.fill_key]}" BORDER="{border}" COLOR="{color}" '
        f'STYLE="{style}" WIDTH="{SWATCH_PT}" HEIGHT="{SWATCH_PT}" FIXEDSIZE="TRUE"></TD>'
    )
    return f'<TR>{swatch}<TD ALIGN="LEFT">{escape(entry.text)}</TD></TR>'


def legend_label(entries: list[LegendEntry]) -> str:
    """Return a DOT HTML label: a framed table with one row per entry."""
    rows = "".join(_row(entry) for entry in entries)
    return (
        '<<TABLE BORDER="1" COLOR="#999999" STYLE="rounded" BGCOLOR="white" '
        f'CELLBORDER="0" CELLSPACING="3" CELLPADDING="1">{rows}</TABLE>>'
    )
