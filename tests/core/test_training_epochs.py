"""Long runs across many epoch boundaries: every step takes the batch it should, whole.

With one batch an epoch, running (not stepping) once passed batch indices 1, 2, …
on to the learner's own task, whose slice past the data was empty and whose loss
was NaN: the lab halted at step 3 and blamed the learning rate.
"""

import numpy as np
import pytest
import torch

from autograd_playground.core.training import tasks
from autograd_playground.core.training.catalog import (
    USER_INFO,
    USER_TASK,
    TrainingConfig,
    default_config,
)
from autograd_playground.core.training.trainer import Trainer
from autograd_playground.core.training.user_task import build_user_task

STEPS = 2000
ROWS = 12  # the learner's data set, small enough for thousands of epochs
LINREG_ROWS = 24
# The batch settings: the whole set, one row, a size that does not divide the data,
# and the data's size.
USER_BATCHES = (0, 1, 5, ROWS)
LINREG_BATCHES = (0, 1, 7, LINREG_ROWS)
FULL_BATCH_TASKS = ("quadratic", "two_layer_numpy", "two_layer_tensor", "two_layer_autograd")


@pytest.fixture
def small_tasks(monkeypatch):
    """The catalog's tasks on small data: the same code, thousands of steps in a blink."""
    monkeypatch.setattr(tasks, "LINREG_EXAMPLES", LINREG_ROWS)
    for name, size in (("N", 8), ("D_IN", 10), ("H", 6), ("D_OUT", 3)):
        monkeypatch.setattr(tasks, name, size)


def user_trainer(batch_size: int, rows_seen: list[int]) -> Trainer:
    """The learner's own model, a function that notes how many rows each call gets."""
    torch.manual_seed(0)
    w = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)

    def model(X):
        rows_seen.append(len(X))
        return X * w + b

    X = torch.linspace(-1, 1, ROWS).reshape(-1, 1)
    namespace = {"model": model, "params": [w, b], "X": X, "y": 2 * X + 1}
    config = TrainingConfig(
        task=USER_TASK, lr=0.05, batch_size=batch_size, length=STEPS, optimizer="sgd"
    )
    return Trainer(config, state=build_user_task(namespace, config), info=USER_INFO)


def seed_trainer(task: str, batch_size: int) -> Trainer:
    config = default_config(task)
    config.batch_size = batch_size
    config.length = STEPS  # epochs: at least STEPS steps
    return Trainer(config)


def expected_rows(rows: int, batch_size: int) -> list[int]:
    """Each batch's rows in an epoch: full batches, then what is left."""
    batch = batch_size if 0 < batch_size < rows else rows
    sizes = [batch] * (rows // batch)
    if rows % batch:
        sizes.append(rows % batch)
    return sizes


def watch_batches(trainer: Trainer, rows_of) -> list[tuple[int, int]]:
    """Record each step's batch index and the rows it took (``rows_of(index)``)."""
    seen: list[tuple[int, int]] = []
    real_step = trainer.state.step

    def step(index, optimizer, lr):
        loss = real_step(index, optimizer, lr)
        seen.append((index, rows_of(index)))
        return loss

    trainer.state.step = step
    return seen


def train(trainer: Trainer, by_running: bool) -> np.ndarray:
    """STEPS steps, reported every few dozen as the lab's worker does; the losses."""
    chunks = [1, 7, 64, 3, 250]
    losses = []
    while trainer.step_index < STEPS:
        if by_running:
            trainer.run(min(chunks[0], STEPS - trainer.step_index))
            chunks.append(chunks.pop(0))
        else:
            trainer.step(record=trainer.step_index % 5 == 0)
        if trainer.step_index % 37 == 0 or trainer.step_index == STEPS:
            batch = trainer.collect()
            assert batch.halted is None, batch.halted
            losses.append(batch.losses)
    return np.concatenate(losses)


def check(seen, losses, sizes):
    per_epoch = len(sizes)
    assert [index for index, _ in seen] == [step % per_epoch for step in range(STEPS)]
    assert [rows for _, rows in seen] == [sizes[step % per_epoch] for step in range(STEPS)]
    assert len(losses) == STEPS
    assert np.isfinite(losses).all()


@pytest.mark.parametrize("by_running", [True, False], ids=["run", "step"])
@pytest.mark.parametrize("batch_size", USER_BATCHES)
def test_the_learners_task_takes_whole_batches_for_thousands_of_steps(batch_size, by_running):
    rows_seen: list[int] = []
    trainer = user_trainer(batch_size, rows_seen)
    seen = watch_batches(trainer, lambda _index: rows_seen[-1])
    losses = train(trainer, by_running)
    check(seen, losses, expected_rows(ROWS, batch_size))
    assert losses[-1] < 1e-4  # and it learned y = 2x + 1


@pytest.mark.parametrize("by_running", [True, False], ids=["run", "step"])
@pytest.mark.parametrize("batch_size", LINREG_BATCHES)
@pytest.mark.parametrize("task", ["linreg_scratch", "linreg_concise"])
def test_the_linear_regressions_take_whole_batches_for_thousands_of_steps(
    small_tasks, task, batch_size, by_running
):
    trainer = seed_trainer(task, batch_size)
    batches = trainer.state.data.batches
    seen = watch_batches(trainer, lambda index: len(batches[index]))
    losses = train(trainer, by_running)
    check(seen, losses, expected_rows(LINREG_ROWS, batch_size))


@pytest.mark.parametrize("by_running", [True, False], ids=["run", "step"])
@pytest.mark.parametrize("task", FULL_BATCH_TASKS)
def test_the_full_batch_tasks_take_every_row_for_thousands_of_steps(small_tasks, task, by_running):
    trainer = seed_trainer(task, 0)
    data = trainer.state.data
    rows = len(data.inputs) if data is not None else tasks.N  # NumPy's flavour keeps its own
    seen = watch_batches(trainer, lambda _index: rows)
    losses = train(trainer, by_running)
    check(seen, losses, [rows])


def test_a_batch_past_the_learners_data_is_refused_not_a_nan():
    trainer = user_trainer(5, [])
    optimizer = trainer.optimizer
    with pytest.raises(ValueError, match="batch 3 of an epoch of 3: a bug in the lab"):
        trainer.state.step(3, optimizer, 0.05)
