"""The graph pane's search: which nodes match the text, and which match Enter went to last.

Plain Python over graph nodes; GraphView marks the matching items and moves to them.
"""

from __future__ import annotations

from collections.abc import Mapping

from autograd_playground.core.graph.graph_model import GraphNode


def node_matches(node: GraphNode, query: str) -> bool:
    """True when ``query`` (lower case, non-empty) is in the node's name, op or label."""
    fields = (node.name, node.op, node.label)
    return bool(query) and any(query in field.lower() for field in fields if field)


class NodeSearch:
    """The matches of the last search, in the graph's order, and a place among them."""

    def __init__(self) -> None:
        self.query = ""
        self.matches: list[str] = []
        self._index = -1  # none chosen yet: the first Enter goes to the first match

    def find(self, text: str, nodes: Mapping[str, GraphNode]) -> list[str]:
        """Return the ids of the ``nodes`` that match ``text``, starting the place over."""
        self.query = text.strip().lower()
        self._index = -1
        self.matches = [
            node_id for node_id, node in nodes.items() if node_matches(node, self.query)
        ]
        return self.matches

    def is_current(self, text: str) -> bool:
        """True when the matches are those of ``text`` and there are some to step through."""
        return text.strip().lower() == self.query and bool(self.matches)

    def step(self, backwards: bool = False) -> str | None:
        """Move to the next (or previous) match, wrapping round; None when there is none."""
        if not self.matches:
            return None
        self._index = (self._index + (-1 if backwards else 1)) % len(self.matches)
        return self.matches[self._index]

    def count(self) -> int:
        """Return how many nodes matched."""
        return len(self.matches)

    def position(self) -> int | None:
        """Return the 1-based place of the current match, None before the first step."""
        return self._index + 1 if 0 <= self._index < len(self.matches) else None
