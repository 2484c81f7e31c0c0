"""The forward pass as steps: ops in the order they ran, and what of the graph existed at each.

Works on the graph the view draws, folded module boxes included (a box takes
the place of its first op, core.graph.collapse), so nothing needs laying out
again: a step only says which of the finished graph's nodes and edges to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphEdge, GraphNode
from autograd_playground.core.i18n.catalog import translate


@dataclass(frozen=True)
class ForwardStep:
    """One op (or folded module call) of the forward pass, at its place in the order."""

    index: int
    node_id: str
    label: str
    line: int | None
    iteration: int | None
    iterations: int | None


def where_text(step: ForwardStep, language: str) -> str:
    """Return "line 7, iteration 4 of 8" (or "line 7", or "" when the line is unknown)."""
    if step.line is None:
        return ""
    if step.iterations is not None and step.iterations > 1 and step.iteration:
        return translate(
            "line {line}, iteration {iteration} of {iterations}",
            language,
            line=step.line,
            iteration=step.iteration,
            iterations=step.iterations,
        )
    return translate("line {line}", language, line=step.line)


def _step_of(index: int, node: GraphNode) -> ForwardStep:
    return ForwardStep(index, node.id, node.label, node.line, node.iteration, node.iterations)


class ForwardSteps:
    """The steps of one graph, and which of its nodes and edges exist by each step.

    An op or a box appears at its own step. A tensor without a place in the order
    (a leaf, a named result, a saved tensor) appears with the first op it touches:
    a leaf joins the graph when an op first uses it, a result when its op runs.
    """

    def __init__(self, graph: AutogradGraph) -> None:
        self.graph = graph
        ordered = sorted(
            (node for node in graph.nodes.values() if node.seq is not None),
            key=lambda node: node.seq,
        )
        self.steps = [_step_of(index, node) for index, node in enumerate(ordered)]
        self._appears: dict[str, int] = {step.node_id: step.index for step in self.steps}
        neighbours: dict[str, list[str]] = {}
        self._inputs: dict[str, list[str]] = {}
        self._outputs: dict[str, list[str]] = {}
        for edge in graph.edges:
            neighbours.setdefault(edge.source, []).append(edge.target)
            neighbours.setdefault(edge.target, []).append(edge.source)
            if edge.kind == "flow":
                self._inputs.setdefault(edge.target, []).append(edge.source)
                self._outputs.setdefault(edge.source, []).append(edge.target)
        for node_id in graph.nodes:
            if node_id not in self._appears:
                touched = [
                    self._appears[other]
                    for other in neighbours.get(node_id, ())
                    if other in self._appears
                ]
                self._appears[node_id] = min(touched, default=0)

    def __len__(self) -> int:
        return len(self.steps)

    def appears_at(self, node_id: str) -> int:
        """Return the step from which ``node_id`` exists."""
        return self._appears[node_id]

    def visible_nodes(self, index: int) -> set[str]:
        """Return the ids of the nodes that exist at step ``index``."""
        return {node_id for node_id, first in self._appears.items() if first <= index}

    def hidden_nodes(self, index: int) -> set[str]:
        """Return the ids of the nodes made after step ``index``."""
        return {node_id for node_id, first in self._appears.items() if first > index}

    def edge_visible(self, edge: GraphEdge, index: int) -> bool:
        """Whether both ends of ``edge`` exist at step ``index``."""
        appears = self._appears
        return appears[edge.source] <= index and appears[edge.target] <= index

    def inputs_of(self, node_id: str) -> list[GraphNode]:
        """Return what flows into ``node_id``, in the order of its edges."""
        return [self.graph.nodes[source] for source in self._inputs.get(node_id, ())]

    def outputs_of(self, node_id: str) -> list[GraphNode]:
        """Return what ``node_id`` flows into."""
        return [self.graph.nodes[target] for target in self._outputs.get(node_id, ())]

    def step_at_line(self, line: int) -> ForwardStep | None:
        """Return the first step made by ``line``, or None."""
        return next((step for step in self.steps if step.line == line), None)
