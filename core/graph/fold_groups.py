"""The folds a view's module menu lists: module calls and repeat folds, outer ones first."""

from __future__ import annotations

from collections import Counter

from autograd_playground.core.graph.collapse import ModuleGroup
from autograd_playground.core.graph.fold_draw import box_of_each_fold
from autograd_playground.core.graph.folds import FoldTree
from autograd_playground.core.graph.graph_model import AutogradGraph

LISTED_KINDS = ("module", "repeat")  # a loop's chunks and steps are too many to list


def fold_sizes(graph: AutogradGraph, tree: FoldTree) -> tuple[Counter[str], Counter[str]]:
    """Return the nodes and the ops each fold holds, those of the folds inside it included."""
    nodes: Counter[str] = Counter()
    ops: Counter[str] = Counter()
    for node_id, node in graph.nodes.items():
        owner = tree.owner.get(node_id)
        if owner is not None:
            nodes[owner] += 1
            ops[owner] += node.kind == "op"
    for fold_id in reversed(tree.folds):  # children before parents
        parent = tree.folds[fold_id].parent
        if parent is not None:
            nodes[parent] += nodes[fold_id]
            ops[parent] += ops[fold_id]
    return nodes, ops


def fold_groups(graph: AutogradGraph, tree: FoldTree, outline: frozenset[str]) -> list[ModuleGroup]:
    """Return the listed folds, outer ones first, each level in order.

    A group's ``depth`` counts from the ``outline``, the folds "collapse all"
    closes: 0 for those, 1, 2 … for the folds inside them, -1 for those around.
    """
    nodes, ops = fold_sizes(graph, tree)
    boxes = box_of_each_fold(tree, outline)
    groups: list[tuple[int, ModuleGroup]] = []
    for fold_id, fold in tree.folds.items():
        if fold.kind not in LISTED_KINDS or not nodes[fold_id]:
            continue
        box = boxes[fold_id]
        call = graph.module_calls.get(fold.call_id) if fold.call_id is not None else None
        group = ModuleGroup(
            call_id=fold_id,
            class_name=fold.label,
            qualified_name=call.qualified_name if call is not None else None,
            depth=-1 if box is None else fold.depth - tree.folds[box].depth,
            parent=fold.parent,
            node_count=nodes[fold_id],
            op_count=ops[fold_id],
        )
        groups.append((fold.depth, group))
    groups.sort(key=lambda entry: entry[0])  # stable: in order within a level
    return [group for _, group in groups]
