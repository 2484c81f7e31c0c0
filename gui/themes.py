"""The app's themes as data: window palette, code, output, inspector, graph and plot colours."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from gui.graph_items import DARK, HIGH_CONTRAST, LIGHT, GraphTheme
from gui.highlighter import LIGHT_PALETTE
from gui.inspector_panel import DEFAULT_COLORS
from gui.output_panel import COLORS as OUTPUT_COLORS
from gui.ui_text import tr


def theme_choices() -> list[tuple[str, str]]:
    """Return the choices of View ▸ Theme, in menu order: (settings value, menu text)."""
    return [
        ("system", tr("System", "跟随系统")),
        ("light", tr("Light", "浅色")),
        ("dark", tr("Dark", "深色")),
        ("high-contrast", tr("High contrast", "高对比度")),
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
    ``disabled`` is the text colour of disabled widgets.
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
        _ROLES.Highlight: "#3874d8",
        _ROLES.HighlightedText: "#ffffff",
        _ROLES.ToolTipBase: "#ffffdc",
        _ROLES.ToolTipText: "#1a1a1a",
        _ROLES.PlaceholderText: "#8a8a8a",
        _ROLES.Link: "#1f5fbf",
        _ROLES.Light: "#ffffff",
        _ROLES.Midlight: "#e3e3e3",
        _ROLES.Mid: "#b8b8b8",
        _ROLES.Dark: "#9f9f9f",
        _ROLES.Shadow: "#767676",
    },
    disabled="#9a9a9a",
    syntax=dict(LIGHT_PALETTE),
    output=dict(OUTPUT_COLORS),
    inspector=dict(DEFAULT_COLORS),
    graph=LIGHT,
    plot_background="#ffffff",
    plot_foreground="#222222",
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
        _ROLES.Highlight: "#2f65ca",
        _ROLES.HighlightedText: "#ffffff",
        _ROLES.ToolTipBase: "#3c3f44",
        _ROLES.ToolTipText: "#e6e6e6",
        _ROLES.PlaceholderText: "#8c8c8c",
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
)

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
)

THEMES = {theme.name: theme for theme in (LIGHT_THEME, DARK_THEME, HIGH_CONTRAST_THEME)}


def resolve_theme(choice: str, system_dark: bool) -> AppTheme:
    """Return the theme a menu choice stands for; "system" (or anything unknown) follows the OS."""
    if choice in THEMES:
        return THEMES[choice]
    return DARK_THEME if system_dark else LIGHT_THEME


def build_palette(theme: AppTheme) -> QPalette:
    """Return a QPalette with ``theme``'s colours, greyed text for disabled widgets."""
    palette = QPalette()
    for role, color in theme.palette.items():
        palette.setColor(role, QColor(color))
    disabled = QColor(theme.disabled)
    for role in (_ROLES.WindowText, _ROLES.Text, _ROLES.ButtonText, _ROLES.PlaceholderText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette
