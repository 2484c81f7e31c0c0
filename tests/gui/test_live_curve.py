"""Live plot lines: what they draw from their data, in a real pyqtgraph plot."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QGraphicsPathItem

from autograd_playground.gui.training.live_curve import LiveCurve, band_outline, peak_downsample


def test_downsampling_keeps_each_bins_extremes_and_the_newest_points():
    x = np.arange(1003, dtype=float)
    y = np.sin(x / 7.0)
    y[500] = 9.0  # a spike the thinned line must still reach
    y[501] = -9.0
    thin_x, thin_y = peak_downsample(x, y, 100)
    assert len(thin_x) <= 2 * 100 + 3
    assert thin_y.max() == 9.0
    assert thin_y.min() == -9.0
    assert thin_x[-1] == 1002.0
    assert thin_y[-1] == y[-1]
    assert np.all(np.diff(thin_x) >= 0)


def test_downsampling_leaves_short_data_alone_and_breaks_only_at_all_nan_bins():
    x = np.arange(10, dtype=float)
    assert peak_downsample(x, x, 5)[1] is x
    y = np.ones(400)
    y[10] = np.nan  # one NaN among numbers: the bin's extremes are its numbers
    y[200:204] = np.nan  # a whole bin of NaN: the line breaks there
    _, thin_y = peak_downsample(np.arange(400.0), y, 100)
    assert np.isnan(thin_y).sum() == 2
    assert not np.isnan(thin_y[4:6]).any()


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget()
    widget.resize(400, 300)
    widget.addLegend()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def path_points(curve):
    path = curve.path()
    return np.array(
        [[path.elementAt(i).x, path.elementAt(i).y] for i in range(path.elementCount())]
    )


def test_a_long_curve_draws_about_two_points_per_pixel_of_what_is_in_view(plot):
    curve = LiveCurve(plot, "r", "loss")
    x = np.arange(100_000, dtype=float)
    plot.setXRange(0, 100_000, padding=0)
    curve.setData(x, x)
    width = plot.getViewBox().width()
    assert len(path_points(curve)) <= 2 * width + 3
    assert len(curve.getData()[0]) == 100_000

    plot.setXRange(1000, 1100, padding=0)  # zoomed in: every point in view, and no others
    points = path_points(curve)
    assert points[:, 0].min() == 999
    assert points[:, 0].max() == 1101
    assert len(points) == 103


def test_log_mode_maps_y_and_leaves_non_positive_values_out(plot):
    curve = LiveCurve(plot, "b")
    curve.setData([0, 1, 2, 3], [100.0, 10.0, 0.0, 1.0])
    plot.setLogMode(y=True)  # the plot tells its items, as it tells its own curves
    assert curve.log_y
    path = curve.path()
    assert [path.elementAt(i).y for i in (0, 1, 3)] == [2.0, 1.0, 0.0]  # log10
    assert path.elementAt(3).isMoveTo()  # the zero has no logarithm: the line breaks there
    plot.setLogMode(y=False)
    assert path_points(curve)[:, 1].tolist() == [100.0, 10.0, 0.0, 1.0]


def test_the_legend_lists_the_curve_and_toggles_it_and_removal_takes_both(plot):
    curve = LiveCurve(plot, "g", "smoothed")
    legend = plot.getPlotItem().legend
    [(sample, label)] = legend.items
    assert label.text == "smoothed"
    assert sample.item is curve
    sample.item.setVisible(False)  # what a click on the sample does
    assert not curve.isVisible()
    curve.detach()
    plot.removeItem(curve)
    assert legend.items == []
    assert curve.scene() is None


def test_a_point_with_no_neighbour_shows_as_a_short_dash_at_its_value(plot):
    curve = LiveCurve(plot, "r", "w")
    plot.setXRange(0, 800, padding=0)
    curve.setData([0.0], [2.5])  # a run sent back to step 0: one value to show
    rect = curve.path().boundingRect()
    per_pixel = 800 / plot.getViewBox().width()
    assert rect.center().x() == pytest.approx(0.0)
    assert rect.top() == rect.bottom() == 2.5
    assert rect.width() == pytest.approx(8 * per_pixel)
    plot.setXRange(0, 80, padding=0)  # zoomed in: the dash keeps its size on screen
    assert curve.path().boundingRect().width() == pytest.approx(8 * 80 / plot.getViewBox().width())

    curve.setData([0.0, 1.0, 2.0, 3.0, 4.0], [1.0, 2.0, np.nan, 3.0, np.nan])
    dashed = path_points(curve)[5:]  # after the line's own points: one dash, at x 3
    assert dashed[:, 1].tolist() == [3.0, 3.0]
    assert dashed[:, 0].mean() == pytest.approx(3.0)
    curve.setData([0.0, 1.0], [1.0, 2.0])  # joined points: a line, no dash
    assert len(path_points(curve)) == 2


def test_a_one_pixel_line_is_a_hairline_to_qt_and_keeps_its_pen_for_the_app(plot):
    # Qt bounds a hairline by its path's points; any wider pen, by stroking the
    # whole path again at every new path.
    curve = LiveCurve(plot, pg.mkPen("b", width=1))
    x = np.arange(500.0)
    curve.setData(x, np.sin(x / 9))
    assert QGraphicsPathItem.pen(curve).widthF() == 0
    assert curve.pen().widthF() == 1
    assert curve.opts["pen"].widthF() == 1  # the legend's sample
    assert curve.boundingRect() == curve.path().controlPointRect()
    curve.set_pen(pg.mkPen("b", width=3))  # a projector's wide lines stay wide
    assert QGraphicsPathItem.pen(curve).widthF() == 3
    assert curve.pen().widthF() == 3


def test_the_band_of_a_wide_line_reaches_as_far_as_its_pen_and_breaks_where_the_line_does():
    x = np.repeat(np.arange(7.0), 2)  # seven columns of two points, as downsampled
    nan = np.nan
    y = np.array([0, 1, 0, 1, 10, 10, nan, nan, nan, nan, 0, 1, 0, 1], dtype=float)
    outline = band_outline(x, y, half_x=1.0, half_y=0.5)
    assert len(outline.toFillPolygons()) == 2  # the NaN columns break it
    inside = [(1, 9.0), (1, -0.4), (2, 10.4), (-0.9, 0.5), (6.9, 0.5), (5, 1.4)]
    outside = [(0, 9.0), (1, -0.6), (3.5, 5.0), (5, 9.0), (5, 1.6)]
    # Column 1 reaches column 2's 10, one pen's half-width away: a steep rise is
    # as wide as the pen draws it; column 0 is beyond its reach.
    assert all(outline.contains(QPointF(*point)) for point in inside)
    assert not any(outline.contains(QPointF(*point)) for point in outside)


def test_a_wide_line_through_dense_data_is_filled_as_its_band_and_sparse_data_is_a_line(plot):
    curve = LiveCurve(plot, pg.mkPen("b", width=3))
    plot.setRange(xRange=(0, 20_000), yRange=(-1.5, 1.5), padding=0)
    x = np.arange(20_000.0)
    y = np.sin(x / 3000) + np.where(x % 2, 0.2, -0.2)  # a noisy loss: up and down each step
    curve.setData(x, y)
    assert QGraphicsPathItem.pen(curve).style() == Qt.PenStyle.NoPen
    assert curve.brush().color() == curve.pen().color()
    _, (bottom, top) = plot.getViewBox().viewRange()
    pixel_y = (top - bottom) / plot.getViewBox().height()
    band = curve.path()
    steps = range(0, 20_000, 97)
    assert all(band.contains(QPointF(x[i], y[i])) for i in steps)
    assert band.boundingRect().top() <= y.min() - 1.4 * pixel_y  # half the pen below
    assert band.boundingRect().bottom() >= y.max() + 1.4 * pixel_y  # and above
    curve.setData(x[:50], y[:50])  # a line again, with the wide pen
    assert QGraphicsPathItem.pen(curve).widthF() == 3
    assert curve.brush().style() == Qt.BrushStyle.NoBrush
    curve.set_pen(pg.mkPen("b", width=1))  # a hairline never makes a band
    curve.setData(x, y)
    assert QGraphicsPathItem.pen(curve).widthF() == 0
    assert curve.brush().style() == Qt.BrushStyle.NoBrush
