"""A classifier run's scores over the steps: the test loss beside the training loss, and
the train and test accuracy in a plot of their own."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPen

from autograd_playground.core.training.buffers import GrowingSeries
from autograd_playground.core.training.classifier_report import ClassifierReport
from autograd_playground.gui.training.live_curve import LiveCurve
from autograd_playground.gui.ui_text import tr

ACCURACY_RANGE = (0.0, 1.0)


class ClassifierCurves:
    """The series of a classifier's reports and their curves: the test loss on the lab's
    loss plot (there only while a classifier runs) and both accuracies on their own."""

    def __init__(
        self,
        loss_plot: pg.PlotWidget,
        accuracy_plot: pg.PlotWidget,
        pen: Callable[[int], QPen],
    ) -> None:
        self._loss_plot, self._pen = loss_plot, pen
        self.test_loss = GrowingSeries(256)
        self.train_accuracy = GrowingSeries(256)
        self.test_accuracy = GrowingSeries(256)
        self.accuracy_plot = accuracy_plot
        self.train_curve = LiveCurve(accuracy_plot, pen(0), tr("train"))
        self.test_curve = LiveCurve(accuracy_plot, pen(3), tr("test"))
        self.test_loss_curve: LiveCurve | None = None

    def clear(self, shown: bool) -> None:
        """Forget every point; the test loss is listed on the loss plot while ``shown``."""
        for series in (self.test_loss, self.train_accuracy, self.test_accuracy):
            series.clear()
        if shown and self.test_loss_curve is None:
            self.test_loss_curve = LiveCurve(self._loss_plot, self._pen(3), tr("test"))
        elif not shown and self.test_loss_curve is not None:
            self.test_loss_curve.detach()
            self._loss_plot.getPlotItem().legend.removeItem(self.test_loss_curve)
            self._loss_plot.removeItem(self.test_loss_curve)
            self.test_loss_curve = None
        self.draw()

    def add(self, report: ClassifierReport) -> None:
        """Note a report's scores at its step (a step reported again replaces its points)."""
        step = np.array([float(report.step)])
        for series, value in (
            (self.test_loss, report.test_loss),
            (self.train_accuracy, report.train_accuracy),
            (self.test_accuracy, report.test_accuracy),
        ):
            if len(series) and series.x[-1] >= step[0]:
                series.drop_from(step[0])
            series.extend(step, np.array([value]))

    def draw(self) -> None:
        self.train_curve.setData(self.train_accuracy.x, self.train_accuracy.y)
        self.test_curve.setData(self.test_accuracy.x, self.test_accuracy.y)
        if self.test_loss_curve is not None:
            self.test_loss_curve.setData(self.test_loss.x, self.test_loss.y)

    def set_pens(self) -> None:
        """Draw the curves in the plots' pens of the moment."""
        self.train_curve.set_pen(self._pen(0))
        self.test_curve.set_pen(self._pen(3))
        if self.test_loss_curve is not None:
            self.test_loss_curve.set_pen(self._pen(3))
