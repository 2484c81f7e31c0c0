"""What the lab shows as the goal is what training can reach: the README's own-model
example learns at the lab's defaults, and a task's "true" values are the best fit."""

import re
from pathlib import Path

import numpy as np
import torch
from torch import nn

from autograd_playground.core.run.seeding import seed_everything
from autograd_playground.core.training.catalog import USER_INFO, USER_TASK, default_config
from autograd_playground.core.training.tasks import TASKS
from autograd_playground.core.training.trainer import Trainer
from autograd_playground.core.training.user_task import build_user_task

README = Path(__file__).resolve().parents[2] / "README.md"


def own_model_section() -> str:
    """The README's section on training your own model."""
    text = README.read_text(encoding="utf-8")
    return text[text.index("To train **your own model**") :]


def own_model_example() -> str:
    """The code of the README's section on training your own model."""
    return re.search(r"```python\n(.*?)```", own_model_section(), re.DOTALL).group(1)


def test_the_readme_gives_the_labs_defaults_for_your_own_model():
    defaults = (
        f"(Adam, learning rate {USER_INFO.lr:g}, {USER_INFO.length} epochs, the whole data\nset"
    )
    assert USER_INFO.optimizers[0] == "adam"
    assert USER_INFO.batch_size == 0
    assert defaults in own_model_section()


def test_the_readme_example_learns_the_parabola_at_the_labs_defaults():
    config = default_config(USER_TASK)
    assert (config.optimizer, config.lr, config.length, config.batch_size) == (
        USER_INFO.optimizers[0],
        USER_INFO.lr,
        USER_INFO.length,
        0,
    )
    seed_everything(config.seed)  # as the lab's worker does before running the code
    namespace = {"torch": torch, "nn": nn}
    exec(own_model_example(), namespace)
    trainer = Trainer(config, state=build_user_task(namespace, config), info=USER_INFO)
    while not trainer.done:
        trainer.run(50)
        batch = trainer.collect()
        assert batch.halted is None, batch.halted
    assert batch.losses[-1] < 0.01  # as the README says
    x = batch.curve_x
    target = 3 * x**2 + 2
    assert np.abs(batch.curve - target).max() < 0.5  # the parabola, not a flat line
    assert batch.curve.max() - batch.curve.min() > 2.5  # it spans 2 to 5


def least_squares(design: np.ndarray, y: np.ndarray) -> np.ndarray:
    solution, *_ = np.linalg.lstsq(design, y.reshape(-1), rcond=None)
    return solution


def test_the_quadratics_truth_is_the_best_fit_of_its_noisy_data():
    trainer = Trainer(default_config("quadratic"))
    x = trainer.state.data.inputs.numpy().ravel()
    y = trainer.state.data.targets.numpy().ravel()
    w, b = least_squares(np.stack([x**2, np.ones_like(x)], axis=1), y)
    truth = trainer.state.truth
    # The noise, uniform on [0, 0.2], adds 0.1 on average: b's truth is 2.1, not 2.
    assert abs(truth["b"].item() - b) < 0.02
    assert abs(truth["w"].item() - w) < 0.05
    note = trainer.collect().truth_notes["b"]
    assert (note.in_language("en"), note.in_language("zh")) == (
        "2 + noise mean 0.1",
        "2 + 噪声均值 0.1",
    )


def test_the_linear_regressions_truths_are_the_best_fit_of_their_data():
    for task in ("linreg_scratch", "linreg_concise"):
        trainer = Trainer(default_config(task))
        X = trainer.state.data.inputs.numpy()
        y = trainer.state.data.targets.numpy()
        *w, b = least_squares(np.column_stack([X, np.ones(len(X))]), y)
        truth = trainer.state.truth
        np.testing.assert_allclose(np.ravel(truth["w"]), w, atol=0.002)
        assert abs(truth["b"].item() - b) < 0.002


def test_tasks_without_a_truth_claim_none():
    for task in ("two_layer_numpy", "two_layer_tensor", "two_layer_autograd"):
        assert TASKS[task][1](default_config(task)).truth == {}
