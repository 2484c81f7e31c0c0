"""Lessons: a runnable code file plus its texts in every language, loaded from a folder.

A lesson is a pair of files sharing a name such as ``15_wx_plus_b``: ``15_wx_plus_b.py``
holds the code (run as a notebook cell, with torch, nn, F, np and device preloaded) and
``15_wx_plus_b.toml`` the texts, one table per language::

    [en]
    title = "z = wx + b"
    text = \"\"\"A few friendly sentences; `code` in backticks; blank lines split paragraphs.\"\"\"
    prompts = ["Try this…", "…and this."]

    [zh]
    title = "…"
    ...

The number in front orders the lessons.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd_playground.core.i18n.languages import LANGUAGES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_NAME = re.compile(r"^(\d+)_([A-Za-z0-9_]+)$")
MAX_PROMPTS = 6


class LessonError(ValueError):
    """A lesson file that cannot be used, with a message naming the file and the problem."""


@dataclass(frozen=True)
class Lesson:
    """One lesson: its code and, per language, a title, an explanation and prompts."""

    id: str
    number: int
    titles: dict[str, str]
    texts: dict[str, str]
    prompts: dict[str, tuple[str, ...]]
    code: str
    path: Path

    def title(self, language: str) -> str:
        """Return the title in ``language``."""
        return self.titles[language]

    def text(self, language: str) -> str:
        """Return the explanation in ``language``."""
        return self.texts[language]

    def prompts_in(self, language: str) -> tuple[str, ...]:
        """Return the "try this" prompts in ``language``."""
        return self.prompts[language]


@dataclass(frozen=True)
class LessonCatalog:
    """The lessons of a folder that loaded, and a message for each that did not."""

    lessons: tuple[Lesson, ...]
    problems: tuple[str, ...]


def default_lessons_dir() -> Path:
    """Return the folder of the lessons shipped with the app."""
    from autograd_playground.assets import asset_path

    return asset_path("lessons")


def load_lesson(code_path: Path) -> Lesson:
    """Return the lesson whose code is ``code_path``; raise LessonError if it is malformed."""
    code_path = Path(code_path)
    match = _NAME.match(code_path.stem)
    if code_path.suffix != ".py" or match is None:
        raise LessonError(
            f"{code_path.name}: a lesson's code file is named like 01_first_tensors.py "
            "(a number, an underscore, a name)."
        )
    code = _read_text(code_path)
    if not code.strip():
        raise LessonError(f"{code_path.name}: the code file is empty.")
    text_path = code_path.with_suffix(".toml")
    if not text_path.is_file():
        raise LessonError(f"{code_path.name}: {text_path.name}, its texts, is missing.")
    try:
        data = tomllib.loads(_read_text(text_path))
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"{text_path.name}: not valid TOML ({exc}).") from None
    titles: dict[str, str] = {}
    texts: dict[str, str] = {}
    prompts: dict[str, tuple[str, ...]] = {}
    for language in LANGUAGES:
        table = data.get(language)
        if not isinstance(table, dict):
            raise LessonError(f"{text_path.name}: the [{language}] table is missing.")
        where = f"{text_path.name} [{language}]"
        titles[language] = _required_text(table, "title", where)
        texts[language] = _required_text(table, "text", where)
        prompts[language] = _prompts(table, where)
    return Lesson(
        id=code_path.stem,
        number=int(match.group(1)),
        titles=titles,
        texts=texts,
        prompts=prompts,
        code=code,
        path=code_path,
    )


def load_catalog(directory: Path | None = None) -> LessonCatalog:
    """Return the lessons of ``directory`` in order, with a message for each bad one."""
    directory = Path(directory) if directory is not None else default_lessons_dir()
    if not directory.is_dir():
        return LessonCatalog((), (f"The lessons folder {directory} does not exist.",))
    lessons: list[Lesson] = []
    problems: list[str] = []
    for code_path in sorted(directory.glob("*.py")):
        if code_path.name == "__init__.py":
            continue
        try:
            lessons.append(load_lesson(code_path))
        except LessonError as exc:
            problems.append(str(exc))
    for text_path in sorted(directory.glob("*.toml")):
        if not text_path.with_suffix(".py").is_file():
            problems.append(f"{text_path.name}: {text_path.stem}.py, its code, is missing.")
    lessons.sort(key=lambda lesson: (lesson.number, lesson.id))
    return LessonCatalog(tuple(lessons), tuple(problems))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise LessonError(f"{path.name}: not UTF-8 text.") from None
    except OSError as exc:
        raise LessonError(f"{path.name}: cannot be read ({exc.strerror}).") from None


def _required_text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LessonError(f"{where}: {key} is missing or empty.")
    return value.strip()


def _prompts(table: dict[str, Any], where: str) -> tuple[str, ...]:
    value = table.get("prompts")
    if not isinstance(value, list) or not value:
        raise LessonError(f"{where}: prompts must be a list of one or more strings.")
    if len(value) > MAX_PROMPTS:
        raise LessonError(f"{where}: at most {MAX_PROMPTS} prompts, found {len(value)}.")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise LessonError(f"{where}: every prompt must be a non-empty string.")
    return tuple(item.strip() for item in value)
