"""Walk the autograd graph behind the tensors of a namespace into plain data."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import torch
from torch import nn

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode
from autograd_playground.core.graph.module_names import ModuleNames, assign_module_calls
from autograd_playground.core.graph.tensor_summary import summarize
from autograd_playground.core.run.heap import collector_paused
from autograd_playground.core.run.module_calls import ModuleCallTable
from autograd_playground.core.run.source_lines import LineTable

_MAX_ATTRIBUTE_TEXT = 120


class UnknownRootError(KeyError):
    """A requested root name is not a tensor in the namespace."""

    def __init__(self, name: str, available: Iterable[str]) -> None:
        self.name = name
        self.available = sorted(available)
        super().__init__(name)

    def __str__(self) -> str:
        known = ", ".join(self.available) or "none"
        return f"no tensor named {self.name!r} to use as a root (tensors: {known})"


@lru_cache(maxsize=4096)
def friendly_op_name(op_name: str) -> str:
    """Return 'mul' for 'MulBackward0', 'mse_loss' for 'MseLossBackward0'."""
    base = re.sub(r"Backward\d*$", "", op_name) or op_name
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", base).lower()


def named_tensors(namespace: Mapping[str, Any]) -> dict[int, tuple[str, torch.Tensor]]:
    """Map id(tensor) to (name, tensor) for tensors and module parameters in ``namespace``."""
    found: dict[int, tuple[str, torch.Tensor]] = {}
    items = sorted((k, v) for k, v in namespace.items() if not k.startswith("_"))
    for name, value in items:
        if isinstance(value, torch.Tensor):
            found.setdefault(id(value), (name, value))
    for name, value in items:
        if isinstance(value, nn.Module):
            for param_name, param in value.named_parameters():
                found.setdefault(id(param), (f"{name}.{param_name}", param))
    return found


def _digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=5).hexdigest()


@lru_cache(maxsize=2048)
def _saved_attribute_names(op_type: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the saved attributes of an op type: (tensor ones, other ones)."""
    names = dir(op_type)
    # A saved tensor has a raw SavedVariable twin: _saved_self and _raw_saved_self.
    raw = {name.removeprefix("_raw") for name in names if name.startswith("_raw_saved_")}
    saved = [name for name in names if name.startswith("_saved_")]
    return tuple(n for n in saved if n in raw), tuple(n for n in saved if n not in raw)


def _read_op_attributes(
    fn: Any,
    node: GraphNode,
    add_saved_tensor: Callable[[GraphNode, str, torch.Tensor], None] | None = None,
    record_shapes: bool = True,
) -> None:
    """Fill an op node's non-tensor saved attributes, the shapes of the tensors it saved
    (with ``record_shapes``), and whether backward freed them; ``add_saved_tensor`` is
    handed every saved tensor. With neither, one is read: enough to tell if they were freed.
    """
    if _is_custom_function(fn):
        tensor_names, other_names = ("saved_tensors",), ()
    else:
        tensor_names, other_names = _saved_attribute_names(type(fn))
    for attr in other_names:
        value = getattr(fn, attr)
        if value is None or isinstance(value, torch.Tensor):
            continue
        text = repr(value)
        if len(text) > _MAX_ATTRIBUTE_TEXT:
            text = text[:_MAX_ATTRIBUTE_TEXT] + "…"
        node.attributes[attr.removeprefix("_saved_")] = text
    read_all = record_shapes or add_saved_tensor is not None
    for attr in tensor_names if read_all else tensor_names[:1]:
        try:
            value = getattr(fn, attr)
        except RuntimeError:
            node.saved_freed = True  # backward ran without retain_graph
            node.saved_shapes.clear()
            return
        if not read_all:
            return
        key = attr.removeprefix("_saved_")
        tensors = value if isinstance(value, (tuple, list)) else (value,)
        for position, tensor in enumerate(tensors):
            if isinstance(tensor, torch.Tensor):
                saved_key = f"{key}[{position}]" if len(tensors) > 1 else key
                if record_shapes:
                    node.saved_shapes[saved_key] = tuple(tensor.shape)
                if add_saved_tensor is not None:
                    add_saved_tensor(node, saved_key, tensor)


