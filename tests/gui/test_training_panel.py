"""The training lab driven as a learner would: pick, start, pause, step, break it."""

import re
import time

import numpy as np
import pytest

from autograd_playground.core.playground import Playground
from autograd_playground.core.training.trainer import MetricsBatch
from autograd_playground.gui.main_window import MainWindow
from autograd_playground.gui.training.panel import TrainingPanel


@pytest.fixture
def panel(qtbot):
    widget = TrainingPanel(code_source=lambda: widget_code[0])
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    assert widget.shutdown()


widget_code = [""]


def choose(panel, task):
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(task))


def wait_for_state(qtbot, panel, *states, timeout=60_000):
    qtbot.waitUntil(lambda: panel.state in states, timeout=timeout)


def test_quadratic_fit_runs_to_the_end_and_plots_everything(qtbot, panel):
    choose(panel, "quadratic")
    assert panel.lr_edit.text() == "0.01"
    assert panel.length_spin.value() == 800
    assert panel.length_label.text() == "Iterations"
    assert not panel.batch_spin.isEnabled()
    panel.start()
    wait_for_state(qtbot, panel, "finished")
    panel.plots.redraw()
    assert len(panel.plots.loss_series) == 800
    x, y = panel.plots.fit_curve.getData()
    assert len(x) == len(y) == 100
    assert "step 800/800" in panel.progress.text()
    assert panel.estimate.text().startswith("w = [2.9")
    assert "true [3.]" in panel.estimate.text()
    # The noise adds 0.1 on average: a perfect fit has b = 2.1, and the line says why.
    assert "true [2.1] = 2 + noise mean 0.1   error [" in panel.estimate.text()
    assert panel.plots.param_plot.getPlotItem().titleLabel.text == "Parameters (dashed: truth)"
    assert set(panel.plots.param_history) == {"w", "b"}
    # Curves through the run, however few reports it took: step 0, then a sample
    # every 8 steps.
    assert len(panel.plots.param_history["w"]) >= 100
    assert len(panel.plots.grad_history["w"]) >= 100
    assert panel.plots.fit_plot.isVisible()
    # Gradient norms fall by orders of magnitude, as the loss does: both on the log scale.
    grad_curve = panel.plots._grad_curves["w"]
    assert grad_curve.log_y
    assert panel.plots.loss_curve.log_y
    panel.plots.log_y.setChecked(False)
    assert not grad_curve.log_y
    assert not panel.plots.loss_curve.log_y
    panel.plots.redraw()
    high = panel.plots.grad_plot.getViewBox().viewRange()[1][1]
    assert high > 50  # the first gradient, about 190, in plain units again


def legend_names(plot):
    return [label.text for _sample, label in plot.getPlotItem().legend.items]


def run_to_the_end(qtbot, panel):
    # The last run's "finished" may still be the panel's state: wait for this run's.
    with qtbot.waitSignal(
        panel.state_changed, check_params_cb=lambda state: state == "finished", timeout=60_000
    ):
        panel.start()
    panel.plots.redraw()


def test_a_rerun_keeps_its_curves_and_a_new_task_replaces_them(qtbot, panel):
    choose(panel, "quadratic")
    run_to_the_end(qtbot, panel)
    curves = dict(panel.plots._param_curves)
    truth_lines = list(panel.plots._truth_lines)
    assert set(curves) == {"w", "b"}

    run_to_the_end(qtbot, panel)  # the same task again, say with another rate
    assert panel.plots._param_curves == curves  # the same items, drawn anew
    for name, curve in curves.items():
        assert len(curve.getData()[0]) == len(panel.plots.param_history[name]) > 0
    assert panel.plots._truth_lines == truth_lines
    assert legend_names(panel.plots.param_plot) == ["w", "b"]

    choose(panel, "two_layer_autograd")
    panel.length_spin.setValue(5)
    run_to_the_end(qtbot, panel)
    assert set(panel.plots._param_curves) == {"‖w1‖", "‖w2‖"}
    assert legend_names(panel.plots.param_plot) == ["‖w1‖", "‖w2‖"]
    assert panel.plots._truth_lines == []  # the net has no true values to show


