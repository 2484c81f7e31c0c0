"""Every text the code shows has a translation in each message catalog, and runs in it."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from autograd_playground.core.i18n.catalog import (
    DOMAIN,
    EXTRACT_KEYWORDS,
    LOCALE_DIR,
    Message,
    set_current_language,
    translate,
)
from autograd_playground.core.i18n.languages import (
    LANGUAGES,
    available_languages,
    language_for_locale,
    language_name,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _code_msgids() -> dict[tuple[str, str | None], str]:
    """Return each (message id, context) Babel finds in core/ and gui/, with one place."""
    found: dict[tuple[str, str | None], str] = {}
    for folder in ("core", "gui"):
        extracted = extract_from_dir(
            ROOT / folder,
            method_map=[("**.py", "python")],
            keywords=EXTRACT_KEYWORDS,
            comment_tags=(),
        )
        for filename, lineno, message, _, context in extracted:
            found.setdefault((message, context), f"{folder}/{filename}:{lineno}")
    return found


def _read(po: Path):
    with po.open("rb") as handle:
        return read_po(handle)


def _fields(text: str) -> list[str]:
    return sorted(re.findall(r"\{([^{}]*)\}", text.replace("{{", "").replace("}}", "")))


@pytest.fixture(scope="module")
def code_msgids() -> dict[str, str]:
    return _code_msgids()


def test_there_is_a_chinese_catalog():
    assert [po.parent.parent.name for po in CATALOGS] == ["zh"]


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.parent.parent.name)
def test_every_text_of_the_code_is_translated_with_the_same_placeholders(po, code_msgids):
    catalog = _read(po)
    assert len(code_msgids) > 300  # the menus, panels and core's messages are read
    problems = []
    for (msgid, context), where in sorted(code_msgids.items(), key=str):
        entry = catalog.get(msgid, context=context)
        if entry is None or not entry.string:
            problems.append(f"{where}: no translation of {msgid!r}")
        elif entry.fuzzy:
            problems.append(f"{where}: the translation of {msgid!r} is marked fuzzy")
        elif _fields(entry.string) != _fields(msgid):
            problems.append(f"{where}: {entry.string!r} has other placeholders than {msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.parent.parent.name)
def test_no_catalog_keeps_a_text_the_code_no_longer_shows(po, code_msgids):
    stale = sorted(
        entry.id for entry in _read(po) if entry.id and (entry.id, entry.context) not in code_msgids
    )
    assert not stale, f"rerun the converter or drop these from {po.name}: {stale}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.parent.parent.name)
def test_the_committed_mo_file_is_compiled_from_its_po_file(po):
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    expected = {
        entry.id if entry.context is None else f"{entry.context}\x04{entry.id}": entry.string
        for entry in _read(po)
        if entry.id
    }
    shipped = {msgid: text for msgid, text in compiled._catalog.items() if msgid}
    assert shipped == expected, "recompile the .mo: pybabel compile -d assets/locale -D " + DOMAIN


def test_english_is_the_message_id_and_other_languages_come_from_their_catalog():
    entry = next(entry for entry in _read(CATALOGS[0]) if entry.id and not _fields(entry.id))
    assert translate(entry.id, "en") == entry.id
    assert translate(entry.id, "zh") == entry.string
    assert translate("a text no catalog has", "zh") == "a text no catalog has"
    assert translate("", "zh") == ""


def test_placeholders_are_filled_in_the_language_asked_for():
    entry = next(entry for entry in _read(CATALOGS[0]) if entry.id and _fields(entry.id))
    values = {field.split(":")[0].split("!")[0]: 3 for field in _fields(entry.id)}
    assert translate(entry.id, "en", **values) == entry.id.format(**values)
    assert translate(entry.id, "zh", **values) == entry.string.format(**values)
    assert translate("{x} braces {{kept}}", "en") == "{x} braces {{kept}}"  # nothing to fill


def test_a_message_is_rendered_when_shown_in_the_language_of_that_moment():
    entry = next(entry for entry in _read(CATALOGS[0]) if entry.id and not _fields(entry.id))
    message = Message("{inner} and {n}", inner=Message(entry.id), n=2)
    assert message.in_language("en") == f"{entry.id} and 2"
    assert message.in_language("zh") == f"{entry.string} and 2"
    try:
        set_current_language("zh")
        assert str(Message(entry.id)) == entry.string
    finally:
        set_current_language("en")
    assert str(Message(entry.id)) == entry.id
    assert Message("a {n}", n=1) == Message("a {n}", n=1) != Message("a {n}", n=2)


def test_a_third_language_is_one_more_catalog(tmp_path):
    for code, name in (("zh", "简体中文"), ("fr", "Français")):
        folder = tmp_path / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        catalog = Catalog(locale=code)
        catalog.add("English", name, context="language name")
        with (folder / f"{DOMAIN}.mo").open("wb") as handle:
            write_mo(handle, catalog)
    (tmp_path / "de").mkdir()  # a folder without a compiled catalog is no language yet

    assert available_languages(tmp_path) == ("en", "fr", "zh")
    french = gettext.translation(DOMAIN, tmp_path, languages=["fr"])
    assert french.pgettext("language name", "English") == "Français"


def test_the_shipped_languages_name_themselves():
    assert LANGUAGES == ("en", "zh")
    assert [language_name(code) for code in LANGUAGES] == ["English", "简体中文"]
    assert language_for_locale("zh-Hans-CN") == "zh"
    assert language_for_locale("fr_FR") == "en"  # no French catalog: English