_CUSTOM_BACKWARD = torch.autograd.function.BackwardCFunction


def _is_custom_function(fn: Any) -> bool:
    return isinstance(fn, _CUSTOM_BACKWARD)


def _op_name(fn: Any) -> str:
    return type(fn).__name__ if _is_custom_function(fn) else fn.name()


def _op_name_and_label(fn: Any) -> tuple[str, str]:
    """Return an op's name, 'MulBackward0', and its label, 'mul'."""
    if _is_custom_function(fn):
        name = type(fn).__name__
        return name, _custom_label(name)
    name = fn.name()
    return name, friendly_op_name(name)


@lru_cache(maxsize=1024)
def _custom_label(class_name: str) -> str:
    return re.sub(r"Backward$", "", class_name)


def _sequence_nr(fn: Any) -> int:
    try:
        return fn._sequence_nr()
    except (AttributeError, RuntimeError):
        return -1


def _output_shape(fn: Any) -> tuple[int, ...] | None:
    try:
        return tuple(fn._input_metadata[0].shape)
    except (AttributeError, IndexError, RuntimeError, TypeError):
        return None


def _tensor_fields(tensor: torch.Tensor) -> dict[str, Any]:
    return {
        "shape": tuple(tensor.shape),
        "dtype": str(tensor.dtype).removeprefix("torch."),
        "device": str(tensor.device),
        "requires_grad": tensor.requires_grad,
        "is_leaf": tensor.is_leaf,
        "retains_grad": tensor.retains_grad,
        "grad_fn": _op_name(tensor.grad_fn) if tensor.grad_fn is not None else None,
        "version": tensor._version,
    }


class GraphExtraction:
    """A graph whose structure is known and whose values are still to be read.

    Reading values (printing, statistics) costs far more than walking the graph,
    so it is a second step: the caller can start the layout, which needs only
    the structure, and read values while the layout engine works. Until
    ``fill_values`` runs, this object holds the tensors; afterwards it holds none.
    """

    def __init__(self, graph: AutogradGraph, record_shapes: bool = True) -> None:
        self.graph = graph
        self.record_shapes = record_shapes
        self._pending: list[tuple[GraphNode, torch.Tensor, bool]] = []
        self._pending_ops: list[tuple[GraphNode, Any]] = []
        self._pending_modules: Callable[[], None] | None = None

    def assign_modules(self) -> AutogradGraph:
        """Give nodes their nn.Module calls (``module``, ``module_path``); once, on demand.

        Only collapsing needs them before the layout; otherwise this can run
        while the engine works, like ``fill_values``.
        """
        assign, self._pending_modules = self._pending_modules, None
        if assign is not None:
            assign()
        return self.graph

    def defer(self, node: GraphNode, tensor: torch.Tensor, with_grad: bool) -> None:
        self._pending.append((node, tensor, with_grad))

    def defer_op(self, node: GraphNode, grad_fn: Any) -> None:
        self._pending_ops.append((node, grad_fn))

    def fill_values(self) -> AutogradGraph:
        """Read every value, grad and op attribute, drop the tensors, return the graph."""
        self.assign_modules()
        pending, self._pending = self._pending, []
        with collector_paused():
            for node, tensor, with_grad in pending:
                node.value = summarize(tensor, printed=False, with_heat_map=True)
                if with_grad and (tensor.is_leaf or tensor.retains_grad):
                    node.grad = summarize(tensor.grad, printed=False, with_heat_map=True)
            pending_ops, self._pending_ops = self._pending_ops, []
            for node, grad_fn in pending_ops:
                _read_op_attributes(grad_fn, node, record_shapes=self.record_shapes)
        return self.graph


