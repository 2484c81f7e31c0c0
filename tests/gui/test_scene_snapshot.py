"""Zoomed far out, a big graph is painted from one picture that follows every change."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage

import autograd_playground.gui.graph.scene_snapshot as scene_snapshot
from autograd_playground.gui.graph.scene_snapshot import (
    SNAPSHOT_MIN_ITEMS,
    SNAPSHOT_ZOOM,
    SceneSnapshot,
)
from tests.gui.conftest import run_in

# Two separate chains: hovering one lights its own path and dims the other. Written out
# line by line, not as a loop, which would open folded into one repeat box.
CHAINS = (
    "a = torch.ones(3, requires_grad=True)\nb = torch.ones(3, requires_grad=True)\ny, z = a, b\n"
    + "y = y * 1.001\nz = z + 0.5\n" * 350
)


def pixels(view, whole: bool = True) -> np.ndarray:
    """The viewport as painted; by default once its picture, if it uses one, is whole."""
    view.viewport().repaint()
    for _ in range(100 if whole else 0):
        if view.snapshot.is_complete():
            break
        view.viewport().repaint()
    return pixels_of_viewport(view)


def pixels_of_viewport(view) -> np.ndarray:
    """The viewport as it is now, whole picture or not."""
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4].copy()


@pytest.fixture
def far_out(window, qtbot):
    run_in(window, qtbot, CHAINS, timeout=60_000)
    view = window.graph_view
    qtbot.waitUntil(view.is_scene_complete, timeout=30_000)
    assert len(view.scene().items()) >= SNAPSHOT_MIN_ITEMS
    view.fit_all()
    assert view.zoom() < SNAPSHOT_ZOOM
    return view


def test_repaints_of_an_unchanged_view_reuse_one_picture(far_out):
    view = far_out
    pixels(view)
    made = view.snapshot.renders
    for _ in range(3):
        pixels(view)
    assert view.snapshot.applies()
    assert view.snapshot.renders == made


def test_the_picture_matches_what_the_items_paint(far_out, monkeypatch):
    view = far_out
    from_picture = pixels(view)
    monkeypatch.setattr(SceneSnapshot, "applies", lambda self: False)
    from_items = pixels(view)
    drawn = (from_items != from_items[0, 0]).any(axis=1).sum()
    assert drawn > 100, "the graph should cover part of the viewport"
    # Both paint the same items at the same scale; resampling may move an edge by a pixel.
    differing = (np.abs(from_picture.astype(int) - from_items.astype(int)) > 60).mean()
    assert differing < 0.02


def test_a_hover_highlight_invalidates_the_picture(far_out, qtbot):
    view = far_out
    before = pixels(view)
    made = view.snapshot.renders
    leaf_a = next(i for i, item in view.node_items.items() if item.node.name == "a")
    view.highlight_paths(leaf_a)
    qtbot.waitUntil(lambda: not np.array_equal(pixels(view), before), timeout=5_000)
    assert view.snapshot.renders > made


def test_zoomed_in_the_items_paint_themselves(far_out):
    view = far_out
    view.zoom_by(SNAPSHOT_ZOOM / view.zoom() * 1.5)
    assert not view.snapshot.applies()
    made = view.snapshot.renders
    pixels(view)
    assert view.snapshot.renders == made


def test_zooming_stretches_the_picture_then_renders_it_sharp(far_out, qtbot):
    view = far_out
    pixels(view)
    made = view.snapshot.renders
    view.zoom_by(0.9)  # out: the whole graph stays in view, no scroll bar comes or goes
    pixels(view, whole=False)
    assert view.snapshot.renders == made, "mid-zoom frames reuse the last picture"
    assert not view.snapshot.is_complete()
    qtbot.waitUntil(lambda: view.snapshot.renders == made + 1, timeout=5_000)
    pixels(view)
    assert view.snapshot.renders == made + 1


def test_a_big_picture_is_rendered_over_several_events(far_out, qtbot, monkeypatch):
    view = far_out
    expected = pixels(view)
    made = view.snapshot.renders
    # One band per event, and many bands: the first picture of a huge graph.
    monkeypatch.setattr(scene_snapshot, "ITEMS_PER_BAND", 200)
    monkeypatch.setattr(scene_snapshot, "BAND_BUDGET_S", 0.0)
    view.snapshot.reset()
    view.viewport().repaint()
    assert not view.snapshot.is_complete()
    assert view.snapshot.renders == made
    # Nothing else asks for paints: the snapshot schedules the rest itself.
    qtbot.waitUntil(view.snapshot.is_complete, timeout=5_000)
    assert view.snapshot.renders == made + 1
    assert np.array_equal(pixels(view), expected)


def test_a_change_during_a_render_is_followed_by_another_picture(far_out, qtbot, monkeypatch):
    view = far_out
    pixels(view)
    made = view.snapshot.renders
    monkeypatch.setattr(scene_snapshot, "ITEMS_PER_BAND", 200)
    monkeypatch.setattr(scene_snapshot, "BAND_BUDGET_S", 0.0)
    view.snapshot.invalidate()
    view.viewport().repaint()
    shown_before = pixels_of_viewport(view)
    leaf_a = next(i for i, item in view.node_items.items() if item.node.name == "a")
    view.highlight_paths(leaf_a)  # dims the other chain while bands are being rendered
    # The unfinished picture is finished all the same, then made again with the change.
    qtbot.waitUntil(view.snapshot.is_complete, timeout=5_000)
    assert view.snapshot.renders >= made + 2
    assert not np.array_equal(pixels_of_viewport(view), shown_before)
