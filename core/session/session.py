"""A session: the editor's code and the training lab's settings, kept in a plain ``.py`` file.

The file is the code itself with a small header of comment lines in front::

    # autograd-playground session 1
    # training: {"task": "quadratic", "lr": 0.01, ...}
    x = torch.arange(4.0, requires_grad=True)

so it stays readable, diffable and runnable in the app. A ``.py`` without the header opens
as just its code. Nothing is ever unpickled: the settings are JSON on one line.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograd_playground.core.i18n.catalog import Message, text_in
from autograd_playground.core.i18n.localized_error import LocalizedError

FORMAT_NAME = "autograd-playground session"
VERSION = 1
MAGIC_LINE = f"# {FORMAT_NAME} {VERSION}"
TRAINING_PREFIX = "# training: "
# The editor is for lessons and experiments: a larger file is not one of those, and
# would freeze the window while it loads.
MAX_BYTES = 5 * 1024 * 1024

_MAGIC_RE = re.compile(rf"#\s*{FORMAT_NAME}\s+(?P<version>\S+)\s*$")

_PLAIN_REASONS = {
    errno.ENOSPC: Message("the disk is full"),
    errno.EDQUOT: Message("the disk quota is used up"),
    errno.EACCES: Message("permission denied (the file or its folder is read-only, or not yours)"),
    errno.EPERM: Message("the operation is not permitted (the file or its folder is protected)"),
    errno.EROFS: Message("the disk is read-only"),
    errno.ENOENT: Message("the folder does not exist"),
    errno.EISDIR: Message("it is a folder, not a file"),
    errno.ENAMETOOLONG: Message("the file name is too long"),
}


class SessionError(LocalizedError):
    """A session file that cannot be read or written; the message says which file and why."""


@dataclass
class Session:
    """The editor's code and the training lab's settings (plain JSON values)."""

    code: str = ""
    training: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadedSession:
    """A session read from a file, with the reason its settings were left out, if they were."""

    session: Session
    path: Path
    has_header: bool
    # The code opened, but the header could not be used: say so, and keep the lab as it is.
    problem: Message | None = None

    def problem_in(self, language: str) -> str | None:
        """Return the problem in ``language``, None when there is none."""
        return text_in(self.problem, language)


def plain_reason(exc: OSError) -> Message | str:
    """Return what went wrong in ``exc``, in words a student can act on.

    An error the table does not know keeps the system's own words, in either language.
    """
    if exc.errno in _PLAIN_REASONS:
        return _PLAIN_REASONS[exc.errno]
    return (exc.strerror or str(exc) or type(exc).__name__).rstrip(".").lower()


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Return the text of ``path``; raise SessionError if it is unreadable, binary or not UTF-8."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as exc:
        missing = isinstance(exc, FileNotFoundError)
        reason = Message("it does not exist") if missing else plain_reason(exc)
        raise SessionError(
            Message("Could not open {name}: {reason}.", name=path.name, reason=reason)
        ) from None
    if len(data) > max_bytes:
        megabytes = max_bytes // (1024 * 1024)
        raise SessionError(
            Message(
                "{name} is larger than {megabytes} MB: too big to be a "
                "lesson or an experiment, so it is not opened.",
                name=path.name,
                megabytes=megabytes,
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = f"0x{data[exc.start]:02x}"
        raise SessionError(
            Message(
                "{name} is not UTF-8 text (byte {byte} at position {start}); "
                "open a Python source file instead.",
                name=path.name,
                byte=byte,
                start=exc.start,
            )
        ) from None
    if "\x00" in text:
        raise SessionError(
            Message("{name} looks like a binary file, not Python source.", name=path.name)
        )
    return text


def parse_session(text: str, name: str = "the file") -> tuple[Session, bool, SessionError | None]:
    """Split ``text`` into a Session; return it, whether it had a header, and a header problem
    (not raised: the code still opens)."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return Session(code=""), False, None
    match = _MAGIC_RE.match(lines[0].rstrip("\r\n"))
    if match is None:
        return Session(code=text), False, None
    version = match.group("version")
    body_start = 1
    training_line = None
    if len(lines) > 1 and lines[1].startswith(TRAINING_PREFIX):
        training_line = lines[1].rstrip("\r\n")
        body_start = 2
    code = "".join(lines[body_start:])
    if version != str(VERSION):
        return Session(code=code), True, _unknown_version(name, version)
    if training_line is None:
        return Session(code=code), True, None
    training, problem = _read_training(training_line[len(TRAINING_PREFIX) :], name)
    if training is None:
        return Session(code=code), True, problem
    return Session(code=code, training=training), True, None


