"""The forward pass as steps: ops in the order they ran, and what of the graph existed at each.

Works on the graph the view draws, folded module boxes included (a box takes
the place of its first op, core.graph.collapse), so nothing needs laying out
again: a step only says which of the finished graph's nodes and edges to show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphEdge, GraphNode
from autograd_playground.core.i18n.catalog import translate


@dataclass(frozen=True)
class ForwardStep:
    """One op of the forward pass, at its place in the order.

    ``node_id`` is what the graph draws for it: the op's own box, or the folded
    module box the op ran inside. Then ``op_id`` is the op itself (folded away),
    ``box_done`` how many of the box's ops have run with this one, and
    ``box_total`` how many it holds; outside a box ``op_id`` is ``node_id`` and
    ``box_total`` is 0.
    """

    index: int
    node_id: str
    label: str
    line: int | None
    iteration: int | None
    iterations: int | None
    op_id: str = ""
    box_done: int = 0
    box_total: int = 0

    @property
    def in_box(self) -> bool:
        return self.box_total > 0


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


def _ordered_ops(graph: AutogradGraph) -> list[tuple[GraphNode, str]]:
    """Every op with a place in the order, with the node drawn for it, in the order they ran.

    A folded box stands for each of its ops; a box that knows none of them in order
    (a graph collapsed elsewhere) is one op of its own, at its first op's place.
    """
    found: list[tuple[GraphNode, str]] = []
    for node in graph.nodes.values():
        inside = graph.folded.get(node.id) if node.kind == "module" else None
        members = [
            (member, node.id)
            for member in (inside.nodes.values() if inside is not None else ())
            if member.kind == "op" and member.seq is not None and _holds(inside, node, member)
        ]
        if members:
            found += members
        elif node.seq is not None:
            found.append((node, node.id))
    found.sort(key=lambda pair: pair[0].seq)
    return found


def _holds(inside: AutogradGraph, box: GraphNode, member: GraphNode) -> bool:
    """Whether ``member`` of a box's contents is the box's own, not a far end of its edges."""
    if inside.held:
        return member.id in inside.held
    return box.module in member.module_path  # contents made before boxes said what they hold


def _make_steps(graph: AutogradGraph) -> list[ForwardStep]:
    ordered = _ordered_ops(graph)
    totals = Counter(drawn for op, drawn in ordered if op.id != drawn)
    done: Counter[str] = Counter()
    steps = []
    for index, (op, drawn) in enumerate(ordered):
        done[drawn] += 1
        folded = op.id != drawn
        steps.append(
            ForwardStep(
                index,
                drawn,
                op.label,
                op.line,
                op.iteration,
                op.iterations,
                op_id=op.id,
                box_done=done[drawn] if folded else 0,
                box_total=totals[drawn] if folded else 0,
            )
        )
    return steps


class ForwardSteps:
    """The steps of one graph, and which of its nodes and edges exist by each step.

    An op appears at its own step; a folded module box at its first op's, and it
    fills in until its last op's. A tensor without a place in the order (a leaf,
    a named result, a saved tensor) appears with the first op it touches: a leaf
    joins the graph when an op first uses it, a result when its op runs (for a
    box's result, when the box's last op has run).
    """

    def __init__(self, graph: AutogradGraph) -> None:
        self.graph = graph
        self.steps = _make_steps(graph)
        self._appears: dict[str, int] = {}
        self._complete: dict[str, int] = {}  # a box's last step
        self._op_step: dict[str, int] = {}  # every op's step, folded ones too
        for step in self.steps:
            self._appears.setdefault(step.node_id, step.index)
            self._complete[step.node_id] = step.index
            self._op_step[step.op_id] = step.index
        self._nodes = dict(graph.nodes)
        self._inputs: dict[str, list[str]] = {}
        self._outputs: dict[str, list[str]] = {}
        # A folded box's edges stand for those of its ops, which its contents keep: what
        # an op took in and gave out is told from them, not from the box.
        folded = graph.folded
        edges = [e for e in graph.edges if e.source not in folded and e.target not in folded]
        for inside in folded.values():
            for node_id, node in inside.nodes.items():
                self._nodes.setdefault(node_id, node)
            edges += inside.edges
        for edge in edges:
            if edge.kind == "flow":
                self._inputs.setdefault(edge.target, []).append(edge.source)
                self._outputs.setdefault(edge.source, []).append(edge.target)
        self._place_tensors()

    def _place_tensors(self) -> None:
        touched: dict[str, list[int]] = {}
        for edge in self.graph.edges:
            touched.setdefault(edge.source, []).append(self._edge_end(edge.target, made=False))
            touched.setdefault(edge.target, []).append(self._edge_end(edge.source, made=True))
        for node_id in self.graph.nodes:
            if node_id not in self._appears:
                times = [time for time in touched.get(node_id, ()) if time is not None]
                self._appears[node_id] = min(times, default=0)

    def _edge_end(self, node_id: str, made: bool) -> int | None:
        """When ``node_id``, at one end of an edge, takes part in it: a box makes what flows
        out of it at its last op, and takes what flows in at its first."""
        if node_id not in self._complete:
            return None
        return self._complete[node_id] if made else self._appears[node_id]

    def __len__(self) -> int:
        return len(self.steps)

    def appears_at(self, node_id: str) -> int:
        """Return the step from which ``node_id`` exists (an op folded in a box: its own)."""
        if node_id in self._op_step and node_id not in self._appears:
            return self._op_step[node_id]
        return self._appears[node_id]

    def visible_nodes(self, index: int) -> set[str]:
        """Return the ids of the nodes that exist at step ``index``."""
        return {node_id for node_id, first in self._appears.items() if first <= index}

    def hidden_nodes(self, index: int) -> set[str]:
        """Return the ids of the nodes made after step ``index``."""
        return {node_id for node_id, first in self._appears.items() if first > index}

    def edge_visible(self, edge: GraphEdge, index: int) -> bool:
        """Whether ``edge`` exists at step ``index``: both its ends do, and a box it leaves
        has run its last op."""
        appears = self._appears
        source = self._complete.get(edge.source, appears[edge.source])
        return source <= index and appears[edge.target] <= index

    def box_progress(self, index: int) -> dict[str, tuple[int, int]]:
        """Return the folded boxes still filling in at step ``index``: id to (ops run, ops)."""
        progress: dict[str, tuple[int, int]] = {}
        for box_id, last in self._complete.items():
            first = self._appears[box_id]
            if first <= index < last:
                total = self.steps[last].box_total
                done = sum(1 for step in self.steps[first : index + 1] if step.node_id == box_id)
                progress[box_id] = (done, total)
        return progress

    def node(self, node_id: str) -> GraphNode:
        """Return the node ``node_id``, drawn or folded into a box."""
        return self._nodes[node_id]

    def inputs_of(self, node_id: str) -> list[GraphNode]:
        """Return what flows into ``node_id``, in the order of its edges."""
        return [self._nodes[source] for source in self._inputs.get(node_id, ())]

    def outputs_of(self, node_id: str) -> list[GraphNode]:
        """Return what ``node_id`` flows into."""
        return [self._nodes[target] for target in self._outputs.get(node_id, ())]

    def step_at_line(self, line: int) -> ForwardStep | None:
        """Return the first step made by ``line``, or None."""
        return next((step for step in self.steps if step.line == line), None)
