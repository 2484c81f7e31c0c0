"""The CSV task learns a learner's file: a line through one feature, classes from two."""

from __future__ import annotations

import numpy as np
import torch

from autograd_playground.core.training.catalog import CSV_INFO, CSV_TASK, TrainingConfig
from autograd_playground.core.training.csv_data import load_csv
from autograd_playground.core.training.csv_setup import LINEAR, MLP, CsvSetup
from autograd_playground.core.training.csv_task import build_csv_task, standardise
from autograd_playground.core.training.trainer import Trainer


def trained(path: str, features, target: str, model: str, **settings) -> Trainer:
    data = load_csv(CsvSetup(path, tuple(features), target, model=model))
    config = TrainingConfig(task=CSV_TASK, optimizer="adam", seed=1, **settings)
    torch.manual_seed(config.seed)
    trainer = Trainer(config, state=build_csv_task(data, model, config), info=CSV_INFO)
    trainer.run(trainer.total_steps)
    return trainer


def test_standardising_centres_each_column_and_leaves_a_constant_one_alone():
    values = np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    scaled, mean, spread = standardise(values)
    np.testing.assert_allclose(mean, [3.0, 5.0])
    np.testing.assert_allclose(spread, [np.sqrt(8 / 3), 1.0])
    np.testing.assert_allclose(scaled[:, 0].std(), 1.0)
    np.testing.assert_array_equal(scaled[:, 1], 0.0)


def test_a_line_through_one_feature_is_drawn_back_in_the_files_units(tmp_path):
    # Units far from 1: standardised, one rate suits them.
    x = np.linspace(1000, 5000, 40)
    rows = "".join(f"{value},{0.5 * value - 700}\n" for value in x[::-1])
    path = tmp_path / "line.csv"
    path.write_text("area,price\n" + rows)
    trainer = trained(str(path), ["area"], "price", LINEAR, lr=0.1, batch_size=8, length=30)
    assert trainer.steps_per_epoch == 5
    assert trainer.step_index == 150
    batch = trainer.collect()
    np.testing.assert_array_equal(batch.curve_x, x)  # sorted by the feature
    np.testing.assert_allclose(batch.data_y, 0.5 * x - 700)
    np.testing.assert_allclose(batch.curve, 0.5 * x - 700, atol=5.0)  # of values up to 1800
    assert set(batch.params) == {"w", "b"}
    # Squared error on the standardised target: guessing the mean scores 1.
    assert batch.epoch_losses[-1][1] < 1e-4


def test_an_mlp_learns_classes_from_two_features_with_cross_entropy(tmp_path):
    generator = np.random.default_rng(0)
    points = generator.normal(size=(120, 2))
    labels = np.where(points[:, 0] * points[:, 1] > 0, "same", "opposite")  # XOR-like
    path = tmp_path / "quadrants.csv"
    path.write_text(
        "x1,x2,sign\n"
        + "".join(f"{a},{b},{label}\n" for (a, b), label in zip(points, labels, strict=True))
    )
    trainer = trained(str(path), ["x1", "x2"], "sign", MLP, lr=0.1, batch_size=0, length=150)
    state = trainer.state
    assert set(state.params) == {"w1", "b1", "w2", "b2"}
    assert state.params["w2"].shape == (2, 16)  # one output a class
    assert state.curve_x is None  # two features: no curve to draw
    with torch.no_grad():
        predicted = state.module(state.data.inputs).argmax(1).numpy()
    accuracy = (predicted == state.data.targets.numpy()).mean()
    assert accuracy > 0.9  # a linear model cannot pass 0.75 here
    losses = trainer.collect().losses
    assert losses[0] > 0.6  # about log 2: two classes, guessed evenly at first
    assert losses[-1] < 0.1
