"""The lab's layer statistics, ticked on: collected while training, painted as strips."""

import numpy as np
import pytest

from autograd_playground.core.training.run_state import RunState
from autograd_playground.gui.training.panel import TrainingPanel


@pytest.fixture
def panel(qtbot):
    widget = TrainingPanel(code_source=lambda: "")
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    assert widget.shutdown()


def test_ticked_layer_statistics_replace_the_plots_and_fill_as_training_runs(qtbot, panel):
    panel.task_combo.setCurrentIndex(panel.task_combo.findData("two_layer_autograd"))
    plots = panel.plots
    assert not plots.layers.isVisible()
    assert not panel.training.worker.collect_layers  # off by default: no cost
    plots.layer_check.setChecked(True)
    assert plots.layers.isVisible()
    assert not plots.loss_plot.isVisible()
    assert panel.training.worker.collect_layers
    panel.start()
    qtbot.waitUntil(lambda: panel.state is RunState.FINISHED, timeout=60_000)
    qtbot.waitUntil(lambda: len(plots.layers._strips) == 2, timeout=10_000)
    history = plots.layers.history
    assert set(history.tracks) == {"w1", "w2"}
    assert history.steps[-1] == 500
    values, _grads = plots.layers._strips["w1"]
    # The last report's frame paints every sample, 32 bins each.
    qtbot.waitUntil(lambda: values.image.image.shape == (len(history.steps), 32))
    # Every sample counts each of w1's elements once.
    counts = history.tracks["w1"].values.counts
    np.testing.assert_array_equal(counts.sum(1), np.full(len(counts), counts[0].sum()))
    ratios = history.tracks["w1"].ratios
    assert np.isfinite(ratios).all()
    assert (ratios > 0).all()
    plots.layer_check.setChecked(False)
    assert plots.loss_plot.isVisible()
    assert not panel.training.worker.collect_layers


def test_the_plots_hidden_while_training_come_back_with_every_point(qtbot, panel):
    # Frames leave the hidden plots' curves alone; shown again, they draw all the
    # points the reports brought meanwhile.
    panel.task_combo.setCurrentIndex(panel.task_combo.findData("quadratic"))
    panel.length_spin.setValue(300)
    plots = panel.plots
    plots.layer_check.setChecked(True)
    panel.start()
    qtbot.waitUntil(lambda: panel.state is RunState.FINISHED, timeout=60_000)
    qtbot.waitUntil(lambda: not panel._redraw.isActive())  # the last report's frame
    assert plots.loss_series.x[-1] == 299
    assert not plots.loss_curve.getData()[0].size
    plots.layer_check.setChecked(False)
    qtbot.waitUntil(lambda: plots.loss_curve.getData()[0].size == len(plots.loss_series))
    np.testing.assert_array_equal(plots.loss_curve.getData()[1], plots.loss_series.y)
    for name, curve in plots._param_curves.items():
        np.testing.assert_array_equal(curve.getData()[0], plots.param_history[name].x)
    assert set(plots._param_curves) == set(plots.param_history) == {"w", "b"}
