"""The app's themes as data: window palette, code, output, inspector, graph and plot colours."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from autograd_playground.gui.appearance.graph_palette import DARK, HIGH_CONTRAST, LIGHT, GraphTheme
from autograd_playground.gui.appearance.pane_palettes import (
    LIGHT_INSPECTOR,
    LIGHT_OUTPUT,
    LIGHT_SYNTAX,
)
from autograd_playground.gui.ui_text import tr


def theme_choices() -> list[tuple[str, str]]:
    """Return the choices of View ▸ Theme, in menu order: (settings value, menu text)."""
    return [
        ("system", tr("System")),
        ("light", tr("Light")),
        ("dark", tr("Dark")),
        ("high-contrast", tr("High contrast")),
    ]


# How much of a plot's background a legend lays over the lines beneath it (of 255): a
# parameter settling at the height of its own entry no longer strikes the entry through,
# and a loss curve running under the legend still shows.
LEGEND_VEIL_ALPHA = 160


def legend_veil(background: str) -> QColor:
    """A plot legend's fill: the plot's ``background``, partly see-through."""
    veil = QColor(background)
    veil.setAlpha(LEGEND_VEIL_ALPHA)
    return veil


_ROLES = QPalette.ColorRole


@dataclass(frozen=True)
class AppTheme:
    """Every colour the app draws with, for one theme.

    ``palette`` maps QPalette roles to colours (active and inactive groups);
    ``disabled`` is the text colour of disabled widgets. ``text`` holds the colours
    of labels that say something by their colour (TEXT_ROLES). ``plot_colors`` are
    the curves' colours in order, drawn ``plot_pen_width`` pixels wide.
    ``style_sheet`` is the app's style sheet: what the palette cannot reach.
    """

    name: str
    palette: dict[QPalette.ColorRole, str]
    disabled: str
    syntax: dict[str, str]
    output: dict[str, str | None]
    inspector: dict[str, str]
    graph: GraphTheme
    plot_background: str
    plot_foreground: str
    text: dict[str, str]
    plot_colors: tuple[str, ...]
    plot_pen_width: float = 1.0
    style_sheet: str = ""


LIGHT_THEME = AppTheme(
    name="light",
    palette={
        _ROLES.Window: "#efefef",
        _ROLES.WindowText: "#1a1a1a",
        _ROLES.Base: "#ffffff",
        _ROLES.AlternateBase: "#f3f5f8",
        _ROLES.Text: "#1a1a1a",
        _ROLES.Button: "#e8e8e8",
        _ROLES.ButtonText: "#1a1a1a",
        _ROLES.BrightText: "#ffffff",
        # Dark enough for white text at 4.5:1 through Fusion's shading of a selection.
        _ROLES.Highlight: "#2558bf",
        _ROLES.HighlightedText: "#ffffff",
        _ROLES.ToolTipBase: "#ffffdc",
        _ROLES.ToolTipText: "#1a1a1a",
        _ROLES.PlaceholderText: "#626262",
        _ROLES.Link: "#1f5fbf",
        _ROLES.Light: "#ffffff",
        _ROLES.Midlight: "#e3e3e3",
        _ROLES.Mid: "#b8b8b8",
        _ROLES.Dark: "#9f9f9f",
        _ROLES.Shadow: "#767676",
    },
    disabled="#9a9a9a",
    syntax=dict(LIGHT_SYNTAX),
    output=dict(LIGHT_OUTPUT),
    inspector=dict(LIGHT_INSPECTOR),
    graph=LIGHT,
    plot_background="#ffffff",
    plot_foreground="#222222",
    text={
        "muted": "#5c5c5c",
        "error": "#b3261e",
        "accent": "#1f5fa8",
        "warning": "#a04c00",
        "good": "#18741c",
        "step": "#b00068",
    },
    plot_colors=("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#c45f00", "#8c564b"),
)

DARK_THEME = AppTheme(
    name="dark",
    palette={
        _ROLES.Window: "#2b2d31",
        _ROLES.WindowText: "#e6e6e6",
        _ROLES.Base: "#1e1f22",
        _ROLES.AlternateBase: "#26282c",
        _ROLES.Text: "#e6e6e6",
        _ROLES.Button: "#35373c",
        _ROLES.ButtonText: "#e6e6e6",
        _ROLES.BrightText: "#ffffff",
        _ROLES.Highlight: "#2558bf",
        _ROLES.HighlightedText: "#ffffff",
        _ROLES.ToolTipBase: "#3c3f44",
        _ROLES.ToolTipText: "#e6e6e6",
        _ROLES.PlaceholderText: "#9a9a9a",
        _ROLES.Link: "#6cb6ff",
        _ROLES.Light: "#4a4d52",
        _ROLES.Midlight: "#3c3f44",
        _ROLES.Mid: "#2a2c30",
        _ROLES.Dark: "#1a1b1e",
        _ROLES.Shadow: "#0e0e10",
    },
    disabled="#6f6f6f",
    syntax={
        "keyword": "#cf8e6d",
        "builtin": "#b39ddb",
        "torch": "#56c2d6",
        "number": "#6fb3ff",
        "string": "#8fc77a",
        "comment": "#8c8c8c",
        "decorator": "#d4c25a",
        "definition": "#ffc66d",
    },
    output={
        "header": "#9a9a9a",
        "stdout": None,
        "stderr": "#e6a23c",
        "display": "#6cb6ff",
        "error": "#ff6b6b",
        "info": "#9a9a9a",
    },
    inspector={"muted": "#a0a0a0", "stats": "#c4c4c4", "bad": "#ff6b6b", "link": "#6cb6ff"},
    graph=DARK,
    plot_background="#1e1f22",
    plot_foreground="#e6e6e6",
    text={
        "muted": "#b4b4b4",
        # Light enough to read on a table header's gray as well as on the window.
        "error": "#ffa69e",
        "accent": "#7cc0ff",
        "warning": "#f0b860",
        "good": "#6fd66f",
        "step": "#ff7ac8",
    },
    plot_colors=("#5aa9ff", "#ff6b6b", "#5cc85c", "#c39bff", "#ffa94d", "#d7a58f"),
)

# Fusion outlines boxes in a shade of the window colour: black on black here. Check
# and radio boxes, and the fields one types in, get white borders of their own; a
# ticked box is filled with the highlight (a style-sheet box draws no tick mark).
HIGH_CONTRAST_STYLE_SHEET = """
QCheckBox::indicator, QRadioButton::indicator, QGroupBox::indicator {
    width: 0.9em; height: 0.9em; border: 2px solid #ffffff; background: #000000;
}
QRadioButton::indicator { border-radius: 0.55em; }
QCheckBox::indicator:checked, QRadioButton::indicator:checked, QGroupBox::indicator:checked {
    background: #ffea00;
}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled { border-color: #a0a0a0; }
QLineEdit { border: 1px solid #ffffff; padding: 1px 2px; }
QLineEdit:disabled { border-color: #a0a0a0; }
"""

# Black and white first; colours only where they carry meaning, each bright on black.
HIGH_CONTRAST_THEME = AppTheme(
    name="high-contrast",
    palette={
        _ROLES.Window: "#000000",
        _ROLES.WindowText: "#ffffff",
        _ROLES.Base: "#000000",
        _ROLES.AlternateBase: "#1c1c1c",
        _ROLES.Text: "#ffffff",
        _ROLES.Button: "#000000",
        _ROLES.ButtonText: "#ffffff",
        _ROLES.BrightText: "#ffffff",
        _ROLES.Highlight: "#ffea00",
        _ROLES.HighlightedText: "#000000",
        _ROLES.ToolTipBase: "#000000",
        _ROLES.ToolTipText: "#ffffff",
        _ROLES.PlaceholderText: "#d0d0d0",
        _ROLES.Link: "#00e5ff",
        _ROLES.Light: "#ffffff",
        _ROLES.Midlight: "#d0d0d0",
        _ROLES.Mid: "#ffffff",
        _ROLES.Dark: "#ffffff",
        _ROLES.Shadow: "#ffffff",
    },
    disabled="#a0a0a0",
    syntax={
        "keyword": "#ffea00",
        "builtin": "#ff9cff",
        "torch": "#00e5ff",
        "number": "#7dff7d",
        "string": "#ffb74d",
        "comment": "#d0d0d0",
        "decorator": "#ffea00",
        "definition": "#00e5ff",
    },
    output={
        "header": "#d0d0d0",
        "stdout": None,
        "stderr": "#ffb74d",
        "display": "#00e5ff",
        "error": "#ff5252",
        "info": "#d0d0d0",
    },
    inspector={"muted": "#e0e0e0", "stats": "#ffffff", "bad": "#ff5252", "link": "#00e5ff"},
    graph=HIGH_CONTRAST,
    plot_background="#000000",
    plot_foreground="#ffffff",
    text={
        "muted": "#e0e0e0",
        "error": "#ff6e6e",
        "accent": "#00e5ff",
        "warning": "#ffb74d",
        "good": "#7dff7d",
        "step": "#ff70ff",
    },
    # Saturated and light on black, and thick enough to see from the back of a room.
    plot_colors=("#00e5ff", "#ff5c8a", "#7dff7d", "#ffea00", "#ff9cff", "#ffb74d"),
    plot_pen_width=3.0,
    style_sheet=HIGH_CONTRAST_STYLE_SHEET,
)

THEMES = {theme.name: theme for theme in (LIGHT_THEME, DARK_THEME, HIGH_CONTRAST_THEME)}


def system_prefers_dark() -> bool:
    """True when the platform is set to a dark colour scheme."""
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_theme(choice: str, system_dark: bool) -> AppTheme:
    """Return the theme a menu choice stands for; "system" (or anything unknown) follows the OS."""
    if choice in THEMES:
        return THEMES[choice]
    return DARK_THEME if system_dark else LIGHT_THEME


# What a label's colour says: dimmed text, a problem, a caption, a caution, a check
# passed, and the backward stepper's rule (the colour of its mark in the graph).
TEXT_ROLES = ("muted", "error", "accent", "warning", "good", "step")
_TEXT_ROLE_PROPERTY = "themeTextRole"
_THEME_PROPERTY = "appThemeName"  # on the QApplication: the theme applied last


def set_text_role(widget: QWidget, role: str) -> None:
    """Draw ``widget``'s text in the theme's ``role`` colour, now and after each theme change.

    A palette colour of the widget's own, unlike a style sheet's ``color``: a style
    sheet fixes the whole palette as it was when the widget was first shown, so
    the widget keeps the old theme's background and text colours.
    """
    if role not in TEXT_ROLES:
        raise ValueError(f"unknown text role {role!r}; expected one of {', '.join(TEXT_ROLES)}")
    widget.setProperty(_TEXT_ROLE_PROPERTY, role)
    app = QApplication.instance()
    name = app.property(_THEME_PROPERTY) if app is not None else None
    if name in THEMES:
        _paint_text_role(widget, THEMES[name])


def apply_text_roles(widgets: list[QWidget], theme: AppTheme) -> None:
    """Give each of ``widgets`` that has a text role its colour in ``theme``; note the theme."""
    QApplication.instance().setProperty(_THEME_PROPERTY, theme.name)
    for widget in widgets:
        if widget.property(_TEXT_ROLE_PROPERTY) is not None:
            _paint_text_role(widget, theme)


def _paint_text_role(widget: QWidget, theme: AppTheme) -> None:
    color = QColor(theme.text[widget.property(_TEXT_ROLE_PROPERTY)])
    palette = widget.palette()  # only the roles set here stop following the app's palette
    for role in (_ROLES.WindowText, _ROLES.Text):
        palette.setColor(role, color)
    widget.setPalette(palette)


def build_palette(theme: AppTheme) -> QPalette:
    """Return a QPalette with ``theme``'s colours, greyed text for disabled widgets."""
    palette = QPalette()
    for role, color in theme.palette.items():
        palette.setColor(role, QColor(color))
    disabled = QColor(theme.disabled)
    for role in (_ROLES.WindowText, _ROLES.Text, _ROLES.ButtonText, _ROLES.PlaceholderText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette
