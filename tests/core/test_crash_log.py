"""The crash log: where it lives, what it keeps, and a crash noticed at the next start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograd_playground.core.crash_log import (
    BACKUPS,
    ENV_VAR,
    FAULT_LOG,
    MAX_LOG_BYTES,
    MAX_RECORD_CHARS,
    PREVIOUS_FAULT_LOG,
    log_dir,
    open_crash_log,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def opened():
    """Open crash logs without touching the test process's faulthandler; close them after."""
    logs = []

    def open_in(directory: Path):
        log = open_crash_log(directory, enable_faulthandler=False)
        logs.append(log)
        return log

    yield open_in
    for log in logs:
        log.close()


def test_the_directory_is_the_users_log_dir_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # platformdirs on Linux
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    chosen = log_dir()
    assert "autograd-playground" in chosen.parts
    if sys.platform.startswith("linux"):
        assert chosen.is_relative_to(tmp_path / "state")


def test_the_environment_variable_overrides_the_directory(tmp_path):
    assert log_dir({ENV_VAR: str(tmp_path / "mine")}) == tmp_path / "mine"
    assert log_dir({ENV_VAR: "~/logs"}) == Path("~/logs").expanduser()
    # Empty means unset: a blank variable must not send the logs to the current folder.
    assert log_dir({ENV_VAR: "  "}) != Path()


def test_open_crash_log_uses_the_override_when_given_no_directory(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "override"))
    log = open_crash_log(enable_faulthandler=False)
    try:
        assert log.directory == tmp_path / "override"
        assert log.is_writing
    finally:
        log.close()


def test_an_exception_is_logged_with_a_timestamp_and_where_it_happened(opened, tmp_path):
    log = opened(tmp_path / "logs")
    assert log.problem is None
    problem = log.log_exception("Traceback ...\nZeroDivisionError: division by zero\n", "the GUI")
    assert problem is None
    text = log.error_log.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    # An ISO date, time and UTC offset, then where.
    date, where = first.split("  ", 1)
    assert date[4] == "-"
    assert "T" in date
    assert date[-6] in "+-"
    assert where == "the GUI"
    assert "ZeroDivisionError: division by zero" in text


def test_an_unwritable_directory_turns_the_log_off_and_says_so(opened, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    log = opened(blocker / "logs")  # a folder cannot be made inside a file
    assert not log.is_writing
    assert log.problem is not None
    assert str(blocker / "logs") in log.problem
    assert ENV_VAR in log.problem
    assert log.log_exception("boom", "the GUI") is None  # nothing to write, nothing raised


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="needs POSIX permissions that apply to the user (root ignores them)",
)
def test_a_read_only_directory_turns_the_log_off(opened, tmp_path):
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        log = opened(folder)
        assert not log.is_writing
        assert "cannot write" in log.problem
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_reported_once(opened, tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "errors.log").symlink_to("/dev/full")  # every write fails: no space left
    log = opened(folder)
    assert log.problem is None
    first = log.log_exception("boom", "the GUI")
    assert first is not None
    assert str(log.error_log) in first
    assert log.log_exception("boom again", "the GUI") is None


def test_the_log_rotates_within_its_bound(opened, tmp_path):
    log = opened(tmp_path / "logs")
    record = "x" * 10_000
    for _ in range((BACKUPS + 3) * MAX_LOG_BYTES // len(record)):
        log.log_exception(record, "the GUI")
    files = sorted((tmp_path / "logs").glob("errors.log*"))
    assert len(files) == BACKUPS + 1
    assert all(path.stat().st_size <= MAX_LOG_BYTES for path in files)


def test_a_huge_traceback_is_clipped_to_its_ends(opened, tmp_path):
    log = opened(tmp_path / "logs")
    log.log_exception("START" + "y" * (4 * MAX_RECORD_CHARS) + "END", "the GUI")
    text = log.error_log.read_text(encoding="utf-8")
    assert text.count("START") == 1
    assert text.count("END") == 1
    assert len(text) < 2 * MAX_RECORD_CHARS


def test_a_clean_session_leaves_no_crash_to_report(tmp_path):
    first = open_crash_log(tmp_path, enable_faulthandler=False)
    first.close()
    second = open_crash_log(tmp_path, enable_faulthandler=False)
    second.close()
    assert second.previous_crash is None


def test_a_dump_left_by_the_previous_session_is_reported_once(opened, tmp_path):
    (tmp_path / FAULT_LOG).write_text("Fatal Python error: Segmentation fault\n")
    log = opened(tmp_path)
    assert log.previous_crash == tmp_path / PREVIOUS_FAULT_LOG
    assert "Segmentation fault" in log.previous_crash_text
    assert "Segmentation fault" in log.previous_crash.read_text()
    assert opened(tmp_path).previous_crash is None


def test_a_real_crash_is_dumped_and_found_at_the_next_start(tmp_path):
    script = (
        "import faulthandler\n"
        "from autograd_playground.core.crash_log import open_crash_log\n"
        "log = open_crash_log()\n"
        "assert log.problem is None, log.problem\n"
        "faulthandler._sigsegv()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=dict(os.environ, **{ENV_VAR: str(tmp_path)}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "Segmentation fault" in (tmp_path / FAULT_LOG).read_text()
    log = open_crash_log(tmp_path, enable_faulthandler=False)
    log.close()
    assert log.previous_crash == tmp_path / PREVIOUS_FAULT_LOG
    assert "Fatal Python error" in log.previous_crash_text
    assert (tmp_path / FAULT_LOG).stat().st_size == 0
