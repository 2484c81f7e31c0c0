"""The fold tree of a graph: module calls, and runs of repeated structure, as nested boxes.

A fold is something a view can draw as one box. ``module`` folds are nn.Module
calls (their ids are the call ids, core.graph.module_names). ``repeat`` folds are
runs of at least three repeats of the same structure, each consuming the previous
one's output (core.graph.repeats): consecutive calls of alike modules, or the
iterations of a loop without modules, whose repeats are ``step`` folds. A repeat
fold of more than CHUNK_SIZE repeats holds ``chunk`` folds of at most CHUNK_SIZE
repeats each, so opening it never draws thousands of boxes.

Every node has an owner: the innermost fold it belongs to, or None at the top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from autograd_playground.core.graph.graph_model import AutogradGraph

FoldKind = Literal["module", "repeat", "chunk", "step"]
CHUNK_SIZE = 100
# A module call opened whole up to this many nodes: a screenful of boxes at a legible size.
OPEN_WHOLE_NODES = 40
MODULE_ID_PREFIX = "module:"


def module_node_id(fold_id: str) -> str:
    """Return the id of the box drawn for the closed fold ``fold_id``."""
    return MODULE_ID_PREFIX + fold_id


@dataclass
class Fold:
    """One box a view can draw: what it is called, where it sits, what it holds.

    ``label`` is the box's kind line: a class name, "Block × 48", "repeats 1–100",
    "repeat 57". ``repeats`` counts the repeats of a repeat or chunk fold.
    ``call_id`` is the module call of a module fold, ``scope`` the innermost
    module call around the fold (None at the top).
    """

    id: str
    kind: FoldKind
    label: str
    parent: str | None
    children: list[str] = field(default_factory=list)
    repeats: int = 0
    call_id: str | None = None
    scope: str | None = None
    shape: tuple[int, ...] | None = None
    depth: int = 0


@dataclass
class FoldTree:
    """All folds of a graph, parents before children, and the fold each node is in."""

    folds: dict[str, Fold] = field(default_factory=dict)
    owner: dict[str, str | None] = field(default_factory=dict)
    top: list[str] = field(default_factory=list)  # the outermost folds, in order

    def children_of(self, fold_id: str | None) -> list[str]:
        return self.top if fold_id is None else self.folds[fold_id].children

    def ancestors(self, fold_id: str | None) -> list[str]:
        """Return ``fold_id`` and the folds around it, innermost first."""
        path: list[str] = []
        while fold_id is not None:
            path.append(fold_id)
            fold_id = self.folds[fold_id].parent
        return path

    def add(self, fold: Fold, position: int | None = None) -> Fold:
        """Add ``fold`` under its parent, at ``position`` among its siblings or last."""
        self.folds[fold.id] = fold
        siblings = self.children_of(fold.parent)
        siblings.insert(len(siblings) if position is None else position, fold.id)
        return fold

    def move_under(self, fold_ids: list[str], parent: str) -> None:
        """Move ``fold_ids`` (siblings) under ``parent``, keeping their order."""
        moving = set(fold_ids)
        if not fold_ids:
            return
        old = self.children_of(self.folds[fold_ids[0]].parent)
        old[:] = [fold_id for fold_id in old if fold_id not in moving]
        for fold_id in fold_ids:
            self.folds[fold_id].parent = parent
        self.folds[parent].children.extend(fold_ids)

    def finish(self) -> None:
        """Order ``folds`` parents first, each level in order, and set each depth."""
        ordered: dict[str, Fold] = {}
        stack = [(fold_id, 0) for fold_id in reversed(self.top)]
        while stack:
            fold_id, depth = stack.pop()
            fold = self.folds[fold_id]
            fold.depth = depth
            ordered[fold_id] = fold
            stack.extend((child, depth + 1) for child in reversed(fold.children))
        self.folds = ordered


def module_folds(graph: AutogradGraph) -> FoldTree:
    """Return the tree of ``graph``'s module calls that hold nodes, each node in its own."""
    used: set[str] = set()
    for node in graph.nodes.values():
        used.update(node.module_path)
    tree = FoldTree()
    calls = sorted(
        (call for call in graph.module_calls.values() if call.call_id in used),
        key=lambda call: call.depth,  # stable: call order within a depth
    )
    for call in calls:
        parent = call.parent if call.parent in tree.folds else None
        tree.add(
            Fold(
                id=call.call_id,
                kind="module",
                label=call.class_name,
                parent=parent,
                call_id=call.call_id,
                scope=parent,
                shape=call.output_shape,
            )
        )
    for node_id, node in graph.nodes.items():
        inside = [call_id for call_id in node.module_path if call_id in tree.folds]
        tree.owner[node_id] = inside[-1] if inside else None
    _adopt_stray_leaves(graph, tree)
    return tree


