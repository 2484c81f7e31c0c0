"""The lab's classifier tasks: toy data, an MLP that learns it, and its picture of the plane."""

import numpy as np
import pytest
import torch

from autograd_playground.core.run.evaluator import Evaluator
from autograd_playground.core.training.catalog import TASK_INFOS, default_config
from autograd_playground.core.training.classifier_code import classifier_code
from autograd_playground.core.training.classifier_report import (
    BOUNDARY_GRID,
    NEURON_GRID,
    NEURONS_SHOWN,
)
from autograd_playground.core.training.classifier_settings import ClassifierSettings
from autograd_playground.core.training.settings import LabSettings, check_settings
from autograd_playground.core.training.toy_data import MAKERS, PLANE, make_split
from autograd_playground.core.training.trainer import Trainer

CLASSIFIERS = [key for key, info in TASK_INFOS.items() if info.classifier]


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Small ops on a shared machine: parallel threads only wait for each other."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("dataset", list(MAKERS))
def test_toy_data_is_the_seeds_and_split_as_asked(dataset):
    X, y, X_test, y_test = make_split(dataset, 300, 0.2, 20, seed=7)
    again = make_split(dataset, 300, 0.2, 20, seed=7)
    other = make_split(dataset, 300, 0.2, 20, seed=8)
    for part, same in zip((X, y, X_test, y_test), again, strict=True):
        assert torch.equal(part, same)
    assert not torch.equal(X, other[0])
    assert X.shape == (240, 2)
    assert X_test.shape == (60, 2)
    assert X.dtype == torch.float32
    assert y.dtype == torch.int64
    labels = torch.cat([y, y_test])
    assert set(labels.tolist()) == {0, 1}
    assert int((labels == 1).sum()) == 150  # half of each class
    points = torch.cat([X, X_test])
    # The plane the lab draws holds them (all but a Gaussian's rare tail).
    inside = (points.abs().amax(dim=1) < PLANE[1]).float().mean()
    assert float(inside) > 0.99


def test_noise_blurs_the_spirals_and_no_noise_leaves_them_on_their_arms():
    X, _, _, _ = make_split("spirals", 200, 0.0, 10, seed=0)
    noisy, _, _, _ = make_split("spirals", 200, 1.0, 10, seed=0)
    radius = X.norm(dim=1)
    assert float(radius.min()) >= 0.1 - 1e-6
    assert float(radius.max()) <= 1.3 + 1e-6
    assert float((noisy - X).abs().max()) > 0.3


def test_xor_labels_say_whether_x_and_y_share_a_sign():
    X, y, _, _ = make_split("xor", 400, 0.0, 10, seed=3)
    assert torch.equal(y, (X[:, 0] * X[:, 1] > 0).long())


def run_reports(trainer, every):
    reports = []
    while not trainer.done:
        trainer.run(every)
        reports.append(trainer.collect().classifier)
    return reports


def test_a_spiral_classifier_learns_them_in_the_default_run():
    trainer = Trainer(default_config("classify_spirals"))
    reports = run_reports(trainer, 100)
    first, last = reports[0], reports[-1]
    assert first.step == 100
    assert last.step == trainer.total_steps
    assert first.train_accuracy < 0.8
    assert last.train_accuracy > 0.95
    assert last.test_accuracy > 0.85
    assert last.train_loss < first.train_loss / 10


@pytest.mark.parametrize("task", CLASSIFIERS)
def test_the_plane_is_a_probability_grid_and_the_first_layer_its_neurons(task):
    config = default_config(task)
    config.length = 20
    report = Trainer(config).collect().classifier
    assert report.probabilities.shape == (BOUNDARY_GRID, BOUNDARY_GRID)
    assert report.probabilities.dtype == np.float32
    assert 0.0 <= report.probabilities.min() <= report.probabilities.max() <= 1.0
    neurons = min(NEURONS_SHOWN, TASK_INFOS[task].classifier.neurons)
    assert report.neurons.shape == (neurons, NEURON_GRID, NEURON_GRID)
    assert report.plane == PLANE
    assert len(report.train_points) == len(report.train_labels) == 320
    assert len(report.test_points) == len(report.test_labels) == 80


