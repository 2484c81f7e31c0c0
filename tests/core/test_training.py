"""The training lab's engine: each seed task learns what its seed says it learns."""

import numpy as np
import pytest
import torch

from autograd_playground.core.training.buffers import GrowingSeries, smoothed
from autograd_playground.core.training.catalog import (
    USER_INFO,
    USER_TASK,
    TrainingConfig,
    default_config,
    planned_steps,
)
from autograd_playground.core.training.tasks import TASKS
from autograd_playground.core.training.trainer import Trainer
from autograd_playground.core.training.user_task import UserTaskError, build_user_task


def train(config: TrainingConfig) -> tuple[Trainer, np.ndarray]:
    trainer = Trainer(config)
    losses = []
    while not trainer.done:
        trainer.step()
        if trainer.step_index % 50 == 0:
            losses.append(trainer.collect().losses)
    losses.append(trainer.collect().losses)
    return trainer, np.concatenate(losses)


def test_linear_regression_from_scratch_recovers_w_and_b():
    trainer, losses = train(default_config("linreg_scratch"))
    assert trainer.step_index == 300  # 3 epochs of 100 batches of 10
    params = trainer.collect().params
    assert np.abs(params["w"].ravel() - [2.0, -3.4]).max() < 0.01
    assert abs(params["b"][0] - 4.2) < 0.01
    assert losses[-1] < 1e-3 < losses[0]


def test_concise_linear_regression_with_sgd():
    config = default_config("linreg_concise")
    assert config.optimizer == "sgd"
    trainer, _ = train(config)
    params = trainer.collect().params
    assert np.abs(params["w"].ravel() - [2.0, -3.4]).max() < 0.01


def test_quadratic_fit_matches_the_seed():
    trainer, losses = train(default_config("quadratic"))
    batch = trainer.collect()
    # The seed prints w ≈ 2.97 and b ≈ 2.11 after 800 iterations at lr 0.01.
    assert batch.params["w"][0, 0] == pytest.approx(3.0, abs=0.1)
    assert batch.params["b"][0, 0] == pytest.approx(2.1, abs=0.1)
    assert batch.curve.shape == (100,)
    assert len(losses) == 800


def test_two_layer_flavours_all_learn_and_tensor_matches_autograd():
    _, manual = train(default_config("two_layer_tensor"))
    _, auto = train(default_config("two_layer_autograd"))
    _, numpy_losses = train(default_config("two_layer_numpy"))
    np.testing.assert_allclose(manual, auto, rtol=1e-3)
    for losses in (manual, auto, numpy_losses):
        assert len(losses) == 500
        assert losses[-1] < losses[0] * 1e-6


def test_every_step_is_reported_once():
    trainer = Trainer(default_config("linreg_scratch"))
    seen = []
    for _ in range(7):
        for _ in range(13):
            trainer.step(record=False)
        seen.extend(trainer.collect().steps.tolist())
    assert seen == list(range(91))


def whole_data_loss(state) -> float:
    """What d2l 3.2 prints after an epoch: the squared loss over all the data, averaged."""
    X, y = state.data.inputs, state.data.targets
    w, b = (state.params[name].detach() for name in ("w", "b"))
    return float(((X @ w + b - y) ** 2 / 2).mean())


def test_an_epochs_loss_is_the_whole_data_loss_the_seed_prints():
    trainer = Trainer(default_config("linreg_scratch"))
    trainer.run_epoch()
    batch = trainer.collect()
    assert trainer.step_index == 100
    assert [epoch for epoch, _ in batch.epoch_losses] == [1]
    assert batch.epoch_losses[0][1] == pytest.approx(whole_data_loss(trainer.state), rel=1e-5)
    # Not the mean of the epoch's steps, which the first, large losses dominate.
    assert batch.epoch_losses[0][1] < batch.losses.mean() / 10


def test_the_concise_seeds_epoch_loss_is_its_mse_over_all_the_data():
    trainer = Trainer(default_config("linreg_concise"))
    trainer.run_epoch()
    state = trainer.state
    X, y = state.data.inputs, state.data.targets
    w, b = state.params["w"].detach(), state.params["b"].detach()
    expected = float(((X @ w.T + b - y) ** 2).mean())
    assert trainer.collect().epoch_losses[0][1] == pytest.approx(expected, rel=1e-5)


