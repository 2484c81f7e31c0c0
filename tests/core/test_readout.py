"""The lab's progress line and parameter readout, as text, with no window."""

import math

import numpy as np
import pytest

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.training.metrics import MetricsBatch
from autograd_playground.core.training.readout import (
    estimate_parts,
    numbers_text,
    progress_text,
    rate_text,
)


def report(**fields) -> MetricsBatch:
    values = {"steps": np.arange(3), "losses": np.array([0.5, 0.25, 0.125])} | fields
    return MetricsBatch(**values)


@pytest.mark.parametrize(
    "values",
    [
        [2.99851, -3.39971],
        [3.0],
        [4.2],
        [0.0],
        [1e-5, -2e-7],
        [1.23456e-5],
        [2.0001, -3.3998],
        [1234567.0],
        [float("-inf")],
    ],
)
def test_estimate_numbers_read_as_numpy_prints_them(values):
    array = np.array(values)
    assert numbers_text(array) == np.array2string(array, precision=4)


def test_estimate_numbers_keep_nan_and_leave_room_for_signs():
    # numpy would also pad every number to one width; the sign's room is what keeps
    # a row of estimates from jumping as a value crosses zero.
    assert numbers_text(np.array([float("nan"), 1.0])) == "[nan 1.]"
    assert numbers_text(np.array([-1.5, 2.0])) == "[-1.5  2.]"


def test_rates_read_in_whole_steps_where_many_and_three_digits_where_few():
    assert [rate_text(rate) for rate in (8120.4, 100.0, 99.54, 12.5, 0.5)] == [
        "8,120",
        "100",
        "99.5",
        "12.5",
        "0.5",
    ]


def test_the_progress_line_says_step_epoch_device_loss_and_speed():
    batch = report(step=200, epoch=2, total_steps=300, steps_per_epoch=100, steps_per_s=37.52)
    assert (
        progress_text(batch, "en") == "step 200/300 · epoch 2/3 · cpu · loss 0.125 · 37.5 steps/s"
    )
    assert (
        progress_text(batch, "zh") == "第 200/300 步 · 第 2/3 轮 · cpu · 损失 0.125 · 每秒 37.5 步"
    )


def test_a_full_batch_run_counts_steps_alone_and_a_report_without_losses_names_none():
    batch = report(losses=np.zeros(0), step=5, total_steps=800, device="cuda")
    assert progress_text(batch, "en") == "step 5/800 · cuda"


def test_a_halted_run_names_the_loss_that_halted_it_at_its_step():
    batch = report(step=3, total_steps=9, halt_step=2, halt_loss=math.nan)
    assert progress_text(batch, "en") == "step 3/9 · cpu · loss NaN at step 2"
    assert progress_text(batch, "zh") == "第 3/9 步 · cpu · 第 2 步损失 NaN"


def test_the_readout_gives_each_parameter_its_truth_and_error():
    batch = report(
        params={"w": np.array([[2.9]]), "b": np.array([2.0]), "extra": np.ones(2)},
        truth={"w": np.array([[3.0]]), "b": np.array([2.1]), "missing": np.ones(1)},
        truth_notes={"b": Message("2 + noise mean {mean:g}", mean=0.1)},
    )
    assert estimate_parts(batch, "en") == [
        ["w = [2.9]", "true [3.]", "error [0.1]"],
        ["b = [2.]", "true [2.1] = 2 + noise mean 0.1", "error [0.1]"],
    ]
    assert estimate_parts(batch, "zh")[1] == [
        "b = [2.]",
        "真值 [2.1] = 2 + 噪声均值 0.1",
        "误差 [0.1]",
    ]


def test_a_truth_of_another_shape_is_left_out():
    batch = report(params={"w": np.ones(3)}, truth={"w": np.ones(2)})
    assert estimate_parts(batch, "en") == []
