"""Access to the app's icons, its bundled Chinese font and other packaged assets from Qt."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase, QIcon

from assets import asset_path
from core.chinese_glyphs import BUNDLED_CJK_FAMILY, BUNDLED_CJK_FILE

# Family names a style sheet or Qt itself may ask for without naming an installed font.
_GENERIC_FAMILIES = ("sans-serif", "serif", "monospace", "Sans Serif", "Monospace")


def app_icon() -> QIcon:
    """Return the application icon (SVG, sharp at every size)."""
    return QIcon(str(asset_path("icons", "app.svg")))


def system_chinese_families() -> list[str]:
    """Return the installed font families that can show Simplified Chinese, ours excluded."""
    chinese = QFontDatabase.WritingSystem.SimplifiedChinese
    return [name for name in QFontDatabase.families(chinese) if name != BUNDLED_CJK_FAMILY]


def load_bundled_cjk_font() -> str:
    """Register the bundled Chinese font with Qt (once); return its family name.

    Raises OSError when the file is missing or Qt cannot read it.
    """
    if BUNDLED_CJK_FAMILY in QFontDatabase.families():
        return BUNDLED_CJK_FAMILY
    path = asset_path(*BUNDLED_CJK_FILE)
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        raise OSError(f"Qt cannot load the font {path}")
    return QFontDatabase.applicationFontFamilies(font_id)[0]


def install_cjk_fallback() -> str | None:
    """Make the bundled Chinese font every font's fallback where the system has none.

    Return its family, or None when an installed Chinese font already draws Chinese:
    that font, complete and chosen by the system, is then left to do so. Qt tries a
    font's substitutes before the system's own fallbacks, for the characters the font
    lacks only, so Latin text keeps its font. Substituting every family, rather than
    setting the application font, also reaches the editor's fixed-width font, the graph's
    labels and fonts named in style sheets.
    """
    if system_chinese_families():
        return None
    try:
        family = load_bundled_cjk_font()
    except OSError as error:  # Chinese shows as boxes, but the app still starts
        sys.stderr.write(f"{error}\n")
        return None
    for name in (*QFontDatabase.families(), *_GENERIC_FAMILIES):
        if name != family:
            QFont.insertSubstitution(name, family)  # Qt skips a substitute it already has
    return family