def test_an_epoch_of_the_learners_own_task_shows_its_steps_mean():
    namespace = {
        "X": torch.linspace(-1, 1, 40).reshape(-1, 1),
        "model": torch.nn.Linear(1, 1),
    }
    namespace["y"] = 2 * namespace["X"] + 1
    config = TrainingConfig(task=USER_TASK, lr=0.1, batch_size=10, length=1, optimizer="sgd")
    trainer = Trainer(config, state=build_user_task(namespace, config), info=USER_INFO)
    trainer.run_epoch()
    batch = trainer.collect()
    assert [epoch for epoch, _ in batch.epoch_losses] == [1]
    assert batch.epoch_losses[0][1] == pytest.approx(batch.losses.mean())


def test_each_steps_loss_is_its_batchs_mean_squared_loss_even_for_a_smaller_last_batch():
    config = default_config("linreg_scratch")
    config.batch_size = 300  # 1000 examples: three batches of 300, then one of 100
    trainer = Trainer(config)
    state = trainer.state
    before = []  # w and b before each step
    for _ in range(4):
        before.append([state.params[name].detach().clone() for name in ("w", "b")])
        trainer.step(record=False)
    expected = []
    for (w, b), batch in zip(before, state.data.batches, strict=True):
        X, y = state.data.inputs[batch], state.data.targets[batch]
        expected.append(float(((X @ w + b - y) ** 2 / 2).mean()))
    report = trainer.collect()
    assert [len(batch) for batch in state.data.batches] == [300, 300, 300, 100]
    np.testing.assert_allclose(report.losses, expected, rtol=1e-5)


def test_same_seed_same_run():
    _, first = train(default_config("quadratic"))
    _, second = train(default_config("quadratic"))
    np.testing.assert_array_equal(first, second)


def test_learning_rate_and_optimizer_change_while_running():
    trainer = Trainer(default_config("quadratic"))
    for _ in range(10):
        trainer.step()
    trainer.set_lr(0.001)
    trainer.set_optimizer("adam")
    assert trainer.optimizer.param_groups[0]["lr"] == 0.001
    trainer.set_lr(0.002)
    assert trainer.optimizer.param_groups[0]["lr"] == 0.002
    before = trainer.collect().params["w"].copy()
    trainer.step()
    after = trainer.collect().params["w"]
    assert abs(after - before).max() == pytest.approx(0.002, rel=0.05)  # Adam's first step
    with pytest.raises(ValueError, match="cannot use") as caught:
        Trainer(default_config("two_layer_numpy")).set_optimizer("adam")
    assert caught.value.message_in("zh") == "“两层网络：NumPy”不能使用优化器 'adam'"


def test_a_halt_before_any_finite_report_restores_the_starting_point():
    config = default_config("quadratic")
    config.lr = 10.0
    trainer = Trainer(config)
    start = {name: value.copy() for name, value in trainer.collect().params.items()}
    for _ in range(20):  # the first report already holds the NaN
        trainer.step(record=False)
    batch = trainer.collect()
    assert batch.halted_in("en").startswith("loss became ")
    for name, value in batch.params.items():
        np.testing.assert_array_equal(value, start[name])


def test_nan_halts_with_a_message_and_keeps_finite_parameters():
    config = default_config("quadratic")
    config.lr = 10.0
    trainer = Trainer(config)
    trainer.step()
    last_finite = trainer.collect()
    assert last_finite.halted is None
    for _ in range(20):  # diverges within a few steps; reported at once, as a worker would
        trainer.step(record=False)
    batch = trainer.collect()
    assert batch.steps.tolist() == list(range(1, 21))  # the diverging losses are shown
    assert not np.isfinite(batch.losses).all()
    # Back to the step of the parameters restored, the last finite report's.
    assert trainer.step_index == batch.step == last_finite.step == 1
    # Gradient norms stay only up to the halt's step, as its losses do: those sampled
    # after it are of parameters already gone.
    assert all(step <= batch.halt_step for step in batch.trace_grad_steps)
    assert batch.halted_in("en").startswith("loss became ")
    assert "lr 10 is probably too high. Training went back to step 1," in batch.halted_in("en")
    assert batch.halted_in("zh").startswith("损失在第 ")
    assert "学习率 10 可能太高了。训练已回到第 1 步" in batch.halted_in("zh")
    assert last_finite.halted_in("zh") is None
    assert trainer.done
    for value in batch.params.values():
        assert np.isfinite(value).all()
    np.testing.assert_array_equal(batch.params["w"], last_finite.params["w"])
    trainer.set_lr(0.01)
    trainer.resume_after_halt()
    assert not trainer.done
    trainer.step()
    resumed = trainer.collect()
    assert resumed.steps.tolist() == [1]  # step 1 again, from its finite parameters
    assert np.isfinite(resumed.losses).all()


def test_a_halt_mid_epoch_drops_the_epoch_means_it_overtook():
    config = default_config("linreg_scratch")
    trainer = Trainer(config)
    for _ in range(150):  # an epoch and a half, reported
        trainer.step(record=False)
    assert [epoch for epoch, _ in trainer.collect().epoch_losses] == [1]
    trainer.set_lr(1e6)
    for _ in range(100):  # diverges, past the end of the second epoch
        trainer.step(record=False)
    batch = trainer.collect()
    assert batch.halted
    assert trainer.step_index == 150
    assert batch.epoch_losses == []  # the second epoch ended on diverged parameters
    trainer.set_lr(0.03)
    trainer.resume_after_halt()
    while trainer.step_index < 200:
        trainer.step(record=False)
    after = trainer.collect()
    assert after.steps.tolist() == list(range(150, 200))
    assert [epoch for epoch, _ in after.epoch_losses] == [2]
    assert after.epoch_losses[0][1] == pytest.approx(whole_data_loss(trainer.state), rel=1e-5)


def test_a_run_inside_one_report_still_traces_its_parameters_through_the_steps():
    config = default_config("quadratic")  # 800 iterations
    trainer = Trainer(config)
    after_step = {}
    while not trainer.done:
        trainer.step(record=False)  # no report asked for along the way
        after_step[trainer.step_index] = {
            name: value.detach().clone() for name, value in trainer.state.params.items()
        }
    batch = trainer.collect()
    steps = batch.trace_steps
    assert steps[0] == 1
    assert steps[-1] == 800
    assert 100 <= len(steps) <= 102  # every 8th step, the first and the last
    assert set(batch.trace_params) == {"w", "b"}
    for index in (0, 37, len(steps) - 1):
        step = int(steps[index])
        for name in ("w", "b"):
            assert batch.trace_params[name][index] == pytest.approx(float(after_step[step][name]))
    # Each traced step recorded its gradient norms, before its update cleared them.
    np.testing.assert_array_equal(batch.trace_grad_steps, steps)
    assert batch.trace_grads["w"][0] > 1.0
    assert np.all(np.isfinite(batch.trace_grads["b"]))


def test_big_parameters_are_traced_by_their_norm_and_small_ones_by_element():
    trainer = Trainer(default_config("two_layer_autograd"))
    for _ in range(10):
        trainer.step(record=False)
    batch = trainer.collect()
    assert set(batch.trace_params) == {"‖w1‖", "‖w2‖"}
    norm = float(torch.linalg.vector_norm(trainer.state.params["w1"].detach()))
    assert batch.trace_params["‖w1‖"][-1] == pytest.approx(norm, rel=1e-6)
    linreg = Trainer(default_config("linreg_scratch"))
    linreg.step()
    assert set(linreg.collect().trace_params) == {"w[0]", "w[1]", "b"}


def test_a_halt_drops_the_samples_taken_after_the_restored_step():
    config = default_config("quadratic")
    config.lr = 10.0
    trainer = Trainer(config)
    trainer.step()
    trainer.collect()
    for _ in range(20):
        trainer.step(record=False)
    batch = trainer.collect()
    assert batch.halted
    assert batch.trace_steps.tolist() == [1.0]  # the restored parameters, at step 1
    assert np.isfinite(batch.trace_params["w"]).all()


def test_gradient_norms_are_those_before_the_update():
    trainer = Trainer(default_config("quadratic"))
    trainer.step(record=True)
    batch = trainer.collect()
    assert batch.trace_grad_steps.tolist() == [1.0]
    assert set(batch.trace_grads) == {"w", "b"}
    assert batch.trace_grads["w"][0] > 1.0  # the first gradient is large; the update clears it


