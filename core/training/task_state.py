"""A task's live objects: its data, its parameters and how it takes a step.

Shared by every task's builder (core/training/tasks.py, classifier_task.py,
user_task.py) and read by the Trainer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.training.placement import TensorMove


@dataclass
class TaskData:
    """The data set a task trains on, on its device, under the names its seed gives them."""

    inputs: torch.Tensor
    targets: torch.Tensor
    # What the seed calls the two (X and y, features and labels): a halt's message
    # names the one that holds NaN so.
    names: tuple[str, str] = ("x", "y")
    # The row indices of the epoch's minibatches, for a task cut into batches. Refilled
    # in place at each epoch's start, and moved in place: the task's step holds the list.
    batches: list[torch.Tensor] = field(default_factory=list)

    def arrays(self) -> dict[str, torch.Tensor]:
        """The inputs and targets by their seed's names."""
        return {self.names[0]: self.inputs, self.names[1]: self.targets}

    def gather(self, move: TensorMove) -> None:
        """Add the data to ``move``: the batches in place, as the task's step holds them."""
        move.add(self.inputs, lambda value: setattr(self, "inputs", value))
        move.add(self.targets, lambda value: setattr(self, "targets", value))
        move.add_items(self.batches)


@dataclass
class StepRecords:
    """What a step keeps for the trainer's next report, when the trainer asks for it."""

    # Each parameter's gradient norm (or, for hand-written backprop, its gradient)
    # before the update cleared it.
    grads: dict[str, Any] | None = None
    graph: Any = None  # the step's autograd graph, as graph_snapshot takes it
    # Each parameter's whole gradient, for the layer histograms, where asked for.
    grad_values: dict[str, Any] | None = None


@dataclass
class TaskState:
    """The live objects of one task: parameters, data, and how to take a step."""

    params: dict[str, torch.Tensor]
    truth: dict[str, np.ndarray] = field(default_factory=dict)
    # Where a true value is not the one the seed's formula shows: name -> (English, Chinese).
    truth_notes: dict[str, Message] = field(default_factory=dict)
    module: nn.Module | None = None
    # The loss, where it is a module: it may hold tensors (class weights, say) that
    # must move with the model.
    loss_module: nn.Module | None = None
    data: TaskData | None = None  # None: the task keeps its data to itself (NumPy's)
    recorded: StepRecords = field(default_factory=StepRecords)
    batches_per_epoch: int = 1
    # step(batch_index, optimizer or None, lr) -> loss: a 0-d tensor on the device, the
    # step's per-example losses (reported as their mean), or a float. A tensor may still
    # hold its (spent) graph: the trainer reads it under no_grad rather than pay for
    # detaching it at every one of a seed task's short steps.
    step: Callable[[int, torch.optim.Optimizer | None, float], Any] | None = None
    # The loss over the whole data set, as the seed prints it after each epoch (d2l
    # 3.2 and 3.3). Without it, an epoch shows the mean of its steps' losses.
    epoch_loss: Callable[[], Any] | None = None
    # For curve tasks: x values and the current fit, as numpy arrays.
    curve_x: np.ndarray | None = None
    curve_y: np.ndarray | None = None
    predict: Callable[[], np.ndarray] | None = None
    # For classifier tasks: report_view(step) -> a ClassifierReport of the model now,
    # and the module whose buffers (a test set, a grid) it reads, which moves with the run.
    report_view: Callable[[int], Any] | None = None
    view_module: nn.Module | None = None
    numpy_params: bool = False
    # Set by the trainer before a step whose gradient norms, or graph, it will report.
    record_grads: bool = False
    record_graph: bool = False
    record_layers: bool = False

    def learn_from(
        self, loss: torch.Tensor, net: nn.Module, optimizer: torch.optim.Optimizer | None, lr: float
    ) -> None:
        """Backpropagate ``loss``, note what the trainer asked for, and update ``net``:
        the optimizer's step, or plain gradient descent written out without one."""
        if optimizer is not None:
            optimizer.zero_grad()
        loss.backward()
        if self.record_grads or self.record_graph or self.record_layers:
            self.note_grads(loss)  # else it has nothing to do
        if optimizer is None:
            with torch.no_grad():
                for param in net.parameters():
                    param -= lr * param.grad
                    param.grad.zero_()
        else:
            optimizer.step()

    def note_grads(self, loss: torch.Tensor | None = None) -> None:
        """Keep the gradient norms, and the graph behind ``loss``, before the update.

        Called right after backward: the update may clear the grads.
        """
        if self.record_graph and loss is not None:
            from autograd_playground.core.training.graph_snapshot import snapshot_graph

            self.recorded.graph = snapshot_graph(self.params, loss)
        if self.record_layers:
            self.recorded.grad_values = {
                name: param.grad.detach().clone()
                for name, param in self.params.items()
                if isinstance(param, torch.Tensor) and param.grad is not None
            }
        if self.record_grads:
            self.recorded.grads = {
                name: torch.linalg.vector_norm(param.grad.detach())
                for name, param in self.params.items()
                if isinstance(param, torch.Tensor) and param.grad is not None
            }
