"""Restart from the same start: two learning rates compared from the same initial
weights, the last run's loss kept as a faint line under the new run's."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from autograd_playground.core.training.buffers import smoothed
from autograd_playground.gui.training.panel import TrainingPanel
from autograd_playground.gui.training.plots import legend_grid_width
from autograd_playground.gui.training.previous_curve import FAINT_ALPHA


@pytest.fixture
def panel(qtbot):
    widget = TrainingPanel()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    assert widget.shutdown()


def choose(panel, task):
    panel.task_combo.setCurrentIndex(panel.task_combo.findData(task))


def legend_names(plot):
    return [label.text for _sample, label in plot.getPlotItem().legend.items]


def first_params_of_each_run(panel) -> list[dict[str, np.ndarray]]:
    """Each run's parameters before its first step, as its first report carries them."""
    runs: list[dict[str, np.ndarray]] = []

    def note(batch):
        if batch.start_params is not None:
            runs.append({name: value.copy() for name, value in batch.start_params.items()})

    panel.metrics_shown.connect(note)
    return runs


def run_to_the_end(qtbot, panel, press):
    with qtbot.waitSignal(
        panel.state_changed, check_params_cb=lambda state: state == "finished", timeout=60_000
    ):
        qtbot.mouseClick(press, Qt.MouseButton.LeftButton)
    panel.plots.redraw()


def set_lr(panel, text):
    panel.lr_edit.setText(text)
    panel.lr_edit.editingFinished.emit()


def test_restart_trains_a_new_rate_from_the_same_weights_over_the_last_loss(qtbot, panel):
    choose(panel, "linreg_scratch")  # random data, random weights, shuffled batches
    assert not panel.restart_button.isEnabled()  # no run yet to go back to
    starts = first_params_of_each_run(panel)
    run_to_the_end(qtbot, panel, panel.start_button)
    assert panel.restart_button.isEnabled()
    first_x = panel.plots.loss_series.x.copy()
    first_y = panel.plots.loss_series.y.copy()

    set_lr(panel, "0.01")
    panel.seed_spin.setValue(5)  # another seed would start elsewhere: the restart does not
    run_to_the_end(qtbot, panel, panel.restart_button)

    assert panel.seed_spin.value() == 0  # the form shows the seed the run trained with
    assert len(starts) == 2
    assert starts[1].keys() == starts[0].keys() == {"w", "b"}
    for name, value in starts[0].items():
        np.testing.assert_array_equal(starts[1][name], value)
    plots = panel.plots
    assert plots.previous.label == "previous run (lr 0.03)"
    assert legend_names(plots.loss_plot)[-1] == "previous run (lr 0.03)"
    np.testing.assert_array_equal(plots.previous.x, first_x)
    np.testing.assert_array_equal(plots.previous.y, first_y)
    # Drawn as the new run's line is: smoothed on the log scale, through the same steps.
    x, y = plots.previous.curve.getData()
    np.testing.assert_array_equal(x, first_x)
    np.testing.assert_allclose(y, smoothed(first_y, log=True))
    plots.smooth.setChecked(False)
    plots.redraw()
    np.testing.assert_array_equal(plots.previous.curve.getData()[1], first_y)
    # The new run, at a third of the rate, is a curve of its own drawn over the old one.
    assert len(plots.loss_series) == len(first_x)
    assert not np.array_equal(plots.loss_series.y, first_y)
    assert plots.previous.curve.zValue() < plots.loss_curve.zValue()

    panel.reset()
    assert not plots.previous.shown
    assert len(plots.previous.curve.getData()[0]) == 0
    assert "previous run (lr 0.03)" not in legend_names(plots.loss_plot)
    assert not panel.restart_button.isEnabled()


def test_the_label_names_a_rate_changed_mid_run_and_a_new_optimizer(qtbot, panel):
    choose(panel, "linreg_scratch")
    with qtbot.waitSignal(panel.state_changed, timeout=60_000):
        panel.step_button.click()  # a run set up, paused after one step
    qtbot.waitUntil(lambda: panel.state == "paused" and len(panel.plots.loss_series) == 1)
    set_lr(panel, "0.1")
    run_to_the_end(qtbot, panel, panel.pause_button)  # Resume
    panel.optimizer_combo.setCurrentIndex(panel.optimizer_combo.findData("sgd"))
    run_to_the_end(qtbot, panel, panel.restart_button)
    assert panel.plots.previous.label == "previous run (lr 0.03 → 0.1, the seed's own update)"


