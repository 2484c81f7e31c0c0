"""Build a graph's fold tree: module calls first, then the repeats found among them."""

from __future__ import annotations

from autograd_playground.core.graph.folds import Adjacency, FoldTree, module_folds
from autograd_playground.core.graph.graph_model import AutogradGraph
from autograd_playground.core.graph.loops import fold_loops
from autograd_playground.core.graph.repeats import fold_module_repeats


def build_fold_tree(graph: AutogradGraph) -> FoldTree:
    """Return ``graph``'s folds: its module calls and the repeated structure in and around them.

    ``graph`` needs its module calls assigned (GraphExtraction.assign_modules).
    """
    tree = module_folds(graph)
    adjacency = Adjacency.of(graph)
    fold_module_repeats(graph, tree, adjacency)
    fold_loops(graph, tree, adjacency)
    tree.finish()
    return tree
