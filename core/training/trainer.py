"""Step a task, change its settings while it runs, and report batched metrics."""

from __future__ import annotations

from collections.abc import Sized
from typing import Any

import numpy as np
import torch

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.i18n.localized_error import LocalizedError
from autograd_playground.core.render.text_metrics import ENGINE_METRICS, TextMetrics
from autograd_playground.core.run.devices import (
    release_cached_memory,
    synchronizer,
    warm_up_device,
)
from autograd_playground.core.run.seeding import seed_everything
from autograd_playground.core.training.catalog import MANUAL, TaskInfo, TrainingConfig
from autograd_playground.core.training.graph_snapshot import SnapshotLayouts
from autograd_playground.core.training.halt import (
    LossHistory,
    halt_cause,
    halt_message,
    non_finite_inputs,
)
from autograd_playground.core.training.layer_stats import LayerStats
from autograd_playground.core.training.metrics import MetricsBatch
from autograd_playground.core.training.placement import MoveFailed, TensorMove
from autograd_playground.core.training.task_state import TaskState
from autograd_playground.core.training.tasks import TASKS
from autograd_playground.core.training.trace import ParamTrace


def _make_optimizer(
    name: str, params: list[torch.Tensor], lr: float
) -> torch.optim.Optimizer | None:
    if name == MANUAL:
        return None
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    raise ValueError(f"unknown optimizer {name!r}")


