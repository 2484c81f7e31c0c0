"""What a classifier task reports beside its loss: plain numpy, no torch.

Computed on the training thread at each report; the window only paints it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The probability heat map's pixels a side: a few thousand points through a small
# MLP at each report, and an image the window scales up smoothly.
BOUNDARY_GRID = 64
# The first hidden layer's neurons shown, as thumbnails, and their pixels a side
# (a thumbnail is drawn a few dozen pixels wide).
NEURONS_SHOWN = 8
NEURON_GRID = 32


@dataclass
class ClassifierReport:
    """A classifier's state after ``step`` steps, over its whole train and test sets."""

    step: int
    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float
    # P(class 1) over the plane: rows go up y, columns along x, BOUNDARY_GRID a side.
    probabilities: np.ndarray
    # The first hidden layer's first few neurons over the plane: (neurons, NEURON_GRID,
    # NEURON_GRID), rows and columns as ``probabilities``'.
    neurons: np.ndarray
    activation: str
    plane: tuple[float, float]  # the low and high end of both axes
    # The data, the same arrays at every report of a run (the window draws them once).
    train_points: np.ndarray
    train_labels: np.ndarray
    test_points: np.ndarray
    test_labels: np.ndarray
