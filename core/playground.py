"""The window's core object: run code, then extract and lay out its graph."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from autograd_playground.core.events import Event
from autograd_playground.core.graph.collapse import ModuleGroup
from autograd_playground.core.graph.failed_op import add_failed_op
from autograd_playground.core.graph.fold_draw import draw_folds
from autograd_playground.core.graph.fold_groups import fold_groups
from autograd_playground.core.graph.fold_tree import build_fold_tree
from autograd_playground.core.graph.folds import FoldTree, closed_after_change
from autograd_playground.core.graph.graph_model import AutogradGraph, TensorSummary
from autograd_playground.core.render.dot_source import layout_key
from autograd_playground.core.render.layout import (
    DotPool,
    Layout,
    LayoutCancelled,
    LayoutError,
    LayoutJob,
)
from autograd_playground.core.render.opening import FOLD_THRESHOLD, OpeningChoice, choose_opening
from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics
from autograd_playground.core.run.evaluator import Evaluator, RunResult
from autograd_playground.core.run.torch_threads import one_torch_thread

if TYPE_CHECKING:
    from collections.abc import Mapping

    from autograd_playground.core.graph.extract import GraphExtraction
    from autograd_playground.core.run.error_explanation import ErrorExplanation
    from autograd_playground.core.teach.backward.user_calls import BackwardRecorder


@dataclass(frozen=True)
class VariableInfo:
    """One tensor of the namespace, as the variables pane lists it."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    device: str
    requires_grad: bool
    has_grad: bool


@dataclass
class RunOutcome:
    """Everything one run produced, as plain data safe to hand to another thread."""

    result: RunResult
    graph: AutogradGraph = field(default_factory=AutogradGraph)
    layout: Layout | None = None
    graph_error: str | None = None
    variables: list[VariableInfo] = field(default_factory=list)
    # The folds found in the graph (module calls and repeats), and those drawn as one box.
    module_groups: list[ModuleGroup] = field(default_factory=list)
    collapsed: frozenset[str] = frozenset()
    # Every fold of the graph and the innermost fold of each node, to say where a drawn
    # node sits (None: nothing was folded, or there is no graph). Read-only from here on.
    fold_tree: FoldTree | None = None
    # Seconds spent extracting the graph's structure and waiting for its layout.
    extract_seconds: float = 0.0
    layout_seconds: float = 0.0


@dataclass
class GraphOptions:
    """How the graph is built and laid out."""

    roots: list[str] | None = None
    include_saved: bool = False
    direction: str = "TB"
    layout_timeout: float = 30.0
    # Folds (module calls, repeats: core.graph.folds) drawn as one box; None lets graphs
    # above collapse_threshold nodes open folded (core.render.opening).
    collapsed: frozenset[str] | None = None
    collapse_threshold: int = FOLD_THRESHOLD
    # Every box open, repeats unrolled ("Expand all"): unlike opening boxes one by one,
    # which shows a big box's inside one level at a time.
    expand_all: bool = False
    # The font the labels are drawn in, for boxes that fit them: a window's own.
    label_metrics: TextMetrics = ENGINE_METRICS
    # Width and height, in layout points, that the view shows with labels as large as
    # the editor's text: a big graph opens with the most detail that fits in it.
    legible_area: tuple[float, float] = (1000.0, 700.0)


LAYOUTS_KEPT = 8  # drawn states whose layouts are kept, so closing a box is instant


@dataclass
class _Drawing:
    """The last graph extracted, values filled, with what a refold needs to redraw it."""

    graph: AutogradGraph
    tree: FoldTree
    variables: list[VariableInfo]


def _differ_only_in_folds(new: GraphOptions, old: GraphOptions) -> bool:
    # The legible area only moves the opening choice, which a refold works out anew.
    def drawing(options: GraphOptions) -> GraphOptions:
        return replace(options, collapsed=None, expand_all=False, legible_area=(0.0, 0.0))

    return new != old and drawing(new) == drawing(old)


