"""Give the nodes of an extracted graph the ids of the module calls that made them.

A call's id is the module's qualified name in the namespace (``model.layers.1``),
so the same code run again gives the same ids and a view can keep what it had
collapsed. Later calls of the same module in one graph get ``#2``, ``#3`` ….
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode, ModuleCallInfo
from autograd_playground.core.run.module_calls import CallRecord, ModuleCallTable


class ModuleNames:
    """Qualified names of the modules a namespace reaches, and who owns each parameter.

    Names follow ``core.graph.extract.named_tensors``: variables in sorted order, the
    first name found for a module wins, so ``model.0`` owns ``model.0.weight``.
    """

    def __init__(self, namespace: Mapping[str, Any]) -> None:
        self._names: dict[int, tuple[str, nn.Module]] = {}
        self._owners: dict[int, tuple[nn.Module, torch.Tensor]] = {}
        for name, value in sorted(namespace.items()):
            if not name.startswith("_") and isinstance(value, nn.Module):
                self._add_tree(name, value)

    def _add_tree(self, name: str, root: nn.Module) -> None:
        # named_modules' order (depth first, parents first) without its nested
        # generators, which cost milliseconds on a model of a few hundred layers.
        stack = [(name, root)]
        while stack:
            prefix, module = stack.pop()
            if id(module) in self._names:
                continue
            self._names[id(module)] = (prefix, module)
            for param in module._parameters.values():
                if param is not None:
                    self._owners.setdefault(id(param), (module, param))
            children = [(f"{prefix}.{key}", child) for key, child in module._modules.items()]
            stack.extend(entry for entry in reversed(children) if entry[1] is not None)

    def name_of(self, module: nn.Module | None) -> str | None:
        entry = self._names.get(id(module)) if module is not None else None
        return entry[0] if entry is not None and entry[1] is module else None

    def owner_of(self, tensor: torch.Tensor) -> nn.Module | None:
        """Return the module whose own parameter ``tensor`` is, or None."""
        entry = self._owners.get(id(tensor))
        return entry[0] if entry is not None and entry[1] is tensor else None


def assign_module_calls(
    graph: AutogradGraph,
    op_calls: list[tuple[GraphNode, int]],
    parameter_leaves: list[tuple[GraphNode, nn.Module]],
    table: ModuleCallTable,
    names: ModuleNames,
) -> None:
    """Set ``module`` and ``module_path`` on the graph's nodes and fill ``graph.module_calls``.

    ``op_calls`` pairs op nodes with the table's innermost call that made them;
    ``parameter_leaves`` pairs parameter leaves with their owning module.
    """
    records: dict[int, CallRecord] = {}
    chains: dict[int, tuple[int, ...]] = {}
    used = {
        call for _, innermost in op_calls for call in _chain_of(innermost, table, records, chains)
    }
    call_ids = _number_calls(sorted(used), records, names)
    for index in sorted(used):
        record, chain = records[index], chains[index]
        graph.module_calls[call_ids[index]] = ModuleCallInfo(
            call_id=call_ids[index],
            class_name=record.class_name,
            qualified_name=names.name_of(record.module),
            parent=call_ids[chain[-2]] if len(chain) > 1 else None,
            depth=len(chain) - 1,
            output_shape=record.output_shape,
        )
    for node, innermost in op_calls:
        path = tuple(call_ids[call] for call in chains[innermost])
        if path:
            node.module, node.module_path = path[-1], path
    _assign_parameter_leaves(parameter_leaves, used, records, chains, call_ids)
    if used:  # else no op is in a call, and no saved tensor either
        _assign_saved_tensors(graph)


def _chain_of(
    index: int,
    table: ModuleCallTable,
    records: dict[int, CallRecord],
    chains: dict[int, tuple[int, ...]],
) -> tuple[int, ...]:
    """Return the calls from the outermost known one down to ``index``, noting them.

    A module-level function: a nested one that calls itself is a reference
    cycle, and would keep the call records (the user's modules) alive until a
    full garbage collection.
    """
    if index in chains:
        return chains[index]
    record = table.record(index)
    if record is None:
        chains[index] = ()
        return ()
    records[index] = record
    outer = _chain_of(record.parent, table, records, chains) if record.parent is not None else ()
    chains[index] = (*outer, index)
    return chains[index]


def _number_calls(
    indexes: list[int], records: dict[int, CallRecord], names: ModuleNames
) -> dict[int, str]:
    seen: Counter[str] = Counter()
    call_ids: dict[int, str] = {}
    for index in indexes:  # in the order the calls started
        record = records[index]
        base = names.name_of(record.module) or record.class_name
        seen[base] += 1
        call_ids[index] = base if seen[base] == 1 else f"{base}#{seen[base]}"
    return call_ids


def _assign_parameter_leaves(
    parameter_leaves: list[tuple[GraphNode, nn.Module]],
    used: set[int],
    records: dict[int, CallRecord],
    chains: dict[int, tuple[int, ...]],
    call_ids: dict[int, str],
) -> None:
    """Put a parameter in its module's call, unless the graph holds several calls of it."""
    calls_by_module: dict[int, list[int]] = {}
    for index in used:
        module = records[index].module
        if module is not None:
            calls_by_module.setdefault(id(module), []).append(index)
    for node, owner in parameter_leaves:
        calls = calls_by_module.get(id(owner), [])
        if len(calls) == 1 and records[calls[0]].module is owner:
            path = tuple(call_ids[call] for call in chains[calls[0]])
            node.module, node.module_path = path[-1], path


def _assign_saved_tensors(graph: AutogradGraph) -> None:
    """A tensor an op saved for backward goes where the op goes."""
    for edge in graph.edges:
        if edge.kind != "saved":
            continue
        saved, op = graph.nodes[edge.source], graph.nodes[edge.target]
        if saved.kind == "saved" and op.module is not None:
            saved.module, saved.module_path = op.module, op.module_path
