"""The graph benchmarks' baseline paints the same part of its drawing as the app's view."""

import sys
from pathlib import Path

from PySide6.QtCore import QRectF

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from svg_baseline import matching_view_box


def region(visible: QRectF, scene: QRectF) -> dict:
    return {
        "zoom": 1.0,
        "viewport": (600, 700),
        "visible": visible.getRect(),
        "scene": scene.getRect(),
    }


def test_a_graph_shown_whole_is_drawn_whole_with_the_same_room_around_it():
    scene = QRectF(-24, -24, 400, 1000)
    shown = region(QRectF(-124, -24, 600, 1000), scene)  # centred across, fitted down
    box = matching_view_box(shown, QRectF(0, 0, 800, 2000))
    assert box.getRect() == (-200.0, 0.0, 1200.0, 2000.0)


def test_the_start_of_a_tall_graph_matches_the_start_of_the_drawing():
    scene = QRectF(0, 0, 400, 10_000)
    shown = region(QRectF(0, 0, 400, 1000), scene)
    box = matching_view_box(shown, QRectF(0, 0, 200, 20_000))
    assert box.getRect() == (0.0, 0.0, 200.0, 2000.0)


def test_the_end_of_a_graph_matches_the_end_of_the_drawing():
    scene = QRectF(0, 0, 400, 10_000)
    shown = region(QRectF(0, 9000, 400, 1000), scene)
    box = matching_view_box(shown, QRectF(0, 0, 400, 5000))
    assert box.getRect() == (0.0, 4500.0, 400.0, 500.0)