def _unknown_version(name: str, version: str) -> SessionError:
    return SessionError(
        Message(
            "Line 1 of {name} says it is a session of version "
            "{version!r}, which this app does not know (it reads version "
            "{supported_version}): the code opened, but the training settings "
            "could not be read, so the lab keeps its own.",
            name=name,
            version=version,
            supported_version=VERSION,
        )
    )


def _read_training(payload: str, name: str) -> tuple[dict | None, SessionError | None]:
    """The training settings of a session's second line, or why they cannot be read."""
    try:
        training = json.loads(payload)
    except ValueError as exc:
        return None, SessionError(
            Message(
                "Line 2 of {name} (the training settings) is not valid JSON "
                "({reason}): the code opened, but the training "
                "settings could not be read, so the lab keeps its own.",
                name=name,
                reason=_json_reason(exc),
            )
        )
    if not isinstance(training, dict):
        return None, SessionError(
            Message(
                "Line 2 of {name} should hold the training settings as a "
                "JSON object, not {given_type}: the code opened, "
                "but the training settings could not be read, so the lab "
                "keeps its own.",
                name=name,
                given_type=type(training).__name__,
            )
        )
    return training, None


def read_session(path: Path) -> LoadedSession:
    """Read the session in ``path``; raise SessionError if there is no usable code in it."""
    path = Path(path)
    text = read_text(path)
    if text == "":
        raise SessionError(
            Message("{name} is empty: there is no code or settings in it to open.", name=path.name)
        )
    session, has_header, problem = parse_session(text, path.name)
    return LoadedSession(
        session=session,
        path=path,
        has_header=has_header,
        problem=None if problem is None else problem.message,
    )


def format_session(session: Session) -> str:
    """Return the file text of ``session``: the header lines, then the code as it is."""
    try:
        settings = json.dumps(session.training, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SessionError(
            Message("The training settings cannot be written as JSON: {exc}.", exc=exc)
        ) from None
    return f"{MAGIC_LINE}\n{TRAINING_PREFIX}{settings}\n{session.code}"


def write_session(path: Path, session: Session) -> None:
    """Write ``session`` to ``path`` atomically; raise SessionError saying why it failed."""
    atomic_write_text(path, format_session(session))


def _save_error(path: Path, exc: OSError) -> SessionError:
    return SessionError(
        Message("Could not save {name}: {reason}.", name=path.name, reason=plain_reason(exc))
    )


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) all at once, or leave the old file as it was.

    The text goes to a new file in the same folder, is flushed to the disk, and only then
    takes the old one's place, so a full disk or a crash half-way never truncates it.
    """
    path = Path(path)
    # Through a symbolic link to the file it names, which keeps the link a link.
    target = Path(os.path.realpath(path))
    data = text.encode("utf-8")
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        # 0o666 less the umask, as a file the user saved from any editor.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise _save_error(path, exc) from None
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.chmod(temp, os.stat(target).st_mode & 0o7777)
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise _save_error(path, exc) from None
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the system allows opening a folder."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _json_reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        if exc.pos >= len(exc.doc):
            return "it stops in the middle, as if the file were cut short"
        return f"{exc.msg.lower()} at column {exc.colno + len(TRAINING_PREFIX)}"
    return str(exc)
