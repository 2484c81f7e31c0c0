"""The editor's own two-class model of points on the plane gets the classifier's plane."""

import torch
from torch import nn

from autograd_playground.core.training.catalog import USER_INFO, USER_TASK, TrainingConfig
from autograd_playground.core.training.classifier_report import NEURON_GRID
from autograd_playground.core.training.trainer import Trainer
from autograd_playground.core.training.user_task import build_user_task


def two_blobs() -> dict:
    torch.manual_seed(0)
    X = torch.cat([torch.randn(50, 2) + 2, torch.randn(50, 2) - 2])
    y = torch.cat([torch.zeros(50), torch.ones(50)]).long()
    return {"X": X, "y": y, "loss_fn": nn.CrossEntropyLoss()}


def trainer_for(namespace: dict, length: int = 30) -> Trainer:
    config = TrainingConfig(task=USER_TASK, lr=0.05, batch_size=0, length=length, optimizer="adam")
    return Trainer(config, state=build_user_task(namespace, config), info=USER_INFO)


def test_a_two_class_mlp_shows_its_boundary_and_neurons_over_its_data():
    namespace = two_blobs()
    namespace["model"] = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 2))
    trainer = trainer_for(namespace)
    trainer.run(30)
    report = trainer.collect().classifier
    assert report is not None
    assert report.train_accuracy > 0.95
    assert report.neurons.shape == (5, NEURON_GRID, NEURON_GRID)
    assert report.activation == "tanh"
    low, high = report.plane
    X = namespace["X"]
    assert low < float(X.min())
    assert high > float(X.max())
    assert len(report.test_points) == 0  # no test set of its own: none is drawn
    assert 0.0 <= report.probabilities.min() <= report.probabilities.max() <= 1.0


def test_a_model_without_a_hidden_layer_shows_the_plane_and_no_neurons():
    namespace = two_blobs()
    namespace["model"] = nn.Linear(2, 2)
    report = trainer_for(namespace, length=2).collect().classifier
    assert report is not None
    assert report.neurons.shape[0] == 0


def test_regression_and_many_classes_get_no_plane():
    regression = {"X": torch.randn(20, 2), "model": nn.Linear(2, 1)}
    regression["y"] = regression["X"].sum(dim=1, keepdim=True)
    assert trainer_for(regression, length=2).collect().classifier is None
    three = {
        "X": torch.randn(30, 2),
        "y": torch.arange(30) % 3,
        "model": nn.Linear(2, 3),
        "loss_fn": nn.CrossEntropyLoss(),
    }
    assert trainer_for(three, length=2).collect().classifier is None
