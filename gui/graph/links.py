"""Who feeds whom in a drawn graph, for hover paths and zooming to a node's neighbours.

Plain Python over the graph's ids; GraphView dims and lights the items.
"""

from __future__ import annotations

from autograd_playground.core.graph.graph_model import AutogradGraph


class GraphLinks:
    """Each node's parents (the nodes it takes from) and children (those taking from it)."""

    def __init__(self, graph: AutogradGraph | None = None) -> None:
        self.parents: dict[str, list[str]] = {}
        self.children: dict[str, list[str]] = {}
        if graph is None:
            return
        self.parents = {node_id: [] for node_id in graph.nodes}
        self.children = {node_id: [] for node_id in graph.nodes}
        for edge in graph.edges:
            self.parents[edge.target].append(edge.source)
            self.children[edge.source].append(edge.target)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.parents

    def neighbours(self, node_id: str) -> list[str]:
        """Return the parents then the children of ``node_id``; none for an unknown id."""
        return self.parents.get(node_id, []) + self.children.get(node_id, [])

    def paths_through(self, node_id: str, hangs_off_op: bool) -> set[str]:
        """Return every node on a path from the leaves into ``node_id`` and on to the roots.

        ``hangs_off_op``: the node is a named intermediate, hanging off the op that made
        it; its value flows on through that op's other consumers, so its way to the
        roots starts there.
        """
        lit = {node_id}
        downstream = [node_id]
        if hangs_off_op:
            downstream += self.parents[node_id]
        for links, start in ((self.parents, [node_id]), (self.children, downstream)):
            stack = list(start)
            while stack:
                for other in links[stack.pop()]:
                    if other not in lit:
                        lit.add(other)
                        stack.append(other)
        return lit