def test_move_to_the_same_device_keeps_training():
    trainer = Trainer(default_config("linreg_concise"))
    for _ in range(5):
        trainer.step()
    trainer.move_to("cpu")
    trainer.step()
    assert trainer.collect().steps.tolist() == [0, 1, 2, 3, 4, 5]


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_move_to_cuda_and_back_mid_run():
    config = default_config("linreg_concise")
    config.optimizer = "adam"
    trainer = Trainer(config)
    for _ in range(5):
        trainer.step()
    trainer.move_to("cuda:0")
    assert trainer.state.params["w"].device.type == "cuda"
    state = next(iter(trainer.optimizer.state.values()))
    assert state["exp_avg"].device.type == "cuda"
    for _ in range(5):
        trainer.step()
    trainer.move_to("cpu")
    trainer.step()
    assert trainer.collect().steps.tolist() == list(range(11))


def test_user_task_with_a_module_on_1d_data():
    torch.manual_seed(0)
    X = torch.linspace(-1, 1, 50).reshape(-1, 1)
    y = 3 * X + 1
    namespace = {
        "model": torch.nn.Linear(1, 1),
        "X": X,
        "y": y,
        "true_params": {"weight": [[3.0]], "bias": [1.0]},
    }
    config = TrainingConfig(task="user", lr=0.1, batch_size=0, length=300, optimizer="sgd")
    trainer = Trainer(config, state=build_user_task(namespace, config), info=USER_INFO)
    while not trainer.done:
        trainer.step()
    batch = trainer.collect()
    assert batch.params["weight"][0, 0] == pytest.approx(3.0, abs=0.05)
    assert batch.curve is not None
    assert set(batch.truth) == {"weight", "bias"}


@pytest.mark.parametrize("as_view", [False, True])
def test_a_steps_graph_goes_with_the_step_and_a_view_loss_still_trains(as_view):
    # Each step's spent graph is freed as the step ends, as a bare loop frees it,
    # not kept with its loss until the next report; a loss that is a view (which
    # cannot be cut from its graph in place) trains and reports the same.
    config = default_config("quadratic")
    config.length = 40
    trainer = Trainer(config)
    task_step, returned = trainer.state.step, []

    def step(index, optimizer, lr):
        loss = task_step(index, optimizer, lr)
        returned.append(loss.reshape(1)[0] if as_view else loss)
        return returned[-1]

    trainer.state.step = step
    trainer.run(20)
    trainer.step()
    trainer.run(19)
    batch = trainer.collect()
    assert len(returned) == 40
    if not as_view:
        assert all(loss.grad_fn is None for loss in returned)
    np.testing.assert_allclose(batch.losses, [loss.item() for loss in returned], rtol=1e-6)
    assert batch.losses[-1] < batch.losses[0]


def test_user_task_with_a_function_and_params():
    w = torch.zeros(1, requires_grad=True)
    namespace = {
        "model": lambda X: X * w,
        "params": [w],
        "X": torch.ones(8),
        "y": 2 * torch.ones(8),
    }
    config = TrainingConfig(task="user", lr=0.1, batch_size=4, length=50, optimizer="sgd")
    trainer = Trainer(config, state=build_user_task(namespace, config), info=USER_INFO)
    assert trainer.steps_per_epoch == 2
    while not trainer.done:
        trainer.step()
    assert trainer.collect().params["params[0]"][0] == pytest.approx(2.0, abs=0.01)


@pytest.mark.parametrize(
    ("namespace", "message"),
    [
        ({}, "define model"),
        ({"model": lambda X: X}, "also define params"),
        ({"model": torch.nn.Linear(1, 1)}, "define X and y"),
        ({"model": torch.nn.Linear(1, 1), "X": torch.ones(3, 1), "y": torch.ones(2)}, "3 rows"),
        ({"model": lambda X: X, "params": [torch.ones(1)]}, "requires_grad=True"),
    ],
)
def test_user_task_protocol_errors(namespace, message):
    with pytest.raises(UserTaskError, match=message):
        build_user_task(namespace, TrainingConfig(task="user"))


def test_every_task_has_the_seed_defaults():
    assert set(TASKS) == {
        "linreg_scratch",
        "linreg_concise",
        "quadratic",
        "two_layer_numpy",
        "two_layer_tensor",
        "two_layer_autograd",
        "classify_blobs",
        "classify_circles",
        "classify_xor",
        "classify_spirals",
    }
    scratch = default_config("linreg_scratch")
    assert (scratch.lr, scratch.batch_size, scratch.length) == (0.03, 10, 3)
    quadratic = default_config("quadratic")
    assert (quadratic.lr, quadratic.length) == (0.01, 800)
    net = default_config("two_layer_autograd")
    assert (net.lr, net.length) == (1e-6, 500)