class _Walker:
    """One extraction; holds the grad_fn objects alive only while it runs."""

    def __init__(
        self,
        names: dict[int, tuple[str, torch.Tensor]],
        include_saved: bool,
        line_table: LineTable | None,
        module_calls: ModuleCallTable | None = None,
        module_names: ModuleNames | None = None,
    ) -> None:
        self.names = names
        self.include_saved = include_saved
        self.line_table = line_table
        self.module_calls = module_calls
        self.module_names = module_names
        self.op_calls: list[tuple[GraphNode, int]] = []
        self.op_order: list[tuple[int, GraphNode]] = []  # (autograd sequence number, op)
        self.parameter_leaves: list[tuple[GraphNode, nn.Module]] = []
        self.graph = AutogradGraph()
        # What the forward stepper needs beyond the graph: the order ops ran, their
        # output shapes and what they saved (off only to measure its cost).
        self.record_order = line_table is None or line_table.record_order
        self.extraction = GraphExtraction(self.graph, self.record_order)
        self.fn_ids: dict[int, str] = {}
        self.alive: list[Any] = []
        self.used_ids: set[str] = set()
        self.last_copy: dict[str, int] = {}

    def _line_of(self, fn: Any) -> int | None:
        return self.line_table.line_of(fn) if self.line_table is not None else None

    def _origin_of(self, fn: Any, sequence_nr: int) -> dict[str, Any]:
        """An op's line, which run of it made the op, and the op's output shape."""
        if not self.record_order:
            return {"line": self._line_of(fn)}
        # Read with the structure: folding a loop into one box, before the layout,
        # labels the box with its last op's output shape.
        fields: dict[str, Any] = {"output_shape": _output_shape(fn)}
        if self.line_table is None or sequence_nr < 0:
            return fields
        run = self.line_table.line_run_at(sequence_nr)
        if run is not None:
            fields["line"], fields["iteration"], fields["iterations"] = run
        return fields

    def number_ops(self) -> None:
        """Give each op ``seq``: its place in the order the forward pass made them."""
        for seq, (_, node) in enumerate(sorted(self.op_order, key=lambda pair: pair[0])):
            node.seq = seq

    def _unique(self, candidate: str) -> str:
        """Return ``candidate``, or if taken its first free copy: ``candidate~2``, ``~3`` …"""
        node_id, copy = candidate, self.last_copy.get(candidate, 1)
        if node_id in self.used_ids:
            # Counting on from the last copy handed out, not from 2: a loop makes one
            # op a thousand times over, and ids are only ever added.
            while node_id in self.used_ids:
                copy += 1
                node_id = f"{candidate}~{copy}"
            self.last_copy[candidate] = copy
        self.used_ids.add(node_id)
        return node_id

    def _name_of(self, tensor: torch.Tensor) -> str | None:
        entry = self.names.get(id(tensor))
        return entry[0] if entry is not None and entry[1] is tensor else None

    def visit(self, root_fn: Any) -> str:
        """Add the subgraph under ``root_fn`` and return its node id (iterative post-order)."""
        # Each entry: a function, and its next_functions once its inputs are on the
        # stack above it. Torch builds that tuple anew at every read, so it is read once.
        stack: list[tuple[Any, tuple | None]] = [(root_fn, None)]
        fn_ids = self.fn_ids
        while stack:
            fn, next_functions = stack.pop()
            if id(fn) in fn_ids:
                continue
            if next_functions is None:
                next_functions = fn.next_functions
                self.alive.append(fn)
                stack.append((fn, next_functions))
                stack.extend(
                    (child, None)
                    for child, _ in reversed(next_functions)
                    if child is not None and id(child) not in fn_ids
                )
                continue
            fn_ids[id(fn)] = self._add_fn(fn, next_functions)
        return fn_ids[id(root_fn)]

    def _add_fn(self, fn: Any, next_functions: tuple) -> str:
        if hasattr(fn, "variable"):
            return self._add_leaf(fn.variable)
        fn_ids = self.fn_ids
        inputs = [
            (fn_ids[id(child)], index) for child, index in next_functions if child is not None
        ]
        name, label = _op_name_and_label(fn)
        node_id = self._unique(f"op:{name}:{_digest(name, inputs)}")
        # Read once: the order, the line and the module call are all looked up by it.
        sequence_nr = _sequence_nr(fn)
        node = self.graph.add_node(
            GraphNode(
                id=node_id, kind="op", label=label, op=name, **self._origin_of(fn, sequence_nr)
            )
        )
        for child_id, _ in inputs:
            self.graph.add_edge(child_id, node_id, "flow")
        if self.record_order:
            self.op_order.append((sequence_nr, node))
        if self.module_calls is not None and sequence_nr >= 0:
            call = self.module_calls.call_at(sequence_nr)
            if call is not None:
                self.op_calls.append((node, call))
        if self.include_saved:
            _read_op_attributes(fn, node, self._add_saved_tensor, self.record_order)
        else:
            self.extraction.defer_op(node, fn)
        return node_id

    def _add_leaf(self, tensor: torch.Tensor) -> str:
        name = self._name_of(tensor)
        candidate = f"leaf:{name}" if name else f"leaf:{_digest(tuple(tensor.shape), tensor.dtype)}"
        node_id = self._unique(candidate)
        node = self.graph.add_node(
            GraphNode(
                id=node_id, kind="leaf", label=name or "leaf", name=name, **_tensor_fields(tensor)
            )
        )
        self.extraction.defer(node, tensor, with_grad=True)
        if self.module_names is not None:
            owner = self.module_names.owner_of(tensor)
            if owner is not None:
                self.parameter_leaves.append((node, owner))
        return node_id

    def _add_saved_tensor(self, op_node: GraphNode, key: str, tensor: torch.Tensor) -> None:
        node_id = self._unique(f"{op_node.id}/{key}")
        name = self._name_of(tensor)
        node = self.graph.add_node(
            GraphNode(
                id=node_id,
                kind="saved",
                label=key,
                name=name,
                line=op_node.line,
                **_tensor_fields(tensor),
            )
        )
        self.extraction.defer(node, tensor, with_grad=False)
        self.graph.add_edge(node_id, op_node.id, "saved")

    def add_tensor(self, name: str, tensor: torch.Tensor, is_root: bool) -> str:
        """Add a named tensor: a leaf on its own, or a tensor node fed by its grad_fn."""
        if tensor.grad_fn is None:
            return self._add_leaf(tensor)
        fn_id = self.visit(tensor.grad_fn)
        node_id = self._unique(f"tensor:{name}")
        node = self.graph.add_node(
            GraphNode(
                id=node_id,
                kind="tensor",
                label=name,
                name=name,
                is_root=is_root,
                line=self._line_of(tensor.grad_fn),
                **_tensor_fields(tensor),
            )
        )
        self.extraction.defer(node, tensor, with_grad=True)
        self.graph.add_edge(fn_id, node_id, "flow")
        return node_id


