"""A run moves to another device whole, or not at all, and says where it trains.

The ``meta`` device places tensors without data: a move there shows, on any
machine, every tensor a run holds following it. CUDA tests run where a GPU is.
"""

import random

import numpy as np
import pytest
import torch
from torch import nn

from autograd_playground.core.run import devices
from autograd_playground.core.training.catalog import USER_INFO, TrainingConfig, default_config
from autograd_playground.core.training.placement import MoveFailed, TensorMove
from autograd_playground.core.training.tasks import _shuffled_batches
from autograd_playground.core.training.trainer import Trainer
from autograd_playground.core.training.user_task import build_user_task
from tests.core.tensor_places import left_behind, reachable_tensors

TORCH_TASKS = [
    "linreg_scratch",
    "linreg_concise",
    "quadratic",
    "two_layer_tensor",
    "two_layer_autograd",
    "classify_spirals",
]
no_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


class WeightedMSE(nn.Module):
    """A loss with a buffer of its own, as a class-weighted loss has."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.register_buffer("weights", torch.linspace(0.5, 1.5, rows).reshape(-1, 1))

    def forward(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        weights = self.weights[: len(prediction)]
        return (weights * (prediction - target) ** 2).mean()


def user_trainer(device: str = "cpu", optimizer: str = "adam") -> Trainer:
    torch.manual_seed(0)
    X = torch.linspace(-1, 1, 40).reshape(-1, 1)
    namespace = {
        "model": nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1)),
        "X": X,
        "y": 2 * X + 1,
        "loss_fn": WeightedMSE(40),
    }
    config = TrainingConfig(
        task="user", lr=0.05, batch_size=10, length=20, optimizer=optimizer, device=device
    )
    return Trainer(config, state=build_user_task(namespace, config), info=USER_INFO)


def seed_trainer(task: str, optimizer: str | None = None) -> Trainer:
    config = default_config(task)
    if optimizer is not None and optimizer in Trainer(config).info.optimizers:
        config.optimizer = optimizer
    return Trainer(config)


def trainers() -> list[tuple[str, object]]:
    return [(task, lambda task=task: seed_trainer(task, "adam")) for task in TORCH_TASKS] + [
        ("user", user_trainer)
    ]


def train_a_little(trainer: Trainer, steps: int = 7) -> None:
    """Steps that leave something of everything: losses waiting for a report, traced
    samples, gradient norms, an open epoch's losses and an optimizer's state."""
    trainer.step(record=True)
    trainer.run(steps - 2)
    trainer.step(record=True)


@pytest.mark.parametrize(("name", "make"), trainers(), ids=[name for name, _ in trainers()])
def test_a_move_takes_every_tensor_the_run_holds_and_training_goes_on_there(name, make):
    trainer = make()
    train_a_little(trainer)
    assert len(list(reachable_tensors(trainer))) > 6
    params = list(trainer.state.params.values())
    trainer.move_to("meta")
    assert left_behind(trainer, "meta") == []
    assert trainer.config.device == "meta"
    # The same parameters, which the optimizer and the task's step hold.
    assert all(a is b for a, b in zip(params, trainer.state.params.values(), strict=True))
    assert [p.requires_grad for p in params] == [name != "two_layer_tensor"] * len(params)
    train_a_little(trainer)  # the task's step runs on the device's tensors
    assert left_behind(trainer, "meta") == []


def test_the_loss_modules_buffer_moves_with_the_model():
    trainer = user_trainer()
    loss_fn = trainer.state.loss_module
    assert isinstance(loss_fn, WeightedMSE)
    trainer.move_to("meta")
    assert loss_fn.weights.device.type == "meta"
    assert seed_trainer("linreg_concise").state.loss_module is not None


def fail_after(monkeypatch, copies: int) -> list[int]:
    """Have every tensor copy after the first ``copies`` run out of memory."""
    real_to = torch.Tensor.to
    made = []

    def to_that_runs_out(self, *args, **kwargs):
        if len(made) >= copies:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 MiB")
        made.append(1)
        return real_to(self, *args, **kwargs)

    monkeypatch.setattr(torch.Tensor, "to", to_that_runs_out)
    return made


@pytest.mark.parametrize("copies", [0, 1, 3, 6])
def test_a_move_that_fails_half_way_leaves_everything_where_it_was(monkeypatch, copies):
    reference, trainer = user_trainer(), user_trainer()
    for run in (reference, trainer):
        train_a_little(run)
    held = {where: id(tensor) for where, tensor in reachable_tensors(trainer)}
    made = fail_after(monkeypatch, copies)
    with pytest.raises(MoveFailed) as failed:
        trainer.move_to("meta")
    monkeypatch.undo()
    assert len(made) == copies  # it failed part-way, after that many copies
    assert left_behind(trainer, "cpu") == []
    assert trainer.config.device == "cpu"
    assert {where: id(tensor) for where, tensor in reachable_tensors(trainer)} == held
    assert failed.value.message_in("en") == (
        "Could not move training to meta: CUDA out of memory. Tried to allocate 20.00 MiB\n"
        "Everything stayed on cpu, and training goes on there."
    )
    assert failed.value.message_in("zh").startswith("无法把训练移到 meta：CUDA out of memory.")
    assert failed.value.message_in("zh").endswith("一切都留在 cpu 上，训练在那里继续。")
    for run in (reference, trainer):  # and the run goes on there as if nothing happened
        run.run(30)
    np.testing.assert_array_equal(trainer.collect().losses, reference.collect().losses)


def test_a_move_whose_placing_fails_puts_back_what_it_had_placed():
    held = {"a": torch.zeros(2), "b": torch.zeros(3)}
    old = dict(held)
    move = TensorMove(torch.device("meta"))
    move.add_items(held)

    def refuse(_value):
        raise RuntimeError("no place")

    move.add(torch.ones(1), refuse)
    with pytest.raises(RuntimeError, match="no place"):
        move.commit()
    assert held == old


def test_the_numpy_task_says_it_trains_on_the_cpu_whatever_device_is_chosen():
    config = default_config("two_layer_numpy")
    config.device = "cuda:0"
    trainer = Trainer(config)
    trainer.step()
    assert trainer.device == "cpu"
    assert trainer.collect().device == "cpu"
    trainer.move_to("meta")
    trainer.step()
    assert trainer.collect().device == "cpu"


def test_the_cpu_needs_no_synchronizing_and_cuda_waits_for_its_own_device(monkeypatch):
    assert devices.synchronizer("cpu") is None
    assert Trainer(default_config("quadratic"))._synchronize is None
    waited = []
    monkeypatch.setattr(torch.cuda, "synchronize", waited.append)
    devices.synchronizer("cuda:1")()
    assert waited == [torch.device("cuda:1")]


def test_warming_up_a_device_runs_only_for_cuda(monkeypatch):
    exercised = []
    monkeypatch.setattr(devices, "exercise_device", exercised.append)
    monkeypatch.setattr(torch.cuda, "synchronize", lambda device: exercised.append("sync"))
    devices.warm_up_device("cpu")
    devices.warm_up_device("meta")
    assert exercised == []
    devices.warm_up_device("cuda:0")
    assert exercised == [torch.device("cuda:0"), "sync"]


def test_the_warm_up_exercise_is_a_forward_and_a_backward():
    devices.exercise_device(torch.device("cpu"))
    devices.exercise_device(torch.device("meta"))


def test_an_epochs_batches_are_the_seeds_order_cut_from_one_tensor():
    random.seed(3)
    batches = _shuffled_batches(25, 10, torch.device("cpu"))
    random.seed(3)
    indices = list(range(25))
    random.shuffle(indices)  # the seed's data_iter
    assert [batch.tolist() for batch in batches] == [
        indices[0:10],
        indices[10:20],
        indices[20:25],
    ]
    assert len({batch.untyped_storage().data_ptr() for batch in batches}) == 1
    on_meta = _shuffled_batches(25, 10, torch.device("meta"))
    assert [batch.device.type for batch in on_meta] == ["meta"] * 3


# -- on a GPU --------------------------------------------------------------------------
def losses_of(trainer: Trainer, moves: dict[int, str]) -> np.ndarray:
    """Train to the end, moving to ``moves[step]`` at each of its steps."""
    losses = []
    while not trainer.done:
        if trainer.step_index in moves:
            trainer.move_to(moves[trainer.step_index])
        trainer.step(record=trainer.step_index % 5 == 0)
        if trainer.step_index % 40 == 0:
            losses.append(trainer.collect().losses)
    losses.append(trainer.collect().losses)
    return np.concatenate(losses)


@pytest.mark.parametrize(("name", "make"), trainers(), ids=[name for name, _ in trainers()])
@pytest.mark.cuda
@no_cuda
def test_cuda_a_run_switched_to_the_gpu_and_back_learns_as_on_the_cpu(name, make):
    on_cpu = losses_of(make(), {})
    switched_trainer = make()
    switched = losses_of(switched_trainer, {13: "cuda:0", 101: "cpu", 170: "cuda:0"})
    assert switched_trainer.device == "cuda:0"
    assert left_behind(switched_trainer, "cuda") == []
    assert len(switched) == len(on_cpu)
    np.testing.assert_allclose(switched, on_cpu, rtol=1e-3, atol=1e-6)


@pytest.mark.cuda
@no_cuda
def test_cuda_a_weighted_loss_trains_on_the_gpu_after_a_switch():
    on_cpu = losses_of(user_trainer(), {})
    switched = losses_of(user_trainer(), {3: "cuda:0"})
    np.testing.assert_allclose(switched, on_cpu, rtol=1e-3, atol=1e-6)


@pytest.mark.cuda
@no_cuda
def test_cuda_warming_up_creates_the_context():
    devices.warm_up_device("cuda:0")
    assert torch.cuda.is_initialized()


def test_a_tensor_held_in_two_places_is_copied_once_and_stays_one():
    loss = torch.ones(3)
    pending, epoch = [loss], [loss]
    shared = nn.Linear(2, 2)
    model, loss_fn = nn.Sequential(shared), nn.Sequential(shared)
    move = TensorMove(torch.device("meta"))
    move.add_items(pending)
    move.add_items(epoch)
    move.add_module(model)
    move.add_module(loss_fn)
    move.commit()
    assert pending[0] is epoch[0]
    assert pending[0].device.type == "meta"
    assert shared.weight.device.type == "meta"


def test_a_device_that_cannot_be_warmed_up_fails_the_move_whole(monkeypatch):
    trainer = user_trainer()
    train_a_little(trainer)

    def no_context(device):
        raise torch.OutOfMemoryError("CUDA error: out of memory")

    monkeypatch.setattr("autograd_playground.core.training.trainer.warm_up_device", no_context)
    with pytest.raises(MoveFailed, match="CUDA error: out of memory"):
        trainer.move_to("meta")
    assert left_behind(trainer, "cpu") == []
    assert trainer.device == "cpu"