def test_growing_series_keeps_every_point():
    series = GrowingSeries(capacity=4)
    for start in range(0, 100, 7):
        xs = np.arange(start, min(start + 7, 100), dtype=float)
        series.extend(xs, xs * 2)
    assert len(series) == 100
    np.testing.assert_array_equal(series.x, np.arange(100.0))
    np.testing.assert_array_equal(series.y, np.arange(100.0) * 2)


@pytest.mark.parametrize("seed", range(5))
def test_a_series_thinned_again_mid_report_keeps_its_points_in_step_order(seed):
    rng = np.random.default_rng(seed)
    series = GrowingSeries(capacity=4, limit=int(rng.integers(8, 64)))
    start = 0
    for _ in range(40):  # reports of any size, each thinning the series again or not
        count = int(rng.integers(1, 50))
        series.extend(np.arange(start, start + count, dtype=float), rng.normal(size=count))
        start += count
        assert np.all(np.diff(series.x) > 0)


def test_a_series_drops_the_points_from_a_step_on_and_grows_from_there():
    series = GrowingSeries(capacity=4)
    series.extend(np.arange(10.0), np.arange(10.0))
    series.drop_from(6.0)
    np.testing.assert_array_equal(series.x, np.arange(6.0))
    series.extend(np.array([6.0, 7.0]), np.array([60.0, 70.0]))
    np.testing.assert_array_equal(series.y, [0, 1, 2, 3, 4, 5, 60, 70])


def test_a_thinned_series_drops_stored_and_waiting_points_alike():
    series = GrowingSeries(limit=16)
    series.extend(np.arange(100.0), np.arange(100.0))
    series.drop_from(90.0)
    assert series.x.max() < 90
    assert np.all(np.diff(series.x) > 0)
    series.extend(np.arange(90.0, 120.0), np.zeros(30))
    assert series.x.max() >= 110  # the waiting blocks join as before
    assert np.all(np.diff(series.x) > 0)


def test_smoothing_skips_non_finite_values():
    out = smoothed(np.array([1.0, np.nan, 1.0, 3.0]), weight=0.5)
    np.testing.assert_allclose(out, [1.0, 1.0, 1.0, 2.0])


@pytest.mark.parametrize("count", [1, 255, 256, 257, 3000])
def test_smoothing_is_the_moving_average_a_report_at_a_time(count):
    values = np.random.default_rng(count).normal(size=count) * 5 + np.linspace(50, -50, count)

    def by_definition(values, start):
        out, last = [], start
        for value in values:
            last = 0.9 * last + 0.1 * value
            out.append(last)
        return np.array(out)

    expected = by_definition(values, values[0])
    np.testing.assert_allclose(smoothed(values), expected, rtol=1e-10, atol=1e-10)
    # Continued from the last report's value, as the live plot does.
    half = count // 2
    first = smoothed(values[:half]) if half else np.zeros(0)
    rest = smoothed(values[half:], start=first[-1] if half else None)
    np.testing.assert_allclose(np.concatenate([first, rest]), expected, rtol=1e-10, atol=1e-10)


def test_log_smoothing_is_the_moving_geometric_mean_a_report_at_a_time():
    values = np.exp(np.random.default_rng(0).normal(size=300) * 2 + np.linspace(5, -5, 300))
    expected = np.exp(smoothed(np.log(values)))
    np.testing.assert_allclose(smoothed(values, log=True), expected, rtol=1e-10)
    first = smoothed(values[:100], log=True)
    rest = smoothed(values[100:], start=first[-1], log=True)
    np.testing.assert_allclose(np.concatenate([first, rest]), expected, rtol=1e-10)
    # Noise of a factor of ten either way: the line runs through its middle, not above it.
    noisy = np.tile([0.1, 10.0], 50)
    assert smoothed(noisy, log=True)[-1] == pytest.approx(1.0, rel=0.2)
    assert smoothed(noisy)[-1] == pytest.approx(5.05, rel=0.1)


def test_log_smoothing_skips_what_a_log_axis_cannot_show():
    out = smoothed(np.array([0.0, -1.0, 4.0, 0.0, 1.0]), weight=0.5, log=True)
    assert np.isnan(out[:2]).all()  # nothing to average yet
    np.testing.assert_allclose(out[2:], [4.0, 4.0, 2.0])