def points(curve) -> int:
    return len(curve.getData()[0])


def test_frames_come_with_news_and_an_idle_lab_sleeps(qtbot, panel, monkeypatch):
    choose(panel, "quadratic")
    panel.length_spin.setValue(50)
    run_to_the_end(qtbot, panel)
    qtbot.waitUntil(lambda: points(panel.plots.smooth_curve) == 50)
    qtbot.waitUntil(lambda: not panel._redraw.isActive())  # the last report's frame
    # Frames come from a one-shot timer that news starts: with none, no timer runs.
    assert panel._redraw.isSingleShot()
    frames = []
    monkeypatch.setattr(panel.plots, "redraw", lambda: frames.append(1) or False)
    with qtbot.waitSignal(panel.frame_drawn):
        panel.request_frame()
    assert frames == [1]  # the frame asked for, with nothing new in it
    assert not panel._redraw.isActive()  # and no next one: the idle lab sleeps
    monkeypatch.undo()

    panel.plots.smooth.setChecked(False)  # a setting alone brings a frame
    qtbot.waitUntil(lambda: points(panel.plots.smooth_curve) == 0)
    assert not panel._redraw.isActive()


def test_a_stop_for_a_run_that_had_ended_does_not_stop_the_next(qtbot, panel):
    """The learner's code failed and ended its run; the window, not told yet, sent Stop."""
    choose(panel, "quadratic")
    panel.length_spin.setValue(30)
    panel.training.send("stop")  # no loop reads it: the last run is over
    states = []
    panel.state_changed.connect(states.append)
    run_to_the_end(qtbot, panel)
    assert states == ["running", "finished"]
    assert len(panel.plots.loss_series) == 30


def test_the_smoothed_loss_breaks_where_the_loss_is_not_finite(panel):
    """A diverged run's smoothed line stops with its loss, instead of holding a level."""
    plots = panel.plots
    plots.log_y.setChecked(False)
    plots.add(MetricsBatch(steps=np.arange(5), losses=np.array([1.0, 1.0, np.inf, np.nan, 1.0])))
    smooth = plots.smooth_series.y
    assert np.isnan(smooth[2:4]).all()
    assert smooth[[0, 1, 4]].tolist() == [1.0, 1.0, 1.0]  # the average held over the gap
    plots.add(MetricsBatch(steps=np.arange(5, 7), losses=np.array([np.nan, 3.0])))
    assert np.isnan(plots.smooth_series.y[5])
    # On from the last report's average, not from the NaN drawn last.
    assert plots.smooth_series.y[6] == pytest.approx(0.9 * 1.0 + 0.1 * 3.0)


def test_the_smoothed_loss_averages_what_the_axis_shows(qtbot, panel):
    """On the log axis the line runs through the middle of a noisy loss, not above it."""
    plots = panel.plots
    assert plots.log_y.isChecked()
    noisy = np.tile([0.1, 10.0], 50)
    plots.add(MetricsBatch(steps=np.arange(100), losses=noisy))
    assert plots.smooth_series.y[-1] == pytest.approx(1.0, rel=0.2)
    plots.log_y.setChecked(False)
    assert plots.smooth_series.y[-1] == pytest.approx(5.05, rel=0.1)
    assert len(plots.smooth_series) == 100
    plots.log_y.setChecked(True)
    plots.add(MetricsBatch(steps=np.arange(100, 200), losses=noisy))
    assert plots.smooth_series.y[-1] == pytest.approx(1.0, rel=0.2)


def test_the_legend_lists_epoch_losses_only_for_tasks_that_have_epochs(qtbot, panel):
    assert legend_names(panel.plots.loss_plot) == ["per step", "smoothed"]
    choose(panel, "linreg_concise")
    panel.length_spin.setValue(1)
    run_to_the_end(qtbot, panel)
    assert legend_names(panel.plots.loss_plot) == ["per step", "smoothed", "epoch loss"]

    choose(panel, "quadratic")  # full batch: a step is an epoch, shown as no dots
    panel.length_spin.setValue(20)
    run_to_the_end(qtbot, panel)
    assert legend_names(panel.plots.loss_plot) == ["per step", "smoothed"]


def test_pause_then_step_advances_exactly_one_step(qtbot, panel):
    choose(panel, "two_layer_autograd")
    panel.length_spin.setValue(1_000_000)
    panel.start()
    wait_for_state(qtbot, panel, "running")
    with qtbot.waitSignal(
        panel.state_changed, timeout=10_000, check_params_cb=lambda state: state == "paused"
    ):
        panel.toggle_pause()
    assert panel.pause_button.text() == "Resume"
    with qtbot.waitSignal(panel.metrics_shown, timeout=10_000) as blocker:
        panel._step("step")
    before = blocker.args[0].step
    assert before > 0
    with qtbot.waitSignal(panel.metrics_shown, timeout=10_000) as blocker:
        panel._step("step")
    assert blocker.args[0].step == before + 1
    assert blocker.args[0].steps.tolist() == [before]
    panel.stop()
    wait_for_state(qtbot, panel, "stopped")


def test_the_progress_line_shows_how_fast_training_goes(qtbot, panel):
    choose(panel, "quadratic")
    panel.length_spin.setValue(4000)
    shown = []
    panel.metrics_shown.connect(shown.append)
    started = time.perf_counter()
    panel.start()
    wait_for_state(qtbot, panel, "finished")
    seconds = time.perf_counter() - started
    text = panel.progress.text()
    assert text.startswith("step 4000/4000 · cpu · loss ")  # a step is the iteration here
    match = re.search(r" · ([\d,.]+) steps/s · done$", text)
    assert match, text
    rate = float(match[1].replace(",", ""))
    assert rate == pytest.approx(shown[-1].steps_per_s, rel=0.01)
    # Set-up and the window's start-up are left out: faster than the whole run's
    # average, give or take this machine's noise over the last second measured.
    assert rate > 0.5 * 4000 / seconds


def test_a_single_step_from_idle_claims_no_speed(qtbot, panel):
    choose(panel, "quadratic")
    panel._step("step")
    wait_for_state(qtbot, panel, "paused")
    qtbot.waitUntil(lambda: "step 1/800" in panel.progress.text(), timeout=5_000)
    assert "steps/s" not in panel.progress.text()


def test_epoch_button_runs_one_epoch_from_idle(qtbot, panel):
    choose(panel, "linreg_scratch")
    with qtbot.waitSignal(
        panel.metrics_shown, timeout=30_000, check_params_cb=lambda batch: batch.step == 100
    ):
        panel._step("epoch")
    wait_for_state(qtbot, panel, "paused")
    qtbot.waitUntil(lambda: "epoch 1/3" in panel.progress.text(), timeout=5_000)


