"""Repeat folds for loops without modules: a periodic run of ops, each period fed by the last.

Within one fold (or at the top), the ops made directly there are taken in
forward order as (op name, source line) pairs. A stretch where that sequence
repeats with a period of at most MAX_PERIOD ops, at least MIN_REPEATS times, and
where each period consumes the previous one's output, is one loop: a repeat fold
whose steps are folds of one period's ops.
"""

from __future__ import annotations

import re

from autograd_playground.core.graph.folds import Adjacency, Fold, FoldTree
from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode
from autograd_playground.core.graph.repeats import (
    MIN_REPEATS,
    add_repeat_fold,
    count_text,
    place_shared_nodes,
)

MAX_PERIOD = 32
NAMES_SHOWN = 3  # op names in a loop's label before it elides the rest
_BACKWARD_SUFFIX = re.compile(r"Backward\d*$")


def loop_body_text(ops: list[GraphNode]) -> str:
    """Return a short name for a loop's body: its first ops' names, "Tanh · Mul · Add"."""
    names = [_BACKWARD_SUFFIX.sub("", node.op or node.label) for node in ops]
    shown = " · ".join(names[:NAMES_SHOWN])
    return shown if len(names) <= NAMES_SHOWN else shown + " · …"


def periodic_runs(keys: list[int]) -> list[tuple[int, int, int]]:
    """Return ``(start, period, repeats)`` for each periodic stretch of ``keys``, in order.

    Greedy from the left: at each position the period covering the most keys wins,
    the shortest among equals; stretches do not overlap.
    """
    runs: list[tuple[int, int, int]] = []
    count = len(keys)
    start = 0
    while start + MIN_REPEATS <= count:
        best: tuple[int, int] | None = None  # (covered, period)
        for period in range(1, min(MAX_PERIOD, (count - start) // MIN_REPEATS) + 1):
            end = start
            while end + period < count and keys[end] == keys[end + period]:
                end += 1
            repeats = (end - start + period) // period
            if repeats >= MIN_REPEATS and (best is None or repeats * period > best[0]):
                best = (repeats * period, period)
        if best is None:
            start += 1
            continue
        covered, period = best
        runs.append((start, period, covered // period))
        start += covered
    return runs


def chained_stretches(
    ops: list[GraphNode], start: int, period: int, repeats: int, adjacency: Adjacency
) -> list[tuple[int, int]]:
    """Split a periodic run into stretches where each period takes the previous one's output.

    Returns ``(first period, periods)`` pairs covering the run in order.
    """
    step_of = {
        ops[index].id: (index - start) // period for index in range(start, start + period * repeats)
    }
    fed = [False] * repeats
    for node_id, step in step_of.items():
        if step + 1 < repeats and not fed[step + 1]:
            fed[step + 1] = any(step_of.get(t) == step + 1 for t in adjacency.successors[node_id])
    stretches: list[tuple[int, int]] = []
    first = 0
    for step in range(1, repeats + 1):
        if step == repeats or not fed[step]:
            stretches.append((first, step - first))
            first = step
    return stretches


def _direct_ops(graph: AutogradGraph, tree: FoldTree) -> dict[str | None, list[GraphNode]]:
    """Return each fold's own ops (not those of a fold inside it) in forward order."""
    by_fold: dict[str | None, list[GraphNode]] = {}
    for node_id, node in graph.nodes.items():
        if node.kind == "op" and node.seq is not None:
            by_fold.setdefault(tree.owner.get(node_id), []).append(node)
    for ops in by_fold.values():
        ops.sort(key=lambda node: node.seq)
    return by_fold


def fold_loops(graph: AutogradGraph, tree: FoldTree, adjacency: Adjacency) -> None:
    """Fold every loop found among each fold's own ops, and among those at the top."""
    for scope, ops in _direct_ops(graph, tree).items():
        codes: dict[tuple, int] = {}
        keys = [codes.setdefault((node.op, node.line), len(codes)) for node in ops]
        for start, period, repeats in periodic_runs(keys):
            for first, count in chained_stretches(ops, start, period, repeats, adjacency):
                if count >= MIN_REPEATS:
                    begin = start + first * period
                    steps = [
                        ops[begin + step * period : begin + (step + 1) * period]
                        for step in range(count)
                    ]
                    _fold_loop(graph, tree, adjacency, scope, steps)


def _loop_id(tree: FoldTree, scope: str | None, line: int | None) -> str:
    """Return a loop fold's id: where it is, and which loop there if several share a line."""
    base = f"line {line}" if line is not None else "loop"
    if scope is not None:
        base = f"{scope}: {base}"
    fold_id, number = base, 1
    while fold_id in tree.folds:
        number += 1
        fold_id = f"{base} #{number}"
    return fold_id


def _fold_loop(
    graph: AutogradGraph,
    tree: FoldTree,
    adjacency: Adjacency,
    scope: str | None,
    steps: list[list[GraphNode]],
) -> None:
    """Add the repeat fold of a loop whose iterations made ``steps``' ops."""
    body = loop_body_text(steps[0])
    loop_id = _loop_id(tree, scope, steps[0][0].line)
    position = len(tree.children_of(scope))
    step_ids: list[str] = []
    item_of: dict[str, int] = {}
    for index, ops in enumerate(steps):
        step = tree.add(
            Fold(
                id=f"{loop_id} [{index + 1}]",
                kind="step",
                label=body,
                parent=scope,
                scope=scope,
                shape=ops[-1].output_shape,
            )
        )
        step_ids.append(step.id)
        for node in ops:
            tree.owner[node.id] = step.id
            item_of[node.id] = index
    repeat = Fold(
        id=loop_id,
        kind="repeat",
        label=f"{body} × {count_text(len(steps))}",
        parent=scope,
        repeats=len(steps),
        scope=scope,
        shape=steps[-1][-1].output_shape,
    )
    add_repeat_fold(
        tree,
        repeat,
        step_ids,
        position,
        chunk_id=lambda start, stop: f"{loop_id} [{start + 1}–{stop}]",
        chunk_label=lambda count: f"{body} × {count_text(count)}",
    )
    place_shared_nodes(graph, tree, adjacency, repeat, item_of, step_ids)
