"""Plain data for an extracted autograd graph: no tensors, no torch, no Qt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from autograd_playground.core.graph.heat_map import HeatMap
from autograd_playground.core.graph.tensor_text import shape_text
from autograd_playground.core.i18n.catalog import translate

NodeKind = Literal["leaf", "op", "tensor", "saved", "module"]
EdgeKind = Literal["flow", "saved", "view"]


@dataclass(frozen=True)
class TensorSummary:
    """A tensor's value as numbers, and as text, detached from the tensor itself.

    ``values`` holds every element (nested lists) when there are at most 100 of
    them; otherwise it is None and ``stats`` holds min, max, mean, std and norm
    of the finite elements. ``text`` is the value as torch prints it, or for a
    bigger tensor a glimpse of its first and last elements.

    A bigger tensor's glimpse is made with the summary, on the engine thread. A small
    one's printout waits for its first read when the summary keeps a ``printer``:
    a graph holds thousands of summaries and a view reads one or two, and printing
    at most 100 elements is quick wherever it is read. A recorded backward pass
    prints its own on the engine thread when it is opened for stepping
    (BackwardTrace.print_values).

    ``heat_map`` is the value as a grid of colours for the inspector, when asked for
    (core.graph.tensor_heatmap): for a tensor of one to four dimensions, not complex.
    A small tensor's is made from ``values`` by ``heat_mapper`` when first read; a
    bigger one's is made with the summary (``made_heat_map``), from the tensor.
    """

    values: Any | None
    stats: dict[str, float] | None
    nan_count: int = 0
    inf_count: int = 0
    dtype: str = "float32"
    shape: tuple[int, ...] = ()
    printed: str | None = None
    printer: Callable[[Any, str], str] | None = field(default=None, compare=False, repr=False)
    made_heat_map: HeatMap | None = field(default=None, compare=False, repr=False)
    heat_mapper: Callable[[Any, tuple[int, ...]], HeatMap | None] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def has_nonfinite(self) -> bool:
        return self.nan_count > 0 or self.inf_count > 0

    @cached_property
    def text(self) -> str:
        """Return the value as printed: at once if it was printed when made, else now."""
        if self.printed is not None:
            return self.printed
        if self.printer is not None:
            return self.printer(self.values, self.dtype)
        return str(self.values)

    @cached_property
    def heat_map(self) -> HeatMap | None:
        """Return the heat map: the one made with the summary, else one made now."""
        if self.heat_mapper is not None:
            return self.heat_mapper(self.values, self.shape)
        return self.made_heat_map


# Slots: a graph of tens of thousands of nodes is that many fewer dicts for the
# cyclic collector to walk while the window waits on the GIL.
@dataclass(slots=True)
class GraphNode:
    """One node: a leaf tensor, an op (grad_fn), a named tensor or a saved tensor.

    ``is_root`` marks an output: a requested root that no other op consumes.
    ``module`` is the id of the innermost nn.Module call that made the node and
    ``module_path`` the ids of the calls around it, outermost first; a ``module``
    node stands for a whole collapsed call (see core.graph.collapse).

    ``seq`` is an op's position in the order the forward pass ran (from 0; a
    ``module`` node has its first op's). ``iteration`` counts from 1 the runs of
    ``line`` up to the one that made the op, of ``iterations`` runs in all (a
    line in a loop, or in a function called more than once). ``output_shape``
    is the shape of what an op returned, and ``saved_shapes`` those of the
    tensors it saved for backward, by the name torch gives them (empty once
    backward freed them: see ``saved_freed``).
    """

    id: str
    kind: NodeKind
    label: str
    name: str | None = None
    op: str | None = None
    shape: tuple[int, ...] | None = None
    dtype: str | None = None
    device: str | None = None
    requires_grad: bool | None = None
    is_leaf: bool | None = None
    retains_grad: bool | None = None
    grad_fn: str | None = None
    value: TensorSummary | None = None
    grad: TensorSummary | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    saved_freed: bool = False
    version: int | None = None
    line: int | None = None
    seq: int | None = None
    iteration: int | None = None
    iterations: int | None = None
    output_shape: tuple[int, ...] | None = None
    saved_shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    is_root: bool = False
    module: str | None = None
    module_path: tuple[str, ...] = ()

    def shape_text_in(self, language: str) -> str:
        """The shape as labels show it, "scalar" in ``language`` for a 0-d tensor."""
        if self.shape is None:
            return ""
        return shape_text(self.shape, translate("scalar", language))


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """A directed edge in forward order: from an input to what consumes it."""

    source: str
    target: str
    kind: EdgeKind = "flow"


@dataclass(frozen=True)
class ModuleCallInfo:
    """One nn.Module forward call that made nodes of a graph.

    ``call_id`` is the module's qualified name in the namespace (``model.0``),
    or its class name when the namespace does not reach it, with ``#2``, ``#3``
    … added for its later calls in the graph.
    """

    call_id: str
    class_name: str
    qualified_name: str | None
    parent: str | None
    depth: int
    output_shape: tuple[int, ...] | None = None
    saved_shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass
class AutogradGraph:
    """Nodes and edges of the graph behind a set of root tensors."""

    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: list[GraphEdge] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    module_calls: dict[str, ModuleCallInfo] = field(default_factory=dict)
    # For each collapsed module box, by its node id: the nodes it folds away and every
    # edge that touches them, as the uncollapsed graph had them (core.graph.collapse).
    # The forward stepper fills a box in op by op from them.
    folded: dict[str, AutogradGraph] = field(default_factory=dict)
    # In a box's contents (a graph in ``folded``): the ids of the nodes the box holds;
    # the other nodes are at the far ends of its edges.
    held: frozenset[str] = frozenset()

    def add_node(self, node: GraphNode) -> GraphNode:
        self.nodes[node.id] = node
        return node

    def add_edge(self, source: str, target: str, kind: EdgeKind = "flow") -> None:
        self.edges.append(GraphEdge(source, target, kind))

    def find(self, name: str) -> GraphNode | None:
        """Return the node carrying variable name ``name``, preferring tensors over ops."""
        matches = [node for node in self.nodes.values() if node.name == name]
        order = {"leaf": 0, "tensor": 1, "op": 2, "saved": 3, "module": 4}
        matches.sort(key=lambda node: order[node.kind])
        return matches[0] if matches else None

    def ops(self) -> list[GraphNode]:
        return [node for node in self.nodes.values() if node.kind == "op"]

    def op_count(self) -> int:
        """The ops drawn, and those folded into collapsed module boxes."""
        return sum(
            1 if node.kind == "op" else int(node.attributes.get("ops", 0))
            for node in self.nodes.values()
            if node.kind in ("op", "module")
        )

    def __len__(self) -> int:
        return len(self.nodes)
