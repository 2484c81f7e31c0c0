"""Rebuild the bundled Chinese font: Noto Sans SC cut down to the characters the app uses.

Run it after adding Chinese text to core/, gui/ or a lesson (tests/core/test_chinese_font.py
fails until then)::

    pip install -e ".[dev]"       # fontTools
    python tools/make_cjk_font.py NotoSansCJK-Regular.ttc

The source is the full font, under the SIL Open Font License: Noto Sans CJK's
``NotoSansCJK-Regular.ttc`` (Debian's ``fonts-noto-cjk`` package installs it under
/usr/share/fonts/opentype/noto/), or one ``NotoSansCJKsc-Regular.otf`` /
``NotoSansSC-Regular.otf``. From a collection the Simplified Chinese face is taken, so
that shared characters get their mainland shapes. The subset keeps the licence and
copyright fields and gets its own family name (core.i18n.chinese_glyphs.BUNDLED_CJK_FAMILY):
a Modified Version under the OFL, which never stands in for a full installed copy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograd_playground.core.i18n.chinese_glyphs import (  # noqa: E402  (the project root is only now importable)
    BUNDLED_CJK_FAMILY,
    BUNDLED_CJK_FILE,
    characters_to_cover,
)

SOURCE_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")
# Copyright, licence, trademark and version fields travel with the subset (OFL condition 2).
KEPT_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 7, 13, 14)
# Qt lays text out horizontally, and the app wants mainland shapes whatever the system's
# locale: the vertical forms and the other regions' shapes (locl) would only add glyphs.
DROPPED_FEATURES = ("locl", "valt", "vert", "vhal", "vkrn", "vpal", "vrt2", "vchw", "vjmo")


def open_source_font(path: Path) -> TTFont:
    """Return the Simplified Chinese face of ``path`` (a font or a font collection)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return TTFont(path, recalcTimestamp=False)
    for face in TTCollection(path, recalcTimestamp=False).fonts:
        if face["name"].getDebugName(1) in SOURCE_FAMILIES:
            return face
    raise SystemExit(f"{path} has no face named one of {', '.join(SOURCE_FAMILIES)}")


def rename(font: TTFont, family: str) -> None:
    """Give ``font`` the family ``family`` in every name record that names it."""
    postscript = family.replace(" ", "") + "-Regular"
    names = {1: family, 3: f"{postscript};subset", 4: f"{family} Regular", 6: postscript}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (16, 17):  # typographic names would still say "Noto Sans CJK"
            table.removeNames(nameID=record.nameID)
        elif record.nameID in names:
            record.string = names[record.nameID]
    if "CFF " in font:  # the PostScript outlines carry their own copy of the names
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        for key, value in (("FamilyName", family), ("FullName", names[4])):
            if hasattr(top, key):
                setattr(top, key, value)


def make_subset(source: TTFont, characters: set[str]) -> set[str]:
    """Cut ``source`` down to ``characters`` in place; return those it lacks."""
    cmap = source.getBestCmap()
    missing = {char for char in characters if ord(char) not in cmap}
    options = subset.Options()
    options.name_IDs = list(KEPT_NAME_IDS)
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = [f for f in options.layout_features if f not in DROPPED_FEATURES]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(char) for char in characters if char not in missing])
    subsetter.subset(source)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the full Noto Sans SC / CJK font (.otf, .ttc)")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT.joinpath("assets", *BUNDLED_CJK_FILE),
        help="where to write the subset (default: the file the app loads)",
    )
    args = parser.parse_args(argv)
    characters = characters_to_cover(ROOT)
    font = open_source_font(args.source)
    missing = make_subset(font, characters)
    rename(font, BUNDLED_CJK_FAMILY)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    font.save(args.out)
    sys.stdout.write(
        f"{args.out}: {len(characters) - len(missing)} characters, "
        f"{args.out.stat().st_size:,} bytes (source {args.source.stat().st_size:,} bytes)\n"
    )
    if missing:
        sys.stderr.write(f"not in the source font: {''.join(sorted(missing))}\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
