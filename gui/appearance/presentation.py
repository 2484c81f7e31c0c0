"""Presentation mode (F9): larger text everywhere for a projector; full screen (F11); high contrast.

Not remembered across launches: a lecture ends, and the next launch, often on
a laptop screen, should not open with projector-sized text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QWidget,
)

from autograd_playground.gui.appearance.theme_controller import ThemeController
from autograd_playground.gui.ui_text import tr

PRESENTATION_SCALE = 1.5
# The share of the width beside the editor that the inspector's column keeps in
# presentation mode: the graph is what the room looks at, and at 1.5× the
# variables' columns would take half of it.
PRESENTATION_RIGHT_SHARE = 0.25
HIGH_CONTRAST = "high-contrast"


def scaled_font(font: QFont, scale: float) -> QFont:
    """Return a copy of ``font`` ``scale`` times larger, in points or pixels as it was given."""
    bigger = QFont(font)
    if font.pointSizeF() > 0:
        bigger.setPointSizeF(font.pointSizeF() * scale)
    else:
        bigger.setPixelSize(round(font.pixelSize() * scale))
    return bigger


_CSS_FONT_SIZE = re.compile(r"font-size:\s*([0-9.]+)\s*(px|pt)")


def scaled_style_sheet(sheet: str, scale: float) -> str:
    """Return ``sheet`` with every ``font-size`` in px or pt ``scale`` times larger."""

    def bigger(match: re.Match) -> str:
        return f"font-size: {float(match.group(1)) * scale:g}{match.group(2)}"

    return _CSS_FONT_SIZE.sub(bigger, sheet)


# Under a style sheet Qt keeps, in this property, the font a widget had when the
# sheet first styled it, and gives it back at every later polish (showing the
# window, switching theme): a font set since is lost unless it is noted there too.
_STYLE_SHEET_FONT = "_q_styleSheetWidgetFont"


def set_own_font(widget: QWidget, font: QFont) -> None:
    """Give ``widget`` ``font`` as its own, kept when a style sheet polishes it again."""
    widget.setFont(font)
    if widget.property(_STYLE_SHEET_FONT) is not None:
        widget.setProperty(_STYLE_SHEET_FONT, QFont(font))


@dataclass(frozen=True)
class _SavedFonts:
    """What presentation mode changed, to put back: the app font, the widgets with a
    font of their own (None: the dock titles, which follow the app font again), and
    the widgets with a style sheet, which keep the font they had when it was set."""

    app: QFont
    widgets: list[tuple[QWidget, QFont | None]]
    sheets: list[tuple[QWidget, str]]


def _enlarge_widgets(window: QMainWindow, graph_view: QWidget, scale: float) -> _SavedFonts:
    """Scale the app font and every font that does not follow it; return what was."""
    app = QApplication.instance()
    # The graph view scales its own overlays (legend, message).
    widgets = [w for w in window.findChildren(QWidget) if not graph_view.isAncestorOf(w)]
    # Widgets that chose a font (the editor's monospace, a lesson's text) do not
    # follow the app font, so each is enlarged.
    own: list[tuple[QWidget, QFont | None]] = [
        (widget, QFont(widget.font()))
        for widget in widgets
        if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)
    ]
    # A pane's viewport draws text of its own in its own font (the output's
    # placeholder). Under a style sheet it keeps the font it had when first
    # polished, not its pane's: each is given its pane's font, and back after.
    own += [
        (area.viewport(), QFont(area.font()))
        for area in widgets
        if isinstance(area, QAbstractScrollArea)
        and area.testAttribute(Qt.WidgetAttribute.WA_SetFont)
        and not area.viewport().testAttribute(Qt.WidgetAttribute.WA_SetFont)
    ]
    # A dock title is drawn in the font the platform gave titles when the dock was
    # made, unless the dock's font differs from the docks' class font.
    docks = [
        dock
        for dock in window.findChildren(QDockWidget)
        if not dock.testAttribute(Qt.WidgetAttribute.WA_SetFont)
    ]
    sheets = [(widget, widget.styleSheet()) for widget in widgets if widget.styleSheet()]
    saved = _SavedFonts(QFont(app.font()), own + [(dock, None) for dock in docks], sheets)
    app.setFont(scaled_font(saved.app, scale))
    for widget, font in own:
        set_own_font(widget, scaled_font(font, scale))
    # Its title is painted in the platform's title font while its font equals the
    # docks' class font: that class font stays normal size (setting the app font
    # again, on leaving, drops it), and each dock gets the larger font as its own.
    app.setFont(saved.app, "QDockWidget")
    for dock in docks:
        dock.setFont(app.font())
    # Set again, a style sheet takes the new font, and its own sizes grow too.
    for widget, sheet in sheets:
        widget.setStyleSheet(scaled_style_sheet(sheet, scale))
    return saved


def _restore_widgets(saved: _SavedFonts) -> None:
    QApplication.instance().setFont(saved.app)
    for widget, font in saved.widgets:
        if not shiboken6.isValid(widget):  # a pane may have been closed meanwhile
            continue
        if font is None:
            widget.setFont(QFont())
        else:
            set_own_font(widget, font)
    for widget, sheet in saved.sheets:
        if shiboken6.isValid(widget):
            widget.setStyleSheet(sheet)


class ScaledGraph(Protocol):
    """The graph view, which scales its drawing and overlays itself (gui/graph/view.py)."""

    def set_presentation_scale(self, scale: float) -> None: ...

    def isAncestorOf(self, child: QWidget) -> bool: ...


class PresentationController(QObject):
    """The View menu's Presentation mode, Full screen and High contrast entries.

    ``window`` is what they act on: its widgets' fonts, its docks' widths, its
    state; ``arrange_columns(right_share)`` shares its width out again. The graph
    and the lab (``scale_lab``) scale their drawings themselves.
    """

    def __init__(
        self,
        window: QMainWindow,
        *,
        view_menu: QMenu,
        themes: ThemeController,
        status: QLabel,
        graph_view: ScaledGraph,
        scale_lab: Callable[[float], None],
        arrange_columns: Callable[..., None],
    ) -> None:
        super().__init__(window)
        self.window, self.themes, self.status = window, themes, status
        self.graph_view, self.scale_lab = graph_view, scale_lab
        self.arrange_columns = arrange_columns
        self._saved: _SavedFonts | None = None
        # The docks' widths before presentation mode, put back after it.
        self._column_widths: tuple[list[QDockWidget], list[int]] = ([], [])
        self._state_before_full_screen = Qt.WindowState.WindowNoState
        self._theme_before_contrast = "system"
        menu = view_menu
        menu.addSeparator()
        self.action = QAction(tr("&Presentation mode"), self, checkable=True)
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.action.setStatusTip(tr("Larger text in every pane and in the graph, for a projector"))
        self.action.toggled.connect(self.set_active)
        self.full_screen_action = QAction(tr("&Full screen"), self, checkable=True)
        self.full_screen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.full_screen_action.toggled.connect(self.set_full_screen)
        self.high_contrast_action = QAction(tr("&High contrast"), self, checkable=True)
        self.high_contrast_action.setStatusTip(tr("White on black with thick lines (View ▸ Theme)"))
        self.high_contrast_action.toggled.connect(self._on_high_contrast_toggled)
        for action in (self.action, self.full_screen_action, self.high_contrast_action):
            menu.addAction(action)
            # Shortcuts keep working in full screen, where the menu bar may be hidden.
            window.addAction(action)
        themes.theme_changed.connect(self._on_theme_changed)
        self._on_theme_changed(themes.choice)
        window.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self._saved is not None

    def set_active(self, active: bool) -> None:
        """Enlarge (or restore exactly) the app font, the editor, the output and the graph."""
        if active == self.active:
            return
        if active:
            self.scale_lab(PRESENTATION_SCALE)
            self._column_widths = self._side_columns()
            # Before the panes grow: the graph looks at what it showed in normal mode.
            self.graph_view.set_presentation_scale(PRESENTATION_SCALE)
            self._saved = _enlarge_widgets(self.window, self.graph_view, PRESENTATION_SCALE)
            # The panes take their larger fonts from posted events: the width is
            # shared out again once they have (the editor wider, the graph its rest).
            QTimer.singleShot(0, lambda: self.arrange_columns(PRESENTATION_RIGHT_SHARE))
            self.status.setText(
                tr(
                    "Presentation mode: F9 leaves it. F11 is full screen; View ▸ "
                    "High contrast for a dim projector."
                )
            )
        else:
            saved, self._saved = self._saved, None
            _restore_widgets(saved)
            self._put_columns_back()
            self.scale_lab(1.0)
            self.graph_view.set_presentation_scale(1.0)
            self.status.setText(tr("Presentation mode off."))
        self.action.setChecked(active)

    def _side_columns(self) -> tuple[list[QDockWidget], list[int]]:
        """The docks beside the graph that are shown, and their widths."""
        docks = [
            dock
            for dock in self.window.findChildren(QDockWidget)
            if dock.isVisible() and not dock.isFloating()
        ]
        return docks, [dock.width() for dock in docks]

    def _put_columns_back(self) -> None:
        """Give the docks their widths from before presentation mode: at once, for a
        window that saves its layout as it closes, and again once the panes have
        their normal fonts back. Docks shown only since (presentation mode turned
        on before the window showed) share the width out as a first show does."""
        docks, widths = self._column_widths
        self._column_widths = ([], [])
        if not docks:
            QTimer.singleShot(0, self.arrange_columns)
            return
        self._restore_columns(docks, widths)
        QTimer.singleShot(0, lambda: self._restore_columns(docks, widths))

    def _restore_columns(self, docks: list[QDockWidget], widths: list[int]) -> None:
        shown = [(d, w) for d, w in zip(docks, widths, strict=True) if shiboken6.isValid(d)]
        shown = [(d, w) for d, w in shown if d.isVisible() and not d.isFloating()]
        if shown:
            self.window.resizeDocks(
                [d for d, _ in shown], [w for _, w in shown], Qt.Orientation.Horizontal
            )

    def set_full_screen(self, on: bool) -> None:
        """Show the window full screen, or put back the state it had before."""
        window = self.window
        if on == window.isFullScreen():
            return
        if on:
            self._state_before_full_screen = window.windowState()
            window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)
        else:
            window.setWindowState(self._state_before_full_screen & ~Qt.WindowState.WindowFullScreen)

    def _on_high_contrast_toggled(self, on: bool) -> None:
        themes = self.themes
        if on and themes.choice != HIGH_CONTRAST:
            themes.set_theme(HIGH_CONTRAST)
        elif not on and themes.choice == HIGH_CONTRAST:
            themes.set_theme(self._theme_before_contrast)

    def _on_theme_changed(self, choice: str) -> None:
        if choice != HIGH_CONTRAST:
            self._theme_before_contrast = choice  # where unticking High contrast goes back to
        self.high_contrast_action.blockSignals(True)
        self.high_contrast_action.setChecked(choice == HIGH_CONTRAST)
        self.high_contrast_action.blockSignals(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.WindowStateChange:
                # The window manager can leave full screen too; keep the tick honest.
                self.full_screen_action.blockSignals(True)
                self.full_screen_action.setChecked(self.window.isFullScreen())
                self.full_screen_action.blockSignals(False)
            elif event.type() == QEvent.Type.Close:
                # The window saves its geometry and docks next: save them at normal size.
                self.set_active(False)
                self.set_full_screen(False)
        return super().eventFilter(watched, event)
