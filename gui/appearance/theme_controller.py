"""View ▸ Theme: System, Light, Dark or High contrast, applied to the whole app at once."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from autograd_playground.gui.appearance.themes import (
    AppTheme,
    apply_text_roles,
    build_palette,
    legend_veil,
    resolve_theme,
    system_prefers_dark,
    theme_choices,
)
from autograd_playground.gui.ui_text import tr

SETTINGS_KEY = "theme"
# Native styles may draw with the platform's own colours; Fusion always uses the palette.
PALETTE_STYLE = "fusion"


def style_plot(plot: pg.PlotWidget, theme: AppTheme) -> None:
    """Give a pyqtgraph plot ``theme``'s background and text and axis colours."""
    plot.setBackground(theme.plot_background)
    item = plot.getPlotItem()
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setPen(theme.plot_foreground)
        axis.setTextPen(theme.plot_foreground)
    title = item.titleLabel
    title.setText(title.text, color=theme.plot_foreground)
    legend = item.legend
    if legend is not None:
        legend.setLabelTextColor(theme.plot_foreground)
        # The call above only notes the colour: labels already listed take it when
        # their text is set again.
        for _sample, label in legend.items:
            label.setText(label.text)
        legend.setBrush(legend_veil(theme.plot_background))


def style_plots(root: QWidget, theme: AppTheme) -> None:
    """Give every pyqtgraph plot under ``root`` ``theme``'s colours (see style_plot)."""
    for plot in root.findChildren(pg.PlotWidget):
        style_plot(plot, theme)


def _follow_app_palette(app: QApplication) -> None:
    """Have every widget outside a style sheet take the app's palette, now and later.

    A dock widget keeps the mark of the app's style sheet after it is taken away,
    and with it the palette the sheet gave it: palette changes pass it by.
    """
    for widget in app.allWidgets():
        if not _under_style_sheet(widget):
            widget.setAttribute(Qt.WidgetAttribute.WA_StyleSheet, False)
            widget.setPalette(QPalette())


def _polish_styled_widgets(app: QApplication) -> None:
    """Polish anew each widget with a style sheet of its own: it takes the app's palette, font."""
    for widget in app.allWidgets():
        if widget.styleSheet():
            _polish(widget)


def _polish_for_app_font(app: QApplication) -> None:
    """Polish anew the widgets that a style sheet keeps in the app's font as it was.

    Under the app's style sheet that is every widget, else those with a sheet of
    their own. A widget with a font of its own (the editor's, enlarged by
    presentation mode already) is left alone: polishing gives it back the font
    it had when it was first polished.
    """
    everyone = bool(app.styleSheet())
    # Parents first: a polished widget takes its parent's font as it is then, and
    # allWidgets() comes in no set order (a tab bar kept its normal size at times).
    for widget in sorted(app.allWidgets(), key=_depth):
        if (everyone or widget.styleSheet()) and not widget.testAttribute(
            Qt.WidgetAttribute.WA_SetFont
        ):
            _polish(widget)


def _fonts(app: QApplication) -> list[tuple[QWidget, QFont | None]]:
    """Each widget and its own font (the editor's, say), None where it follows its parent's."""
    return [
        (
            widget,
            QFont(widget.font()) if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont) else None,
        )
        for widget in app.allWidgets()
    ]


def _put_fonts_back(fonts: list[tuple[QWidget, QFont | None]]) -> None:
    """Give each widget the font it had before the app's style or style sheet changed.

    A style sheet notes each widget's font when it polishes it and gives that font
    back, as the widget's own, when it or the style under it is changed: a font of
    presentation mode came back after presentation mode had ended, and the editor
    and the dock titles stayed enlarged.
    """
    for widget, font in fonts:
        if not shiboken6.isValid(widget):
            continue
        if font is None:
            if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
                widget.setFont(QFont())  # follows its parent's font again
        elif widget.font() != font:
            widget.setFont(font)


def _depth(widget: QWidget) -> int:
    """How many parents the widget has."""
    depth = 0
    while (widget := widget.parentWidget()) is not None:
        depth += 1
    return depth


