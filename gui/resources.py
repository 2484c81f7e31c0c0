"""Access to the app's icons, its bundled Chinese font and other packaged assets from Qt."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QIcon

from autograd_playground.assets import asset_path
from autograd_playground.core.i18n.chinese_glyphs import BUNDLED_CJK_FAMILY, BUNDLED_CJK_FILE

APP_TITLE = "Autograd Playground"


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


def _fonts_of_their_own() -> list[str]:
    """Return the installed families that name a font, not an alias such as "Sans Serif"."""
    return [name for name in QFontDatabase.families() if QFontInfo(QFont(name)).family() == name]


def install_cjk_fallback() -> str | None:
    """Make the bundled Chinese font the fallback for Chinese where the system has none.

    Return its family, or None when an installed Chinese font already draws Chinese:
    that font, complete and chosen by the system, is then left to do so. Once loaded,
    the font is among those Qt's own fallback searches on Linux, which is how fonts
    asked for by an alias (the UI's "Sans Serif", the editor's "monospace") find it.
    Every installed font also gets it as a substitute, which Qt tries first, for the
    characters that font lacks only (Latin text keeps its font), on any platform. An
    alias gets none: Qt would take the substitute as the font itself.
    """
    if system_chinese_families():
        return None
    own_fonts = _fonts_of_their_own()
    try:
        family = load_bundled_cjk_font()
    except OSError as error:  # Chinese shows as boxes, but the app still starts
        sys.stderr.write(f"{error}\n")
        return None
    for name in own_fonts:
        QFont.insertSubstitution(name, family)  # Qt skips a substitute it already has
    return family