def test_too_high_a_rate_halts_with_a_message(qtbot, panel):
    choose(panel, "quadratic")
    panel.lr_edit.setText("10")
    panel.start()
    wait_for_state(qtbot, panel, "halted")
    assert "loss became" in panel.message.text()
    assert "lr 10 is probably too high" in panel.message.text()
    assert panel.pause_button.text() == "Resume"
    # The progress line names the very loss, at the very step, that the message does.
    step, loss = re.match(r"loss became (\S+) at step (\d+);", panel.message.text()).groups()[::-1]
    qtbot.waitUntil(lambda: f" · loss {loss} at step {step}" in panel.progress.text())
    # The gradient norms sampled up to the halt are drawn, as its losses are.
    panel.plots.redraw()
    for name in ("w", "b"):
        norms = panel.plots.grad_history[name]
        assert len(norms) >= 1
        assert norms.x.max() <= int(step)
        assert len(panel.plots._grad_curves[name].getData()[0]) == len(norms)

    # Lower the rate and resume: training goes on from the restored step, and the
    # curves are drawn on from there, not from where the loss diverged.
    panel.plots.redraw()
    back = panel._latest.step if panel._latest is not None else None
    diverged_to = panel.plots.loss_series.x[-1]
    panel.lr_edit.setText("0.01")
    panel.toggle_pause()
    assert panel.message.text() == ""
    wait_for_state(qtbot, panel, "finished")
    panel.plots.redraw()
    steps = panel.plots.loss_series.x
    assert np.all(np.diff(steps) > 0)
    assert len(steps) == 800  # each step once: the diverged ones were taken again
    assert np.isfinite(panel.plots.loss_series.y).all()
    assert back is None or back <= diverged_to
    for name in ("w", "b"):  # from the restored parameters on, not a lone last point
        assert len(panel.plots.param_history[name]) >= 2
    assert "step 800/800" in panel.progress.text()


def test_learners_own_model_from_the_editor(qtbot, panel):
    widget_code[0] = (
        "X = torch.linspace(-1, 1, 40).reshape(-1, 1)\ny = 2 * X - 1\n"
        "model = nn.Linear(1, 1)\ntrue_params = {'weight': [[2.0]], 'bias': [-1.0]}\n"
    )
    choose(panel, "user")
    panel.lr_edit.setText("0.2")
    panel.start()
    wait_for_state(qtbot, panel, "finished")
    assert "weight = [1.9" in panel.estimate.text() or "weight = [2." in panel.estimate.text()
    assert panel.plots.fit_plot.isVisible()


def test_learners_broken_code_names_the_line(qtbot, panel):
    widget_code[0] = "X = torch.ones(3, 1)\ny = X.nope\n"
    choose(panel, "user")
    panel.start()
    wait_for_state(qtbot, panel, "stopped")
    assert panel.message.text() == (
        "Your code failed before training: line 2: AttributeError: "
        "'Tensor' object has no attribute 'nope'"
    )


def test_unknown_device_is_refused_clearly(qtbot, panel):
    panel.device = "cuda:7"
    choose(panel, "quadratic")
    panel.start()
    wait_for_state(qtbot, panel, "stopped")
    assert panel.message.text().startswith("Cannot train on cuda:7:")


def test_window_closes_cleanly_mid_run(qtbot, settings):
    from autograd_playground.core.playground import Playground

    window = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(window)
    window.show()
    panel = window.training_panel
    choose(panel, "two_layer_numpy")
    panel.length_spin.setValue(1_000_000)
    window.tabs.setCurrentWidget(panel)
    assert not window.inspector_dock.isVisible()
    panel.start()
    wait_for_state(qtbot, panel, "running")
    window.close()
    assert not panel.training.thread.isRunning()


def test_an_error_in_the_learners_model_names_its_line(qtbot, panel):
    widget_code[0] = (
        "X = torch.ones(6, 1)\ny = torch.ones(6, 1)\nlayer = nn.Linear(1, 1)\n"
        "def model(X):\n    return layer(X) @ torch.ones(3, 3)\nparams = list(layer.parameters())\n"
    )
    choose(panel, "user")
    panel.start()
    wait_for_state(qtbot, panel, "stopped")
    assert panel.message.text().startswith("Training stopped at line 5: RuntimeError")


