"""Repeat folds: runs of alike module calls, each taking the previous one's output.

Two calls are alike when their structure is: the module's class, its ops' names
in forward order, how its nodes are wired to each other, and the classes of the
calls inside it. Parameter names and values do not count, so the 48 blocks of a
transformer, or 500 calls of one RNN cell, are one run.
"""

from __future__ import annotations

from collections.abc import Callable

from autograd_playground.core.graph.folds import CHUNK_SIZE, Adjacency, Fold, FoldTree
from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode

MIN_REPEATS = 3


def count_text(count: int) -> str:
    """Return ``count`` with thousands separated: 10,000."""
    return f"{count:,}"


def add_repeat_fold(
    tree: FoldTree,
    repeat: Fold,
    items: list[str],
    position: int,
    chunk_id: Callable[[int, int], str],
    chunk_label: Callable[[int], str],
) -> Fold:
    """Put ``repeat`` at ``position`` under its parent, around the sibling folds ``items``.

    More than CHUNK_SIZE items go into chunk folds of CHUNK_SIZE at most,
    ``chunk_id(start, stop)`` naming each (items ``start`` to ``stop - 1``).
    """
    tree.add(repeat, position)
    if len(items) <= CHUNK_SIZE:
        tree.move_under(items, repeat.id)
        return repeat
    for start in range(0, len(items), CHUNK_SIZE):
        part = items[start : start + CHUNK_SIZE]
        chunk = tree.add(
            Fold(
                id=chunk_id(start, start + len(part)),
                kind="chunk",
                label=chunk_label(len(part)),
                parent=repeat.id,
                repeats=len(part),
                scope=repeat.scope,
                shape=tree.folds[part[-1]].shape,
            )
        )
        tree.move_under(part, chunk.id)
    return repeat


def place_shared_nodes(
    graph: AutogradGraph,
    tree: FoldTree,
    adjacency: Adjacency,
    repeat: Fold,
    item_of: dict[str, int],
    step_ids: list[str] | None = None,
) -> None:
    """Move the repeat's neighbours that belong with it from its parent into it.

    A leaf used by several repeats (a shared parameter) goes into the repeat
    fold, so one box stands for it instead of an edge to every repeat; a tensor
    used only inside the run goes in too: into its step, given ``step_ids``
    (the folds of a loop's iterations), when one step alone uses it.
    """
    around = repeat.parent
    candidates = {
        neighbour
        for node_id in item_of
        for neighbour in adjacency.neighbours(node_id)
        if neighbour not in item_of
        and graph.nodes[neighbour].kind != "op"
        and tree.owner.get(neighbour) == around
    }
    for node_id in candidates:
        steps = {item_of.get(neighbour) for neighbour in adjacency.neighbours(node_id)}
        if None in steps:
            continue
        if len(steps) > 1:
            tree.owner[node_id] = repeat.id
        elif graph.nodes[node_id].kind != "leaf":
            (step,) = steps
            tree.owner[node_id] = step_ids[step] if step_ids is not None else repeat.id


def _members_by_call(graph: AutogradGraph, tree: FoldTree) -> dict[str, list[GraphNode]]:
    members: dict[str, list[GraphNode]] = {}
    for node in graph.nodes.values():
        for call_id in node.module_path:
            if call_id in tree.folds:
                members.setdefault(call_id, []).append(node)
    return members


def _seq(node: GraphNode) -> int:
    return node.seq if node.seq is not None else -1


def call_structure(
    fold: Fold, members: list[GraphNode], adjacency: Adjacency, tree: FoldTree
) -> tuple:
    """Return what two alike calls share: class, ops in order, wiring, inner calls.

    Saved tensors do not count: the first call of a loop saves less when its
    input needs no grad, and is a repeat all the same.
    """
    members = [node for node in members if node.kind != "saved"]
    ops = sorted((node for node in members if node.kind == "op"), key=_seq)
    position = {node.id: index for index, node in enumerate(ops)}
    by_id = {node.id: node for node in members}

    def end(node_id: str) -> tuple:
        if node_id in position:
            return ("o", position[node_id])
        node = by_id[node_id]
        return ("x", node.kind, node.shape or ())

    wiring = sorted(
        (end(node.id), end(target))
        for node in members
        for target in adjacency.successors[node.id]
        if target in by_id
    )
    return (
        fold.label,
        tuple(node.op for node in ops),
        tuple(wiring),
        tuple(sorted((node.kind, node.shape or ()) for node in members if node.kind != "op")),
        tuple(tree.folds[child].label for child in fold.children),
    )


def _leads_into(first: tuple, then: tuple) -> bool:
    """Whether a call of structure ``first`` is the first of a run of ``then``: the same
    module with some of its ops missing, as where the run's input needs no grad."""
    label, ops, _, _, inner = first
    then_label, then_ops, _, _, then_inner = then
    if (label, inner) != (then_label, then_inner) or len(ops) >= len(then_ops):
        return False
    remaining = iter(then_ops)
    return all(op in remaining for op in ops)  # a subsequence, in order


def fold_module_repeats(graph: AutogradGraph, tree: FoldTree, adjacency: Adjacency) -> None:
    """Fold each run of at least MIN_REPEATS alike sibling calls, each fed by the one before."""
    members = _members_by_call(graph, tree)
    structures = {
        fold_id: call_structure(fold, members.get(fold_id, []), adjacency, tree)
        for fold_id, fold in tree.folds.items()
    }
    member_ids = {fold_id: {node.id for node in nodes} for fold_id, nodes in members.items()}

    def feeds(first: str, second: str) -> bool:
        return adjacency.feeds(
            [node.id for node in members.get(first, [])], member_ids.get(second, set())
        )

    for parent in [None, *list(tree.folds)]:
        calls = [c for c in tree.children_of(parent) if tree.folds[c].kind == "module"]
        start, taken = 0, 0
        while start < len(calls):
            stop = start + 1
            while (
                stop < len(calls)
                and structures[calls[stop]] == structures[calls[start]]
                and feeds(calls[stop - 1], calls[stop])
            ):
                stop += 1
            first = start
            if (
                stop - start > 1
                and start > taken
                and _leads_into(structures[calls[start - 1]], structures[calls[start]])
                and feeds(calls[start - 1], calls[start])
            ):
                first = start - 1
            if stop - first >= MIN_REPEATS:
                _fold_call_run(graph, tree, adjacency, calls[first:stop], members)
                taken = stop
            start = stop


def _fold_call_run(
    graph: AutogradGraph,
    tree: FoldTree,
    adjacency: Adjacency,
    run: list[str],
    members: dict[str, list[GraphNode]],
) -> None:
    first = tree.folds[run[0]]
    siblings = tree.children_of(first.parent)
    repeat = Fold(
        id=f"{run[0]} … {run[-1]}",
        kind="repeat",
        label=f"{first.label} × {count_text(len(run))}",
        parent=first.parent,
        repeats=len(run),
        scope=first.parent,
        shape=tree.folds[run[-1]].shape,
    )
    add_repeat_fold(
        tree,
        repeat,
        run,
        siblings.index(run[0]),
        chunk_id=lambda start, stop: f"{run[start]} … {run[stop - 1]}",
        chunk_label=lambda count: f"{first.label} × {count_text(count)}",
    )
    item_of = {node.id: index for index, call in enumerate(run) for node in members.get(call, [])}
    place_shared_nodes(graph, tree, adjacency, repeat, item_of)
