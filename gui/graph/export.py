"""The graph as the user sees it, saved as PNG or SVG or copied for slides."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene

from autograd_playground.gui.ui_text import tr

# A 2,000-node graph at 4× would be a gigapixel image; past this many pixels
# the scale is lowered so the export still fits in memory and in a slide tool.
MAX_PIXELS = 80_000_000


def _render(scene: QGraphicsScene, painter: QPainter, target: QRectF, source: QRectF) -> None:
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)


def effective_scale(source: QRectF, scale: float) -> float:
    """Return ``scale``, lowered if the image would exceed MAX_PIXELS."""
    pixels = source.width() * source.height() * scale * scale
    if pixels <= MAX_PIXELS:
        return scale
    return (MAX_PIXELS / (source.width() * source.height())) ** 0.5


def render_image(scene: QGraphicsScene, scale: float = 2.0) -> QImage:
    """Return the whole scene as an image, ``scale`` pixels per scene point."""
    source = scene.sceneRect()
    scale = effective_scale(source, scale)
    size = QSize(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(1.0)
    image.fill(scene.views()[0].backgroundBrush().color() if scene.views() else Qt.white)
    painter = QPainter(image)
    try:
        _render(scene, painter, QRectF(0, 0, size.width(), size.height()), source)
    finally:
        painter.end()
    return image


def _cannot_write(path: Path) -> str:
    return tr("could not write {path}", path=path)


def save_png(scene: QGraphicsScene, path: Path, scale: float = 2.0) -> None:
    """Write the scene to ``path`` as PNG; raise OSError when it cannot be written."""
    if not render_image(scene, scale).save(str(path), "PNG"):
        raise OSError(_cannot_write(path))


def save_svg(scene: QGraphicsScene, path: Path, title: str = "Autograd graph") -> None:
    """Write the scene to ``path`` as SVG, vector shapes and text that stay crisp."""
    source = scene.sceneRect()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(round(source.width()), round(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(title)
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(_cannot_write(path))
    try:
        painter.fillRect(
            QRectF(0, 0, source.width(), source.height()),
            scene.views()[0].backgroundBrush() if scene.views() else Qt.white,
        )
        _render(scene, painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(_cannot_write(path))


def copy_image(scene: QGraphicsScene, scale: float = 2.0) -> QImage:
    """Put the scene on the clipboard as an image and return that image."""
    image = render_image(scene, scale)
    QGuiApplication.clipboard().setImage(image)
    return image
