"""A halt says what made the loss NaN or inf, and blames the rate only for a blow-up."""

import math

import numpy as np
import pytest
import torch

from autograd_playground.core.training.catalog import (
    USER_INFO,
    USER_TASK,
    TrainingConfig,
    default_config,
)
from autograd_playground.core.training.halt import (
    DATA,
    DIVERGED,
    MODEL,
    LossHistory,
    halt_cause,
    loss_text,
    non_finite_inputs,
)
from autograd_playground.core.training.trainer import Trainer
from autograd_playground.core.training.user_task import build_user_task


def user_trainer(namespace: dict, lr: float = 0.05, length: int = 50) -> Trainer:
    config = TrainingConfig(task=USER_TASK, lr=lr, batch_size=0, length=length, optimizer="sgd")
    return Trainer(config, state=build_user_task(namespace, config), info=USER_INFO)


def line_namespace(**extra) -> dict:
    torch.manual_seed(0)
    X = torch.linspace(-1, 1, 20).reshape(-1, 1)
    return {"model": torch.nn.Linear(1, 1), "X": X, "y": 2 * X + 1, **extra}


def halt_of(trainer: Trainer, steps: int = 20):
    trainer.step()  # reported at once, as the lab's first report is
    first = trainer.collect()
    assert first.halted is None or trainer.halt_step == 0
    trainer.run(steps)
    return trainer.collect()


def test_a_rate_too_high_is_blamed_and_the_numbers_agree():
    config = default_config("quadratic")
    config.lr = 10.0
    batch = halt_of(Trainer(config))
    assert "lr 10 is probably too high" in batch.halted_in("en")
    assert "学习率 10 可能太高了" in batch.halted_in("zh")
    # The message, and the report's own numbers, describe the same loss at one step.
    assert batch.halt_step is not None
    assert batch.halt_loss is not None
    index = batch.steps.tolist().index(batch.halt_step)
    assert not np.isfinite(batch.losses[: index + 1][-1])
    assert np.isfinite(batch.losses[:index]).all()  # the first loss that was not finite
    assert batch.halted_in("en").startswith(
        f"loss became {loss_text(batch.losses[index])} at step {batch.halt_step};"
    )
    assert loss_text(batch.halt_loss) == loss_text(batch.losses[index])


def test_a_halt_keeps_the_gradient_norms_recorded_up_to_it():
    config = default_config("quadratic")
    config.lr = 10.0
    trainer = Trainer(config)
    trainer.step(record=True)  # the lab's first step records its gradient norms
    trainer.run(19)
    batch = trainer.collect()
    assert batch.halted is not None
    assert trainer.step_index == 0
    assert len(batch.trace_grad_steps) >= 1
    assert batch.trace_grad_steps.max() <= batch.halt_step
    for norms in batch.trace_grads.values():
        assert len(norms) == len(batch.trace_grad_steps)
    # The parameters, restored, are sampled no later than the step training went back to.
    assert batch.trace_steps.max() <= batch.step


def test_nan_in_the_data_is_blamed_on_the_data_not_the_rate():
    namespace = line_namespace()
    namespace["X"] = namespace["X"].clone()
    namespace["X"][3, 0] = math.nan
    batch = halt_of(user_trainer(namespace))
    assert batch.halted_in("en").startswith(
        "loss became NaN at step 0 because the data (X) holds NaN"
    )
    assert "too high" not in batch.halted_in("en")
    assert "数据（X）中含有 NaN 或 inf" in batch.halted_in("zh")
    assert "学习率" in batch.halted_in("zh")
    assert "太高" not in batch.halted_in("zh")


def test_a_nan_the_model_makes_from_finite_parameters_is_not_blamed_on_the_rate():
    w = torch.tensor([-1.0], requires_grad=True)
    namespace = {
        "model": lambda X: torch.log(w) * X,  # log of a negative number: NaN from the start
        "params": [w],
        "X": torch.ones(4, 1),
        "y": torch.ones(4, 1),
    }
    batch = halt_of(user_trainer(namespace))
    assert batch.halted_in("en").startswith(
        "loss became NaN at step 0 while the parameters and the data"
    )
    assert "not the learning rate" in batch.halted_in("en")
    assert "与学习率无关" in batch.halted_in("zh")


def test_an_empty_batch_mid_run_is_not_blamed_on_the_rate():
    calls = []

    def loss_fn(prediction, target):
        calls.append(1)
        if len(calls) == 6:  # as a batch past the data was: no rows, mean NaN
            prediction, target = prediction[:0], target[:0]
        return ((prediction - target) ** 2).mean()

    trainer = user_trainer(line_namespace(loss_fn=loss_fn))
    batch = halt_of(trainer)
    assert batch.halt_step == 5
    assert "not the learning rate" in batch.halted_in("en")
    assert "too high" not in batch.halted_in("en")
    for value in batch.params.values():
        assert np.isfinite(value).all()


@pytest.mark.parametrize(
    ("step", "value", "bad_inputs", "lowest", "latest", "params_finite", "cause"),
    [
        (5, math.nan, ["X"], 1.0, 1.0, True, DATA),
        (0, math.inf, [], math.inf, math.nan, False, MODEL),  # no update yet
        (5, math.nan, [], 0.5, 0.6, True, MODEL),  # finite, steady: the model made it
        (5, math.nan, [], 0.5, 0.6, False, MODEL),  # NaN spread into the parameters
        (5, math.nan, [], 0.5, 1e9, False, DIVERGED),  # the loss ran away first
        (5, math.inf, [], 0.5, 0.6, False, DIVERGED),  # overflowed in one step
    ],
)
def test_the_cause_of_a_halt(step, value, bad_inputs, lowest, latest, params_finite, cause):
    history = LossHistory(lowest=lowest, latest=latest)
    assert halt_cause(step, value, bad_inputs, history, params_finite) == cause


def test_the_data_checked_are_the_tasks_arrays_not_the_trainers_records():
    data = {
        "X": torch.tensor([1.0, math.inf]),
        "y": np.array([1.0, 2.0]),
        "labels": np.array([math.nan]),
        "index": torch.tensor([1, 2]),
        "grads": {"w": torch.tensor(math.nan)},
    }
    assert non_finite_inputs(data) == ["X", "labels"]


def test_losses_read_the_same_in_every_message():
    assert [loss_text(value) for value in (math.nan, math.inf, -math.inf, 0.123456)] == [
        "NaN",
        "inf",
        "-inf",
        "0.1235",
    ]


def test_one_tiny_minibatch_loss_does_not_make_the_next_look_like_a_blow_up():
    history = LossHistory()
    noisy = np.array([1e-3, 2e-3, 1e-9, 1.5e-3, 3e-3, 2e-3])  # one example fitted exactly
    history.extend(noisy)
    assert halt_cause(6, math.nan, [], history, params_finite=False) == MODEL
    history.extend(np.array([1.0, 1e3, 1e6]))  # running away
    assert halt_cause(9, math.nan, [], history, params_finite=False) == DIVERGED