def test_at_most_eight_neurons_are_drawn_and_they_are_the_first_layers_outputs():
    config = default_config("classify_circles")
    config.classifier = ClassifierSettings(neurons=20, hidden_layers=2, activation="relu")
    trainer = Trainer(config)
    report = trainer.collect().classifier
    assert report.neurons.shape == (NEURONS_SHOWN, NEURON_GRID, NEURON_GRID)
    first = trainer.state.module[0]
    # The grid's bottom-left point is the plane's corner; the neuron's ReLU of it.
    corner = torch.tensor([[PLANE[0], PLANE[0]]])
    with torch.no_grad():
        expected = torch.relu(first(corner))[0, :NEURONS_SHOWN].numpy()
    np.testing.assert_allclose(report.neurons[:, 0, 0], expected, rtol=1e-5, atol=1e-6)
    assert report.neurons.min() >= 0.0  # ReLU's outputs
    # The top-right corner is the last pixel: rows go up the plane.
    corner = torch.tensor([[PLANE[1], PLANE[1]]])
    with torch.no_grad():
        scores = trainer.state.module(corner)
    top_right = torch.softmax(scores, dim=1)[0, 1].item()
    assert report.probabilities[-1, -1] == pytest.approx(top_right, abs=1e-5)


def test_the_seed_fixes_the_first_weights_and_the_settings_the_shape():
    config = default_config("classify_xor")
    config.classifier = ClassifierSettings(hidden_layers=3, neurons=5, activation="sigmoid")
    one, two = Trainer(config), Trainer(config)
    for name, param in one.state.params.items():
        assert torch.equal(param, two.state.params[name])
    linears = [layer for layer in one.state.module if isinstance(layer, torch.nn.Linear)]
    assert [layer.out_features for layer in linears] == [5, 5, 5, 2]
    assert isinstance(one.state.module[1], torch.nn.Sigmoid)


def test_open_as_code_runs_and_trains_what_the_lab_trains():
    settings = LabSettings.for_task("classify_circles")
    settings.seed = 3
    code = classifier_code(settings)
    evaluator = Evaluator()
    result = evaluator.run(code)
    assert result.ok, result.error
    assert "train accuracy" in result.stdout
    names = evaluator.user_names()
    assert names["train_accuracy"] > 0.95
    # The same data and first weights as the lab's run with this seed.
    lab = Trainer(settings.config("cpu"))
    lab_X = lab.state.data.inputs
    assert torch.equal(names["X"], lab_X)
    code_start = Evaluator()
    assert code_start.run(code.split("\nfor step in")[0]).ok  # up to the loop
    start = dict(code_start.user_names()["model"].named_parameters())
    for name, param in lab.state.params.items():
        assert torch.equal(start[name].detach(), param.detach())


def test_a_session_files_classifier_settings_are_checked():
    checked = check_settings(
        {
            "task": "classify_spirals",
            "classifier": {"points": 600, "activation": "relu", "neurons": 99, "noise": "a lot"},
        },
        "quadratic",
    )
    settings = checked.values["classifier"]
    assert (settings.points, settings.activation) == (600, "relu")
    # Left as the task's own: 16 neurons, noise 0.1.
    assert (settings.neurons, settings.noise) == (16, 0.1)
    problems = [problem.message_in("en") for problem in checked.problems]
    assert problems == [
        "neurons 99 is not a whole number from 1 to 32",
        "the noise 'a lot' is not a number from 0 to 1",
    ]


def test_settings_round_trip_through_json():
    settings = LabSettings.for_task("classify_blobs")
    values = check_settings(settings.as_json(), "quadratic").values
    assert values["classifier"] == settings.classifier == TASK_INFOS["classify_blobs"].classifier


def test_the_code_in_the_editor_is_a_model_your_own_model_trains():
    from autograd_playground.core.training.catalog import USER_INFO, TrainingConfig
    from autograd_playground.core.training.user_task import build_user_task

    settings = LabSettings.for_task("classify_blobs")
    evaluator = Evaluator()
    assert evaluator.run(classifier_code(settings).split("\nfor step in")[0]).ok
    config = TrainingConfig(task="user", lr=0.03, batch_size=0, length=60, optimizer="adam")
    state = build_user_task(evaluator.user_names(), config)
    trainer = Trainer(config, state=state, info=USER_INFO)
    while not trainer.done:
        trainer.run(60)
    losses = trainer.collect().losses
    assert losses[-1] < losses[0] / 2