def test_graph_tab_follows_training_in_place(qtbot, settings):
    win = MainWindow(Playground(), settings=settings)
    qtbot.addWidget(win)
    win.show()
    panel, view = win.training_panel, win.graph_view
    choose(panel, "linreg_scratch")
    panel.length_spin.setValue(10_000)  # epochs: it must still run while the test looks
    panel.follow_check.setChecked(True)
    assert panel.training.worker.follow_graph
    with qtbot.waitSignal(panel.step_graph, timeout=60_000):
        panel.start()
    qtbot.waitUntil(lambda: "leaf:w" in view.node_items, timeout=10_000)
    first = view.node_items["leaf:w"]
    first_grad = first.node.grad.values
    assert win.graph_pane.caption.text().startswith("Training step")
    with qtbot.waitSignal(panel.step_graph, timeout=60_000):
        pass
    assert view.node_items["leaf:w"] is first  # updated in place, not rebuilt
    assert first.node.grad.values != first_grad
    panel.follow_check.setChecked(False)
    assert not panel.training.worker.follow_graph
    panel.stop()
    win.close()


def test_out_of_memory_pauses_keeps_the_model_and_resumes(qtbot, panel, monkeypatch):
    """A simulated device OOM mid-run: paused with advice, nothing lost, Resume goes on."""
    import torch

    from autograd_playground.core.training import tasks

    info, build = tasks.TASKS["quadratic"]
    failures = []

    def build_one_that_runs_out(config):
        state = build(config)
        real_step, taken = state.step, []

        def step_that_runs_out(*args):
            if len(taken) == 50 and not failures:
                failures.append(len(taken))
                raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
            taken.append(1)
            return real_step(*args)

        state.step = step_that_runs_out
        return state

    monkeypatch.setitem(tasks.TASKS, "quadratic", (info, build_one_that_runs_out))
    choose(panel, "quadratic")
    panel.start()
    wait_for_state(qtbot, panel, "paused")
    assert failures == [50]
    message = panel.message.text()
    assert message.startswith(
        "Out of memory on cpu: CUDA out of memory. Tried to allocate 2.00 GiB"
    )
    assert "press Resume" in message
    qtbot.waitUntil(lambda: "step 50/800" in panel.progress.text(), timeout=10_000)
    assert panel.pause_button.text() == "Resume"
    panel.toggle_pause()
    wait_for_state(qtbot, panel, "finished")
    panel.plots.redraw()
    assert len(panel.plots.loss_series) == 800
    assert panel.estimate.text().startswith("w = [2.9")


def test_showing_the_lab_gets_the_training_thread_ready(qtbot):
    widget = TrainingPanel()
    qtbot.addWidget(widget)
    assert not widget.training.worker.warmed_up  # nothing paid until the lab is seen
    widget.show()
    qtbot.waitUntil(lambda: widget.training.worker.warmed_up, timeout=30_000)
    assert widget.shutdown()


def test_before_a_run_the_plots_are_laid_out_for_the_chosen_task(panel):
    assert not panel.pause_button.isEnabled()  # nothing runs yet
    assert not panel.stop_button.isEnabled()
    choose(panel, "linreg_scratch")  # 3 epochs of 1,000 examples in batches of 10
    plots = panel.plots
    assert not plots.fit_plot.isVisible()  # two features: no 1-D fit to draw
    low, high = plots.loss_plot.getViewBox().viewRange()[0]
    assert low <= 0 < 300 <= high < 310
    # Decades on the log axes, not one decade labelled 2 to 9.
    assert plots.loss_plot.getViewBox().viewRange()[1] == [-3.0, 2.0]
    panel.batch_spin.setValue(100)
    assert plots.grad_plot.getViewBox().viewRange()[0][1] < 35  # 3 epochs of 10 batches
    choose(panel, "quadratic")
    assert plots.fit_plot.isVisible()
    assert 800 <= plots.param_plot.getViewBox().viewRange()[0][1] < 820


