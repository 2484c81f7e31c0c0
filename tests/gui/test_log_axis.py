"""Tick labels on the lab's log axes never overlap, at a narrow range or a wide one."""

import itertools
import math

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from autograd_playground.gui.training.log_axis import LogTickAxis, log_label, log_ticks, round_step
from autograd_playground.gui.training.plots import TrainingPlots

RANGES = [
    (0.7, 1.0),  # a loss that has barely moved: pyqtgraph piled 0.7, 0.8, 0.9 up
    (0.3, 3.0),
    (0.95, 1.0),
    (80.0, 220.0),
    (1e-6, 1e3),
    (1e-12, 1e30),  # a diverged run
]


def drawn_labels(axis: pg.AxisItem) -> list[tuple[float, float, str]]:
    """The labels the axis would paint now: (top, bottom, text), top to bottom."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setFont(axis.font())
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    labels = [(rect.top(), rect.bottom(), text) for rect, _flags, text in texts if text]
    return sorted(labels)


def log_plot(qtbot, axis: pg.AxisItem, low: float, high: float, height: int) -> pg.PlotWidget:
    plot = pg.PlotWidget(axisItems={"left": axis})
    qtbot.addWidget(plot)
    plot.resize(400, height)
    plot.setLogMode(y=True)
    plot.getViewBox().setYRange(math.log10(low), math.log10(high), padding=0)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


@pytest.mark.parametrize("height", [160, 300])
@pytest.mark.parametrize(("low", "high"), RANGES)
def test_log_axis_labels_do_not_overlap(qtbot, low, high, height):
    axis = LogTickAxis("left")
    plot = log_plot(qtbot, axis, low, high, height)
    labels = drawn_labels(plot.getAxis("left"))
    assert len(labels) >= 2, labels  # enough to read the scale by
    for (_top, bottom, above), (top, _bottom, below) in itertools.pairwise(labels):
        assert bottom <= top, f"{above!r} overlaps {below!r}"


def test_pyqtgraphs_own_log_labels_overlapped_where_the_labs_do_not(qtbot):
    axis = pg.AxisItem("left")
    plot = log_plot(qtbot, axis, 0.3, 3.0, 160)
    labels = drawn_labels(plot.getAxis("left"))
    assert any(b[0] < a[1] for a, b in itertools.pairwise(labels))


def test_a_narrow_log_range_is_labelled_with_even_round_values():
    labelled, minor = log_ticks(math.log10(0.7), 0.0, 150, 16)
    assert [log_label(tick) for tick in labelled] == [
        "0.7",
        "0.75",
        "0.8",
        "0.85",
        "0.9",
        "0.95",
        "1",
    ]
    assert minor == []


def test_a_wide_log_range_labels_powers_of_ten_and_keeps_other_ticks_unlabelled():
    labelled, minor = log_ticks(-5.0, 1.0, 300, 16)
    texts = [log_label(tick) for tick in labelled]
    assert texts[0] == "10⁻⁵"
    assert {"0.0001", "0.001", "0.01", "0.1", "1", "10"} <= set(texts)
    assert len(minor) > 0
    gaps = [(b - a) * 300 / 6 for a, b in itertools.pairwise(labelled)]
    assert min(gaps) >= 16


def test_log_labels_read_as_numbers():
    assert [log_label(x) for x in (-5, math.log10(2e-5), -1, 0, 3, math.log10(0.75))] == [
        "10⁻⁵",
        "2·10⁻⁵",
        "0.1",
        "1",
        "10³",
        "0.75",
    ]


def test_the_labs_log_plots_use_the_axis(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    for plot in (plots.loss_plot, plots.grad_plot):
        assert isinstance(plot.getAxis("left"), LogTickAxis)


LINEAR_RANGES = [
    (2.0, 5.0),  # the Fit plot's y: 5, 4, 3 and 2 piled on each other
    (-1.2, 1.2),
    (0.0, 3.1),
    (0.1, 0.17),
    (-500.0, 2500.0),
]


def linear_plot(qtbot, axis: pg.AxisItem, low: float, high: float, height: int) -> pg.PlotWidget:
    plot = pg.PlotWidget(axisItems={"left": axis})
    qtbot.addWidget(plot)
    plot.resize(400, height)
    plot.getViewBox().setYRange(low, high, padding=0)
    plot.show()
    qtbot.waitExposed(plot)
    # The axis widens to its widest label as it paints: paint it, then lay it out again.
    for _ in range(2):
        plot.grab()
        QApplication.processEvents()
    return plot


def presentation_tick_font(axis: pg.AxisItem) -> QFont:
    """The larger tick font presentation mode gives the axis."""
    font = QFont(axis.font())
    font.setPixelSize(20)
    axis.setStyle(tickFont=font)
    return font


@pytest.mark.parametrize("height", [110, 160, 300])
@pytest.mark.parametrize(("low", "high"), LINEAR_RANGES)
def test_linear_axis_labels_do_not_overlap_in_presentation_font(qtbot, low, high, height):
    axis = LogTickAxis("left")
    presentation_tick_font(axis)
    plot = linear_plot(qtbot, axis, low, high, height)
    labels = drawn_labels(plot.getAxis("left"))
    assert len(labels) >= 2, labels
    for (_top, bottom, above), (top, _bottom, below) in itertools.pairwise(labels):
        assert bottom <= top, f"{above!r} overlaps {below!r}"


@pytest.mark.parametrize(("axis_type", "overlap"), [(pg.AxisItem, True), (LogTickAxis, False)])
def test_in_a_short_plot_pyqtgraphs_linear_labels_overlapped_where_the_labs_do_not(
    qtbot, axis_type, overlap
):
    axis = axis_type("left")
    presentation_tick_font(axis)
    plot = linear_plot(qtbot, axis, 2.0, 5.0, 60)
    labels = drawn_labels(plot.getAxis("left"))
    assert labels
    assert any(b[0] < a[1] for a, b in itertools.pairwise(labels)) == overlap


def test_round_steps():
    assert [round_step(x) for x in (0.3, 1.0, 1.5, 3.0, 7.0, 0.011)] == [
        0.5,
        1.0,
        2.0,
        5.0,
        10.0,
        0.02,
    ]
