"""The torchviz baseline's last step: its SVG painted in a QSvgWidget, like for like.

The app opens a graph too big to read whole at a legible zoom, showing its start;
a QSvgWidget alone would paint the whole drawing shrunk into the widget. So the
baseline paints what the app's view showed: a widget of the viewport's size, its
view box the same part of torchviz's drawing as the view showed of the app's
scene (along each axis the same fraction of the length, at the same place: the
start, say), so both paint the same share of their graph. The two drawings
differ in size (other labels), so the zooms differ a little; both are printed.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtSvgWidgets import QSvgWidget


def matching_view_box(region: dict, drawing: QRectF) -> QRectF:
    """The part of ``drawing`` (an SVG view box) that shows what ``region`` shows of its scene.

    ``region`` is graph_window.shown_region's.
    """
    visible, scene = QRectF(*region["visible"]), QRectF(*region["scene"])
    left, width = _place(
        (visible.left(), visible.width()),
        (scene.left(), scene.width()),
        (drawing.left(), drawing.width()),
    )
    top, height = _place(
        (visible.top(), visible.height()),
        (scene.top(), scene.height()),
        (drawing.top(), drawing.height()),
    )
    return QRectF(left, top, width, height)


def _place(
    visible: tuple[float, float], scene: tuple[float, float], drawing: tuple[float, float]
) -> tuple[float, float]:
    """Along one axis, (start, length) of the drawing's part matching ``visible``'s of ``scene``.

    Each is (start, length). A view longer than its scene (a small graph, centred)
    gives a part as much longer than the drawing, centred too.
    """
    (start, size), (scene_start, scene_size), (drawing_start, drawing_size) = (
        visible,
        scene,
        drawing,
    )
    length = drawing_size * size / scene_size
    if size >= scene_size:
        return drawing_start + (drawing_size - length) / 2, length
    travelled = min(1.0, max(0.0, (start - scene_start) / (scene_size - size)))
    return drawing_start + travelled * (drawing_size - length), length


def show_svg(widget: QSvgWidget, svg: bytes, region: dict | None) -> dict:
    """Load ``svg`` into ``widget``, show what ``region`` shows (None: all of it), paint it.

    Returns what was painted: the zoom across and down, the drawing's size in
    points and the share of it in view.
    """
    widget.load(QByteArray(svg))
    renderer = widget.renderer()
    assert renderer.isValid(), "the SVG did not load"
    drawing = renderer.viewBoxF()
    box = drawing if region is None else matching_view_box(region, drawing)
    renderer.setViewBox(box)
    widget.repaint()
    shown = box.intersected(drawing)
    return {
        "zoom": [round(widget.width() / box.width(), 4), round(widget.height() / box.height(), 4)],
        "drawing_pt": [round(drawing.width()), round(drawing.height())],
        "share_of_graph": round(
            shown.width() * shown.height() / max(drawing.width() * drawing.height(), 1e-9), 4
        ),
    }