class Playground:
    """An evaluator plus graph extraction and layout, announcing each run.

    ``execute`` is slow (user code, then the layout engine) and belongs in a
    worker thread; ``interrupt`` may be called from any thread.
    """

    def __init__(self, device: str = "cpu") -> None:
        self.evaluator = Evaluator(device=device, make_recorder=record_backward_calls)
        self.options = GraphOptions()
        self.run_finished = Event()
        # Emitted with the RunResult and the variables once the code has run and its graph
        # is with the layout engine, which may take seconds; run_finished follows.
        self.code_finished = Event()
        self.namespace_reset = Event()
        # Emitted with the node count when a layout starts, so a view can offer Cancel.
        self.layout_started = Event()
        self._cancel_layout = threading.Event()
        self._engines = DotPool()
        # Why the last run failed, if it did: its graph shows the failed operation.
        self._failure: ErrorExplanation | None = None
        # The last extraction, for opening and closing boxes without extracting again.
        self._drawing: _Drawing | None = None
        self._layouts: OrderedDict[tuple, Layout] = OrderedDict()
        self._opening_cache: tuple[FoldTree, tuple, OpeningChoice, list[ModuleGroup]] | None = None
        # The folds last asked for (GraphOptions.collapsed) and those then drawn closed:
        # asked again, as when code runs again, the view keeps what it showed.
        self._asked_folds: frozenset[str] | None = None
        self._closed_folds: frozenset[str] = frozenset()

    @property
    def backward_recorder(self) -> BackwardRecorder | None:
        """The backward passes the user's code ran; None until the namespace is made."""
        return self.evaluator.recorder  # type: ignore[return-value]

    def warm_up(self) -> None:
        """Import torch, prepare the namespace and start a layout engine (seconds, once)."""
        self.evaluator.ensure_ready()
        self._engines.refill()

    def execute(self, code: str, *, start_next_engine: bool = True) -> RunOutcome:
        """Run ``code``, extract the graph of the namespace and lay it out.

        The next run's layout engine is started afterwards, unless the caller
        chooses its own moment with ``start_next_engine=False`` and
        ``prepare_next_layout``.
        """
        self._cancel_layout.clear()
        result = self.evaluator.run(code)
        self._failure = result.error.explanation if result.error is not None else None
        outcome = RunOutcome(result=result)

        def announce() -> None:
            self.code_finished.emit(result, list(outcome.variables))

        self.refresh_graph(outcome, while_laying_out=announce)
        self.run_finished.emit(outcome)
        if start_next_engine:
            self.prepare_next_layout()
        return outcome

    def prepare_next_layout(self) -> None:
        """Start the next layout's engine now, while the user reads this run."""
        self._engines.refill()

    def redraw(
        self, options: GraphOptions | None = None, *, start_next_engine: bool = True
    ) -> RunOutcome:
        """Extract and lay out the namespace's graph again, with ``options``; run no code.

        Options that only open or close boxes refold the last extraction instead.
        """
        refold = (
            options is not None
            and self._drawing is not None
            and _differ_only_in_folds(options, self.options)
        )
        if options is not None:
            self.options = options
        self._cancel_layout.clear()
        outcome = RunOutcome(result=RunResult(0, "", "", None, None, 0.0))
        if refold:
            self._refold(outcome)
        else:
            self.refresh_graph(outcome)
        if start_next_engine:
            self.prepare_next_layout()
        return outcome

    def forget_drawing(self) -> None:
        """Make the next redraw extract the graph again: the namespace's tensors changed."""
        self._drawing = None

    def refresh_graph(
        self, outcome: RunOutcome, while_laying_out: Callable[[], None] | None = None
    ) -> None:
        """Fill ``outcome`` with the current namespace's graph, layout and variables.

        ``while_laying_out`` is called once the variables are known and the engine has
        the graph: this thread then only waits, so a window's own Python work
        meanwhile does not fight it for the GIL and hold the window's timers back.
        """
        self._drawing = None
        names = self.evaluator.user_names()
        started = time.perf_counter()
        extraction = self._extract(names, outcome)
        if extraction is None:
            return
        add_failed_op(extraction.graph, self._failure, names)
        tree = self._fold(extraction, outcome)
        outcome.extract_seconds = time.perf_counter() - started
        started = time.perf_counter()
        job = self._start_layout(outcome)
        with one_torch_thread():  # the engine has a core of its own meanwhile
            # The engine lays out the structure while values are read here.
            extraction.fill_values()
            outcome.variables = variables_of(names)
            if tree is None:
                tree = build_fold_tree(extraction.graph)
                outcome.module_groups = self._opening(extraction.graph, tree)[1]
        if while_laying_out is not None:
            while_laying_out()
        self._finish_layout(job, outcome)
        outcome.layout_seconds = time.perf_counter() - started
        self._drawing = _Drawing(extraction.graph, tree, outcome.variables)
        outcome.fold_tree = tree

    def _refold(self, outcome: RunOutcome) -> None:
        """Fill ``outcome`` with the last extraction drawn with the options' folds closed."""
        drawing = self._drawing
        assert drawing is not None
        started = time.perf_counter()
        outcome.graph = self._draw(drawing.graph, drawing.tree, outcome)
        outcome.fold_tree = drawing.tree
        outcome.variables = list(drawing.variables)
        outcome.extract_seconds = time.perf_counter() - started
        started = time.perf_counter()
        self._finish_layout(self._start_layout(outcome), outcome)
        outcome.layout_seconds = time.perf_counter() - started

    def _extract(self, names: dict[str, Any], outcome: RunOutcome) -> GraphExtraction | None:
        """Return the structure of the graph behind the chosen roots, values left to fill.

        None for a root that is not in the namespace: ``outcome`` then says why, and
        lists the variables.
        """
        from autograd_playground.core.graph.extract import UnknownRootError, extract_structure

        try:
            return extract_structure(
                names,
                self.options.roots,
                include_saved=self.options.include_saved,
                line_table=self.evaluator.line_table,
                module_calls=self.evaluator.module_calls,
            )
        except UnknownRootError as exc:
            outcome.graph_error = str(exc)
            outcome.variables = variables_of(names)
            return None

    def _folds_wanted(self, graph: AutogradGraph) -> bool:
        """Whether the options may fold anything: a choice of boxes, a repeat box just
        opened (its repeats stay boxes), or a big graph's opening."""
        collapsed = self.options.collapsed
        if self.options.expand_all:
            return False
        if collapsed is None:
            return len(graph.nodes) > self.options.collapse_threshold
        return bool(collapsed or self._closed_folds)

    def _fold(self, extraction: GraphExtraction, outcome: RunOutcome) -> FoldTree | None:
        """Set ``outcome.graph`` to the graph to lay out, its folds closed as the options say.

        Returns the fold tree, or None when nothing is folded: the tree is then
        built while the engine works.
        """
        graph = extraction.graph
        outcome.graph = graph
        if not self._folds_wanted(graph):
            self._asked_folds, self._closed_folds = self.options.collapsed, frozenset()
            return None
        # Which nodes fold into which box must be known before the layout.
        tree = build_fold_tree(extraction.assign_modules())
        # Shares the unfolded nodes, so the values filled in later reach it too.
        outcome.graph = self._draw(graph, tree, outcome)
        return tree

    def _draw(self, graph: AutogradGraph, tree: FoldTree, outcome: RunOutcome) -> AutogradGraph:
        """Return ``graph`` with the folds the options ask for closed; ``outcome`` gets the
        folds to list and those closed."""
        choice, outcome.module_groups = self._opening(graph, tree)
        asked, before = self.options.collapsed, self._closed_folds
        if not self._folds_wanted(graph):
            closed = frozenset()
        elif asked is None:
            closed = choice.opening
        elif asked == self._asked_folds:
            closed = frozenset(fold_id for fold_id in before if fold_id in tree.folds)
        else:
            closed = closed_after_change(tree, before, asked)
        self._asked_folds, self._closed_folds = asked, closed
        outcome.collapsed = closed
        return draw_folds(graph, tree, closed) if closed else graph

    def _opening(
        self, graph: AutogradGraph, tree: FoldTree
    ) -> tuple[OpeningChoice, list[ModuleGroup]]:
        """Return the opening and the outline of ``graph``, and the folds to list: worked
        out once per tree and view."""
        options = self.options
        view = (options.legible_area, options.direction, options.label_metrics)
        cached = self._opening_cache
        if cached is not None and cached[0] is tree and cached[1] == view:
            return cached[2], list(cached[3])
        choice = choose_opening(graph, tree, *view)
        groups = fold_groups(graph, tree, choice.outline)
        self._opening_cache = (tree, view, choice, groups)
        return choice, list(groups)

    def _start_layout(self, outcome: RunOutcome) -> tuple[tuple, LayoutJob | Layout] | None:
        """Hand ``outcome.graph``'s structure to a layout engine, or find its layout kept.

        Returns the layout's key and the engine's job or the kept layout; None, the
        error in ``outcome``, if no engine could take it.
        """
        graph, options = outcome.graph, self.options
        key = (layout_key(graph), options.direction, options.label_metrics)
        kept = self._layouts.get(key)
        if kept is not None:
            self._layouts.move_to_end(key)
            return key, kept
        self.layout_started.emit(len(graph.nodes))
        try:
            job = LayoutJob(
                graph,
                options.direction,
                timeout=options.layout_timeout,
                cancel=self._cancel_layout,
                pool=self._engines,
                metrics=options.label_metrics,
            )
        except LayoutError as exc:
            outcome.graph_error = str(exc)
            return None
        return key, job

    def _finish_layout(
        self, started: tuple[tuple, LayoutJob | Layout] | None, outcome: RunOutcome
    ) -> None:
        """Wait for the engine's layout into ``outcome`` and keep it; a cancel or a failure
        says why."""
        if started is None:
            return
        key, job = started
        if isinstance(job, Layout):
            outcome.layout = job
            return
        try:
            outcome.layout = job.result()
        except LayoutCancelled:
            outcome.graph_error = "Layout cancelled."
            return
        except LayoutError as exc:
            outcome.graph_error = str(exc)
            return
        self._layouts[key] = outcome.layout
        while len(self._layouts) > LAYOUTS_KEPT:
            self._layouts.popitem(last=False)

    def interrupt(self) -> bool:
        """Stop the running code or layout; return True if something was running."""
        self._cancel_layout.set()
        return self.evaluator.interrupt()

    def cancel_layout(self) -> None:
        """Stop the layout in progress, if any; the code's results are kept."""
        self._cancel_layout.set()

    def close(self) -> None:
        """Stop the spare layout engine; the playground can still be used afterwards."""
        self._engines.close()

    def reset(self) -> None:
        """Clear the user's namespace."""
        self._failure = None
        self._drawing = None
        self.evaluator.reset()
        self.namespace_reset.emit()

    def reset_and_redraw(self) -> RunOutcome:
        """Forget everything the user defined; return the emptied namespace, drawn.

        A reset is not a run: the next run's number follows the last run's, so the
        output pane's "Run N" counts the student's runs only.
        """
        self.reset()
        outcome = RunOutcome(result=self.evaluator.reset_result())
        self.refresh_graph(outcome)
        return outcome

    def set_device(self, device: str) -> None:
        self.evaluator.set_device(device)


def record_backward_calls(
    names: Callable[[], Mapping[str, Any]], line_of: Callable[[Any], int | None]
) -> BackwardRecorder:
    """Make the recorder of the backward() calls the user's code makes, for stepping through.

    Imported here, once the evaluator builds its namespace: the recorder imports torch.
    """
    from autograd_playground.core.teach.backward.user_calls import BackwardRecorder

    return BackwardRecorder(names, line_of)


def variables_of(names: dict[str, Any]) -> list[VariableInfo]:
    """Return one VariableInfo per tensor in ``names``, sorted by name."""
    import torch

    found = []
    for name, value in sorted(names.items()):
        if isinstance(value, torch.Tensor):
            found.append(
                VariableInfo(
                    name=name,
                    shape=tuple(value.shape),
                    dtype=str(value.dtype).removeprefix("torch."),
                    device=str(value.device),
                    requires_grad=value.requires_grad,
                    has_grad=value.grad is not None
                    if value.is_leaf or value.retains_grad
                    else False,
                )
            )
    return found


__all__ = ["GraphOptions", "Playground", "RunOutcome", "TensorSummary", "VariableInfo"]