def _adopt_stray_leaves(graph: AutogradGraph, tree: FoldTree) -> None:
    """Give a parameter no call owns (one a module reads without calling its owner, as
    attention reads ``out_proj.weight``) to the innermost call around all its users that
    is a module the parameter belongs to."""
    if not tree.folds:
        return  # no call to give it to
    users: dict[str, list[str]] = {}
    for edge in graph.edges:
        users.setdefault(edge.source, []).append(edge.target)
    for node_id, node in graph.nodes.items():
        if node.kind != "leaf" or not node.name or tree.owner[node_id] is not None:
            continue
        common = _common_folds(tree, users.get(node_id, []))
        for fold_id in reversed(common):
            call = graph.module_calls[tree.folds[fold_id].call_id or ""]
            if call.qualified_name and node.name.startswith(call.qualified_name + "."):
                tree.owner[node_id] = fold_id
                break


def _common_folds(tree: FoldTree, node_ids: list[str]) -> list[str]:
    """Return the folds around every one of ``node_ids``, outermost first."""
    common: list[str] | None = None
    for node_id in node_ids:
        around = list(reversed(tree.ancestors(tree.owner.get(node_id))))
        if common is None:
            common = around
            continue
        shared = 0
        while shared < min(len(common), len(around)) and common[shared] == around[shared]:
            shared += 1
        common = common[:shared]
        if not common:
            break
    return common or []


@dataclass
class Adjacency:
    """Each node's successors and predecessors along the graph's edges."""

    successors: dict[str, list[str]]
    predecessors: dict[str, list[str]]

    @classmethod
    def of(cls, graph: AutogradGraph) -> Adjacency:
        successors: dict[str, list[str]] = {node_id: [] for node_id in graph.nodes}
        predecessors: dict[str, list[str]] = {node_id: [] for node_id in graph.nodes}
        for edge in graph.edges:
            successors[edge.source].append(edge.target)
            predecessors[edge.target].append(edge.source)
        return cls(successors, predecessors)

    def neighbours(self, node_id: str) -> list[str]:
        return self.successors[node_id] + self.predecessors[node_id]

    def feeds(self, sources: list[str], targets: set[str]) -> bool:
        """Whether an edge runs from one of ``sources`` to one of ``targets``."""
        return any(target in targets for source in sources for target in self.successors[source])


def closed_after_change(
    tree: FoldTree, previous: frozenset[str], requested: frozenset[str]
) -> frozenset[str]:
    """Return the folds to draw closed when a view asks for ``requested`` after ``previous``.

    A view opens a box by dropping its id from the closed set. Opening a repeat
    fold (or one chunk of it) shows its repeats as boxes: they join the closed
    set, so the view never unrolls thousands of ops at once. Opening a module
    call of more than OPEN_WHOLE_NODES nodes shows the calls inside it as boxes,
    one level at a time, as a big graph opens. Unknown ids drop out.
    """
    closed = {fold_id for fold_id in requested if fold_id in tree.folds}
    for fold_id in previous - requested:
        fold = tree.folds.get(fold_id)
        if fold is None:
            continue
        if fold.kind in ("repeat", "chunk") or _node_count(tree, fold_id) > OPEN_WHOLE_NODES:
            closed.update(fold.children)
    return frozenset(closed)


def _node_count(tree: FoldTree, fold_id: str) -> int:
    """How many nodes ``fold_id`` holds, in the folds inside it too."""
    inside: dict[str | None, bool] = {fold_id: True, None: False}

    def holds(owner: str | None) -> bool:
        path = []
        while owner not in inside:
            path.append(owner)
            owner = tree.folds[owner].parent
        answer = inside[owner]
        inside.update(dict.fromkeys(path, answer))
        return answer

    return sum(holds(owner) for owner in tree.owner.values())
