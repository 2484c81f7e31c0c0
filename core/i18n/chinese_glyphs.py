"""The Chinese characters the app can show, which the bundled Chinese font must cover.

A machine without a CJK font draws each Chinese character as a box, so the app ships a
subset of Noto Sans SC holding exactly these characters (``tools/make_cjk_font.py`` builds
it, and a test checks the shipped file against this list). Collecting them from the
sources, rather than keeping a list by hand, means a new Chinese string is covered by
rerunning the script.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

# The family name the subset is given. It is not "Noto Sans SC", so that a system which
# has the full font never has it replaced by the app's partial copy.
BUNDLED_CJK_FAMILY = "Noto Sans SC Playground"
BUNDLED_CJK_FILE = ("fonts", "NotoSansSCPlayground-Regular.otf")

# Blocks whose characters a Latin UI font lacks and a Chinese font has: ideographs
# (unified, extension A, compatibility), CJK symbols and punctuation, vertical forms,
# and full-width forms.
_CJK_BLOCKS = (
    (0x3000, 0x303F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)

# Punctuation a Chinese sentence uses, covered even where no source uses it yet, so that
# a student typing it in the editor or a new string using it never shows a box.
CHINESE_PUNCTUATION = (
    "\u3000、。〃〈〉《》「」『』【】〔〕〖〗〘〙〜"
    + "".join(chr(code) for code in range(0xFF01, 0xFF5F))  # full-width ASCII
    + "｟｠￠￡￢￣￤￥￦"  # full-width brackets and signs
    + "‘’“”…—·"  # shared with Latin text, for a UI font that lacks them
)

# Where the texts shown in the interface live, relative to the project root: the
# message catalogs' translations and other strings of the app, and the lessons (their
# Chinese tables and their code, which the editor shows).
_SOURCE_PATTERNS = (
    "core/**/*.py",
    "gui/**/*.py",
    "assets/locale/*/LC_MESSAGES/*.po",
    "assets/lessons/*.toml",
    "assets/lessons/*.py",
)


def needs_cjk_font(char: str) -> bool:
    """Return True for a character that only a Chinese (CJK) font draws."""
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_BLOCKS)


def cjk_characters(text: str) -> set[str]:
    """Return the characters of ``text`` that need a CJK font."""
    return {char for char in set(text) if needs_cjk_font(char)}


def interface_sources(root: Path) -> list[Path]:
    """Return the files under project ``root`` whose text the app shows, sorted."""
    found = {path for pattern in _SOURCE_PATTERNS for path in root.glob(pattern)}
    return sorted(found)


def characters_in_files(paths: Iterable[Path]) -> set[str]:
    """Return the CJK characters in the files ``paths``.

    The whole text of each file is read, comments included: a superset of its string
    literals that needs no parsing, and costs only a few extra glyphs.
    """
    found: set[str] = set()
    for path in paths:
        found |= cjk_characters(path.read_text(encoding="utf-8"))
    return found


def characters_to_cover(root: Path) -> set[str]:
    """Return every character the bundled font must hold for the sources under ``root``."""
    return characters_in_files(interface_sources(root)) | set(CHINESE_PUNCTUATION)
