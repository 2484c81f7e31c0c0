"""Autosave: the session as it is being edited, kept on disk so that a crash loses nothing.

Each running window owns one ``autosave-<id>.json`` in the data folder and holds an
OS lock on its ``.lock`` file beside it. A clean close deletes both. The OS drops the
lock of a process that dies, so at the next start an autosave whose lock can be taken
is one a crashed session left behind: its code is given back. Two windows open at once
each keep their own file, and neither mistakes the other's for a crash.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.session.session import (
    Session,
    SessionError,
    atomic_write_text,
    plain_reason,
)
from autograd_playground.core.user_dirs import user_dir

ENV_VAR = "AUTOGRAD_PLAYGROUND_DATA_DIR"
FORMAT = "autograd-playground.autosave"
VERSION = 1
PATTERN = "autosave-*.json"


def data_dir(environ: dict[str, str] | None = None) -> Path:
    """Return the folder for autosaves: $AUTOGRAD_PLAYGROUND_DATA_DIR, else the user's data dir."""
    return user_dir(ENV_VAR, "data", environ)


class UnreadableAutosave(SessionError):
    """A crashed session's autosave that cannot be read."""


@dataclass
class Recovered:
    """What a session that did not close cleanly was editing."""

    session: Session
    path: Path | None  # the file it belonged to, or None for an untitled session
    saved_at: str
    autosave_file: Path


class Autosave:
    """This window's autosave file in ``directory``, and the finding of crashed sessions' ones."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.file = self.directory / f"autosave-{secrets.token_hex(6)}.json"
        self._lock_fd: int | None = None

    @property
    def lock_file(self) -> Path:
        return _lock_path(self.file)

    def write(self, session: Session, path: Path | None) -> None:
        """Save ``session`` (edited from ``path``, if it has a file) atomically."""
        if self._lock_fd is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise SessionError(
                    Message(
                        "Could not create the autosave folder {directory}: {reason}.",
                        directory=self.directory,
                        reason=plain_reason(exc),
                    )
                ) from None
            self._lock_fd = _take_lock(self.lock_file)
            if self._lock_fd is None:
                raise SessionError(
                    Message(
                        "Could not lock the autosave file {lock_file}.", lock_file=self.lock_file
                    )
                )
        record = {
            "format": FORMAT,
            "version": VERSION,
            "saved_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "path": None if path is None else str(path),
            "code": session.code,
            "training": session.training,
        }
        try:
            text = json.dumps(record, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise SessionError(
                Message("The session cannot be autosaved as JSON: {exc}.", exc=exc)
            ) from None
        atomic_write_text(self.file, text)

    def clear(self) -> None:
        """Delete this window's autosave: it closed cleanly, nothing needs recovering."""
        with contextlib.suppress(OSError):
            self.file.unlink()
        if self._lock_fd is not None:
            self._release()
            with contextlib.suppress(OSError):
                self.lock_file.unlink()

    def _release(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing the descriptor drops the lock, as a dying process does

    def recover(self, language: str = "en") -> tuple[Recovered | None, list[str]]:
        """Return the newest autosave a crashed session left, and why others could not be read.

        The reasons are in ``language`` ("en" or "zh"). An unreadable autosave is renamed
        ``*.unreadable`` so that it is reported only once.
        """
        problems: list[str] = []
        found: list[Recovered] = []
        try:
            candidates = sorted(self.directory.glob(PATTERN))
        except OSError:
            return None, problems
        for file in candidates:
            if file == self.file or not _is_orphan(file):
                continue
            try:
                found.append(_read(file))
            except UnreadableAutosave as exc:
                kept = file.with_suffix(".unreadable")
                with contextlib.suppress(OSError):
                    os.replace(file, kept)
                    _lock_path(file).unlink()
                kept_as = Message("{reason} It was kept as {kept}.", reason=exc.message, kept=kept)
                problems.append(kept_as.in_language(language))
        if not found:
            return None, problems
        found.sort(key=lambda item: item.saved_at)
        return found[-1], problems

    def discard(self, recovered: Recovered) -> None:
        """Delete a crashed session's autosave once its code is safe elsewhere."""
        for file in (recovered.autosave_file, _lock_path(recovered.autosave_file)):
            with contextlib.suppress(OSError):
                file.unlink()


def _lock_path(file: Path) -> Path:
    return file.with_suffix(".lock")


def _is_orphan(file: Path) -> bool:
    """True when no running session holds the lock of ``file``."""
    fd = _take_lock(_lock_path(file))
    if fd is None:
        return False
    os.close(fd)
    return True


def _take_lock(path: Path) -> int | None:
    """Open ``path`` and lock it without waiting; None if another holder has it."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _read(file: Path) -> Recovered:
    try:
        record: Any = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnreadableAutosave(
            Message("The autosave {name} could not be read ({exc}).", name=file.name, exc=exc)
        ) from None
    if (
        not isinstance(record, dict)
        or record.get("format") != FORMAT
        or record.get("version") != VERSION
        or not isinstance(record.get("code"), str)
    ):
        raise UnreadableAutosave(
            Message("The autosave {name} is not one this app wrote.", name=file.name)
        )
    training = record.get("training")
    path = record.get("path")
    return Recovered(
        session=Session(
            code=record["code"], training=training if isinstance(training, dict) else {}
        ),
        path=Path(path) if isinstance(path, str) and path else None,
        saved_at=str(record.get("saved_at", "")),
        autosave_file=file,
    )