def test_another_task_or_a_plain_start_leaves_the_comparison(qtbot, panel):
    choose(panel, "quadratic")
    run_to_the_end(qtbot, panel, panel.start_button)
    run_to_the_end(qtbot, panel, panel.restart_button)
    assert panel.plots.previous.shown

    choose(panel, "linreg_scratch")
    assert not panel.plots.previous.shown  # the quadratic's loss is no comparison here
    assert not panel.restart_button.isEnabled()
    choose(panel, "quadratic")
    assert panel.restart_button.isEnabled()  # its last run is still the one to go back to

    run_to_the_end(qtbot, panel, panel.restart_button)
    assert panel.plots.previous.shown
    run_to_the_end(qtbot, panel, panel.start_button)  # a fresh start, from the seed shown
    assert not panel.plots.previous.shown
    assert "previous run" not in " ".join(legend_names(panel.plots.loss_plot))


def test_the_faint_line_is_drawn_in_the_themes_foreground(panel):
    panel.plots.set_pens(("#00e5ff", "#ff5c8a", "#7dff7d"), 3.0, "#ffffff")
    pen = panel.plots.previous.curve.pen()
    assert pen.color().name() == "#ffffff"
    assert pen.color().alpha() == FAINT_ALPHA
    assert pen.widthF() > 3.0  # seen by its width beside the run's lines


def test_a_legend_grid_is_as_wide_as_its_widest_column_entries():
    # per step, smoothed; then a long entry alone on the second row, spanning both.
    samples, labels = [30.0, 30.0, 30.0], [60.0, 80.0, 190.0]
    assert legend_grid_width(samples, labels, 3, 10.0) == 30 + 60 + 30 + 80 + 30 + 190 + 5 * 10
    # Two a row: the long label spans from its sample to the right edge, not one column.
    assert legend_grid_width(samples, labels, 2, 10.0) == 30 + 10 + 190
    # A long label above a short one widens its column for both rows.
    assert legend_grid_width([30.0] * 3, [190.0, 60.0, 80.0], 2, 10.0) == 30 + 190 + 30 + 60 + 30


def test_the_previous_runs_entry_never_cuts_off_another_in_a_narrow_plot(qtbot, panel):
    panel.resize(520, 600)
    panel.plots.set_presentation_scale(1.5)  # a projector's text
    choose(panel, "quadratic")  # the fit plot beside the loss leaves it half the width
    run_to_the_end(qtbot, panel, panel.start_button)
    run_to_the_end(qtbot, panel, panel.restart_button)
    plot = panel.plots.loss_plot
    for _sample, label in plot.getPlotItem().legend.items:
        text = label.item.mapRectToScene(label.item.boundingRect())
        assert plot.mapFromScene(text.topRight()).x() <= plot.viewport().width(), label.text


def test_the_buttons_take_two_rows_where_one_would_cut_their_words(qtbot):
    # In a window whose editor takes its share, the lab gets less than it asks for:
    # here a parent without a layout sets its width as a splitter does.
    room = QWidget()
    qtbot.addWidget(room)
    panel = TrainingPanel(parent=room)
    room.resize(1200, 600)
    room.show()
    buttons = [panel.start_button, panel.restart_button, panel.reset_button]
    panel.setGeometry(0, 0, 1100, 600)
    qtbot.waitUntil(lambda: len({button.y() for button in buttons}) == 1)
    panel.setGeometry(0, 0, 400, 600)
    qtbot.waitUntil(lambda: panel.restart_button.y() > panel.start_button.y())
    for button in panel._button_order:
        if button.isHidden():  # "Open as code", for a classifier task only
            continue
        assert button.width() >= button.sizeHint().width(), button.text()
        assert button.geometry().right() < 400, button.text()
    panel.setGeometry(0, 0, 1100, 600)
    qtbot.waitUntil(lambda: len({button.y() for button in buttons}) == 1)
    assert panel.shutdown()