class Trainer:
    """One training run. Not thread-safe: one thread steps it, others ask it to change.

    ``label_metrics`` is the font the step graph's labels are drawn in, for its layout.
    """

    def __init__(
        self,
        config: TrainingConfig,
        state: TaskState | None = None,
        info: TaskInfo | None = None,
        label_metrics: TextMetrics = ENGINE_METRICS,
    ) -> None:
        self.config = config
        self.info = info or TASKS[config.task][0]
        self._given_state = state
        # Histograms of every parameter and gradient at the trace's steps (the lab's
        # "Layer statistics"); off, a step pays nothing for them.
        self.collect_layers = False
        self._snapshot_layouts = SnapshotLayouts(metrics=label_metrics)
        self.reset()

    # -- lifecycle ----------------------------------------------------------------
    def reset(self) -> None:
        """Rebuild the task from its seed: the same data and starting point every time."""
        seed_everything(self.config.seed)
        if self._given_state is not None:
            self.state = self._given_state
        else:
            _, builder = TASKS[self.config.task]
            self.state = builder(self.config)
        self.step_index = 0
        self._pending_losses: list[Any] = []
        self._pending_steps: list[int] = []
        self._epoch_losses: list[tuple[int, float]] = []
        self._epoch_sum: list[Any] = []
        self.halted: Message | None = None
        self.halt_step: int | None = None  # the step whose loss was not finite
        self.halt_loss: float | None = None  # and that loss
        self._loss_history = LossHistory()
        self.optimizer = self._build_optimizer()
        self._trace = ParamTrace(self.total_steps)
        self._layers = LayerStats()
        self._grads_step = -1  # the step whose gradient norms state.recorded holds
        # The starting point: what a halt restores when no report has been finite yet,
        # and the parameter plots' first points.
        self._last_good: dict[str, Any] | None = self._param_arrays()
        self._last_good_step = 0  # the step those parameters were read at
        self._start_params: dict[str, Any] | None = self._last_good
        self._synchronize = synchronizer(self.device)

    def _build_optimizer(self) -> torch.optim.Optimizer | None:
        if self.state.numpy_params:
            return None
        return _make_optimizer(
            self.config.optimizer, list(self.state.params.values()), self.config.lr
        )

    @property
    def steps_per_epoch(self) -> int:
        return max(1, self.state.batches_per_epoch)

    @property
    def total_steps(self) -> int:
        return self.config.length * self.steps_per_epoch

    @property
    def epoch(self) -> int:
        return self.step_index // self.steps_per_epoch

    @property
    def done(self) -> bool:
        return self.step_index >= self.total_steps or self.halted is not None

    # -- changes while running ---------------------------------------------------------
    def set_lr(self, lr: float) -> None:
        """Use ``lr`` from the next step on."""
        self.config.lr = lr
        if self.optimizer is not None:
            for group in self.optimizer.param_groups:
                group["lr"] = lr

    def set_optimizer(self, name: str) -> None:
        """Switch the update rule from the next step on (an optimizer starts fresh)."""
        if name not in self.info.optimizers:
            raise LocalizedError(
                Message("{title} cannot use {name!r}", title=self.info.title, name=name)
            )
        self.config.optimizer = name
        self.optimizer = self._build_optimizer()

    @property
    def device(self) -> str:
        """Where the run trains: NumPy's tasks on the CPU whatever device is chosen."""
        return "cpu" if self.state.numpy_params else self.config.device

    def move_to(self, device: str) -> None:
        """Move parameters, data, the loss module, optimizer state and every tensor
        waiting for a report to ``device``, all of them or, should one fail (out of
        memory half-way, say), none: the run then stays whole where it was and
        ``MoveFailed`` says so. A NumPy task stays on the CPU."""
        if self.state.numpy_params:
            return
        old = self.config.device
        move = TensorMove(torch.device(device))
        try:
            warm_up_device(device)  # a CUDA context that cannot be made fails the move too
            self._gather(move)
        except Exception as exc:  # the copies made so far go; the originals never left
            move.discard()
            release_cached_memory(device)
            raise MoveFailed(
                Message(
                    "Could not move training to {device}: {reason}\nEverything "
                    "stayed on {old}, and training goes on there.",
                    device=device,
                    reason=_first_line(exc),
                    old=old,
                )
            ) from exc
        move.commit()
        self.config.device = device
        self._synchronize = synchronizer(device)

    def _gather(self, move: TensorMove) -> None:
        """Copy every tensor the run holds to the move's target."""
        state = self.state
        if state.module is not None:
            move.add_module(state.module)
        if state.loss_module is not None:
            move.add_module(state.loss_module)
        if state.view_module is not None:
            move.add_module(state.view_module)
        for param in state.params.values():  # a module's own were added with it
            if state.module is None:
                move.add_parameter(param)
        if state.data is not None:
            state.data.gather(move)
        if state.recorded.grads:
            move.add_items(state.recorded.grads)
        if self.optimizer is not None:
            for param_state in self.optimizer.state.values():
                for key, value in param_state.items():
                    # A 0-d step count stays on the CPU, where torch keeps it.
                    if isinstance(value, torch.Tensor) and value.dim() > 0:
                        move.add(value, _setter(param_state, key))
        self._trace.gather(move)
        move.add_items(self._pending_losses)
        move.add_items(self._epoch_sum)
        for index, (epoch, loss) in enumerate(self._epoch_losses):
            move.add(loss, _setter(self._epoch_losses, index, epoch))

    def synchronize(self) -> None:
        """Wait for the steps queued on an asynchronous device (CUDA) to finish, so a
        clock read next times finished steps, not queued ones. Nothing on the CPU."""
        if self._synchronize is not None:
            self._synchronize()

    # -- stepping -----------------------------------------------------------------------
    def step(self, record: bool = True, record_graph: bool = False) -> bool:
        """Take one step; losses stay on the device until ``collect``. Return ``done``.

        ``record`` keeps this step's gradient norms for the next report; a loop that
        reports now and then passes False in between, to save the work.
        ``record_graph`` also keeps the step's autograd graph, for a view that
        follows training.
        """
        # Written out rather than through the properties: a seed task's step is so
        # short that each property call here costs a measurable share of it.
        state = self.state
        per_epoch = max(1, state.batches_per_epoch)
        total = self.config.length * per_epoch
        if self.step_index >= total or self.halted is not None:
            return True
        index = self.step_index
        trace = self._trace
        # Parameters after every trace.every-th step are sampled, and after the first and last.
        traced = (index + 1) % trace.every == 0 or index == 0 or index + 1 == total
        state.record_grads = record or traced
        state.record_graph = record_graph
        layers = state.record_layers = traced and self.collect_layers
        before = self._param_copies() if layers else None
        batch = index % per_epoch
        loss = _spent(state.step(batch, self.optimizer, self.config.lr))
        if traced:
            trace.record(index + 1, state.params, state.recorded.grads)
        if layers:
            self._record_layers(index + 1, before)
        elif record:
            self._grads_step = index + 1
        self._pending_losses.append(loss)
        self._pending_steps.append(index)
        self.step_index = index + 1
        if per_epoch > 1:
            if state.epoch_loss is None:
                self._epoch_sum.append(loss)
            if batch == per_epoch - 1:
                self._close_epoch()
        return self.step_index >= total or self.halted is not None

    def run(self, count: int, interrupt: Sized = ()) -> bool:
        """Take up to ``count`` steps that record nothing; return ``done``.

        Stops before any step once ``interrupt`` (a command queue, say) is not
        empty. The same steps as ``step`` would take, but only those that sample the
        parameters, end an epoch or end the run go through it: the ones between run
        in a bare loop: a seed task's step is so short that the bookkeeping of a
        call to ``step`` would be a noticeable share of it.
        """
        state = self.state
        per_epoch = max(1, state.batches_per_epoch)
        total = self.config.length * per_epoch
        taken = 0
        while taken < count and not interrupt:
            index = self.step_index
            if index >= total or self.halted is not None:
                return True
            end = min(self._next_kept_step(index, per_epoch, total), index + count - taken)
            if end == index:
                self.step(record=False)
                taken += 1
                continue
            state.record_grads = state.record_graph = state.record_layers = False
            step, optimizer, lr = state.step, self.optimizer, self.config.lr
            losses, spent = self._pending_losses, _spent
            first = len(losses)
            try:
                # The batch is the step's place in its epoch, as ``step`` gives it: with
                # one batch an epoch, every step takes batch 0.
                for taken_step in range(index, end):
                    if interrupt:
                        break
                    losses.append(spent(step(taken_step % per_epoch, optimizer, lr)))
            finally:  # a step that raised was not taken: those before it were
                done_now = len(losses) - first
                self._pending_steps.extend(range(index, index + done_now))
                if per_epoch > 1 and state.epoch_loss is None:
                    self._epoch_sum.extend(losses[first:])
                self.step_index = index + done_now
            taken += done_now
        return self.step_index >= total or self.halted is not None

    def _next_kept_step(self, index: int, per_epoch: int, total: int) -> int:
        """The first step from ``index`` on that ``step`` must take: one whose parameters
        are sampled (the first, every ``trace.every``-th, the last) or an epoch's last."""
        if index == 0:
            return 0
        every = self._trace.every
        kept = min(-(-(index + 1) // every) * every - 1, total - 1)
        if per_epoch > 1:
            kept = min(kept, (index // per_epoch + 1) * per_epoch - 1)
        return kept

    def run_epoch(self) -> None:
        """Step to the end of the current epoch (one step for full-batch tasks)."""
        target = min(self.total_steps, (self.epoch + 1) * self.steps_per_epoch)
        while self.step_index < target and not self.done:
            self.step()

    def _close_epoch(self) -> None:
        """Note the epoch's loss: the task's own over all its data, or its steps' mean."""
        if self.state.epoch_loss is not None:
            self._epoch_losses.append((self.epoch, self.state.epoch_loss()))
            return
        losses = self._epoch_sum
        self._epoch_sum = []
        if isinstance(losses[0], torch.Tensor):
            mean = _step_means(losses).mean()
        else:
            mean = float(np.mean(losses))
        self._epoch_losses.append((self.epoch, mean))

    # -- reporting ----------------------------------------------------------------------
    def collect(self) -> MetricsBatch:
        """Report every step since the last call (one device sync), halting on NaN or inf."""
        steps, losses, epoch_losses, finite = self._take_losses()
        self._trace_report_step()
        params = self._param_arrays()
        if finite:
            self._last_good = {name: value.copy() for name, value in params.items()}
            self._last_good_step = self.step_index
        batch = self._metrics(steps, losses, epoch_losses, params)
        self._start_params = None
        self._attach_graph(batch)
        self._attach_curve(batch)
        if self.state.report_view is not None:  # a classifier's test set and plane
            batch.classifier = self.state.report_view(self.step_index)
        return batch

    def _take_losses(self) -> tuple[np.ndarray, np.ndarray, list[tuple[int, float]], bool]:
        """The steps and their losses since the last report, and the epochs' losses;
        halting at the first loss that is not finite. The last item says whether every
        loss was finite."""
        steps = np.asarray(self._pending_steps, dtype=np.int64)
        losses = _to_numpy(self._pending_losses)
        self._pending_steps, self._pending_losses = [], []
        epoch_losses = [(epoch, float(_to_numpy([loss])[0])) for epoch, loss in self._epoch_losses]
        self._epoch_losses = []
        bad = np.flatnonzero(~np.isfinite(losses))
        self._loss_history.extend(losses[: bad[0]] if bad.size else losses)
        if bad.size and self.halted is None:
            self._halt(int(steps[bad[0]]), float(losses[bad[0]]))
            epoch_losses = self._rewind(self._last_good_step, epoch_losses)
        return steps, losses, epoch_losses, not bad.size

    def _trace_report_step(self) -> None:
        """Sample the report's own step, with its gradient norms if it recorded them."""
        if self._trace.last_step == self.step_index:
            return
        fresh = self._grads_step == self.step_index
        grads = self.state.recorded.grads if fresh else None
        self._trace.record(self.step_index, self.state.params, grads)

    def _metrics(
        self,
        steps: np.ndarray,
        losses: np.ndarray,
        epoch_losses: list[tuple[int, float]],
        params: dict[str, np.ndarray],
    ) -> MetricsBatch:
        """The report of ``steps``: their losses, the parameters now and the trace's samples."""
        trace_steps, trace_params, trace_grad_steps, trace_grads = self._trace.take()
        return MetricsBatch(
            layers=self._layers.take(),
            steps=steps,
            losses=losses,
            epoch_losses=epoch_losses,
            params=params,
            truth=self.state.truth,
            trace_steps=trace_steps,
            trace_params=trace_params,
            trace_grad_steps=trace_grad_steps,
            trace_grads=trace_grads,
            step=self.step_index,
            epoch=self.epoch,
            total_steps=self.total_steps,
            steps_per_epoch=self.steps_per_epoch,
            device=self.device,
            finished=self.step_index >= self.total_steps,
            halted=self.halted,
            halt_step=self.halt_step,
            halt_loss=self.halt_loss,
            truth_notes=self.state.truth_notes,
            start_params=self._start_params,
        )

    def _attach_graph(self, batch: MetricsBatch) -> None:
        """Give ``batch`` the graph a step recorded since the last report, laid out."""
        recorded = self.state.recorded
        graph, recorded.graph = recorded.graph, None
        if graph is None:
            return
        from autograd_playground.core.render.layout import LayoutError

        batch.graph = graph
        try:
            batch.graph_layout = self._snapshot_layouts.layout_for(graph)
        except LayoutError as exc:
            batch.graph_error = str(exc)

    def _attach_curve(self, batch: MetricsBatch) -> None:
        """Give ``batch`` a 1-D task's fit over its data, as the parameters draw it now."""
        if self.state.predict is None:
            return
        try:
            batch.curve = self.state.predict()
        except Exception:  # the learner's model may fail; the step reports why
            batch.curve = None
        else:
            batch.curve_x = self.state.curve_x
            batch.data_y = self.state.curve_y

    def _halt(self, step: int, value: float) -> None:
        """Stop at the loss ``value`` of ``step``, say why, and restore the last finite
        parameters."""
        data = self.state.data
        bad_inputs = non_finite_inputs(data.arrays() if data is not None else {})
        params_finite = all(np.isfinite(array).all() for array in self._param_arrays().values())
        cause = halt_cause(step, value, bad_inputs, self._loss_history, params_finite)
        back = self._last_good_step
        self.halted = halt_message(cause, step, value, back, self.config.lr, bad_inputs)
        self.halt_step, self.halt_loss = step, value
        self._restore_last_good()
        # The parameters go back to ``back``; the gradient norms of the steps up to the
        # halt stay, as their losses do: they show how the run got there.
        self._trace.drop_after(back, grads_until=step)
        self._layers.drop_after(back)
        self.state.recorded.grads = None  # a diverged step's, not the restored one's

    def _rewind(self, step: int, epoch_losses: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """Go back to ``step``, whose parameters were just restored; return the epoch
        losses that still stand (those of epochs ended by then).

        Steps past it are taken again on resume, so the counter, the epoch and its
        batches agree with the parameters. Where an epoch's loss is its steps' mean,
        a reopened earlier epoch's mean covers only its steps from ``step`` on: the
        ones before were summed when it ended.
        """
        per_epoch = self.steps_per_epoch
        epoch_start = self.step_index // per_epoch * per_epoch  # of the epoch left open
        self._epoch_sum = self._epoch_sum[: max(0, step - epoch_start)]
        self.step_index = step
        return [(epoch, mean) for epoch, mean in epoch_losses if epoch * per_epoch <= step]

    def resume_after_halt(self) -> None:
        """Clear a NaN halt so training can go on (typically after lowering the rate)."""
        self.halted = None
        self.halt_step = self.halt_loss = None
        self.optimizer = self._build_optimizer()

    def _param_copies(self) -> dict[str, Any]:
        """The parameters before a step, for the size of its update (on their device)."""
        params = self.state.params.items()
        if self.state.numpy_params:
            return {name: np.array(value, copy=True) for name, value in params}
        return {name: value.detach().clone() for name, value in params}

    def _record_layers(self, step: int, before: dict[str, Any] | None) -> None:
        """Sample every parameter's histograms after ``step``, with the gradients that
        step used: kept whole by the task where it asked (``record_layers``), or, for
        hand-written backprop, the gradients themselves."""
        recorded = self.state.recorded
        grads, recorded.grad_values = recorded.grad_values, None
        if grads is None:  # hand-written backprop keeps whole gradients (norms are 0-d)
            grads = recorded.grads
        self._layers.record(step, self.state.params, grads, before)

    def _param_arrays(self) -> dict[str, np.ndarray]:
        if self.state.numpy_params:
            return {name: np.array(value, copy=True) for name, value in self.state.params.items()}
        return {
            name: value.detach().cpu().numpy().copy() for name, value in self.state.params.items()
        }

    def _restore_last_good(self) -> None:
        if self._last_good is None:
            return
        for name, value in self._last_good.items():
            param = self.state.params[name]
            if self.state.numpy_params:
                param[...] = value
            else:
                with torch.no_grad():
                    param.copy_(torch.as_tensor(value, device=param.device))
                if param.grad is not None:
                    param.grad.zero_()


def _setter(container: Any, key: Any, epoch: int | None = None) -> Any:
    """Put a value at ``key`` of ``container``; with ``epoch``, as that epoch's loss."""

    def put(value: Any) -> None:
        container[key] = value if epoch is None else (epoch, value)

    return put


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _spent(loss: Any) -> Any:
    """``loss`` cut from its graph, which goes at once, as a bare loop's does: kept to
    the next report, a few thousand spent graphs would be freed there together, and
    each step would build its graph in new memory rather than in the last one's."""
    try:
        return loss.detach_()
    except AttributeError:  # a NumPy task's float
        return loss
    except RuntimeError:  # a view (the learner's loss may be one): a detached copy
        return loss.detach()


def _step_means(losses: list[torch.Tensor]) -> torch.Tensor:
    """Each step's loss, as one float64 tensor: the mean of a step's per-example losses.

    A step may hand back its per-example losses (as d2l's squared_loss gives them):
    averaging a whole report's at once costs one op, not one per step.
    """
    with torch.no_grad():
        try:
            stacked = torch.stack(losses)  # one stack for the report: the steps' shapes agree
        except RuntimeError:  # they do not (a last, smaller batch; shapes () and (1,) mixed)
            return torch.stack([_wide(loss).mean() for loss in losses])
        return _wide(stacked.reshape(len(losses), -1)).mean(1)


def _wide(values: torch.Tensor) -> torch.Tensor:
    """float64 for the means, where the device has it (MPS has no float64)."""
    return values.float() if values.device.type == "mps" else values.double()


def _to_numpy(losses: list[Any]) -> np.ndarray:
    if not losses:
        return np.zeros(0)
    if isinstance(losses[0], torch.Tensor):
        return _step_means(losses).cpu().numpy().astype(np.float64)
    return np.asarray(losses, dtype=np.float64)
