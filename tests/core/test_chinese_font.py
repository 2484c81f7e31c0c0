"""The bundled Chinese font holds every Chinese character the interface and lessons use."""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

from autograd_playground.assets import asset_path
from autograd_playground.core.i18n.chinese_glyphs import (
    BUNDLED_CJK_FAMILY,
    BUNDLED_CJK_FILE,
    CHINESE_PUNCTUATION,
    characters_to_cover,
    interface_sources,
    needs_cjk_font,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def _shipped_font() -> TTFont:
    return TTFont(asset_path(*BUNDLED_CJK_FILE))


def test_the_shipped_font_covers_every_chinese_character_of_the_app():
    cmap = _shipped_font().getBestCmap()
    needed = characters_to_cover(ROOT)
    assert len(needed) > 500  # the menus, panels and 24 lessons are read
    missing = "".join(sorted(char for char in needed if ord(char) not in cmap))
    assert not missing, (
        f"the bundled font lacks {missing!r}: rerun "
        "'python tools/make_cjk_font.py NotoSansCJK-Regular.ttc' (see its docstring)"
    )


def test_the_shipped_font_has_its_own_family_name_and_its_licence():
    names = _shipped_font()["name"]
    families = {record.toUnicode() for record in names.names if record.nameID == 1}
    assert families == {BUNDLED_CJK_FAMILY}
    assert "SIL Open Font License" in names.getDebugName(13)
    licence = asset_path("fonts", "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Reserved Font Name 'Source'" in licence


def test_the_fonts_folder_is_packaged():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert (
        "fonts/*" in pyproject["tool"]["setuptools"]["package-data"]["autograd_playground.assets"]
    )


def test_only_characters_a_latin_font_lacks_need_the_chinese_font():
    assert all(needs_cjk_font(char) for char in "汉张量，。：（）、《》！？　")
    assert not any(needs_cjk_font(char) for char in "Az0 ×→≤…“”·—ε")


def test_a_catalog_translation_and_a_lesson_table_are_collected(tmp_path):
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "panel.py").write_text(
        'label = tr("Loss")  # 注释 counts too\n', encoding="utf-8"
    )
    (tmp_path / "core" / "training").mkdir(parents=True)
    (tmp_path / "core" / "training" / "plan.py").write_text('MESSAGE = "损失"\n', "utf-8")
    lessons = tmp_path / "assets" / "lessons"
    lessons.mkdir(parents=True)
    (lessons / "01_x.toml").write_text('[zh]\ntitle = "叶子"\n', encoding="utf-8")
    catalog = tmp_path / "assets" / "locale" / "zh" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "autograd_playground.po").write_text(
        'msgid "Gradient"\nmsgstr "梯度"\n', encoding="utf-8"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_panel.py").write_text('assert "测试" != ""\n', "utf-8")

    sources = interface_sources(tmp_path)
    found = characters_to_cover(tmp_path) - set(CHINESE_PUNCTUATION)

    assert [path.relative_to(tmp_path).as_posix() for path in sources] == [
        "assets/lessons/01_x.toml",
        "assets/locale/zh/LC_MESSAGES/autograd_playground.po",
        "core/training/plan.py",
        "gui/panel.py",
    ]
    assert found == set("梯度注释损失叶子")
