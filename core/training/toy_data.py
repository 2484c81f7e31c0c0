"""Two-class toy data on the plane, made in the app: blobs, circles, XOR and spirals.

Each maker takes the number of points, the noise and a ``torch.Generator`` and
returns ``X`` (float32, one row a point) and ``y`` (int64, class 0 or 1), half of
each class. The makers are written to stand alone (torch and math only): "Open
as code" copies their source into the editor, so the code there makes the very
data the lab trains on. Noise moves every point by a Gaussian of standard
deviation 0.3 × noise; the points lie within about 1.4 of the origin.
"""

from __future__ import annotations

import inspect
import math

import torch

# Where the lab draws the plane: the data with a margin around it.
PLANE = (-1.6, 1.6)


def two_blobs(count, noise, generator):
    """Two Gaussian blobs, one a class, about (-0.7, -0.7) and (0.7, 0.7)."""
    labels = torch.arange(count) % 2
    centres = torch.tensor([[-0.7, -0.7], [0.7, 0.7]])[labels]
    spread = torch.randn(count, 2, generator=generator) * 0.3
    jitter = torch.randn(count, 2, generator=generator) * 0.3 * noise
    return (centres + spread + jitter).float(), labels


def circles(count, noise, generator):
    """A disc of class 0 inside a ring of class 1."""
    labels = torch.arange(count) % 2
    angle = torch.rand(count, generator=generator) * 2 * math.pi
    inner = torch.rand(count, generator=generator) * 0.5
    outer = 0.75 + torch.rand(count, generator=generator) * 0.45
    radius = torch.where(labels == 0, inner, outer)
    points = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    jitter = torch.randn(count, 2, generator=generator) * 0.3 * noise
    return (points + jitter).float(), labels


def xor(count, noise, generator):
    """Points in the square, class 1 where x and y have the same sign."""
    labels = torch.arange(count) % 2
    # Kept off the axes, where the class flips, so that noise alone blurs the border.
    size = 0.05 + torch.rand(count, 2, generator=generator) * 1.15
    sign = torch.where(torch.rand(count, generator=generator) < 0.5, -1.0, 1.0)
    other = torch.where(labels == 1, sign, -sign)
    points = size * torch.stack([sign, other], dim=1)
    jitter = torch.randn(count, 2, generator=generator) * 0.3 * noise
    return (points + jitter).float(), labels


def spirals(count, noise, generator):
    """Two spirals wound one inside the other, 1.75 turns each, one a class."""
    labels = torch.arange(count) % 2
    along = torch.rand(count, generator=generator)
    angle = along * 1.75 * 2 * math.pi + labels * math.pi
    radius = 0.1 + along * 1.2
    points = torch.stack([radius * torch.sin(angle), radius * torch.cos(angle)], dim=1)
    jitter = torch.randn(count, 2, generator=generator) * 0.3 * noise
    return (points + jitter).float(), labels


def split(X, y, test_percent, generator):
    """Shuffle the points and keep ``test_percent`` of them aside: train first, then test."""
    order = torch.randperm(len(X), generator=generator)
    test = round(len(X) * test_percent / 100)
    train_rows, test_rows = order[test:], order[:test]
    return X[train_rows], y[train_rows], X[test_rows], y[test_rows]


MAKERS = {"blobs": two_blobs, "circles": circles, "xor": xor, "spirals": spirals}


def make_split(dataset: str, count: int, noise: float, test_percent: int, seed: int) -> tuple:
    """The ``dataset``'s points for ``seed``, split: (X_train, y_train, X_test, y_test)."""
    generator = torch.Generator().manual_seed(seed)
    X, y = MAKERS[dataset](count, noise, generator)
    return split(X, y, test_percent, generator)


def maker_source(dataset: str) -> str:
    """The source of ``dataset``'s maker and of ``split``, as "Open as code" writes them."""
    return inspect.getsource(MAKERS[dataset]) + "\n\n" + inspect.getsource(split)