def test_reset_mid_run_stops_it_and_leaves_the_plots_empty(qtbot, panel):
    choose(panel, "quadratic")
    panel.length_spin.setValue(10_000_000)
    panel.start()
    wait_for_state(qtbot, panel, "running")
    qtbot.waitUntil(lambda: len(panel.plots.loss_series) > 0)
    with qtbot.waitSignal(panel.state_changed, timeout=10_000):
        panel.reset()
    # The worker sent its last report before it said "stopped": the report has come,
    # and was dropped as the stopped run's.
    assert panel.training.worker.drain() == []
    assert panel.state == "stopped"
    assert len(panel.plots.loss_series) == 0
    assert panel.progress.text() == "Not started."
    assert panel.length_spin.value() == 800  # the seed's own setting again


def test_the_step_axes_stay_aligned_when_a_halt_sends_training_back(panel):
    plots = panel.plots
    # The report of a halt: losses up to step 299, training sent back to step 0.
    losses = np.full(300, np.inf)
    losses[:5] = 1.0
    plots.add(MetricsBatch(steps=np.arange(300), losses=losses, step=0, total_steps=800))
    plots.redraw()
    loss_x = plots.loss_plot.getViewBox().viewRange()[0]
    assert loss_x[1] >= 299
    for plot in (plots.param_plot, plots.grad_plot):
        assert plot.getViewBox().viewRange()[0] == pytest.approx(loss_x)


def test_a_long_progress_line_wraps_rather_than_widening_the_lab(panel):
    panel.progress.setText("Starting…")
    narrowest = panel.minimumSizeHint().width()
    panel.progress.setText(
        "step 300000/300000 · epoch 3000/3000 · cuda:0 · loss 2.665e-05 · 12,345 steps/s · done"
    )
    assert panel.minimumSizeHint().width() == narrowest
    # The message line takes no room until there is a message.
    assert not panel.message.isVisible()
    panel.message.setText("loss became NaN at step 6")
    assert panel.message.isVisible()
    panel.message.clear()
    assert not panel.message.isVisible()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_parameter_plot_says_what_it_draws(qtbot, language):
    from autograd_playground.gui.training.plots import TrainingPlots
    from autograd_playground.gui.ui_text import apply_ui_language

    apply_ui_language(language)
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    item = plots.param_plot.getPlotItem()
    zh = language == "zh"
    # The two-layer nets: no truth, and weights too big to draw but by their norms.
    net = {"w1": np.ones((1000, 100)), "w2": np.ones((100, 10))}
    norms = {"‖w1‖": np.ones(1), "‖w2‖": np.ones(1)}
    plots.add(
        MetricsBatch(
            steps=np.arange(1),
            losses=np.ones(1),
            params=net,
            trace_steps=np.ones(1),
            trace_params=norms,
            step=1,
        )
    )
    plots.redraw()
    assert item.titleLabel.text == ("参数范数" if zh else "Parameter norms")
    assert item.getAxis("left").labelText == ("范数" if zh else "norm")
    assert legend_names(plots.param_plot) == ["‖w1‖", "‖w2‖"]
    # A model of small and big parameters, with a truth for some.
    plots.reset(show_fit=False)
    mixed = {"weight": np.ones((16, 1)), "bias": np.ones(1)}
    plots.add(
        MetricsBatch(
            steps=np.arange(1),
            losses=np.ones(1),
            params=mixed,
            truth={"bias": np.ones(1)},
            step=1,
        )
    )
    assert item.titleLabel.text == (
        "参数与范数 ‖·‖（虚线：真值）" if zh else "Parameters and norms ‖·‖ (dashed: truth)"
    )
    assert item.getAxis("left").labelText == ("值" if zh else "value")


def test_the_settings_summary_names_each_chosen_tasks_own_settings(panel):
    for task, optimizer, rate in (("linreg_concise", "SGD", "0.03"), ("quadratic", None, "0.01")):
        choose(panel, task)
        summary = " ".join(panel.settings_summary.text().split())
        assert f"lr {rate}" in summary
        assert panel.optimizer_combo.currentText() in summary
        if optimizer is not None:
            assert optimizer in summary
