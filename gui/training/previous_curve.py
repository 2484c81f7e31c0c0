"""The loss of the run before a restart, kept as a faint line under the new run's.

A learner restarts from the same initial weights to compare settings (two
learning rates, say): the last run's loss stays in the plot, faint, named in
the legend by what the new run changed, while the new run draws over it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPen

from autograd_playground.core.training.buffers import smoothed
from autograd_playground.core.training.restart import ComparedSettings
from autograd_playground.core.training.settings import lr_text
from autograd_playground.gui.appearance.themes import LIGHT_THEME
from autograd_playground.gui.training.classifier_fields import network_text
from autograd_playground.gui.training.live_curve import EMPTY, LiveCurve
from autograd_playground.gui.training.settings_form import optimizer_names
from autograd_playground.gui.ui_text import tr

# Of 255: the plot's foreground (dark on a light theme, light on a dark one) this
# opaque reads as a grey line beside the curves' colours, plain on any background.
FAINT_ALPHA = 120
FAINT_EXTRA_WIDTH = 1.0  # wider than the run's own lines: a faint line is seen by its width
BENEATH = -1  # z value: under the new run's lines, which draw over it


class PreviousRunCurve:
    """The faint line of the last run's loss in ``plot``, and its legend entry."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self._plot = plot
        self._color = LIGHT_THEME.plot_foreground
        self._width = 1.0
        self.curve = LiveCurve(plot, self._pen())
        self.curve.setZValue(BENEATH)
        self.x = self.y = EMPTY  # the previous run's losses, as its plot held them
        self.label: str | None = None
        self._drawn_as: tuple[bool, bool] | None = None  # (smoothed, log) of the line drawn

    @property
    def shown(self) -> bool:
        return self.label is not None

    def keep(self, x: np.ndarray, y: np.ndarray, label: str) -> None:
        """Show the losses ``y`` at steps ``x`` as the previous run, named ``label``."""
        self.x = np.array(x, dtype=np.float64)
        self.y = np.array(y, dtype=np.float64)
        legend = self._plot.getPlotItem().legend
        if self.label is not None:
            legend.removeItem(self.curve)
        self.label = label
        legend.addItem(self.curve, label)
        self._drawn_as = None

    def clear(self) -> None:
        """No previous run to show."""
        if self.label is None:
            return
        self._plot.getPlotItem().legend.removeItem(self.curve)
        self.label = None
        self.x = self.y = EMPTY
        self.curve.setData(EMPTY, EMPTY)
        self._drawn_as = None

    def draw(self, smooth: bool, log: bool) -> None:
        """Draw the line as the new run's is drawn: smoothed or not, on a log axis or not.

        Smoothed, it is the line through the middle of the old run's noise, to be
        read against the new run's smoothed line; it is worked out again only when
        the smoothing or the scale changed.
        """
        if self._drawn_as == (smooth, log):
            return
        self._drawn_as = (smooth, log)
        y = self.y
        if smooth and len(y):
            y = np.where(np.isfinite(y), smoothed(y, log=log), np.nan)
        self.curve.setData(self.x, y)

    def drawn_losses(self) -> np.ndarray:
        """The losses the line shows, for the plot's range to take in."""
        return self.curve.getData()[1]

    def set_pen(self, foreground: str, width: float) -> None:
        """Draw in the theme's plot ``foreground``, faint, beside lines ``width`` wide."""
        self._color, self._width = foreground, width
        self.curve.set_pen(self._pen())

    def _pen(self) -> QPen:
        color = QColor(self._color)
        color.setAlpha(FAINT_ALPHA)
        return pg.mkPen(color, width=self._width + FAINT_EXTRA_WIDTH)


def previous_run_label(compared: ComparedSettings) -> str:
    """The legend's name for the previous run: its rates, and the optimizer and batch
    size where the new run's differ ("previous run (lr 0.03 → 0.1, Adam)")."""
    parts = [tr("lr {rates}", rates=" → ".join(lr_text(lr) for lr in compared.lrs))]
    if compared.optimizers is not None:
        names = optimizer_names()
        parts.append(" → ".join(names[name] for name in compared.optimizers))
    if compared.batch_size == 0:
        parts.append(tr("whole data set"))
    elif compared.batch_size is not None:
        parts.append(tr("batch {size}", size=compared.batch_size))
    if compared.network is not None:
        parts.append(network_text(compared.network))
    if compared.data is not None:
        data = compared.data
        parts.append(
            tr(
                "{points} points, noise {noise:g}, test {test}%",
                points=data.points,
                noise=data.noise,
                test=data.test_percent,
            )
        )
    return tr("previous run ({settings})", settings=", ".join(parts))
