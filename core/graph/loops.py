"""Repeat folds for loops: a periodic run of ops, each period fed by the last.

Within one fold (or at the top), what ran there is taken in forward order: the
ops made directly there, as (op name, source line) pairs, and the module calls
made there, each as one element (its class and line). A stretch where
that sequence repeats with a period of at most MAX_PERIOD elements, ops among
them, at least MIN_REPEATS times, and where each period consumes the previous
one's output, is one loop: a repeat fold whose steps are folds of one period.
Runs of one module call after another alike are core.graph.repeats' to find; a
period of several calls (an MLP's Linear · Tanh, Linear · Tanh …) is a loop here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(slots=True)
class LoopElement:
    """One thing an iteration runs: an op of the fold itself, or a module call made in it."""

    key: tuple
    name: str
    seq: int
    line: int | None
    op_ids: tuple[str, ...]  # an op's own id; a call's ops, all of them
    call: str | None = None  # the module call's fold
    shape: tuple[int, ...] | None = None


def op_name(node: GraphNode) -> str:
    """Return an op's short name: "Tanh" for TanhBackward0."""
    return _BACKWARD_SUFFIX.sub("", node.op or node.label)


def loop_body_text(names: list[str]) -> str:
    """Return a short name for a loop's body: its first ops' names, "Tanh · Mul · Add"."""
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
    elements: list[LoopElement], start: int, period: int, repeats: int, adjacency: Adjacency
) -> list[tuple[int, int]]:
    """Split a periodic run into stretches where each period takes the previous one's output.

    Returns ``(first period, periods)`` pairs covering the run in order.
    """
    step_of = {
        op_id: (index - start) // period
        for index in range(start, start + period * repeats)
        for op_id in elements[index].op_ids
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


def _calls_ops(graph: AutogradGraph, tree: FoldTree) -> dict[str, list[GraphNode]]:
    """Return the ops of each module call made directly in a module call or at the top."""
    found: dict[str, list[GraphNode]] = {}
    folds = tree.folds
    for node_id, node in graph.nodes.items():
        if node.kind != "op" or node.seq is None:
            continue
        fold_id = tree.owner.get(node_id)
        while fold_id is not None:
            fold = folds[fold_id]
            parent = fold.parent
            if fold.kind == "module" and (parent is None or folds[parent].kind == "module"):
                found.setdefault(fold_id, []).append(node)
            fold_id = parent
    return found


def _op_element(node: GraphNode) -> LoopElement:
    return LoopElement(
        ("op", node.op, node.line),
        op_name(node),
        node.seq if node.seq is not None else -1,
        node.line,
        (node.id,),
        shape=node.output_shape,
    )


def loop_elements(graph: AutogradGraph, tree: FoldTree) -> dict[str | None, list[LoopElement]]:
    """Return, for the top and each module call, what ran directly in it, in forward order."""
    by_scope: dict[str | None, list[LoopElement]] = {}
    for node_id, node in graph.nodes.items():
        scope = tree.owner.get(node_id)
        if node.kind != "op" or node.seq is None:
            continue
        if scope is None or tree.folds[scope].kind == "module":
            by_scope.setdefault(scope, []).append(_op_element(node))
    for call_id, ops in _calls_ops(graph, tree).items():
        fold = tree.folds[call_id]
        ops.sort(key=lambda node: node.seq)
        element = LoopElement(
            # Not its ops: a loop's first call may make fewer, its input needing no grad.
            ("call", fold.label, ops[0].line),
            fold.label,
            ops[0].seq,
            ops[0].line,
            tuple(node.id for node in ops),
            call=call_id,
            shape=fold.shape,
        )
        by_scope.setdefault(fold.parent, []).append(element)
    for elements in by_scope.values():
        elements.sort(key=lambda element: element.seq)
    return by_scope


def fold_loops(graph: AutogradGraph, tree: FoldTree, adjacency: Adjacency) -> None:
    """Fold every loop found in each module call, and at the top."""
    for scope, elements in loop_elements(graph, tree).items():
        codes: dict[tuple, int] = {}
        keys = [codes.setdefault(element.key, len(codes)) for element in elements]
        for start, period, repeats in periodic_runs(keys):
            if period == 1 and elements[start].call is not None:
                continue  # a run of alike calls is core.graph.repeats' to find
            for first, count in chained_stretches(elements, start, period, repeats, adjacency):
                if count >= MIN_REPEATS:
                    begin = start + first * period
                    steps = [
                        elements[begin + step * period : begin + (step + 1) * period]
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
    steps: list[list[LoopElement]],
) -> None:
    """Add the repeat fold of a loop whose iterations ran ``steps``."""
    body = loop_body_text([element.name for element in steps[0]])
    loop_id = _loop_id(tree, scope, steps[0][0].line)
    position = len(tree.children_of(scope))
    step_ids: list[str] = []
    item_of: dict[str, int] = {}
    for index, elements in enumerate(steps):
        step = tree.add(
            Fold(
                id=f"{loop_id} [{index + 1}]",
                kind="step",
                label=body,
                parent=scope,
                scope=scope,
                shape=elements[-1].shape,
            )
        )
        step_ids.append(step.id)
        tree.move_under([e.call for e in elements if e.call is not None], step.id)
        for element in elements:
            for op_id in element.op_ids:
                item_of[op_id] = index
                if element.call is None:
                    tree.owner[op_id] = step.id
    repeat = Fold(
        id=loop_id,
        kind="repeat",
        label=f"{body} × {count_text(len(steps))}",
        parent=scope,
        repeats=len(steps),
        scope=scope,
        shape=steps[-1][-1].shape,
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
