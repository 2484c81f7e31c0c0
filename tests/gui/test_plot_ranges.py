"""Live plots keep their axes while the data stays comfortably inside them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from autograd_playground.gui.training.plot_ranges import (
    SteadyRange,
    finite_bounds,
    nice_ceiling,
    steady_x_range,
    steady_y_range,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.3, 0.5), (1.0, 1.0), (1.2, 2.0), (3.0, 5.0), (7.0, 10.0), (120.0, 200.0), (0.0, 1.0)],
)
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == pytest.approx(expected)


def test_the_step_axis_grows_in_nice_jumps_and_stops_at_the_run_length():
    seen = []
    current = None
    for step in range(1, 300_001, 7):
        current = steady_x_range(current, step, total=300_000)
        assert current[0] == 0.0
        assert current[1] >= step
        if not seen or seen[-1] != current:
            seen.append(current)
    bounds = [bound for _, bound in seen]
    # 1, 2, 5 times a power of ten, then the whole run once that is a tenth of it.
    for bound in bounds[:-1]:
        assert bound == nice_ceiling(bound)
        assert bound < 30_000
    assert bounds[-2:] == [20_000.0, 300_000]
    assert len(seen) <= 3 * np.log10(30_000) + 1


def test_a_short_run_shows_its_whole_length_from_its_first_report():
    assert steady_x_range(None, 250, total=3000) == (0.0, 3000)
    assert steady_x_range(None, 150, total=3000) == (0.0, 200.0)
    assert steady_x_range((0.0, 3000), 2999, total=3000) == (0.0, 3000)


def test_the_value_axis_holds_until_the_data_leaves_or_shrinks():
    first = steady_y_range(None, 1.0, 2.0)
    assert first[0] < 1.0
    assert first[1] > 2.0
    assert steady_y_range(first, 1.05, 1.95) == first  # inside, filling most of it
    assert steady_y_range(first, 0.5, 2.0) != first  # left it
    assert steady_y_range(first, 1.4, 1.5) != first  # a thin line in a tall plot
    flat = steady_y_range(None, 3.0, 3.0)
    assert flat[0] < 3.0 < flat[1]


def test_bounds_skip_nan_inf_and_non_positive_values_in_log_mode():
    data = [np.array([np.nan, 1.0, 100.0, np.inf]), np.array([-5.0, 0.0]), np.zeros(0)]
    assert finite_bounds(data) == (-5.0, 100.0)
    assert finite_bounds(data, log=True) == pytest.approx((0.0, 2.0))
    assert finite_bounds([np.array([np.nan])]) is None


@pytest.fixture
def managed(qtbot):
    """A SteadyRange, its view and their plot (held, or the view would be deleted)."""
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    return SteadyRange(plot), plot.getViewBox(), plot


def test_a_plot_keeps_its_range_across_frames_until_the_user_moves_it(managed):
    steady, view, _plot = managed
    steady.fit((0.0, 1.0), last_x=10, total=1000)
    shown = view.viewRange()
    assert shown[0] == pytest.approx([-0.4, 20.4])
    steady.fit((0.1, 0.9), last_x=15, total=1000)
    assert view.viewRange() == shown
    assert not any(view.autoRangeEnabled()), "pyqtgraph must not re-range at every paint"
    view.sigRangeChangedManually.emit([True, True])  # what a drag or the wheel sends
    steady.fit((5.0, 9.0), last_x=500, total=1000)
    assert view.viewRange() == shown, "the user's own view is left alone"
    steady.reset()
    steady.fit((5.0, 9.0), last_x=500, total=1000)
    assert view.viewRange()[0] == pytest.approx([-20.0, 1020.0])


def test_a_rerun_starts_from_the_last_ranges_unless_the_user_had_moved_the_view(managed):
    steady, view, _plot = managed
    steady.fit((0.0, 1.0), last_x=900, total=1000)
    shown = view.viewRange()
    changes = []
    view.sigRangeChanged.connect(lambda *_args: changes.append(True))
    steady.reset(keep=True)
    steady.fit((0.1, 0.9), last_x=200, total=1000)  # the rerun's first frame
    assert view.viewRange() == shown
    assert changes == [], "axes that stay put are not redrawn"

    view.sigRangeChangedManually.emit([True, True])
    view.setRange(xRange=(100, 200), padding=0)  # the user's zoom
    steady.reset(keep=True)
    steady.fit((0.1, 0.9), last_x=200, total=1000)
    assert view.viewRange()[0] == pytest.approx([-20.0, 1020.0])  # managed again, whole run


def test_a_paced_run_opens_on_its_first_tenth_then_spans_the_whole_run():
    assert steady_x_range(None, 2, total=800, paced=True) == (0.0, 100.0)
    # A range made before the run was paced (Max, then a slower speed) follows at once.
    assert steady_x_range((0.0, 5.0), 3, total=800, paced=True) == (0.0, 100.0)
    assert steady_x_range((0.0, 100.0), 100, total=800, paced=True) == (0.0, 100.0)
    # The line reaches the edge: one move, to the whole run, which then holds.
    assert steady_x_range((0.0, 100.0), 101, total=800, paced=True) == (0.0, 800)
    assert steady_x_range((0.0, 800), 799, total=800, paced=True) == (0.0, 800)
    # A run too short for a tenth to be worth a view of its own: whole from the start.
    assert steady_x_range(None, 1, total=8, paced=True) == (0.0, 8)
    # Unknown length: nice jumps, as at Max.
    assert steady_x_range(None, 2, total=0, paced=True) == (0.0, 5.0)
