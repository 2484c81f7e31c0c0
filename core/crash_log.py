"""Where the app writes what went wrong: unexpected errors, and faulthandler's crash dumps.

Pure Python (no Qt): choosing the folder, opening and rotating the files, and telling
whether the previous session crashed. The window's glue lives in gui/app.py.

A crash that kills the interpreter (a segfault in a native library, say) leaves no
Python traceback: faulthandler writes one into ``faulthandler.log`` as the process
dies. The file stays empty in a session that ends normally, so a non-empty file at
the next start means the last session crashed.
"""

from __future__ import annotations

import contextlib
import datetime
import faulthandler
import logging
import os
import sys
import threading
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from autograd_playground.core.user_dirs import user_dir

ENV_VAR = "AUTOGRAD_PLAYGROUND_LOG_DIR"
ERROR_LOG = "errors.log"
FAULT_LOG = "faulthandler.log"
PREVIOUS_FAULT_LOG = "faulthandler.previous.log"
# errors.log and its backups stay under (BACKUPS + 1) × MAX_LOG_BYTES, plus one record.
MAX_LOG_BYTES = 512 * 1024
BACKUPS = 3
# A traceback of a deep recursion can run to megabytes; its ends say what happened.
MAX_RECORD_CHARS = 32 * 1024
# Enough of a dump to show in a message; the whole of it stays in the file.
MAX_DUMP_CHARS = 64 * 1024


def log_dir(environ: dict[str, str] | None = None) -> Path:
    """Return the folder for the logs: $AUTOGRAD_PLAYGROUND_LOG_DIR, else the user's log dir."""
    return user_dir(ENV_VAR, "log", environ)


class _QuietRotatingHandler(RotatingFileHandler):
    """Notes a failed write instead of printing logging's own traceback to stderr."""

    failed: BaseException | None = None

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed = sys.exc_info()[1] or OSError("unknown error")


@dataclass
class CrashLog:
    """The open log files of this session, or the reason there are none."""

    directory: Path
    # Why nothing is written to ``directory`` (it cannot be created, or is read-only).
    problem: str | None = None
    # Where the previous session's crash dump was moved to, if that session crashed.
    previous_crash: Path | None = None
    previous_crash_text: str = ""
    _handler: _QuietRotatingHandler | None = field(default=None, repr=False)
    _fault_file: IO[str] | None = field(default=None, repr=False)
    _faulthandler_on: bool = field(default=False, repr=False)
    _write_failure_reported: bool = field(default=False, repr=False)
    # Errors arrive from any thread; a failed write must be told to the one that made it.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def error_log(self) -> Path:
        return self.directory / ERROR_LOG

    @property
    def fault_log(self) -> Path:
        return self.directory / FAULT_LOG

    @property
    def is_writing(self) -> bool:
        return self._handler is not None

    def log_exception(self, text: str, where: str) -> str | None:
        """Append ``text`` (a formatted traceback) with a timestamp and ``where`` it came from.

        Return a message the first time the file cannot be written (a full disk, say),
        so the caller can tell the user once; otherwise None.
        """
        handler = self._handler
        if handler is None:
            return None
        record = logging.LogRecord(
            "autograd_playground", logging.ERROR, "", 0, "%s", (_clip(text),), None
        )
        record.where = where
        record.when = timestamp()
        with self._lock:
            handler.failed = None
            handler.handle(record)
            if handler.failed is None or self._write_failure_reported:
                return None
            self._write_failure_reported = True
            return f"Could not write the error log {self.error_log}: {handler.failed}"

    def close(self) -> None:
        """Stop writing: disable the faulthandler we enabled, and close the files."""
        if self._faulthandler_on:
            faulthandler.disable()
            self._faulthandler_on = False
        if self._fault_file is not None:
            self._fault_file.close()
            self._fault_file = None
        if self._handler is not None:
            handler, self._handler = self._handler, None
            # What is still buffered cannot be written: a full disk, say.
            with contextlib.suppress(OSError, ValueError):
                handler.close()


def open_crash_log(directory: Path | None = None, enable_faulthandler: bool = True) -> CrashLog:
    """Open this session's logs in ``directory`` (default ``log_dir()``); never raise.

    A previous session's non-empty crash dump is moved aside to ``faulthandler.previous.log``
    and reported in ``previous_crash``. With ``enable_faulthandler``, faulthandler writes
    into the new ``faulthandler.log`` (onto stderr when the folder cannot be written); the
    file stays open for the whole process, as faulthandler needs.
    """
    directory = log_dir() if directory is None else directory
    log = CrashLog(directory=directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _take_previous_crash(log)
        log._handler = _open_error_log(directory / ERROR_LOG)
        log._fault_file = (directory / FAULT_LOG).open("w", encoding="utf-8")
    except OSError as exc:
        log.close()
        log.problem = (
            f"The crash log is off: cannot write to {directory} "
            f"({exc.strerror or exc}). Set {ENV_VAR} to a writable folder to keep one."
        )
    if enable_faulthandler:
        _enable_faulthandler(log)
    elif log._fault_file is not None:
        # Without faulthandler the file only records that this session ended cleanly.
        log._fault_file.close()
        log._fault_file = None
    return log


def _take_previous_crash(log: CrashLog) -> None:
    """Note a non-empty crash dump in ``log`` and move it aside, so it is reported once.

    If it cannot be moved, the OSError goes up before the dump can be overwritten,
    and ``log`` still names it where it is.
    """
    dump = log.fault_log
    try:
        if dump.stat().st_size == 0:
            return
    except FileNotFoundError:
        return
    with dump.open("r", encoding="utf-8", errors="replace") as stream:
        log.previous_crash_text = stream.read(MAX_DUMP_CHARS)
    log.previous_crash = dump
    previous = log.directory / PREVIOUS_FAULT_LOG
    os.replace(dump, previous)
    log.previous_crash = previous


def _open_error_log(path: Path) -> _QuietRotatingHandler:
    handler = _QuietRotatingHandler(
        path, maxBytes=MAX_LOG_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=False
    )
    handler.setFormatter(logging.Formatter("%(when)s  %(where)s\n%(message)s\n"))
    return handler


def _enable_faulthandler(log: CrashLog) -> None:
    target = log._fault_file if log._fault_file is not None else sys.stderr
    try:
        faulthandler.enable(file=target, all_threads=True)
        log._faulthandler_on = True
    except (AttributeError, OSError, RuntimeError, ValueError):
        # No usable stderr (a windowed launcher sets it to None): nothing to dump onto.
        if log._fault_file is not None:
            log._fault_file.close()
            log._fault_file = None


def _clip(text: str) -> str:
    if len(text) <= MAX_RECORD_CHARS:
        return text
    half = MAX_RECORD_CHARS // 2
    cut = len(text) - 2 * half
    return f"{text[:half]}\n… {cut} characters left out …\n{text[-half:]}"


def timestamp() -> str:
    """The local time with its UTC offset, as the log's records are stamped."""
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")
