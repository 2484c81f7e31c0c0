"""The window's core object: run code, then extract and lay out its graph."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autograd_playground.core.events import Event
from autograd_playground.core.graph.collapse import (
    ModuleGroup,
    collapse_modules,
    default_collapsed,
    module_groups,
)
from autograd_playground.core.graph.failed_op import add_failed_op
from autograd_playground.core.graph.graph_model import AutogradGraph, TensorSummary
from autograd_playground.core.render.layout import (
    DotPool,
    Layout,
    LayoutCancelled,
    LayoutError,
    LayoutJob,
)
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
    # The module calls found in the graph, and which of them are drawn as one box.
    module_groups: list[ModuleGroup] = field(default_factory=list)
    collapsed: frozenset[str] = frozenset()
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
    # Module calls drawn as one box; None lets graphs above collapse_threshold
    # nodes start collapsed by module.
    collapsed: frozenset[str] | None = None
    collapse_threshold: int = 600
    # The font the labels are drawn in, for boxes that fit them: a window's own.
    label_metrics: TextMetrics = ENGINE_METRICS


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
        """Extract and lay out the namespace's graph again, with ``options``; run no code."""
        if options is not None:
            self.options = options
        self._cancel_layout.clear()
        outcome = RunOutcome(result=RunResult(0, "", "", None, None, 0.0))
        self.refresh_graph(outcome)
        if start_next_engine:
            self.prepare_next_layout()
        return outcome

    def refresh_graph(
        self, outcome: RunOutcome, while_laying_out: Callable[[], None] | None = None
    ) -> None:
        """Fill ``outcome`` with the current namespace's graph, layout and variables.

        ``while_laying_out`` is called once the variables are known and the engine has
        the graph: this thread then only waits, so a window's own Python work
        meanwhile does not fight it for the GIL and hold the window's timers back.
        """
        names = self.evaluator.user_names()
        started = time.perf_counter()
        extraction = self._extract(names, outcome)
        if extraction is None:
            return
        add_failed_op(extraction.graph, self._failure, names)
        graph = self._collapse(extraction, outcome)
        outcome.graph = graph
        outcome.extract_seconds = time.perf_counter() - started
        started = time.perf_counter()
        job = self._start_layout(graph, outcome)
        if not outcome.module_groups:
            outcome.module_groups = module_groups(extraction.assign_modules())
        with one_torch_thread():  # the engine has a core of its own meanwhile
            # The engine lays out the structure while values are read here.
            extraction.fill_values()
            outcome.variables = variables_of(names)
        if job is None:
            return
        if while_laying_out is not None:
            while_laying_out()
        self._await_layout(job, outcome)
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

    def _collapse(self, extraction: GraphExtraction, outcome: RunOutcome) -> AutogradGraph:
        """Return the graph to lay out: its module calls folded into boxes as the options say.

        A graph above ``collapse_threshold`` nodes starts collapsed unless the options
        choose; ``outcome`` gets the module calls found and those collapsed.
        """
        graph = extraction.graph
        collapsed = self.options.collapsed
        if collapsed is None and len(graph.nodes) <= self.options.collapse_threshold:
            collapsed = frozenset()
        if collapsed is None or collapsed:
            # Which nodes fold into which box must be known before the layout.
            extraction.assign_modules()
            outcome.module_groups = module_groups(graph)
            if collapsed is None:
                collapsed = frozenset(default_collapsed(graph, self.options.collapse_threshold))
            known = {group.call_id for group in outcome.module_groups}
            outcome.collapsed = frozenset(collapsed) & known
            if outcome.collapsed:
                # Shares the uncollapsed nodes, so the values filled in later reach it too.
                graph = collapse_modules(graph, outcome.collapsed)
        return graph

    def _start_layout(self, graph: AutogradGraph, outcome: RunOutcome) -> LayoutJob | None:
        """Hand ``graph``'s structure to a layout engine; None, the error in ``outcome``, if
        no engine could take it."""
        self.layout_started.emit(len(graph.nodes))
        try:
            return LayoutJob(
                graph,
                self.options.direction,
                timeout=self.options.layout_timeout,
                cancel=self._cancel_layout,
                pool=self._engines,
                metrics=self.options.label_metrics,
            )
        except LayoutError as exc:
            outcome.graph_error = str(exc)
            return None

    @staticmethod
    def _await_layout(job: LayoutJob, outcome: RunOutcome) -> None:
        """Wait for the engine's layout into ``outcome``; a cancel or a failure says why."""
        try:
            outcome.layout = job.result()
        except LayoutCancelled:
            outcome.graph_error = "Layout cancelled."
        except LayoutError as exc:
            outcome.graph_error = str(exc)

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