def test_smoothing_starts_at_the_first_finite_value():
    out = smoothed(np.array([np.nan, 2.0, 4.0]), weight=0.5)
    assert np.isnan(out[0])
    np.testing.assert_allclose(out[1:], [2.0, 3.0])


def test_a_recorded_steps_graph_has_that_steps_grads_before_the_update():
    trainer = Trainer(default_config("quadratic"))
    trainer.step()
    w, b = (trainer.state.params[name].detach().clone() for name in ("w", "b"))
    x, y = trainer.state.data.inputs, trainer.state.data.targets
    w.requires_grad_(True)
    b.requires_grad_(True)
    (0.5 * (x.pow(2).mm(w) + b - y) ** 2).sum().backward()
    trainer.step(record_graph=True)
    batch = trainer.collect()
    graph = batch.graph
    assert graph is not None
    assert batch.graph_layout is not None
    assert set(batch.graph_layout.nodes) == set(graph.nodes)
    assert graph.nodes["tensor:loss"].is_root
    np.testing.assert_allclose(graph.nodes["leaf:w"].grad.values, w.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(graph.nodes["leaf:b"].grad.values, b.grad.numpy(), rtol=1e-6)
    ops = sorted(node.op for node in graph.ops())
    assert ops == [
        "AddBackward0",
        "MmBackward0",
        "MulBackward0",
        "PowBackward0",
        "SubBackward0",
        "SumBackward0",
    ]
    # The next recorded step has the same structure, so its layout is reused as is.
    trainer.step(record_graph=True)
    assert trainer.collect().graph_layout is batch.graph_layout
    trainer.step()
    assert trainer.collect().graph is None


def test_tasks_with_hand_written_backprop_have_no_graph_to_show():
    trainer = Trainer(default_config("two_layer_tensor"))
    trainer.step(record_graph=True)
    assert trainer.collect().graph is None


def test_long_series_stay_bounded_and_keep_spikes_and_nans():
    series = GrowingSeries(limit=1000)
    x = np.arange(300_000, dtype=np.float64)
    y = np.ones_like(x)
    y[123_457] = 50.0  # a spike
    y[200_001] = np.nan  # a divergence
    y[250_003] = -7.0
    for start in range(0, len(x), 777):
        series.extend(x[start : start + 777], y[start : start + 777])
    # The limit, plus the latest points not yet thinned (fewer than two per stored point's span).
    assert len(series) < 2 * 1000 + 100
    assert np.all(np.diff(series.x) > 0)
    assert series.x[0] == 0
    assert series.x[-1] == x[-1]
    # Thinned evenly: no stretch of the run is left with far fewer points than another
    # (the newest points, not thinned yet, are all there).
    counts, _ = np.histogram(series.x, bins=9, range=(0, 0.9 * len(x)))
    assert counts.min() >= counts.max() // 2
    assert np.nanmax(series.y) == 50.0
    assert np.nanmin(series.y) == -7.0
    assert np.isnan(series.y).sum() == 1
    one_big = GrowingSeries(limit=1000)
    one_big.extend(x, y)
    assert len(one_big) < 2 * 1000 + 100
    assert np.nanmax(one_big.y) == 50.0


def test_the_first_report_carries_the_parameters_before_the_first_step():
    trainer = Trainer(default_config("quadratic"))
    start = {name: value.detach().clone() for name, value in trainer.state.params.items()}
    for _ in range(5):
        trainer.step(record=False)
    first = trainer.collect()
    assert first.start_params is not None
    for name, value in start.items():
        np.testing.assert_array_equal(first.start_params[name], value.numpy())
        assert not np.array_equal(first.params[name], value.numpy()), "it trained meanwhile"
    trainer.step()
    assert trainer.collect().start_params is None


@pytest.mark.parametrize("task", ["linreg_scratch", "linreg_concise"])
def test_batch_size_zero_trains_on_the_whole_data_set_each_step(task):
    """The lab's batch size 0 reads "whole data set": full-batch gradient descent."""
    config = default_config(task)
    config.batch_size = 0
    config.length = 20
    trainer = Trainer(config)
    assert trainer.steps_per_epoch == 1
    while not trainer.step():
        pass
    losses = trainer.collect().losses
    assert len(losses) == 20
    assert losses[-1] < losses[0] / 2


def test_planned_steps_count_what_the_trainer_steps():
    for task, batch in (
        ("linreg_scratch", 10),
        ("linreg_scratch", 64),
        ("linreg_scratch", 0),
        ("quadratic", 0),
    ):
        config = default_config(task)
        config.batch_size = batch
        trainer = Trainer(config)
        assert planned_steps(TASKS[task][0], config.length, batch) == trainer.total_steps
    assert planned_steps(USER_INFO, 7, 0) == 7  # the whole data set: a step an epoch
    assert planned_steps(USER_INFO, 7, 16) is None  # its rows are known once it trains


def _user_trainer(length: int) -> Trainer:
    torch.manual_seed(0)
    namespace = {"X": torch.linspace(-1, 1, 40).reshape(-1, 1), "model": torch.nn.Linear(1, 1)}
    namespace["y"] = 2 * namespace["X"] + 1
    config = TrainingConfig(task=USER_TASK, lr=0.1, batch_size=10, length=length, optimizer="sgd")
    return Trainer(config, state=build_user_task(namespace, config), info=USER_INFO)


def _trainer(task: str, length: int) -> Trainer:
    if task == USER_TASK:
        return _user_trainer(length)
    config = default_config(task)
    config.length = length
    return Trainer(config)


@pytest.mark.parametrize(
    ("task", "length"),
    [
        ("linreg_scratch", 3),  # epochs of 100 batches, each epoch's loss the seed's own
        ("linreg_concise", 2),
        ("quadratic", 800),  # every 8th step sampled
        ("two_layer_numpy", 300),  # numpy parameters, losses as floats
        (USER_TASK, 100),  # epochs of 4 batches, each epoch's loss its steps' mean
    ],
)
def test_running_takes_the_very_steps_that_stepping_takes(task, length):
    # One after the other: a task draws its batches from the process's generators.
    stepped, one_by_one = _trainer(task, length), []
    while not stepped.done:
        stepped.step(record=False)
        if stepped.step_index % 37 == 0:
            one_by_one.append(stepped.collect())
    one_by_one.append(stepped.collect())
    run, in_runs = _trainer(task, length), []
    counts = [1, 5, 64, 3, 200]
    while not run.done:
        target = run.step_index + 37 - run.step_index % 37
        while run.step_index < target and not run.done:
            run.run(min(counts[0], target - run.step_index))
            counts.append(counts.pop(0))
        in_runs.append(run.collect())
    assert len(one_by_one) == len(in_runs)
    for expected, got in zip(one_by_one, in_runs, strict=True):
        np.testing.assert_array_equal(got.steps, expected.steps)
        np.testing.assert_array_equal(got.losses, expected.losses)
        assert got.epoch_losses == expected.epoch_losses
        np.testing.assert_array_equal(got.trace_steps, expected.trace_steps)
        np.testing.assert_array_equal(got.trace_grad_steps, expected.trace_grad_steps)
        for series in ("trace_params", "trace_grads", "params"):
            want, have = getattr(expected, series), getattr(got, series)
            assert want.keys() == have.keys()
            for name in want:
                np.testing.assert_array_equal(have[name], want[name])


def test_a_run_stops_before_the_next_step_once_a_command_waits():
    from collections import deque

    trainer = _trainer("quadratic", 800)
    commands = deque()
    calls = []
    real_step = trainer.state.step

    def step(*args):
        calls.append(1)
        if len(calls) == 20:
            commands.append("pause")
        return real_step(*args)

    trainer.state.step = step
    assert trainer.run(500, commands) is False
    assert trainer.step_index == 20
    assert trainer.run(500, commands) is False  # the command still waits: no step
    assert trainer.step_index == 20
    commands.clear()
    assert trainer.run(10_000, commands) is True
    assert trainer.step_index == 800
    assert trainer.collect().steps.tolist() == list(range(800))


def test_a_step_that_raises_mid_run_leaves_the_steps_before_it_counted():
    trainer = _trainer("linreg_scratch", 3)
    real_step = trainer.state.step
    calls = []

    def step(*args):
        if len(calls) == 150:
            raise RuntimeError("shape mismatch")
        calls.append(1)
        return real_step(*args)

    trainer.state.step = step
    with pytest.raises(RuntimeError, match="shape mismatch"):
        trainer.run(1000)
    assert trainer.step_index == 150
    batch = trainer.collect()
    assert batch.steps.tolist() == list(range(150))
    assert [epoch for epoch, _ in batch.epoch_losses] == [1]  # the first epoch ended at step 100