def extract_graph(
    namespace: Mapping[str, Any],
    roots: Sequence[str] | None = None,
    *,
    include_saved: bool = True,
    line_table: LineTable | None = None,
    module_calls: ModuleCallTable | None = None,
) -> AutogradGraph:
    """Return the autograd graph behind ``roots`` (default: every tensor with a grad_fn).

    Named tensors that need a gradient but feed no root are included as lone
    leaves. ``line_table`` (an Evaluator's) gives each op its source line, and
    ``module_calls`` (an Evaluator's) the nn.Module call that made it. The
    result holds no reference to any tensor or grad_fn.
    """
    extraction = extract_structure(
        namespace,
        roots,
        include_saved=include_saved,
        line_table=line_table,
        module_calls=module_calls,
    )
    return extraction.fill_values()


def extract_structure(
    namespace: Mapping[str, Any],
    roots: Sequence[str] | None = None,
    *,
    include_saved: bool = True,
    line_table: LineTable | None = None,
    module_calls: ModuleCallTable | None = None,
) -> GraphExtraction:
    """Walk the graph as ``extract_graph`` does, leaving values to ``fill_values``
    and module calls to ``assign_modules`` (which ``fill_values`` also runs)."""
    with collector_paused():
        return _extract_structure(namespace, roots, include_saved, line_table, module_calls)


