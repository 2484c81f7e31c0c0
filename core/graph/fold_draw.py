"""Draw a graph with some of its folds closed: each closed fold one ``module`` box.

The generalisation of core.graph.collapse to the fold tree: a closed fold
inside another closed fold is hidden by the outer one; a closed fold's box
takes the place of its first node, is named by the fold's id (what a view
sends back to open it) and says what it holds in its attributes.
"""

from __future__ import annotations

from collections.abc import Iterable

from autograd_playground.core.graph.folds import Fold, FoldTree, module_node_id
from autograd_playground.core.graph.graph_model import AutogradGraph, GraphEdge, GraphNode


def box_of_each_fold(tree: FoldTree, closed: Iterable[str]) -> dict[str, str | None]:
    """Map each fold to the closed fold drawn for it (itself or one around it), or None."""
    wanted = set(closed)
    boxes: dict[str, str | None] = {}
    for fold_id, fold in tree.folds.items():  # parents come first
        around = boxes[fold.parent] if fold.parent is not None else None
        boxes[fold_id] = around if around is not None else (fold_id if fold_id in wanted else None)
    return boxes


def _scope_path(graph: AutogradGraph, call_id: str | None) -> tuple[str, ...]:
    path: list[str] = []
    while call_id is not None and call_id in graph.module_calls:
        path.append(call_id)
        call_id = graph.module_calls[call_id].parent
    return tuple(reversed(path))


def _seq(node: GraphNode) -> int:
    return node.seq if node.seq is not None else -1


def fold_box(graph: AutogradGraph, fold: Fold, members: list[GraphNode]) -> GraphNode:
    """Return the ``module`` node drawn for the closed ``fold`` holding ``members``."""
    ops = [node for node in members if node.kind == "op"]
    attributes = {
        "ops": str(len(ops)),
        "parameters": str(sum(node.kind == "leaf" for node in members)),
    }
    if fold.kind in ("repeat", "chunk"):
        attributes["repeats"] = str(fold.repeats)
    first = min((node for node in ops if node.seq is not None), key=_seq, default=None)
    call_id = fold.call_id if fold.call_id is not None else fold.scope
    return GraphNode(
        id=module_node_id(fold.id),
        kind="module",
        label=fold.label,
        name=fold.id,
        shape=fold.shape,
        attributes=attributes,
        line=next((node.line for node in ops if node.line is not None), None),
        seq=first.seq if first is not None else None,
        iteration=first.iteration if first is not None else None,
        iterations=first.iterations if first is not None else None,
        module=call_id,
        module_path=_scope_path(graph, call_id),
    )


def draw_folds(
    graph: AutogradGraph, tree: FoldTree, closed: Iterable[str], *, contents: bool = True
) -> AutogradGraph:
    """Return ``graph`` with each closed fold's nodes replaced by one ``module`` node.

    Edges into and out of a box go to it once each; unknown ids are ignored.
    ``graph`` is left as it was; nodes outside every closed fold are shared with it.
    ``folded`` says what each box holds, unless ``contents`` is False (a drawing
    only measured, never shown).
    """
    fold_boxes = box_of_each_fold(tree, closed)
    boxes: dict[str, str] = {}  # node id to the id of the box drawn for it
    members: dict[str, list[GraphNode]] = {}
    owner = tree.owner
    for node_id, node in graph.nodes.items():
        fold_id = owner.get(node_id)
        box = fold_boxes[fold_id] if fold_id is not None else None
        if box is not None:
            boxes[node_id] = box
            members.setdefault(box, []).append(node)
    box_node = {box: module_node_id(box) for box in members}
    drawn_as = {node_id: box_node[box] for node_id, box in boxes.items()}

    result = AutogradGraph(module_calls=dict(graph.module_calls))
    for node_id, node in graph.nodes.items():
        box = boxes.get(node_id)
        if box is None:
            result.add_node(node)
        elif box_node[box] not in result.nodes:
            # In the first member's place: extraction adds inputs before what uses them.
            result.add_node(fold_box(graph, tree.folds[box], members[box]))

    rewired: set[GraphEdge] = set()
    for edge in graph.edges:
        source = drawn_as.get(edge.source, edge.source)
        target = drawn_as.get(edge.target, edge.target)
        if source is edge.source and target is edge.target:
            result.edges.append(edge)  # an op may take one input twice: keep both edges
            continue
        moved = GraphEdge(source, target, edge.kind)
        if source != target and moved not in rewired:
            rewired.add(moved)
            result.edges.append(moved)
    result.roots = list(dict.fromkeys(drawn_as.get(root, root) for root in graph.roots))
    if contents:
        result.folded = folded_contents(graph, boxes, members)
    return result


def folded_contents(
    graph: AutogradGraph, boxes: dict[str, str], members: dict[str, list[GraphNode]]
) -> dict[str, AutogradGraph]:
    """Return, by box node id, the box's members and the edges that touch them, with the
    nodes at their other ends (a tensor outside the box, or a member of another box)."""
    folded = {
        box: AutogradGraph(
            nodes={node.id: node for node in nodes}, held=frozenset(node.id for node in nodes)
        )
        for box, nodes in members.items()
    }
    for edge in graph.edges:
        source_box, target_box = boxes.get(edge.source), boxes.get(edge.target)
        if source_box is None and target_box is None:
            continue
        for box in {source_box, target_box} - {None}:
            inside = folded[box]
            inside.edges.append(edge)
            for other in (edge.source, edge.target):
                if other not in inside.nodes:
                    inside.nodes[other] = graph.nodes[other]
    return {module_node_id(box): inside for box, inside in folded.items()}