def _polish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _under_style_sheet(widget: QWidget) -> bool:
    while widget is not None:
        if widget.styleSheet():
            return True
        widget = widget.parentWidget()
    return False


class ThemeController(QObject):
    """Owns the Theme menu and applies the chosen theme to every pane, live.

    "System" keeps the platform's own style and palette and follows its light
    or dark setting; the others switch to the Fusion style with our palette.
    The app's style, palette and text roles are set here; ``paint_panes(theme,
    choice)`` gives the panes that draw colours of their own theirs, before
    theme_changed tells the rest. ``root`` is the window: a change of its font
    (presentation mode) polishes the styled widgets anew.
    """

    theme_changed = Signal(str)  # the choice: system, light, dark or high-contrast

    def __init__(
        self,
        root: QWidget,
        view_menu: QMenu,
        settings: QSettings,
        paint_panes: Callable[[AppTheme, str], None],
    ) -> None:
        super().__init__(root)
        self._root, self._settings, self._paint_panes = root, settings, paint_panes
        app = QApplication.instance()
        self._native_style = app.style().name()
        self.choice = "system"
        self.theme = resolve_theme("system", system_prefers_dark())
        self.menu = view_menu.addMenu(tr("&Theme"))
        self.actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for value, text in theme_choices():
            action = QAction(text, self, checkable=True)
            action.setData(value)
            action.triggered.connect(lambda _checked=False, v=value: self.set_theme(v))
            group.addAction(action)
            self.menu.addAction(action)
            self.actions[value] = action
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(self._on_system_scheme_changed)
        stored = settings.value(SETTINGS_KEY, "system")
        self.set_theme(stored if stored in self.actions else "system")
        self._polished_font = QFont(app.font())
        root.installEventFilter(self)

    def set_theme(self, choice: str) -> None:
        """Apply ``choice`` (system, light, dark, high-contrast) everywhere and remember it."""
        if choice not in self.actions:
            raise ValueError(f"unknown theme {choice!r}")
        self.choice = choice
        self.theme = resolve_theme(choice, system_prefers_dark())
        self._apply_palette(choice)
        app = QApplication.instance()
        apply_text_roles(app.allWidgets(), self.theme)
        self._paint_panes(self.theme, choice)
        self.actions[choice].setChecked(True)
        self._settings.setValue(SETTINGS_KEY, choice)
        self.theme_changed.emit(choice)

    def _apply_palette(self, choice: str) -> None:
        """Set the app's style, palette and style sheet for ``choice``; fonts stay as they are."""
        app = QApplication.instance()
        fonts = _fonts(app)
        self._apply_style(choice, app)
        _put_fonts_back(fonts)

    def _apply_style(self, choice: str, app: QApplication) -> None:
        """A widget under a style sheet (the app's, or one of its own) takes its palette
        once, when the sheet is applied: it is applied again after each palette, or
        the widget keeps the colours of the theme before (black text on black).
        """
        if choice == "system":
            if app.style().name() != self._native_style:
                app.setStyle(self._native_style)
            # A palette with no colour set gives back the platform's, which then
            # follows the system's light or dark setting by itself.
            app.setPalette(QPalette())
        else:
            if app.style().name() != PALETTE_STYLE:
                app.setStyle(PALETTE_STYLE)
            app.setPalette(build_palette(self.theme))
        if app.styleSheet() != self.theme.style_sheet:
            # Set or taken away after the palette: either polishes every widget anew.
            app.setStyleSheet(self.theme.style_sheet)
            if not self.theme.style_sheet:
                _follow_app_palette(app)
            return
        _polish_styled_widgets(app)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._root and event.type() == QEvent.Type.FontChange:
            # The app font changed (presentation mode): widgets under a style sheet
            # keep the font they were polished with, as they keep the palette.
            app = QApplication.instance()
            if app.font() != self._polished_font:
                self._polished_font = QFont(app.font())
                _polish_for_app_font(app)
        return super().eventFilter(watched, event)

    def _on_system_scheme_changed(self, _scheme: object) -> None:
        if self.choice == "system":
            self.set_theme("system")
