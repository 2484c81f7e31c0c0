"""Restart from the same start: which settings a restart keeps, and that it starts
where the last run did."""

import numpy as np
import pytest

from autograd_playground.core.training.restart import (
    ComparedSettings,
    RunRecord,
    can_restart,
    compared_settings,
    restart_settings,
)
from autograd_playground.core.training.settings import LabSettings
from autograd_playground.core.training.trainer import Trainer


def settings(task="linreg_scratch", **changes) -> LabSettings:
    values = LabSettings.for_task(task)
    for key, value in changes.items():
        setattr(values, key, value)
    return values


def test_a_restart_trains_with_the_settings_shown_on_the_last_runs_seed():
    last = RunRecord.started(settings(seed=7, lr=0.03))
    shown = settings(seed=99, lr=0.1, optimizer="adam", batch_size=20, length=5)
    restarted = restart_settings(shown, last)
    assert restarted.seed == 7
    assert (restarted.lr, restarted.optimizer, restarted.batch_size, restarted.length) == (
        0.1,
        "adam",
        20,
        5,
    )
    assert shown.seed == 99  # the form's settings are read, not changed


def test_only_a_last_run_of_the_task_shown_can_be_restarted():
    assert not can_restart(None, "quadratic")
    record = RunRecord.started(settings("quadratic"))
    assert can_restart(record, "quadratic")
    assert not can_restart(record, "linreg_scratch")


def test_a_record_keeps_each_rate_and_optimizer_the_run_changed_to():
    record = RunRecord.started(settings(lr=0.03, optimizer="sgd"))
    record.note_lr(0.03)  # the same rate sent again (Resume sends it) is no change
    record.note_lr(0.1)
    record.note_optimizer("sgd")
    record.note_optimizer("adam")
    assert record.lrs == [0.03, 0.1]
    assert record.optimizers == ["sgd", "adam"]


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (settings(lr=0.1, optimizer="sgd"), ComparedSettings(lrs=(0.03,))),
        (settings(lr=0.1, optimizer="adam"), ComparedSettings(lrs=(0.03,), optimizers=("sgd",))),
        (settings(lr=0.03, optimizer="sgd"), ComparedSettings(lrs=(0.03,))),
        (settings(batch_size=0, optimizer="sgd"), ComparedSettings(lrs=(0.03,), batch_size=10)),
    ],
)
def test_the_legend_names_the_rate_and_what_else_the_new_run_changed(new, expected):
    previous = RunRecord.started(settings(lr=0.03, optimizer="sgd", batch_size=10))
    assert compared_settings(previous, new) == expected


def test_a_full_batch_tasks_unused_batch_size_is_not_named():
    previous = RunRecord.started(settings("quadratic", batch_size=3))
    new = settings("quadratic", batch_size=0, lr=0.5)
    assert compared_settings(previous, new) == ComparedSettings(lrs=(0.01,))


def start_params(values: LabSettings) -> dict[str, np.ndarray]:
    trainer = Trainer(values.config("cpu"))
    return {name: value.copy() for name, value in trainer._param_arrays().items()}


@pytest.mark.parametrize("task", ["linreg_scratch", "linreg_concise", "two_layer_autograd"])
def test_the_restarted_run_starts_from_the_last_runs_weights_and_data(task):
    last = RunRecord.started(settings(task, seed=3))
    first = Trainer(last.settings.config("cpu"))
    shown = settings(task, seed=4, lr=last.settings.lr * 10)
    again = Trainer(restart_settings(shown, last).config("cpu"))
    for name, value in first._param_arrays().items():
        np.testing.assert_array_equal(again._param_arrays()[name], value)
    np.testing.assert_array_equal(again.state.data.inputs, first.state.data.inputs)
    assert again.config.lr == shown.lr
    # The seed field's own value would have started elsewhere.
    elsewhere = start_params(shown)
    assert any(
        not np.array_equal(elsewhere[name], value) for name, value in first._param_arrays().items()
    )


def test_a_classifier_restart_names_the_network_and_data_it_changed():
    from dataclasses import replace

    last = RunRecord.started(settings("classify_xor"))
    wider = replace(last.settings.classifier, neurons=12, activation="relu")
    compared = compared_settings(last, settings("classify_xor", classifier=wider))
    assert compared.network == last.settings.classifier
    assert compared.data is None
    more = replace(last.settings.classifier, points=800)
    compared = compared_settings(last, settings("classify_xor", classifier=more))
    assert (compared.network, compared.data) == (None, last.settings.classifier)
    # A seed task's curves never name a classifier's settings, changed or not.
    seed = RunRecord.started(settings("quadratic"))
    compared = compared_settings(seed, settings("quadratic", classifier=more))
    assert (compared.network, compared.data) == (None, None)