def _extract_structure(
    namespace: Mapping[str, Any],
    roots: Sequence[str] | None,
    include_saved: bool,
    line_table: LineTable | None,
    module_calls: ModuleCallTable | None,
) -> GraphExtraction:
    names = named_tensors(namespace)
    by_name = dict(names.values())
    root_names = _root_names(by_name, roots)

    module_names = ModuleNames(namespace) if module_calls is not None else None
    walker = _Walker(names, include_saved, line_table, module_calls, module_names)
    tensor_ids: dict[str, str] = {}
    for name in root_names:
        tensor_ids[name] = walker.add_tensor(name, by_name[name], is_root=True)
    walker.graph.roots = [tensor_ids[name] for name in root_names]

    if roots is None:
        for name, tensor in sorted(by_name.items()):
            if tensor.requires_grad and tensor.is_leaf and walker._name_of(tensor) == name:
                leaf_id = f"leaf:{name}"
                if leaf_id not in walker.graph.nodes:
                    tensor_ids[name] = walker._add_leaf(tensor)
                else:
                    tensor_ids[name] = leaf_id
    walker.number_ops()
    _add_view_edges(walker.graph, tensor_ids, by_name)
    _mark_consumed_tensors(walker.graph)
    if module_calls is not None and module_names is not None:
        graph, op_calls, leaves = walker.graph, walker.op_calls, walker.parameter_leaves
        walker.extraction._pending_modules = lambda: assign_module_calls(
            graph, op_calls, leaves, module_calls, module_names
        )
    walker.alive.clear()
    return walker.extraction


def _root_names(by_name: dict[str, torch.Tensor], roots: Sequence[str] | None) -> list[str]:
    if roots is not None:
        missing = [root for root in roots if root not in by_name]
        if missing:
            raise UnknownRootError(missing[0], by_name)
        return list(roots)
    return sorted(name for name, tensor in by_name.items() if tensor.grad_fn is not None)


def grad_fn_node_ids(
    namespace: Mapping[str, Any], roots: Sequence[str] | None = None
) -> list[tuple[Any, str]]:
    """Return (grad_fn, node id) for every grad_fn in ``extract_graph(namespace, roots)``.

    An AccumulateGrad gets the id of its leaf. The ids are the graph's own, so a
    feature that finds grad_fn objects (a backward pass, say) can point at nodes.
    """
    names = named_tensors(namespace)
    by_name = dict(names.values())
    walker = _Walker(names, include_saved=False, line_table=None)
    for name in _root_names(by_name, roots):
        walker.add_tensor(name, by_name[name], is_root=True)
    return [(fn, walker.fn_ids[id(fn)]) for fn in walker.alive]


def _mark_consumed_tensors(graph: AutogradGraph) -> None:
    """A named tensor whose op feeds other ops is an intermediate, not an output."""
    nodes = graph.nodes
    feeds_ops: set[str] = set()
    made_tensors: list[tuple[str, GraphNode]] = []
    for edge in graph.edges:
        if edge.kind != "flow":
            continue
        target = nodes[edge.target]
        if target.kind == "op":
            feeds_ops.add(edge.source)
        elif target.kind == "tensor":
            made_tensors.append((edge.source, target))
    for source, node in made_tensors:
        if source in feeds_ops:
            node.is_root = False


def _add_view_edges(
    graph: AutogradGraph, tensor_ids: dict[str, str], by_name: dict[str, torch.Tensor]
) -> None:
    """Link each named view to the node of its base tensor, when the base is shown."""
    name_by_tensor = {id(tensor): name for name, tensor in by_name.items()}
    for name, node_id in tensor_ids.items():
        tensor = by_name[name]
        if not tensor._is_view():
            continue
        base_name = name_by_tensor.get(id(tensor._base))
        if base_name is None:
            continue
        base_id = tensor_ids.get(base_name)
        for candidate in (base_id, f"leaf:{base_name}", f"tensor:{base_name}"):
            if candidate is not None and candidate in graph.nodes and candidate != node_id:
                graph.add_edge(candidate, node_id, "view")
                break
